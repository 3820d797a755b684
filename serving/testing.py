"""A deterministic stand-in model for tests, demos without a trained model, and the
benchmark (``MODEL_URI=fake:?cost_ms=0.5``). It is not a model of anything.

Besides the score it gives what a model trained with the guidance corpus gives: a guidance
level with its probabilities, whether practice and guidance differ, and a must-never-miss
floor, all driven by words of the text so that tests can ask for each:

- with none of the guidance words (``baby``, ``infant``, ``disclosed``) the level agrees
  with the score (the chance of level 3 or 4 is the score), so practice and guidance never
  differ;
- each guidance word raises the level and not the score, so a calm text about a baby is
  scored low by "practice" and put at level 3 or 4 by "guidance": they differ;
- ``baby`` or ``infant`` with an injury word (``bruise``, ``injury``, ``mark``) not
  negated triggers the floor "injury or suspected injury to a baby not yet mobile", which
  puts the band at high and the priority at 9 or more, the score unchanged.

Beside each score it gives the 3 nearest of four made-up guidance examples (``fake-g1`` to
``fake-g4``, one per level of need), nearest by the words of its lexicon the text shares
with each (ties in id order), and with ``past_contacts`` one made-up past contact
(:data:`FAKE_PAST_ID`), as a version that indexed past contacts gives it.

``FakeScorer(guidance=False)`` answers like a model trained without the guidance corpus:
no level, no floor, no similar examples.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from serving.loaded_model import LoadedModel
from training.model.outputs import (
    Band,
    ExplanationPhrase,
    IndicatorOut,
    ScoreRecord,
    SimilarCase,
)

__all__ = [
    "FAKE_GUIDANCE_IDS",
    "FAKE_PAST_ID",
    "FLOORED_EXAMPLE",
    "FLOOR_SAYS",
    "FakeScorer",
    "fake_loaded_model",
]

_WEIGHTS: dict[str, float] = {
    "bruise": 1.2,
    "bruises": 1.2,
    "injury": 1.0,
    "hit": 0.9,
    "violence": 1.1,
    "neglect": 0.8,
    "school": -0.3,
    "happy": -0.8,
    "fine": -0.6,
}
#: Words that raise the guidance level (the latent of the level) and not the score.
_GUIDANCE: dict[str, float] = {"baby": 3.0, "infant": 3.0, "disclosed": 2.5}
#: Cut points of the level's latent: P(level >= 2, 3, 4) = sigmoid(latent - cut).
_LEVEL_CUTS = (-1.5, 0.0, 1.5)
_BABY = frozenset({"baby", "infant"})
_INJURY = frozenset({"bruise", "bruises", "injury", "mark", "marks"})
FLOOR_SAYS = "injury or suspected injury to a baby not yet mobile"
#: Written for the tests: the fake scores it low (calm words), puts it at level 4 ("baby"),
#: says practice and guidance differ, and floors it (a baby with a bruise).
FLOORED_EXAMPLE = (
    "Health visitor saw a small bruise on the baby's ear; mum says he is happy and fine."
)
#: The band and least priority of a floored contact, as the packaged floor policy has them.
_FLOOR_BAND: Band = "high"
_FLOOR_PRIORITY = 9
_WORD = re.compile(r"[a-z]+")
#: The fake's guidance examples: (id, level, indicators, the author's reason, their words).
_FAKE_GUIDANCE: tuple[tuple[str, int, tuple[str, ...], str, frozenset[str]], ...] = (
    (
        "fake-g1",
        1,
        (),
        "A settled child whose needs are met by universal services.",
        frozenset({"school", "happy", "fine"}),
    ),
    (
        "fake-g2",
        2,
        ("neglect",),
        "Needs not met at home that early help can address with the family's consent.",
        frozenset({"neglect", "school"}),
    ),
    (
        "fake-g3",
        3,
        ("physical_abuse",),
        "A disclosure of being hit with a mark seen: an assessment of the child's needs.",
        frozenset({"bruise", "bruises", "hit", "disclosed"}),
    ),
    (
        "fake-g4",
        4,
        ("physical_abuse", "domestic_abuse"),
        "An injury to a baby not yet mobile: a strategy discussion.",
        frozenset({"baby", "infant", "injury", "bruise", "violence"}),
    ),
)
FAKE_GUIDANCE_IDS: tuple[str, ...] = tuple(g[0] for g in _FAKE_GUIDANCE)
#: The fake's one past contact (redacted; its id as ``training.model.similar.past_id`` makes it).
_FAKE_PAST_TEXT = "[name]'s teacher saw a bruise on her arm; [name] said [name] hit her."
FAKE_PAST_ID = "past-" + hashlib.sha256(_FAKE_PAST_TEXT.encode("utf-8")).hexdigest()[:12]
_NEGATION = re.compile(r"\b(no|not|denies|without)\b[^.]{0,30}$")


class FakeScorer:
    """Scores by a tiny lexicon; ``cost_ms`` of busy CPU per text mimics a real model.

    ``guidance`` gives a level, its probabilities, the differ flag and floors (as a model
    trained with the guidance corpus); without it they are None, (), False and None.
    ``differ_margin`` is the gap between the score and P(level 3 or 4) beyond which
    practice and guidance differ.
    """

    def __init__(
        self,
        *,
        cost_ms: float = 0.0,
        bias: float = -1.0,
        guidance: bool = True,
        differ_margin: float = 0.4,
        past_contacts: bool = False,
    ) -> None:
        self.cost_ms = cost_ms
        self.bias = bias
        self.guidance = guidance
        self.past_contacts = past_contacts
        self.differ_margin = differ_margin
        self.calls = 0

    def score_records(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> list[ScoreRecord]:
        if len(texts) != len(sources):
            raise ValueError("texts and sources differ in length")
        self.calls += 1
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> ScoreRecord:
        if self.cost_ms > 0:
            end = time.perf_counter() + self.cost_ms / 1000
            while time.perf_counter() < end:
                pass
        words = _read(text.lower())
        logit = self.bias + words.logit
        score = _sigmoid(logit)
        priority = min(10, max(1, math.ceil(score * 10)))
        band: Band = "high" if score >= 0.6 else "medium" if score >= 0.3 else "low"
        record = ScoreRecord(
            score=score,
            priority=priority,
            band=band,
            explanation=words.explanation(),
            indicators=tuple(words.indicators),
            logit=logit,
        )
        if not self.guidance:
            return record
        probabilities = _level_probabilities(logit + words.guidance)
        floor = FLOOR_SAYS if words.asserted & _BABY and words.asserted & _INJURY else None
        if floor is not None:
            band, priority = _FLOOR_BAND, max(priority, _FLOOR_PRIORITY)
        return replace(
            record,
            band=band,
            priority=priority,
            level=1 + max(range(4), key=lambda k: probabilities[k]),
            level_probabilities=probabilities,
            differs=abs(score - (probabilities[2] + probabilities[3])) > self.differ_margin,
            floor=floor,
            similar=_similar(words.asserted, past=self.past_contacts),
        )


@dataclass
class _Words:
    """What the fake read in a text: the lexicon's part of the logit, where each feature
    occurs, the indicators, the guidance words' part of the level, and the words asserted
    (not negated)."""

    logit: float = 0.0
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    indicators: list[IndicatorOut] = field(default_factory=list)
    guidance: float = 0.0
    asserted: set[str] = field(default_factory=set)

    def explanation(self) -> tuple[ExplanationPhrase, ...]:
        return tuple(
            ExplanationPhrase(
                feature=f,
                weight=0.0 if f.startswith("neg:") else _WEIGHTS[f.split(":", 1)[1]] * len(s),
                spans=tuple(s),
            )
            for f, s in self.spans.items()
        )


def _read(lower: str) -> _Words:
    words = _Words()
    for m in _WORD.finditer(lower):
        word = m.group()
        if word not in _WEIGHTS and word not in _GUIDANCE and word not in _INJURY:
            continue
        negated = _NEGATION.search(lower[max(0, m.start() - 40) : m.start()]) is not None
        if not negated:
            words.asserted.add(word)
            words.guidance += _GUIDANCE.get(word, 0.0)
        if word not in _WEIGHTS:
            continue
        feature = f"neg:{word}" if negated else f"word:{word}"
        words.spans.setdefault(feature, []).append((m.start(), m.end()))
        words.logit += 0 if negated else _WEIGHTS[word]
        if _WEIGHTS[word] > 0:
            words.indicators.append(
                IndicatorOut(
                    label=f"physical_{word}",
                    level=2,
                    start=m.start(),
                    end=m.end(),
                    negated=negated,
                    hedged=False,
                    historical=False,
                    third_party=False,
                )
            )
    return words


def _similar(asserted: set[str], *, past: bool) -> tuple[SimilarCase, ...]:
    """The 3 fake guidance examples sharing most of ``asserted`` (Jaccard of the word
    sets; ties in id order), then the past contact when ``past``."""

    def overlap(words: frozenset[str]) -> float:
        union = words | asserted
        return len(words & asserted) / len(union) if union else 0.0

    ranked = sorted(_FAKE_GUIDANCE, key=lambda g: (-overlap(g[4]), g[0]))[:3]
    out = [
        SimilarCase(
            kind="guidance",
            id=gid,
            similarity=round(overlap(words), 3),
            reason=_shared(words & asserted),
            indicators=indicators,
            level=level,
            level_reason=why,
        )
        for gid, level, indicators, why, words in ranked
    ]
    if past:
        words = frozenset({"bruise", "hit"})
        out.append(
            SimilarCase(
                kind="past_contact",
                id=FAKE_PAST_ID,
                similarity=round(overlap(words), 3),
                reason=_shared(words & asserted),
                indicators=("physical_abuse",),
                text=_FAKE_PAST_TEXT,
                outcome="referral",
                date_band="2025 Q2",
            )
        )
    return tuple(out)


def _shared(words: set[str] | frozenset[str]) -> str:
    if not words:
        return "Close in overall meaning (no shared indicator or distinctive word)"
    return "Shared words " + ", ".join(f'"{w}"' for w in sorted(words))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _level_probabilities(latent: float) -> tuple[float, float, float, float]:
    """P(level = 1..4) of a proportional-odds model with the fake's cut points."""
    at_least = [1.0, *(_sigmoid(latent - cut) for cut in _LEVEL_CUTS), 0.0]
    p1, p2, p3, p4 = (at_least[k] - at_least[k + 1] for k in range(4))
    return (p1, p2, p3, p4)


def fake_loaded_model(
    *,
    version: str = "1",
    cost_ms: float = 0.0,
    name: str = "concern-screener",
    guidance: bool = True,
    past_contacts: bool = False,
) -> LoadedModel:
    """A LoadedModel around a FakeScorer, labelled so nobody mistakes it for a real one.
    ``guidance=False`` serves it like a model trained without a level estimate (and
    without similar cases); ``past_contacts`` like a version that indexed past contacts."""
    return LoadedModel(
        name=name,
        version=version,
        run_id=None,
        scorer=FakeScorer(cost_ms=cost_ms, guidance=guidance, past_contacts=past_contacts),
        metrics={"roc_auc": 0.5},
        model_card_markdown="# Fake model\n\nA deterministic stand-in for tests; not a model.",
        fairness_summary=None,
    )
