"""A scored contact as the screener page shows it: the text cut into highlighted
segments, the phrases that raised and lowered the score, the indicators found, the score
in words, the guidance level beside it, the similar examples (context, not a decision),
and the labels of sources, outcomes, bands and levels.

Pure functions of the API's response models; nothing here reads a request or the model.
Text from a contact is shown with its bidirectional formatting characters made visible
(``bidi_visible``, ``bidi_plain``: the page's ``bidi`` and ``bidi_plain`` filters).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final

from markupsafe import Markup, escape

from serving.schemas import (
    SIMILAR_HEADING,
    ExplanationPublic,
    IndicatorPublic,
    ScoredContact,
    SimilarExamplePublic,
)

__all__ = [
    "BAND_LABELS",
    "BIDI_CONTROLS",
    "LEVEL_LABELS",
    "OUTCOME_LABELS",
    "SOURCE_LABELS",
    "Segment",
    "bidi_plain",
    "bidi_visible",
    "feature_label",
    "guidance_view",
    "highlight",
    "indicator_rows",
    "percent",
    "phrase_rows",
    "result_view",
    "similar_rows",
]

SOURCE_LABELS: Final[dict[str, str]] = {
    "police": "Police",
    "school": "School",
    "health": "Health",
    "la_services": "Local authority services",
    "individual": "Individual (family, neighbour, friend)",
    "anonymous": "Anonymous",
    "other": "Other",
}
OUTCOME_LABELS: Final[dict[str, str]] = {
    "nfa": "No further action",
    "advice": "Advice and information",
    "early_help": "Early help",
    "referral": "Referral to children's social care",
    "child_protection": "Child protection enquiry (section 47)",
}
BAND_LABELS: Final[dict[str, str]] = {"low": "Low", "medium": "Medium", "high": "High"}
#: The published levels of need, as the guidance level is shown.
LEVEL_LABELS: Final[dict[int, str]] = {
    1: "universal",
    2: "early help",
    3: "child in need",
    4: "protection",
}

#: Unicode's bidirectional formatting characters (UAX #9): the Arabic letter mark, the
#: left-to-right and right-to-left marks, embeddings, overrides and isolates. In a page
#: they reorder what follows them ("is \u202eton\u202c safe" shows as "is not safe"),
#: so the page never applies them: each is shown as a visible marker instead. The text
#: scored, hashed and audited is the text as sent.
BIDI_CONTROLS: Final[dict[str, str]] = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_BIDI_RE: Final = re.compile("[" + "".join(BIDI_CONTROLS) + "]")

#: Phrases listed on each side (raised, lowered), largest weights first.
MAX_PHRASES: Final = 12
#: Example quotes shown per phrase, from its first spans.
MAX_EXAMPLES: Final = 3


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the contact text; ``kind`` is ``raise``/``lower`` when phrases covering
    it together raised or lowered the score, with ``title`` naming them."""

    text: str
    kind: str | None = None
    title: str = ""


def bidi_plain(text: str) -> str:
    """``text`` with each bidirectional formatting character replaced by its visible
    abbreviation in brackets (``[RLO]``): for attributes such as titles."""
    return _BIDI_RE.sub(lambda m: f"[{BIDI_CONTROLS[m.group()]}]", text)


def _bidi_marker(match: re.Match[str]) -> str:
    char = match.group()
    name = unicodedata.name(char).lower()
    return (
        f'<span class="bidi-control" title="U+{ord(char):04X} {name}: a direction control '
        f'in the text, shown here and not applied">[{BIDI_CONTROLS[char]}]</span>'
    )


def bidi_visible(text: str) -> Markup:
    """``text`` escaped for HTML, each bidirectional formatting character shown as a
    marked-up ``[RLO]`` that names it, so none can reorder the page."""
    return Markup(_BIDI_RE.sub(_bidi_marker, str(escape(text))))


def feature_label(feature: str) -> str:
    """A model feature name in words: ``word:bruise`` -> ``bruise``, ``neg:mark`` ->
    ``not: mark``, ``indicator:domestic_abuse`` -> ``indicator: domestic abuse``."""
    kind, _, name = feature.partition(":")
    if not name:
        return feature.replace("_", " ")
    name = name.replace("_", " ")
    if kind == "neg":
        return f"not: {name}"
    if kind in ("word", "phrase", "ngram", "token", "text"):
        return name
    return f"{kind.replace('_', ' ')}: {name}"


def _quote(text: str, start: int, end: int) -> str | None:
    """``text[start:end]`` when the span lies inside the text, else None."""
    return text[start:end] if 0 <= start < end <= len(text) else None


def highlight(text: str, explanation: list[ExplanationPublic]) -> list[Segment]:
    """Cut ``text`` at every span boundary of the explanation; each piece is marked by the
    sign of the summed weights of the phrases covering it (overlapping n-grams add up)."""
    n = len(text)
    covers: list[tuple[int, int, ExplanationPublic]] = []
    bounds = {0, n}
    for phrase in explanation:
        if phrase.weight == 0:
            continue
        for start, end in phrase.spans:
            s, e = max(0, min(int(start), n)), max(0, min(int(end), n))
            if e > s:
                covers.append((s, e, phrase))
                bounds.update((s, e))
    segments: list[Segment] = []
    last_key: tuple[str | None, tuple[str, ...]] | None = None
    for a, b in pairwise(sorted(bounds)):
        phrases = [p for s, e, p in covers if s <= a and b <= e]
        total = sum(p.weight for p in phrases)
        kind = "raise" if total > 0 else "lower" if total < 0 else None
        key = (kind, tuple(sorted({p.feature for p in phrases})))
        if segments and key == last_key:
            prev = segments[-1]
            segments[-1] = Segment(prev.text + text[a:b], prev.kind, prev.title)
            continue
        segments.append(Segment(text[a:b], kind, _segment_title(kind, phrases)))
        last_key = key
    return segments


def _segment_title(kind: str | None, phrases: list[ExplanationPublic]) -> str:
    """``raised the score: bruise (+1.20), hit (+0.90)``; empty for unmarked text."""
    if kind is None:
        return ""
    weights = {p.feature: p.weight for p in phrases}
    verb = "raised" if kind == "raise" else "lowered"
    return f"{verb} the score: " + ", ".join(
        f"{feature_label(f)} ({w:+.2f})" for f, w in sorted(weights.items())
    )


def phrase_rows(result: ScoredContact, text: str, *, sign: int) -> list[dict[str, Any]]:
    """The phrases that moved the score in the direction of ``sign`` (+1 raised, -1
    lowered), largest first, each with its label, weight and quotes from the text."""
    rows = [p for p in result.explanation if p.weight * sign > 0]
    rows.sort(key=lambda p: -abs(p.weight))
    return [
        {
            "label": feature_label(p.feature),
            "weight": p.weight,
            "examples": sorted(
                {q for s, e in p.spans[:MAX_EXAMPLES] if (q := _quote(text, s, e)) is not None}
            ),
        }
        for p in rows[:MAX_PHRASES]
    ]


def indicator_rows(indicators: list[IndicatorPublic], text: str) -> list[dict[str, Any]]:
    """The indicators found, asserted ones first, then by level (highest first) and place
    in the text; each with its label in words, level, quote, and how it was stated."""
    rows = []
    for ind in sorted(indicators, key=lambda i: (i.negated, -i.level, i.span[0])):
        flags = [
            name
            for name, on in (
                ("hedged", ind.hedged),
                ("historical", ind.historical),
                ("third party", ind.third_party),
            )
            if on
        ]
        rows.append(
            {
                "label": ind.label.replace("_", " ").strip().capitalize(),
                "level": ind.level,
                "quote": _quote(text, *ind.span) or "",
                "negated": ind.negated,
                "flags": flags,
            }
        )
    return rows


def percent(score: float) -> str:
    """The calibrated score as a whole percentage, never a bare 0% or 100%."""
    if score < 0.01:
        return "less than 1%"
    if score > 0.99:
        return "more than 99%"
    return f"{round(score * 100)}%"


def guidance_view(result: ScoredContact) -> dict[str, Any] | None:
    """The guidance level as the page shows it beside the score: ``level``, its ``label``
    ("child in need"), the ``chance`` of that level in words and ``chances``, each level
    with its label and chance; None for a model without a level estimate."""
    if result.level is None:
        return None
    probabilities = result.level_probabilities
    chances = [
        {"level": level, "label": label, "chance": percent(probabilities[level - 1])}
        for level, label in LEVEL_LABELS.items()
        if level <= len(probabilities)
    ]
    return {
        "level": result.level,
        "label": LEVEL_LABELS.get(result.level, f"level {result.level}"),
        "chance": (
            percent(probabilities[result.level - 1]) if result.level <= len(probabilities) else None
        ),
        "chances": chances,
    }


def _label(name: str) -> str:
    return name.replace("_", " ").strip()


def similar_rows(similar: list[SimilarExamplePublic]) -> dict[str, Any]:
    """The similar examples as the page shows them beside the score, under ``heading``:
    ``guidance`` (each with its id, level and level label, indicators in words, reason,
    the author's reason for the level and the similarity as a percentage) and ``past``
    (each with its id, redacted text, outcome in words, quarter received, indicators,
    reason and similarity)."""
    guidance, past = [], []
    for case in similar:
        row = {
            "id": case.id,
            "indicators": [_label(i) for i in case.indicators],
            "reason": case.reason,
            "similarity": f"{round(max(0.0, case.similarity) * 100)}%",
        }
        if case.kind == "guidance":
            level = case.level or 0
            guidance.append(
                {
                    **row,
                    "level": level,
                    "level_label": LEVEL_LABELS.get(level, f"level {level}"),
                    "level_reason": case.level_reason or "",
                }
            )
        else:
            past.append(
                {
                    **row,
                    "text": case.text or "",
                    "outcome": OUTCOME_LABELS.get(case.outcome or "", case.outcome or ""),
                    "date_band": case.date_band or "",
                }
            )
    return {"heading": SIMILAR_HEADING, "guidance": guidance, "past": past}


def result_view(result: ScoredContact, text: str) -> dict[str, Any]:
    """What the result part of the screener page shows for ``result`` of ``text``."""
    return {
        "result": result,
        "guidance": guidance_view(result),
        "percent": percent(result.score),
        "segments": highlight(text, result.explanation),
        "raised": phrase_rows(result, text, sign=1),
        "lowered": phrase_rows(result, text, sign=-1),
        "indicators": indicator_rows(result.indicators, text),
        "similar": similar_rows(result.similar),
    }
