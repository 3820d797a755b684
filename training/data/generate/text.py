"""Writing one contact: from a :class:`~training.data.generate.labels.Plan` to text, with the
character spans of every piece of personal data recorded as it is appended.

What a contact says comes from its plan: each concern in a register (professional, lay,
the child's own words, euphemism), with how often it happens where the plan says so, its
protective factors and early help history. How it is said is drawn apart from the plan,
from the contact's own random stream: the register the referrer leans to, the tone
(calm, neutral, alarmed: wraps round any sentence, openers and closers), the length (how
much ordinary detail surrounds the concern, up to a character target) and the layout with
its boilerplate (:mod:`training.data.generate.layouts`). None of them moves the label.
The pieces and spans are handled by :mod:`training.data.generate.writer`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from training.data.generate.labels import MODE_WEIGHT, Mention, Plan
from training.data.generate.layouts import Content, lay_out
from training.data.generate.lexicon import REGISTERS, Lexicon, Register, Voice, load_lexicon
from training.data.generate.people import Family
from training.data.generate.writer import Builder, Piece, Writer, capitalise, draw_style, text_of

__all__ = [
    "LENGTHS",
    "PII_KINDS",
    "TONES",
    "Length",
    "Tone",
    "Written",
    "bias_cue_templates",
    "write_contact",
]

PII_KINDS: Final = frozenset(
    {"name", "address", "postcode", "phone", "email", "dob", "school", "nhs_number"}
    | {"date", "reference"}
)
Length = Literal["line", "short", "medium", "long", "very_long"]
Tone = Literal["calm", "neutral", "alarmed"]
LENGTHS: Final[tuple[Length, ...]] = ("line", "short", "medium", "long", "very_long")
TONES: Final[tuple[Tone, ...]] = ("calm", "neutral", "alarmed")

_ESTATES: Final = ("Lings", "Blackthorn", "Kings Heath", "Spring Boroughs", "Eastfield", "Duston", "Parklands", "Wootton", "Collingtree", "Moulton")  # fmt: skip
#: Characters of prose a contact of each length fills up to with ordinary detail.
_TARGET: Final[dict[str, tuple[int, int]]] = {
    "line": (0, 0),
    "short": (40, 250),
    "medium": (250, 700),
    "long": (700, 1600),
    "very_long": (1600, 3200),
}
#: Where ordinary detail comes from: (pool, section, weight).
_FILLER: Final = (("context", "background", 0.3), ("detail", "background", 0.3), ("routine", "routine", 0.15), ("process", "actions", 0.25))  # fmt: skip
#: The share of a contact's concerns written in the register the referrer leans to.
_OWN_REGISTER: Final = 0.7


@dataclass(frozen=True, slots=True)
class Written:
    """One written contact: its text, the ``[start, end, kind]`` personal-data spans, the
    plan as written (the mentions, protective factors and early help the text actually
    holds: a one-line contact states at most two concerns, which is what the label process
    must read), and how it was written: layout, tone, register and length."""

    text: str
    pii_spans: list[list[int | str]]
    plan: Plan
    layout: str = "free"
    tone: Tone = "neutral"
    register: Register = "professional"
    length: Length = "medium"


def _mention(w: Writer, m: Mention, register: Register) -> list[Piece]:
    """One mention in ``register``, with how often it happens when the plan says so."""
    lex = w.lex
    spec = lex.indicator_by_label[m.label]
    r = w.r
    wordings = spec.wordings(register)
    if m.mode == "first":
        pieces = w.render(r.choice(wordings))
    elif m.mode == "third":
        clause = w.render(r.choice(wordings))
        pieces = w.render(r.choice(lex.third_hand_frames), {"clause": clause})
    elif r.random() < 0.5:
        clause_frames = {
            "negated": lex.negated_clause_frames,
            "historical": lex.historical_clause_frames,
            "hedged": lex.hedged_clause_frames,
        }
        clause = w.render(r.choice(wordings))
        pieces = w.render(r.choice(clause_frames[m.mode]), {"clause": clause})
    else:
        frames = {
            "negated": lex.negated_frames,
            "historical": lex.historical_frames,
            "hedged": lex.hedged_frames,
        }
        topic: list[Piece] = [(r.choice(spec.topics), None)]
        pieces = w.render(r.choice(frames[m.mode]), {"topic": topic})
    if m.frequency != "unstated":
        often = w.render(r.choice(lex.frequency[m.frequency]))
        if r.random() < 0.5:
            pieces = pieces + [(", ", None)] + often
        else:
            pieces = pieces + [(". ", None)] + capitalise(often)
    return pieces


def _draw_register(r: random.Random, leaning: Register) -> Register:
    return leaning if r.random() < _OWN_REGISTER else r.choice(REGISTERS)


def _strongest_first(mentions: list[Mention], lex: Lexicon) -> list[Mention]:
    """``mentions`` with the one that weighs most in the label process first (a one-liner
    says what matters most), the rest in their order."""
    if not mentions:
        return mentions

    def weight(m: Mention) -> float:
        return lex.indicator_by_label[m.label].weight * MODE_WEIGHT[m.mode]

    top = max(range(len(mentions)), key=lambda k: weight(mentions[k]))
    return [mentions[top]] + mentions[:top] + mentions[top + 1 :]


_FILLERS: dict[int, tuple[Lexicon, tuple[tuple[str, str], ...], tuple[float, ...]]] = {}


def _filler(lex: Lexicon) -> tuple[tuple[tuple[str, str], ...], tuple[float, ...]]:
    """Every template of ordinary detail with the section it goes to, and cumulative
    weights that give each pool its share of ``_FILLER``; kept per lexicon."""
    known = _FILLERS.get(id(lex))
    if known is not None and known[0] is lex:
        return known[1], known[2]
    pools = {
        "context": lex.context,
        "detail": lex.detail["background"],
        "routine": lex.detail["routine"],
        "process": lex.process,
    }
    templates: list[tuple[str, str]] = []
    cumulative: list[float] = []
    total = 0.0
    for name, section, share in _FILLER:
        for template in pools[name]:
            total += share / len(pools[name])
            templates.append((template, section))
            cumulative.append(total)
    _FILLERS[id(lex)] = (lex, tuple(templates), tuple(cumulative))
    return tuple(templates), tuple(cumulative)


def _fill(r: random.Random, w: Writer, content: Content, target: float, used: float) -> None:
    """Ordinary detail, drawn by length only, until the prose holds ``target`` characters."""
    templates, cumulative = _filler(w.lex)
    sections = {
        "background": content.background,
        "routine": content.routine,
        "actions": content.actions,
    }
    seen: set[str] = set()
    tries = 0
    while used < target and tries < 200:
        tries += 1
        template, section = r.choices(templates, cum_weights=cumulative)[0]
        if template in seen:
            continue
        seen.add(template)
        sentence = w.render(template)
        sections[section].append(sentence)
        used += len(text_of(sentence)) + 2


def _tone(r: random.Random, w: Writer, content: Content, tone: Tone) -> None:
    """An alarmed or calm opener and closer, and wraps round a few sentences of any kind."""
    if tone == "neutral":
        return
    parts = w.lex.tone[tone]
    if r.random() < 0.6:
        content.tone_open = w.render(r.choice(parts["openers"]))
    if r.random() < 0.5:
        content.tone_close = w.render(r.choice(parts["closers"]))
    lists = (content.concern, content.background, content.actions, content.strengths, content.early_help)  # fmt: skip
    places = [(body, k) for body in lists for k in range(len(body))]
    for body, k in r.sample(places, min(len(places), r.randint(1, 3 if tone == "alarmed" else 2))):
        body[k] = w.render(r.choice(parts["wraps"]), {"sentence": body[k]})


def write_contact(
    r: random.Random,
    plan: Plan,
    *,
    voice: Voice,
    family: Family,
    sex: str,
    received: date,
    length: Length,
    cues: tuple[str, ...] = (),
    lexicon: Lexicon | None = None,
    layout: str = "free",
    tone: Tone = "neutral",
    register: Register = "professional",
) -> Written:
    """Write one contact for ``plan`` in the referrer ``voice``.

    ``length`` is "line" (the one or two concerns that matter most, nothing else), "short",
    "medium", "long" or "very_long" (ordinary detail up to a character target drawn for the
    length); ``layout`` one of ``lexicon.LAYOUTS``; ``tone`` calm, neutral or alarmed;
    ``register`` the register most concerns are written in. ``cues`` are extra sentences
    (the optional text cues of an injected bias). ``lexicon`` is the phrasing to write
    with, the shipped :func:`load_lexicon` unless given. With the defaults, a "line"
    contact is its concern alone, in the professional wording.
    """
    lex = load_lexicon() if lexicon is None else lexicon
    style = draw_style(r, alarmed=tone == "alarmed")
    w = _writer(r, plan, voice, family, sex, received, lex, tone)
    builder = Builder(r, style, lex.abbreviations)
    concern_mentions = [m for m in plan.mentions if m.mode != "historical"]
    history_mentions = [m for m in plan.mentions if m.mode == "historical"]
    # Shuffled before writing: the text and the plan as written must agree.
    r.shuffle(concern_mentions)
    said = plan
    if length == "line":
        concern_mentions, history_mentions, said = _one_line(
            r, plan, concern_mentions, history_mentions, lex
        )
    content = _content(r, w, lex, said, concern_mentions, history_mentions, cues, register)
    if length == "line":
        if not (content.concern or content.background or content.strengths):
            content.concern = [w.render(r.choice(lex.context))]
    else:
        _around(r, w, lex, content, voice, length, tone)
    lay_out(layout, builder, w, content, style=style, anonymous=voice.source == "anonymous")
    text, spans = builder.result()
    return Written(text, spans, said, layout, tone, register, length)


def _writer(
    r: random.Random,
    plan: Plan,
    voice: Voice,
    family: Family,
    sex: str,
    received: date,
    lex: Lexicon,
    tone: Tone,
) -> Writer:
    """The writer of one contact: its family, the referrer's role, an email subject line
    (half of calm or alarmed contacts have one in their tone)."""
    subjects = lex.boilerplate["email"]["subjects"]
    if tone != "neutral" and r.random() < 0.5:
        subjects = lex.tone[tone]["subjects"]
    return Writer(
        r,
        family,
        sex=sex,
        age=plan.age,
        received=received,
        lex=lex,
        role=r.choice(voice.roles),
        subjects=subjects,
    )


def _one_line(
    r: random.Random,
    plan: Plan,
    concerns: list[Mention],
    history: list[Mention],
    lex: Lexicon,
) -> tuple[list[Mention], list[Mention], Plan]:
    """What a one-line contact keeps of ``plan``: its strongest one or two concerns (or one
    historical one, where there is no current one), and the plan as said."""
    protective, early_help = plan.protective, plan.early_help
    concerns = _strongest_first(concerns, lex)
    keep = 2 if len(concerns) > 1 and r.random() < 0.5 else 1
    if concerns:
        concerns, history = concerns[:keep], []
        protective = 0
    elif history:
        history, protective = history[:1], 0
    else:
        protective = min(protective, 1)
    kept = concerns + history
    early_help = "failed" if any(m.label == "early_help_failed" for m in kept) else "none"
    said = Plan(plan.source, plan.age, kept, protective=protective, early_help=early_help)
    return concerns, history, said


def _content(
    r: random.Random,
    w: Writer,
    lex: Lexicon,
    said: Plan,
    concerns: list[Mention],
    history: list[Mention],
    cues: tuple[str, ...],
    register: Register,
) -> Content:
    """The sentences of what ``said`` says: concerns (a failed early help offer in its own
    section), background, early help, strengths, and the bias cues among the concerns."""
    content = Content(opening=[])
    for m in concerns:
        sentence = _mention(w, m, _draw_register(r, register))
        failed = m.label == "early_help_failed" and m.mode in ("first", "third")
        (content.early_help if failed else content.concern).append(sentence)
    content.background = [_mention(w, m, _draw_register(r, register)) for m in history]
    if said.early_help in ("engaged", "declined"):
        content.early_help.append(w.render(r.choice(lex.early_help[said.early_help])))
    content.strengths = [w.render(t) for t in r.sample(lex.protective, said.protective)]
    content.concern += [w.render(c) for c in cues]
    return content


def _around(
    r: random.Random,
    w: Writer,
    lex: Lexicon,
    content: Content,
    voice: Voice,
    length: Length,
    tone: Tone,
) -> None:
    """What a contact longer than a line says around its concerns: the referrer's opening,
    ordinary detail up to a length drawn for ``length``, perhaps a hedge, consent and
    contact lines, and the wording of its ``tone``."""
    content.opening = w.render(r.choice(voice.openings))
    content.long = length in ("long", "very_long")
    said_chars = sum(
        len(text_of(s))
        for part in (content.concern, content.background, content.early_help, content.strengths)
        for s in part
    )
    low, high = _TARGET[length]
    _fill(r, w, content, r.uniform(low, high), said_chars)
    if r.random() < 0.3:
        content.hedges = [w.render(r.choice(lex.hedges))]
    common = lex.boilerplate["common"]
    if length != "short" or r.random() < 0.3:
        pool = common["consent"] + common["contacts"]
        content.closing = [w.render(t) for t in r.sample(pool, 1 if length == "short" else 2)]
    _tone(r, w, content, tone)


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
