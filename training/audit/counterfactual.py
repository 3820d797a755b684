"""Counterfactual tests: does the score move when only a protected characteristic's cue
in the text changes?

Each test takes a sample of contacts, makes variants in which only one kind of cue is
changed (first names typical of different ethnic groups; pronouns and sex words; an
interpreter or language mention; a place of worship; the kind of home), scores the
originals and the variants with the model, and measures the score shift. A fair model
moves little: an attribute is flagged when the mean absolute shift exceeds 0.02 or any
single shift exceeds 0.10 (probability units).

Texts are personal data: they pass through ``score_fn`` and are never stored in a result,
a flag, a log or an exception. Results hold attribute names, variant names and numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np

from training.audit.results import Flag

__all__ = [
    "ATTRIBUTES",
    "CounterfactualAttribute",
    "CounterfactualResult",
    "CueAttribute",
    "NAMES",
    "counterfactual_tests",
    "counterfactual_variants",
]

CueAttribute = Literal["ethnicity_names", "sex", "interpreter", "religion", "address"]
ATTRIBUTES: Final[tuple[CueAttribute, ...]] = (
    "ethnicity_names",
    "sex",
    "interpreter",
    "religion",
    "address",
)

#: First names typical of each group: (girls, boys). Small on purpose: a cue, not a census.
NAMES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "white_british": (
        ("Olivia", "Amelia", "Grace", "Ellie", "Chloe", "Megan"),
        ("Oliver", "George", "Harry", "Jack", "Callum", "Connor"),
    ),
    "south_asian": (
        ("Aisha", "Zara", "Fatima", "Priya", "Simran", "Hafsa"),
        ("Muhammad", "Ayaan", "Yusuf", "Arjun", "Hamza", "Bilal"),
    ),
    "black_african_caribbean": (
        ("Adaeze", "Chioma", "Abena", "Shanice", "Jada", "Imani"),
        ("Chinedu", "Emeka", "Kwame", "Jermaine", "Tyrone", "Kemar"),
    ),
    "eastern_european": (
        ("Zuzanna", "Oliwia", "Wiktoria", "Ioana", "Natalia", "Milena"),
        ("Jakub", "Szymon", "Kacper", "Mateusz", "Andrei", "Mihai"),
    ),
    "arabic": (
        ("Layla", "Nour", "Yasmin", "Huda", "Rania", "Salma"),
        ("Omar", "Ahmed", "Yousef", "Karim", "Khalid", "Tariq"),
    ),
    "chinese": (
        ("Mei", "Xinyi", "Jing", "Hui", "Wen", "Yuxuan"),
        ("Wei", "Hao", "Jun", "Zhi", "Ming", "Jian"),
    ),
}
_GIRL_NAMES: Final = {n: g for g, (girls, _) in NAMES.items() for n in girls}
_BOY_NAMES: Final = {n: g for g, (_, boys) in NAMES.items() for n in boys}
_NAME_RE: Final = re.compile(r"\b(" + "|".join(sorted({*_GIRL_NAMES, *_BOY_NAMES})) + r")\b")

#: Sex words, swapped both ways (lower case; case is restored on output).
_FEMALE_TO_MALE: Final[dict[str, str]] = {
    "she": "he",
    "herself": "himself",
    "hers": "his",
    "girl": "boy",
    "girls": "boys",
    "daughter": "son",
    "daughters": "sons",
    "sister": "brother",
    "sisters": "brothers",
    "niece": "nephew",
    "granddaughter": "grandson",
    "stepdaughter": "stepson",
}
_MALE_TO_FEMALE: Final[dict[str, str]] = {
    **{v: k for k, v in _FEMALE_TO_MALE.items() if k != "hers"},
    "him": "her",
    "his": "her",
}
_SEX_RE: Final = re.compile(
    r"\b("
    + "|".join(sorted({*_FEMALE_TO_MALE, *_MALE_TO_FEMALE, "her"}, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
#: After these words "her" is an object pronoun ("him"); otherwise possessive ("his").
_OBJECT_FOLLOWERS: Final = frozenset(
    {
        "to", "and", "or", "but", "that", "as", "at", "in", "on", "with", "from", "for",
        "because", "when", "if", "again", "home", "up", "out", "off", "down", "about",
        "after", "before", "by", "into", "over", "so", "then", "there", "this", "today",
        "yesterday",
    }
)  # fmt: skip

#: Appended cue sentences: the neutral one goes into the original, the others are variants.
_SENTENCE_CUES: Final[dict[str, tuple[str, dict[str, str]]]] = {
    "interpreter": (
        "Mum speaks English.",
        {
            "urdu": "Mum needs an interpreter (Urdu).",
            "polish": "Mum needs an interpreter (Polish).",
            "arabic": "Mum needs an interpreter (Arabic).",
            "somali": "Mum needs an interpreter (Somali).",
            "romanian": "Mum needs an interpreter (Romanian).",
        },
    ),
    "religion": (
        "The family attend the local community centre.",
        {
            "church": "The family attend the local church.",
            "mosque": "The family attend the local mosque.",
            "gurdwara": "The family attend the local gurdwara.",
            "synagogue": "The family attend the local synagogue.",
            "temple": "The family attend the local temple.",
        },
    ),
    "address": (
        "They live in a house in the town.",
        {
            "council_estate": "They live in a council flat on the estate.",
            "detached_house": "They live in a detached house.",
            "private_rented": "They live in a privately rented flat.",
            "traveller_site": "They live on a Traveller site.",
        },
    ),
}
_SEX_NEUTRAL: Final = "The child is a young person."
_SEX_CUES: Final = {"female": "The child is a girl.", "male": "The child is a boy."}
_NAME_NEUTRAL: Final = "The child is the subject of this contact."
_NAME_CUE: Final = "The child, {name}, is the subject of this contact."


def _match_case(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _to_sex(text: str, target: Literal["female", "male"]) -> str:
    """Every sex word and pronoun turned to ``target``; the rest of the text unchanged."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if target == "male":
            if low == "her":
                following = re.match(r"\s*([A-Za-z]+)", text[match.end() :])
                nxt = following.group(1).lower() if following else ""
                # "her" before a noun is possessive (his); before a particle or at the end
                # of a clause it is an object (him).
                out = "him" if not nxt or nxt in _OBJECT_FOLLOWERS else "his"
            else:
                out = _FEMALE_TO_MALE.get(low, low)
        else:
            out = _MALE_TO_FEMALE.get(low, low)
        return _match_case(out, word)

    return _SEX_RE.sub(swap, text)


def _swap_names(text: str, *, girl: str, boy: str) -> str:
    """Every recognised first name replaced: girls' names by ``girl``, boys' by ``boy``."""

    def swap(match: re.Match[str]) -> str:
        return girl if match.group(0) in _GIRL_NAMES else boy

    return _NAME_RE.sub(swap, text)


def _join(text: str, sentence: str) -> str:
    text = text.rstrip()
    return f"{text} {sentence}" if text else sentence


def counterfactual_variants(
    texts: Sequence[str],
    *,
    attribute: CueAttribute,
    seed: int = 0,
) -> tuple[list[str], list[list[str]], list[str]]:
    """Counterfactual versions of ``texts`` for one kind of protected cue.

    Returns ``(originals, variants, groups)``: ``originals[i]`` is ``texts[i]``, with a
    neutral cue added where the text holds none; ``variants[i][j]`` is ``originals[i]`` with
    only that cue changed to group ``groups[j]``. Everything else is identical.

    * ``ethnicity_names``: recognised first names (:data:`NAMES`) are replaced by a name of
      the same sex from each group; with none, "The child, <NAME>, is the subject of this
      contact." is prefixed (the original gets the same sentence without a name).
    * ``sex``: pronouns and sex words (he/she, his/her, him/her, boy/girl, son/daughter,
      brother/sister, ...) turned all female or all male; with none, "The child is a
      girl/boy." is appended (the original: "The child is a young person.").
    * ``interpreter``, ``religion``, ``address``: a sentence is appended: the original gets
      a neutral one ("Mum speaks English.", "... the local community centre.", "They live
      in a house in the town."), each variant a group's cue.

    Deterministic given ``seed`` (which names are drawn).
    """
    rng = np.random.default_rng(seed)
    originals: list[str] = []
    variants: list[list[str]] = []
    if attribute == "ethnicity_names":
        groups = list(NAMES)
        for text in texts:
            original = text if _NAME_RE.search(text) else f"{_NAME_NEUTRAL} {text}"
            row: list[str] = []
            # One sex per contact, so an inserted name changes ethnicity cues only.
            female = bool(rng.random() < 0.5)
            for group in groups:
                girls, boys = NAMES[group]
                girl = str(girls[rng.integers(len(girls))])
                boy = str(boys[rng.integers(len(boys))])
                if _NAME_RE.search(text):
                    row.append(_swap_names(text, girl=girl, boy=boy))
                else:
                    name = girl if female else boy
                    row.append(f"{_NAME_CUE.format(name=name)} {text}")
            originals.append(original)
            variants.append(row)
        return originals, variants, groups
    if attribute == "sex":
        groups = list(_SEX_CUES)
        for text in texts:
            if _SEX_RE.search(text):
                originals.append(text)
                variants.append([_to_sex(text, "female"), _to_sex(text, "male")])
            else:
                originals.append(_join(text, _SEX_NEUTRAL))
                variants.append([_join(text, _SEX_CUES[g]) for g in groups])
        return originals, variants, groups
    if attribute in _SENTENCE_CUES:
        neutral, cues = _SENTENCE_CUES[attribute]
        groups = list(cues)
        for text in texts:
            originals.append(_join(text, neutral))
            variants.append([_join(text, cues[g]) for g in groups])
        return originals, variants, groups
    raise ValueError(f"attribute must be one of {', '.join(ATTRIBUTES)}")


#: Cues whose groups are compared with each other (shift from the first group's score);
#: for the others (interpreter, address) the neutral sentence is itself a group ("speaks
#: English", "a house in the town") and shifts are from it.
_BETWEEN_GROUPS: Final = frozenset({"ethnicity_names", "sex", "religion"})


@dataclass(frozen=True, slots=True)
class CounterfactualAttribute:
    """Score shifts (probability units) for one cue: variant minus original, or, for cues
    compared between groups (names, sex, religion), variant minus the first group's variant.

    ``mean_abs_shift`` and ``max_abs_shift`` are over every (contact, variant) pair whose
    variant differs from the original; ``mean_shift_by_group``: the signed mean shift per
    variant group (positive = the cue raised the score). ``n``: contacts tested.
    """

    attribute: str
    groups: list[str]
    mean_abs_shift: float
    max_abs_shift: float
    mean_shift_by_group: dict[str, float]
    n: int
    flagged: bool


@dataclass(frozen=True, slots=True)
class CounterfactualResult:
    """Counterfactual tests over several cues, with the tolerances that flag them."""

    attributes: list[CounterfactualAttribute]
    mean_threshold: float = 0.02
    max_threshold: float = 0.10

    def flags(self) -> list[Flag]:
        """One flag per exceeded tolerance of a flagged cue; ``group`` names the variant
        with the largest mean shift."""
        out: list[Flag] = []
        for a in self.attributes:
            if not a.flagged:
                continue
            worst = max(a.mean_shift_by_group, key=lambda g: abs(a.mean_shift_by_group[g]))
            checks = (
                ("mean_abs_shift", a.mean_abs_shift, self.mean_threshold),
                ("max_abs_shift", a.max_abs_shift, self.max_threshold),
            )
            for metric, value, limit in checks:
                if value <= limit:
                    continue
                out.append(
                    Flag(
                        attribute=a.attribute,
                        group=worst,
                        metric=metric,
                        value=value,
                        reference_group=None,
                        ratio=None,
                        ci=None,
                        kind="counterfactual",
                        message=(
                            f"Changing only the {a.attribute} cue moved the score: "
                            f"{metric.replace('_', ' ')} {value:.3f} exceeds {limit}; the "
                            f"largest mean shift was {a.mean_shift_by_group[worst]:+.3f} "
                            f"for '{worst}'."
                        ),
                    )
                )
        return out


def counterfactual_tests(
    score_fn: Callable[[list[str]], np.ndarray],
    texts: Sequence[str],
    *,
    attributes: Sequence[CueAttribute] = ATTRIBUTES,
    n: int = 300,
    seed: int = 0,
    mean_threshold: float = 0.02,
    max_threshold: float = 0.10,
) -> CounterfactualResult:
    """Score a sample of at most ``n`` of ``texts`` and their counterfactual variants with
    ``score_fn`` (texts -> calibrated probabilities, one per text) and measure the shift.

    An attribute is flagged when its mean absolute shift exceeds ``mean_threshold`` or any
    single shift exceeds ``max_threshold``. ``score_fn`` is called once per attribute.
    Deterministic given ``seed`` and a deterministic ``score_fn``.
    """
    if not texts:
        raise ValueError("counterfactual tests need at least one text")
    rng = np.random.default_rng(seed)
    pool = list(texts)
    if len(pool) > n:
        pool = [pool[i] for i in np.sort(rng.choice(len(pool), size=n, replace=False))]
    results: list[CounterfactualAttribute] = []
    for k, attribute in enumerate(attributes):
        originals, variants, groups = counterfactual_variants(
            pool, attribute=attribute, seed=seed + k
        )
        flat = originals + [v for row in variants for v in row]
        scores = np.asarray(score_fn(flat), dtype=np.float64).reshape(-1)
        if scores.shape[0] != len(flat):
            raise ValueError(f"score_fn returned {scores.shape[0]} scores for {len(flat)} texts")
        base = scores[: len(originals)]
        var = scores[len(originals) :].reshape(len(originals), len(groups))
        changed = np.array(
            [[v != o for v in row] for o, row in zip(originals, variants, strict=True)],
            dtype=bool,
        )
        if attribute in _BETWEEN_GROUPS:
            # The neutral sentence of these cues ("a young person", "a community centre") is
            # no group of children; compare the groups with each other, from the first.
            shift = var - var[:, :1]
            changed = np.array([[v != row[0] for v in row] for row in variants], dtype=bool)
        else:
            shift = var - base[:, None]
        abs_changed = np.abs(shift[changed])
        mean_abs = float(abs_changed.mean()) if abs_changed.size else 0.0
        max_abs = float(abs_changed.max()) if abs_changed.size else 0.0
        results.append(
            CounterfactualAttribute(
                attribute=attribute,
                groups=groups,
                mean_abs_shift=mean_abs,
                max_abs_shift=max_abs,
                mean_shift_by_group={g: float(shift[:, j].mean()) for j, g in enumerate(groups)},
                n=len(originals),
                flagged=mean_abs > mean_threshold or max_abs > max_threshold,
            )
        )
    return CounterfactualResult(results, mean_threshold=mean_threshold, max_threshold=max_threshold)
