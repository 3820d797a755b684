"""Redaction measured against hand-labelled spans: recall and precision per PII kind.

A labelled span is *recalled* when predicted spans (of any kind) cover at least 90% of its
characters; a predicted span is *precise* when at least 50% of its characters fall inside
labelled spans (of any kind). Character recall is the share of labelled characters that
predicted spans cover, and *untouched* counts labelled spans no prediction overlaps at all
(personal data left whole in the redacted text). Kinds are compared loosely on purpose: a
name redacted as ``[ADDRESS]`` is still redacted. Over-redaction is the share of the words
outside every labelled span that a predicted span covers (words the model loses for
nothing); :func:`redacted_words` counts the words redacted in texts without labels.

The hand-written sets are JSON lines ``{"id", "author", "text", "spans": [{"start", "end",
"kind", "value"}]}`` (``data/pii/``, datasheet beside them).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from training.text.types import PiiSpan

__all__ = [
    "GoldSpan",
    "RedactedWords",
    "SpanScore",
    "read_pii_set",
    "redacted_words",
    "score_spans",
]

#: ``(start, end, kind)`` of a labelled span
GoldSpan = tuple[int, int, str]

RECALL_COVER = 0.9
PRECISION_INSIDE = 0.5
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class SpanScore:
    """Span-level counts per kind, and the time the redactor took."""

    recorded: Counter[str]
    recalled: Counter[str]
    untouched: Counter[str]
    chars: Counter[str]
    chars_covered: Counter[str]
    predicted: Counter[str]
    precise: Counter[str]
    #: words outside every labelled span, and how many of them a predicted span covers
    plain_words: int
    plain_words_redacted: int
    seconds: float
    rows: int

    def recall(self, kind: str | None = None) -> float:
        """Share of labelled spans recalled (all kinds when ``kind`` is None)."""
        return _ratio(self.recalled, self.recorded, kind)

    def char_recall(self, kind: str | None = None) -> float:
        """Share of labelled characters covered by predicted spans."""
        return _ratio(self.chars_covered, self.chars, kind)

    def precision(self, kind: str | None = None) -> float:
        """Share of predicted spans that lie mostly inside labelled spans."""
        return _ratio(self.precise, self.predicted, kind)

    def over_redaction(self) -> float:
        """Share of the words outside labelled spans that predicted spans cover."""
        return self.plain_words_redacted / self.plain_words if self.plain_words else float("nan")

    @property
    def kinds(self) -> list[str]:
        """Every kind labelled or predicted, sorted."""
        return sorted(set(self.recorded) | set(self.predicted))


def _ratio(num: Counter[str], den: Counter[str], kind: str | None) -> float:
    n = sum(num.values()) if kind is None else num[kind]
    d = sum(den.values()) if kind is None else den[kind]
    return n / d if d else float("nan")


def read_pii_set(path: Path) -> tuple[list[str], list[list[GoldSpan]]]:
    """Texts and labelled spans of a hand-written PII set (JSON lines)."""
    texts: list[str] = []
    spans: list[list[GoldSpan]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                texts.append(str(row["text"]))
                spans.append(
                    [(int(s["start"]), int(s["end"]), str(s["kind"])) for s in row["spans"]]
                )
    return texts, spans


def _mask(length: int, spans: Sequence[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def score_spans(
    texts: Sequence[str],
    gold: Sequence[Sequence[GoldSpan]],
    find: Callable[[str], Sequence[PiiSpan]],
    *,
    misses: list[str] | None = None,
) -> SpanScore:
    """Score ``find`` (text -> predicted spans) on ``texts`` with labelled ``gold`` spans.

    ``misses``, when given, receives one line per missed or imprecise span quoting the text
    around it: pass it only for synthetic or development data, never for a reporting set.
    """
    c: dict[str, Counter[str]] = {
        k: Counter()
        for k in ("recorded", "recalled", "untouched", "chars", "covered", "predicted", "precise")
    }
    t0 = time.perf_counter()
    found = [find(t) for t in texts]
    seconds = time.perf_counter() - t0
    plain = plain_redacted = 0
    for text, labelled, predicted in zip(texts, gold, found, strict=True):
        gold_mask = _mask(len(text), [(s, e) for s, e, _ in labelled])
        pred_mask = _mask(len(text), [(p.start, p.end) for p in predicted])
        for w in _WORD.finditer(text):
            if not any(gold_mask[w.start() : w.end()]):
                plain += 1
                plain_redacted += any(pred_mask[w.start() : w.end()])
        for s, e, kind in labelled:
            covered = sum(pred_mask[s:e])
            c["recorded"][kind] += 1
            c["chars"][kind] += e - s
            c["covered"][kind] += covered
            if covered >= RECALL_COVER * (e - s):
                c["recalled"][kind] += 1
            else:
                c["untouched"][kind] += covered == 0
                if misses is not None:
                    misses.append(
                        f"MISS {kind}: {text[max(0, s - 30) : e + 20]!r} -> {text[s:e]!r}"
                    )
        for p in predicted:
            c["predicted"][p.kind] += 1
            if sum(gold_mask[p.start : p.end]) >= PRECISION_INSIDE * (p.end - p.start):
                c["precise"][p.kind] += 1
            elif misses is not None:
                window = text[max(0, p.start - 30) : p.end + 20]
                misses.append(f"FALSE {p.kind}: {window!r} -> {text[p.start : p.end]!r}")
    return SpanScore(
        recorded=c["recorded"],
        recalled=c["recalled"],
        untouched=c["untouched"],
        chars=c["chars"],
        chars_covered=c["covered"],
        predicted=c["predicted"],
        precise=c["precise"],
        plain_words=plain,
        plain_words_redacted=plain_redacted,
        seconds=seconds,
        rows=len(texts),
    )


@dataclass(frozen=True, slots=True)
class RedactedWords:
    """Words of unlabelled texts and the words that redaction replaced, per kind."""

    words: int
    redacted: Counter[str]
    seconds: float
    chars: int
    rows: int

    def share(self, kind: str | None = None) -> float:
        """Share of all words redacted (as ``kind`` when given)."""
        n = sum(self.redacted.values()) if kind is None else self.redacted[kind]
        return n / self.words if self.words else float("nan")


def redacted_words(texts: Sequence[str], find: Callable[[str], Sequence[PiiSpan]]) -> RedactedWords:
    """How many words of ``texts`` (no labels) ``find`` redacts, per kind, and its time."""
    t0 = time.perf_counter()
    found = [find(t) for t in texts]
    seconds = time.perf_counter() - t0
    words = 0
    redacted: Counter[str] = Counter()
    for text, spans in zip(texts, found, strict=True):
        words += sum(1 for _ in _WORD.finditer(text))
        for sp in spans:
            redacted[sp.kind] += sum(1 for _ in _WORD.finditer(text, sp.start, sp.end))
    return RedactedWords(
        words=words,
        redacted=redacted,
        seconds=seconds,
        chars=sum(len(t) for t in texts),
        rows=len(texts),
    )
