"""The referrer self-check measured on drafts written for the purpose: recall and precision
of each *missing* question.

A question is *missing* from a draft when the draft does not answer it. For each question,
recall is the share of drafts a person marked as not answering it that the detector also
calls missing (what the self-check must not fail to ask), and precision the share of the
drafts the detector calls missing that the person marked so (what it asks needlessly
lowers it). The sets are JSON lines ``{"id", "referrer", "text", "says": {question id:
bool}, "notes"?}`` (``data/drafts/``, datasheet beside them); ``says`` is True where the
draft answers the question.

:func:`split_drafts` makes the development and test halves from the one file the authors
wrote: deterministic, balanced by kind of referrer.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Draft", "MissingScore", "read_drafts", "score_missing", "split_drafts"]

#: Salt of the split's ordering: changing it changes which drafts are held out.
_SPLIT_SALT = "drafts-split-v1:"


@dataclass(frozen=True, slots=True)
class Draft:
    """One hand-marked draft: its text and, per question id, whether it answers it."""

    id: str
    referrer: str
    text: str
    says: Mapping[str, bool]


def read_drafts(path: Path) -> list[Draft]:
    """The drafts of one JSON-lines file, checked: a malformed line is refused with where."""
    drafts: list[Draft] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            says = raw["says"]
            if not isinstance(raw["text"], str) or not all(
                isinstance(v, bool) for v in says.values()
            ):
                raise TypeError
            drafts.append(Draft(str(raw["id"]), str(raw.get("referrer", "")), raw["text"], says))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError(
                f"{path} line {number}: needs id, text and says (question id -> true/false)"
            ) from None
    return drafts


def split_drafts(rows: Sequence[Mapping[str, Any]]) -> tuple[list[Any], list[Any]]:
    """The development and test halves of ``rows`` (each with ``id`` and ``referrer``).

    Rows are ordered by kind of referrer, then by a salted SHA-256 of their id, and dealt
    alternately to the two halves: the halves differ in size by at most one, each kind of
    referrer is split as evenly as it can be, and the result depends on the ids alone (not
    on file order, nor on the text or the marks).
    """

    def key(row: Mapping[str, Any]) -> tuple[str, str]:
        digest = hashlib.sha256((_SPLIT_SALT + str(row["id"])).encode("utf-8")).hexdigest()
        return (str(row.get("referrer", "")), digest)

    ordered = sorted(rows, key=key)
    return list(ordered[0::2]), list(ordered[1::2])


@dataclass(frozen=True, slots=True)
class MissingScore:
    """Per question: drafts marked missing, called missing, and both; and the time taken
    (wall-clock and CPU seconds for all ``rows`` drafts)."""

    questions: tuple[str, ...]
    marked: Mapping[str, int]
    called: Mapping[str, int]
    both: Mapping[str, int]
    rows: int
    seconds: float
    cpu_seconds: float

    def recall(self, question: str) -> float:
        """Share of the drafts marked as not answering ``question`` that are called missing
        (1.0 when none is marked so)."""
        return self.both[question] / self.marked[question] if self.marked[question] else 1.0

    def precision(self, question: str) -> float:
        """Share of the drafts called missing ``question`` that are marked so (1.0 when none
        is called missing)."""
        return self.both[question] / self.called[question] if self.called[question] else 1.0

    @property
    def ms_per_draft(self) -> float:
        """Mean wall-clock milliseconds the detector took per draft."""
        return 1000 * self.seconds / self.rows if self.rows else 0.0

    @property
    def cpu_ms_per_draft(self) -> float:
        """Mean CPU milliseconds of this process per draft (steadier than wall-clock time
        on a machine shared with other work)."""
        return 1000 * self.cpu_seconds / self.rows if self.rows else 0.0


def score_missing(
    drafts: Sequence[Draft],
    answered: Callable[[str], frozenset[str]],
    *,
    questions: Sequence[str],
    misses: list[tuple[str, str, str]] | None = None,
) -> MissingScore:
    """Score ``answered`` (a draft's text -> the ids of the questions it answers) on
    ``drafts`` for each of ``questions``. With ``misses``, appends ``(draft id, question,
    "missed" | "needless")`` for each disagreement (ids only, never text)."""
    marked = dict.fromkeys(questions, 0)
    called = dict.fromkeys(questions, 0)
    both = dict.fromkeys(questions, 0)
    start, cpu = time.perf_counter(), time.process_time()
    found = [answered(d.text) for d in drafts]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    for draft, got in zip(drafts, found, strict=True):
        for q in questions:
            is_marked = not draft.says[q]
            is_called = q not in got
            marked[q] += is_marked
            called[q] += is_called
            both[q] += is_marked and is_called
            if misses is not None and is_marked != is_called:
                misses.append((draft.id, q, "missed" if is_marked else "needless"))
    return MissingScore(tuple(questions), marked, called, both, len(drafts), seconds, cpu_seconds)
