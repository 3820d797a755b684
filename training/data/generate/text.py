"""Writing one contact: from a :class:`~training.data.generate.labels.Plan` to text, with the
character spans of every piece of personal data recorded as it is appended.

The text is built piece by piece. Non-personal pieces are buffered and go through the
contact's writing style (abbreviations, typos, casing) when flushed; personal data is
appended verbatim and its ``[start, end, kind]`` recorded at that moment, so the spans
are exact by construction and never found by searching afterwards.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final

from training.data.generate.labels import Mention, Plan
from training.data.generate.lexicon import Lexicon, Voice, load_lexicon
from training.data.generate.people import Family, format_dob

__all__ = ["PII_KINDS", "Style", "Written", "bias_cue_templates", "write_contact"]

PII_KINDS: Final = frozenset(
    {"name", "address", "postcode", "phone", "email", "dob", "school", "nhs_number"}
)
Piece = tuple[str, str | None]

_SLOT = re.compile(r"\{(\w+)\}")
_TOKENS: dict[str, list[tuple[bool, str]]] = {}
_TOWNS2: Final = ("Leicester", "Coventry", "London", "Birmingham", "Luton", "Kettering", "Corby", "Bedford", "Milton Keynes", "Peterborough")  # fmt: skip
_ESTATES: Final = ("Lings", "Blackthorn", "Kings Heath", "Spring Boroughs", "Eastfield", "Duston", "Parklands", "Wootton", "Collingtree", "Moulton")  # fmt: skip
_KEYS_NEAR: Final = "qwertyuiopasdfghjklzxcvbnm"


@cache
def _abbreviation_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all abbreviated phrases; the first alternative that matches wins."""
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in phrases) + r")\b")


def _tokens(template: str) -> list[tuple[bool, str]]:
    """A template split into (is_slot, text) tokens; cached, templates are few."""
    tokens = _TOKENS.get(template)
    if tokens is None:
        tokens = []
        last = 0
        for match in _SLOT.finditer(template):
            if match.start() > last:
                tokens.append((False, template[last : match.start()]))
            tokens.append((True, match.group(1)))
            last = match.end()
        if last < len(template):
            tokens.append((False, template[last:]))
        _TOKENS[template] = tokens
    return tokens


@dataclass(frozen=True, slots=True)
class Style:
    """How one practitioner writes: typo rate per character, abbreviations, casing, run-ons."""

    typo_rate: float
    abbreviate: bool
    lower: bool
    run_on: float


def _typos(text: str, r: random.Random, rate: float) -> str:
    expected = len(text) * rate
    count = int(expected) + (1 if r.random() < expected - int(expected) else 0)
    if not count:
        return text
    chars = list(text)
    for _ in range(count):
        i = r.randrange(2, len(chars) - 2) if len(chars) > 5 else -1
        # Only inside words of four letters or more, so "no" never becomes "on".
        if i < 0 or not "".join(chars[i - 2 : i + 2]).isalpha():
            continue
        op = r.random()
        if op < 0.35:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op < 0.65:
            del chars[i]
        elif op < 0.8:
            chars.insert(i, chars[i])
        else:
            chars[i] = r.choice(_KEYS_NEAR)
    return "".join(chars)


class _Builder:
    """Appends pieces, styling the non-personal ones, and records personal-data spans."""

    def __init__(
        self, r: random.Random, style: Style, abbreviations: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.r = r
        self.style = style
        self.abbreviations = abbreviations
        self.abbreviation_re = _abbreviation_re(tuple(abbreviations)) if style.abbreviate else None
        self.out: list[str] = []
        self.buf: list[str] = []
        self.pos = 0
        self.spans: list[list[int | str]] = []

    def _style(self, text: str) -> str:
        r, style = self.r, self.style
        if self.abbreviation_re is not None:
            forms = self.abbreviations
            text = self.abbreviation_re.sub(lambda m: r.choice(forms[m.group(1)]), text)
        if style.typo_rate:
            text = _typos(text, r, style.typo_rate)
        if style.lower:
            text = text.lower()
        return text

    def flush(self) -> None:
        if self.buf:
            text = self._style("".join(self.buf))
            self.out.append(text)
            self.pos += len(text)
            self.buf.clear()

    def add(self, pieces: list[Piece]) -> None:
        for text, kind in pieces:
            if kind is None:
                self.buf.append(text)
            else:
                self.flush()
                self.out.append(text)
                self.spans.append([self.pos, self.pos + len(text), kind])
                self.pos += len(text)

    def result(self) -> tuple[str, list[list[int | str]]]:
        self.flush()
        text = "".join(self.out)
        # Trailing whitespace never ends inside a span; strip only the end.
        return text.rstrip(), self.spans


@dataclass(frozen=True, slots=True)
class Written:
    """One written contact: its text, the ``[start, end, kind]`` personal-data spans, and
    the plan as written: the mentions and protective factors the text actually holds (a
    one-line contact states at most two), which is what the label process must read."""

    text: str
    pii_spans: list[list[int | str]]
    plan: Plan


def _school_year(age: int) -> str:
    if age < 4:
        return "nursery"
    if age == 4:
        return "Reception"
    return f"Year {min(13, age - 4)}"


def _baby_age(received: date, dob: date) -> str:
    days = max((received - dob).days, 10)
    if days < 84:
        return f"{days // 7} weeks"
    return f"{days // 30} months"


class _Writer:
    """Resolves template slots for one contact and renders sentences into pieces."""

    def __init__(
        self, r: random.Random, family: Family, *, sex: str, age: int, received: date, lex: Lexicon
    ) -> None:
        self.r = r
        self.f = family
        self.lex = lex
        self.age = age
        self.received = received
        pronouns = {"female": ("she", "her", "her"), "male": ("he", "his", "him")}
        self.he, self.his, self.him = pronouns.get(sex, ("they", "their", "them"))
        self.child_named = False
        self.slots: dict[str, Callable[[], list[Piece]]] = {
            "child": self._child,
            "child_full": lambda: [(family.child.full, "name")],
            "mum": self._mum,
            "mum_full": lambda: [(family.mother.full, "name")],
            "dad": self._dad,
            "dad_full": lambda: [(family.father.full, "name")],
            "partner": self._partner,
            "partner_full": lambda: [(family.partner.full, "name")],
            "sib": lambda: (
                [(family.sibling.first, "name")]
                if r.random() < 0.6
                else [(f"{self.his} sibling ", None), (family.sibling.first, "name")]
            ),
            "rel": self._rel,
            "rel_full": lambda: [(family.relative.full, "name")],
            "referrer": lambda: [(family.referrer.full, "name")],
            "referrer_last": lambda: [(family.referrer.last, "name")],
            "referrer_phone": lambda: [(family.phone2, "phone")],
            "referrer_email": lambda: [(family.work_email, "email")],
            "phone": lambda: [(family.phone, "phone")],
            "email": lambda: [(family.email, "email")],
            "address_full": self._address,
            "address_ref": lambda: [("the address", None)] if r.random() < 0.5 else self._address(),
            "house_no": lambda: [(family.address.split(" ")[0], "address")],
            "school": lambda: [(family.school, "school")],
            "dob": lambda: [(format_dob(r, family.dob), "dob")],
            "nhs": lambda: [(family.nhs_number, "nhs_number")],
            "he": lambda: [(self.he, None)],
            "his": lambda: [(self.his, None)],
            "him": lambda: [(self.him, None)],
            "when": lambda: [(r.choice(lex.when), None)],
            "baby_age": lambda: [(_baby_age(received, family.dob), None)],
            "age": lambda: [(str(age), None)],
            "town2": lambda: [(r.choice(_TOWNS2), None)],
            "year": lambda: [(str(received.year - r.randint(2, 9)), None)],
            "school_year": lambda: [(_school_year(age), None)],
        }

    def _child(self) -> list[Piece]:
        r, child = self.r, self.f.child
        roll = r.random()
        if self.age == 0 and roll < 0.25:
            role = r.choice(("baby", "the baby", "baby"))
            if r.random() < 0.5:
                return [(f"{role} ", None), (child.first, "name")]
            return [(role, None)]
        if not self.child_named:
            self.child_named = True
            if roll < 0.3:
                return [(child.full, "name")]
            if roll < 0.45:
                age = _baby_age(self.received, self.f.dob) if self.age == 0 else str(self.age)
                return [(child.first, "name"), (f" ({age})", None)]
        if roll < 0.78:
            return [(child.first, "name")]
        return [(r.choice(("the child", "CYP", "the young person", "the child")), None)]

    def _mum(self) -> list[Piece]:
        r, m = self.r, self.f.mother
        roll = r.random()
        if roll < 0.4:
            return [(r.choice(("mum", "mum", "Mum", "mother")), None)]
        if roll < 0.55:
            return [("Mum (", None), (m.first, "name"), (")", None)]
        if roll < 0.75:
            return [(m.first, "name")]
        if roll < 0.85:
            return [("Ms ", None), (m.last, "name")]
        if roll < 0.93:
            return [(m.full, "name")]
        return [("the mother", None)]

    def _dad(self) -> list[Piece]:
        r, d = self.r, self.f.father
        roll = r.random()
        if roll < 0.45:
            return [(r.choice(("dad", "Dad", "father", "birth father")), None)]
        if roll < 0.6:
            return [("Dad (", None), (d.first, "name"), (")", None)]
        if roll < 0.85:
            return [(d.first, "name")]
        return [("Mr ", None), (d.last, "name")]

    def _partner(self) -> list[Piece]:
        r, p = self.r, self.f.partner
        roll = r.random()
        if roll < 0.25:
            return [("her partner ", None), (p.first, "name")]
        if roll < 0.5:
            return [(p.first, "name")]
        if roll < 0.65:
            return [(r.choice(("mum's partner", "the boyfriend", "mums new partner")), None)]
        if roll < 0.8:
            return [("Mr ", None), (p.last, "name")]
        if roll < 0.9:
            return [(p.full, "name")]
        return [("the partner (", None), (p.first, "name"), (")", None)]

    def _rel(self) -> list[Piece]:
        r, rel = self.r, self.f.relative
        roll = r.random()
        if roll < 0.45:
            return [
                (r.choice(("maternal grandmother", "nan", "an aunt", "grandma", "the aunt")), None)
            ]
        if roll < 0.75:
            return [(rel.first, "name")]
        return [(r.choice(("nan ", "aunt ", "grandmother ")), None), (rel.full, "name")]

    def _address(self) -> list[Piece]:
        pieces: list[Piece] = [(self.f.address, "address")]
        if self.r.random() < 0.75:
            pieces += [
                (", " if self.r.random() < 0.7 else " ", None),
                (self.f.postcode, "postcode"),
            ]
        return pieces

    def render(self, template: str, extra: dict[str, list[Piece]] | None = None) -> list[Piece]:
        """Render a template into pieces, resolving each slot afresh."""
        pieces: list[Piece] = []
        for is_slot, text in _tokens(template):
            if not is_slot:
                pieces.append((text, None))
            elif extra is not None and text in extra:
                pieces.extend(extra[text])
            else:
                pieces.extend(self.slots[text]())
        return pieces


def _capitalise(pieces: list[Piece]) -> list[Piece]:
    if pieces and pieces[0][1] is None and pieces[0][0]:
        text = pieces[0][0]
        return [(text[0].upper() + text[1:], None), *pieces[1:]]
    return pieces


def _mention(w: _Writer, m: Mention) -> list[Piece]:
    lex = w.lex
    spec = lex.indicator_by_label[m.label]
    r = w.r
    if m.mode == "first":
        return w.render(r.choice(spec.asserted))
    if m.mode == "third":
        clause = w.render(r.choice(spec.asserted))
        return w.render(r.choice(lex.third_hand_frames), {"clause": clause})
    if r.random() < 0.5:
        clause_frames = {
            "negated": lex.negated_clause_frames,
            "historical": lex.historical_clause_frames,
            "hedged": lex.hedged_clause_frames,
        }
        clause = w.render(r.choice(spec.asserted))
        return w.render(r.choice(clause_frames[m.mode]), {"clause": clause})
    frames = {
        "negated": lex.negated_frames,
        "historical": lex.historical_frames,
        "hedged": lex.hedged_frames,
    }
    topic: list[Piece] = [(r.choice(spec.topics), None)]
    return w.render(r.choice(frames[m.mode]), {"topic": topic})


def _join(builder: _Builder, sentences: list[list[Piece]], style: Style) -> None:
    """Append sentences with their punctuation; some writers run them together."""
    r = builder.r
    run_on = [i > 0 and r.random() < style.run_on for i in range(len(sentences) + 1)]
    run_on[len(sentences)] = False
    for i, sentence in enumerate(sentences):
        if not sentence:
            continue
        if run_on[i]:
            builder.add([(r.choice((", ", " and ", " - ", ", and ", " ")), None)])
            builder.add(sentence)
        else:
            if i > 0:
                builder.add([(" ", None)])
            builder.add(_capitalise(sentence))
        if not sentence[-1][0].endswith(("?", ".", "'")) and not run_on[i + 1]:
            builder.add([("." if r.random() < 0.93 else "", None)])


def _draw_style(r: random.Random) -> Style:
    """The writing style of one contact: most write cleanly, some with typos, abbreviations,
    all lower case or run-on sentences."""
    roll = r.random()
    return Style(
        typo_rate=0.0 if roll < 0.35 else (0.003 if roll < 0.8 else 0.01),
        abbreviate=r.random() < 0.55,
        lower=r.random() < 0.07,
        run_on=0.0 if r.random() < 0.6 else 0.35,
    )


def write_contact(
    r: random.Random,
    plan: Plan,
    *,
    voice: Voice,
    family: Family,
    sex: str,
    received: date,
    length: str,
    cues: tuple[str, ...] = (),
    lexicon: Lexicon | None = None,
) -> Written:
    """Write one contact for ``plan`` in the referrer ``voice``.

    ``length`` is "line" (one sentence, no header), "short", "medium" or "long" (several
    paragraphs of background, concern, protective factors and contact details); ``cues``
    are extra sentences (the optional text cues of an injected bias). ``lexicon`` is the
    phrasing to write with, the shipped :func:`load_lexicon` unless given.
    """
    lex = load_lexicon() if lexicon is None else lexicon
    style = _draw_style(r)
    w = _Writer(r, family, sex=sex, age=plan.age, received=received, lex=lex)
    builder = _Builder(r, style, lex.abbreviations)
    concern_mentions = [m for m in plan.mentions if m.mode != "historical"]
    history_mentions = [m for m in plan.mentions if m.mode == "historical"]
    concern = [_mention(w, m) for m in concern_mentions]
    history = [_mention(w, m) for m in history_mentions]
    # Shuffled together with their mentions: the text and the plan as written must agree.
    order = list(range(len(concern)))
    r.shuffle(order)
    concern = [concern[k] for k in order]
    concern_mentions = [concern_mentions[k] for k in order]
    protective = [w.render(t) for t in r.sample(lex.protective, plan.protective)]
    cue_sentences = [w.render(c) for c in cues]

    if length == "line":
        if concern:
            body, said = concern[:2], Plan(plan.source, plan.age, concern_mentions[:2])
        elif history:
            body, said = history[:1], Plan(plan.source, plan.age, history_mentions[:1])
        elif protective:
            body, said = protective[:1], Plan(plan.source, plan.age, [], protective=1)
        else:
            body, said = [w.render(r.choice(lex.context))], Plan(plan.source, plan.age)
        _join(builder, body + cue_sentences, style)
        text, spans = builder.result()
        return Written(text, spans, said)

    opening = [w.render(r.choice(voice.openings))]
    n_context = {"short": r.randint(0, 1), "medium": r.randint(1, 3), "long": r.randint(3, 10)}
    n_process = {"short": 0, "medium": r.randint(0, 2), "long": r.randint(4, 18)}
    context = [w.render(t) for t in r.sample(lex.context, n_context[length])]
    context += [w.render(t) for t in r.sample(lex.process, n_process[length])]
    hedge = [w.render(r.choice(lex.hedges))] if r.random() < 0.3 else []
    closing: list[list[Piece]] = []
    if length != "short" or r.random() < 0.3:
        closing = [w.render(t) for t in r.sample(lex.closings, 1 if length != "long" else 2)]

    if length == "long":
        para_break: list[Piece] = [("\n\n" if r.random() < 0.7 else "\n", None)]
        background = history + context[: len(context) // 2]
        r.shuffle(background)
        _join(builder, opening + background, style)
        builder.add(para_break)
        _join(builder, concern + context[len(context) // 2 :] + cue_sentences, style)
        builder.add(para_break)
        _join(builder, protective + hedge + closing, style)
    else:
        middle = concern + history + context + protective + cue_sentences
        r.shuffle(middle)
        separator: list[Piece] = [("\n" if r.random() < 0.3 else " ", None)]
        _join(builder, opening, style)
        builder.add(separator)
        _join(builder, hedge + middle + closing, style)
    text, spans = builder.result()
    return Written(text, spans, plan)


def bias_cue_templates(attribute: str, value: str | int | bool) -> tuple[str, ...]:
    """Cue sentences correlated with a biased group; a generic one where none is written."""
    by_value = load_lexicon().bias_cues.get(attribute, {})
    cues = by_value.get(str(value))
    if cues:
        return cues
    if attribute == "child_age_years":
        return ("{child} is {age} years old",)
    if attribute == "area_deprivation_decile":
        return (f"the family live on the {_ESTATES[int(value) - 1]} estate",)
    return ("noted by referrer",)
