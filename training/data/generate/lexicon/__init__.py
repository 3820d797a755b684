"""The generator's lexicon: the indicator catalogue grounded in published threshold guidance,
and the phrasing used to write contacts, read from the TOML files beside this module.

=====================  ==========================================================
``indicators.toml``    the indicator catalogue (:class:`IndicatorSpec`) and the
                       weight of each level of need
``registers.toml``     each indicator in the lay register, the child's own words
                       and euphemism (the professional one is ``asserted``)
``frames.toml``        frames that wrap a topic or a clause as negated,
                       historical, hedged or third hand
``phrases.toml``       hedges, protective factors, context, process and time
                       qualifiers
``history.toml``       early help engaged with or declined; how often a concern
                       happens (once, repeated)
``tone.toml``          alarmed and calm openers, sentence wraps, closers, subjects
``boilerplate.toml``   the layouts' titles, fields, section labels, sign-offs,
                       consent and contact lines, e-mail headers, disclaimers
``detail.toml``        ordinary detail that makes a contact long
``abbreviations.toml`` practitioners' abbreviations
``voices.toml``        referrer voices (:class:`Voice`): openings, roles, layouts
``bias_cues.toml``     text cues of an injected bias, by attribute and value
=====================  ==========================================================

Templates are written one per line; each file's header says what its keys mean. Nothing is
read at import: :func:`load_lexicon` reads the files on first use and keeps the result.
The module-level names of the catalogue (``INDICATORS``, ``INDICATOR_BY_LABEL``,
``NEGATED_FRAMES``, ``HEDGES``, ``VOICES``, ``BIAS_CUES``, ...) are the fields of that
:class:`Lexicon` in upper case, served on first access.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Set
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

__all__ = [
    "ABBREVIATIONS",
    "BIAS_CUES",
    "CONTEXT",
    "HEDGED_CLAUSE_FRAMES",
    "HEDGED_FRAMES",
    "HEDGES",
    "HISTORICAL_CLAUSE_FRAMES",
    "HISTORICAL_FRAMES",
    "INDICATORS",
    "INDICATOR_BY_LABEL",
    "LAYOUTS",
    "REGISTERS",
    "IndicatorSpec",
    "Lexicon",
    "NEGATED_CLAUSE_FRAMES",
    "NEGATED_FRAMES",
    "PROCESS",
    "PROTECTIVE",
    "Register",
    "THIRD_HAND_FRAMES",
    "VOICES",
    "Voice",
    "WHEN",
    "load_lexicon",
]


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """One risk indicator the generator can write into a contact.

    ``level`` is the level of need (1-4) the guidance gives it; ``factor`` the DfE factor
    or threshold indicator it maps to; ``weight`` its contribution to the latent severity
    when asserted first hand; ``group`` names the combination it takes part in ("da",
    "substance", "parent_mh", "pregnancy", "baby", "early_help" or ""); ``prevalence`` is its
    relative frequency among asserted concerns; ``ages`` the inclusive child-age range it
    can apply to; ``sources`` the referral sources that raise it most often. ``asserted``
    holds clause templates that state the concern as present; ``topics`` noun phrases for
    the same concern, which the generic negation, history and hedging frames wrap.
    """

    label: str
    level: int
    factor: str
    weight: float
    group: str
    prevalence: float
    ages: tuple[int, int]
    female_only: bool
    sources: tuple[str, ...]
    asserted: tuple[str, ...]
    topics: tuple[str, ...]
    frequency: bool = False
    lay: tuple[str, ...] = ()
    child: tuple[str, ...] = ()
    euphemism: tuple[str, ...] = ()

    def wordings(self, register: Register) -> tuple[str, ...]:
        """The clause templates of ``register`` ("professional" is ``asserted``); a register
        with none written falls back to the professional wordings."""
        if register == "professional":
            return self.asserted
        return getattr(self, register) or self.asserted


@dataclass(frozen=True, slots=True)
class Voice:
    """A referrer voice: who writes the contact, under which contract ``source``, with its
    opening templates (the first sentences of the contact), the ``roles`` a form or
    sign-off gives the referrer, the ``layouts`` its contacts arrive in (layout -> weight)
    and whether the referrer writes as a lay person."""

    name: str
    source: str
    weight: float
    openings: tuple[str, ...]
    min_age: int = 0
    roles: tuple[str, ...] = ("Referrer",)
    layouts: Mapping[str, float] = field(default_factory=lambda: {"free": 1.0})
    lay: bool = False


Templates = tuple[str, ...]
Register = Literal["professional", "lay", "child", "euphemism"]

#: How a concern can be put: the professional wording and three others (registers.toml).
REGISTERS: Final[tuple[Register, ...]] = ("professional", "lay", "child", "euphemism")
#: The layouts a contact arrives in (boilerplate.toml has one table for each but "free").
LAYOUTS: Final = ("free", "form", "police", "health", "school_log", "email", "call")

# The keys each data file's entries must and may have (see the files' headers).
_MODES: Final = frozenset({"negated", "historical", "hedged"})
_PHRASES: Final = frozenset({"hedges", "protective", "context", "process", "when"})
_TONE_PARTS: Final = frozenset({"openers", "wraps", "closers", "subjects"})
_INDICATOR_REQUIRED: Final = frozenset(
    {"label", "level", "factor", "prevalence", "asserted", "topics"}
)
_INDICATOR_OPTIONAL: Final = frozenset(
    {"group", "ages", "female_only", "sources", "extra_weight", "frequency"}
)
_OTHER_REGISTERS: Final = frozenset(REGISTERS) - {"professional"}
#: The parts of each layout's table in boilerplate.toml.
_LAYOUT_PARTS: Final[dict[str, frozenset[str]]] = {
    "common": frozenset(
        {"blanks", "markings", "greetings", "signoffs", "consent", "contacts", "disclaimers"}
    ),
    "form": frozenset(
        {"titles", "fields", "concern", "background", "strengths", "early_help", "actions"}
        | {"consent_labels", "consent_values"}
    ),
    "police": frozenset(
        {"titles", "fields", "concern", "background", "observations", "child_voice"}
        | {"child_voice_values", "actions", "risk_labels", "risk_values"}
    ),
    "health": frozenset({"titles", "fields", "concern", "background", "observations", "actions"}),
    "school_log": frozenset(
        {"titles", "fields", "categories", "alerted", "concern", "actions", "entry_heads"}
    ),
    "email": frozenset({"subjects", "forwards", "quote_heads", "to"}),
    "call": frozenset(
        {"titles", "fields", "anonymous_fields", "concern", "wishes", "wishes_values", "advice"}
    ),
}


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the generator writes with. ``*_frames`` wrap an indicator's topic
    (``{topic}``) or one of its asserted clauses (``{clause}``); ``abbreviations`` maps a
    phrase to the forms it is written as, in matching order; ``bias_cues`` maps an audit
    attribute and a value (as ``str(value)``) to cue templates. One lexicon is shared by
    every caller of :func:`load_lexicon`: treat its mappings as read-only.

    ``early_help`` maps "engaged" and "declined" to sentences; ``frequency`` maps "once" and
    "repeated" to sentences; ``tone`` maps "alarmed" and "calm" to openers, wraps (around
    ``{sentence}``), closers and subjects; ``boilerplate`` maps "common" and each layout
    but "free" to its parts; ``detail`` maps "background" and "routine" to sentences."""

    indicators: tuple[IndicatorSpec, ...]
    indicator_by_label: Mapping[str, IndicatorSpec]
    negated_frames: Templates
    historical_frames: Templates
    hedged_frames: Templates
    negated_clause_frames: Templates
    historical_clause_frames: Templates
    hedged_clause_frames: Templates
    third_hand_frames: Templates
    hedges: Templates
    protective: Templates
    context: Templates
    process: Templates
    when: Templates
    early_help: Mapping[str, Templates]
    frequency: Mapping[str, Templates]
    tone: Mapping[str, Mapping[str, Templates]]
    boilerplate: Mapping[str, Mapping[str, Templates]]
    detail: Mapping[str, Templates]
    abbreviations: Mapping[str, tuple[str, ...]]
    voices: tuple[Voice, ...]
    bias_cues: Mapping[str, Mapping[str, Templates]]


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, read from the package's TOML files on the first call and shared after.

    Raises ``ValueError`` naming the file and entry when a file holds a key it should not
    or lacks one it needs, so a typo in a data file fails loudly instead of writing
    different contacts.
    """
    frames = _read("frames.toml")
    _entry(frames, required={"topic", "clause"}, where="frames.toml")
    topic, clause = frames["topic"], frames["clause"]
    _entry(topic, required=_MODES, where="frames.toml [topic]")
    _entry(clause, required=_MODES | {"third_hand"}, where="frames.toml [clause]")
    phrases = _read("phrases.toml")
    _entry(phrases, required=_PHRASES, where="phrases.toml")
    indicators = _indicators(_read("indicators.toml"), _read("registers.toml"))
    history = _read("history.toml")
    _entry(history, required={"early_help", "frequency"}, where="history.toml")
    _entry(
        history["early_help"], required={"engaged", "declined"}, where="history.toml [early_help]"
    )
    _entry(history["frequency"], required={"once", "repeated"}, where="history.toml [frequency]")
    tone = _read("tone.toml")
    _entry(tone, required={"alarmed", "calm"}, where="tone.toml")
    for name, parts in tone.items():
        _entry(parts, required=_TONE_PARTS, where=f"tone.toml [{name}]")
    boilerplate = _read("boilerplate.toml")
    _entry(boilerplate, required=set(_LAYOUT_PARTS), where="boilerplate.toml")
    for name, parts in boilerplate.items():
        _entry(parts, required=_LAYOUT_PARTS[name], where=f"boilerplate.toml [{name}]")
    detail = _read("detail.toml")
    _entry(detail, required={"background", "routine"}, where="detail.toml")
    return Lexicon(
        indicators=indicators,
        indicator_by_label={i.label: i for i in indicators},
        negated_frames=_lines(topic["negated"]),
        historical_frames=_lines(topic["historical"]),
        hedged_frames=_lines(topic["hedged"]),
        negated_clause_frames=_lines(clause["negated"]),
        historical_clause_frames=_lines(clause["historical"]),
        hedged_clause_frames=_lines(clause["hedged"]),
        third_hand_frames=_lines(clause["third_hand"]),
        hedges=_lines(phrases["hedges"]),
        protective=_lines(phrases["protective"]),
        context=_lines(phrases["context"]),
        process=_lines(phrases["process"]),
        when=_lines(phrases["when"]),
        early_help=_blocks(history["early_help"]),
        frequency=_blocks(history["frequency"]),
        tone={name: _blocks(parts) for name, parts in tone.items()},
        boilerplate={name: _blocks(parts) for name, parts in boilerplate.items()},
        detail=_blocks(detail),
        abbreviations={
            phrase: tuple(forms) for phrase, forms in _read("abbreviations.toml").items()
        },
        voices=_voices(_read("voices.toml")),
        bias_cues={
            attribute: {value: _lines(cues) for value, cues in by_value.items()}
            for attribute, by_value in _read("bias_cues.toml").items()
        },
    )


_NAMES = {f.name.upper(): f.name for f in fields(Lexicon)}


def __getattr__(name: str) -> Any:
    """``INDICATORS``, ``VOICES``, ``NEGATED_FRAMES``...: the :class:`Lexicon` fields by their
    catalogue names, read on first access."""
    if name in _NAMES:
        return getattr(load_lexicon(), _NAMES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(name).read_text("utf-8")
    return tomllib.loads(text)


def _lines(block: str) -> tuple[str, ...]:
    """The templates of a block, one per non-blank line, trimmed."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _blocks(table: Mapping[str, str]) -> dict[str, Templates]:
    """Each block of a table as its templates."""
    return {name: _lines(block) for name, block in table.items()}


def _entry(
    raw: Mapping[str, Any], *, required: Set[str], optional: Set[str] = frozenset(), where: str
) -> None:
    """Refuse an entry with a key outside ``required | optional`` or without a required one."""
    unknown = sorted(set(raw) - required - optional)
    missing = sorted(required - set(raw))
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {unknown}, missing keys {missing}")


def _indicators(data: Mapping[str, Any], registers: Mapping[str, Any]) -> tuple[IndicatorSpec, ...]:
    level_weight = {int(level): weight for level, weight in data["level_weight"].items()}
    labels = [raw.get("label") for raw in data["indicator"]]
    unknown = sorted(set(registers) - set(labels))
    if unknown:
        raise ValueError(f"registers.toml: tables for unknown indicators {unknown}")
    specs: list[IndicatorSpec] = []
    for raw in data["indicator"]:
        where = f"indicators.toml: indicator {raw.get('label', len(specs) + 1)!r}"
        _entry(raw, required=_INDICATOR_REQUIRED, optional=_INDICATOR_OPTIONAL, where=where)
        other = registers.get(raw["label"])
        if other is None:
            raise ValueError(f"registers.toml: no table for indicator {raw['label']!r}")
        _entry(other, required=_OTHER_REGISTERS, where=f"registers.toml [{raw['label']}]")
        low, high = raw.get("ages", (0, 17))
        specs.append(
            IndicatorSpec(
                label=raw["label"],
                level=raw["level"],
                factor=raw["factor"],
                weight=level_weight[raw["level"]] + raw.get("extra_weight", 0.0),
                group=raw.get("group", ""),
                prevalence=raw["prevalence"],
                ages=(low, high),
                female_only=raw.get("female_only", False),
                sources=tuple(raw.get("sources", ())),
                asserted=_lines(raw["asserted"]),
                topics=_lines(raw["topics"]),
                frequency=raw.get("frequency", False),
                lay=_lines(other["lay"]),
                child=_lines(other["child"]),
                euphemism=_lines(other["euphemism"]),
            )
        )
    return tuple(specs)


def _voices(data: Mapping[str, Any]) -> tuple[Voice, ...]:
    voices: list[Voice] = []
    for raw in data["voice"]:
        where = f"voices.toml: voice {raw.get('name', len(voices) + 1)!r}"
        _entry(
            raw,
            required={"name", "source", "weight", "openings", "roles", "layouts"},
            optional={"min_age", "lay"},
            where=where,
        )
        strange = sorted(set(raw["layouts"]) - set(LAYOUTS))
        if strange:
            raise ValueError(f"{where}: unknown layouts {strange}")
        voices.append(
            Voice(
                name=raw["name"],
                source=raw["source"],
                weight=raw["weight"],
                openings=_lines(raw["openings"]),
                min_age=raw.get("min_age", 0),
                roles=tuple(raw["roles"]),
                layouts=dict(raw["layouts"]),
                lay=raw.get("lay", False),
            )
        )
    return tuple(voices)
