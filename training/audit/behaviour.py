"""The behavioural suite: what the model must do, one capability at a time.

In the spirit of CheckList (Ribeiro et al. 2020), each case tests one capability with one of
three kinds of check:

- ``MFT`` (minimum functionality): one contact that must score high (a level 3-4 concern:
  at or above the threshold, 0.5 by default) or low (level 1-2: below it);
- ``INV`` (invariance): a contact and a changed copy (a form header added, the referrer or a
  name swapped, sentences reordered...) whose scores may differ by at most ``max_delta``
  (0.10 by default);
- ``DIR`` (directional): a contact and a changed copy that must score higher ("up") or lower
  ("down") by at least ``min_delta`` (0.05 by default).

The cases are data (``data/behaviour/<half>/<author>.jsonl``), written by people who had not
read the model's patterns, cues or lexicon, from published threshold guidance. They are split
by author into a **development** half, which may be read case by case while working on the
model, and a **reporting** half, whose failures are never listed: a result keeps the ids of
failed development cases only, and rates for everything.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from training.data.contract import SOURCES

__all__ = [
    "CAPABILITIES",
    "HALVES",
    "MUST_NEVER_MISS",
    "BehaviourResult",
    "Case",
    "Rate",
    "SuiteError",
    "read_suite",
    "run_suite",
    "suite_problems",
]

Half = Literal["development", "reporting"]
#: The two halves, by folder name under the suite's directory.
HALVES: Final[tuple[Half, ...]] = ("development", "reporting")
_FOLDERS: Final[dict[str, Half]] = {"dev": "development", "reporting": "reporting"}
KINDS: Final[tuple[str, ...]] = ("MFT", "INV", "DIR")

#: Capability -> what it tests.
CAPABILITIES: Final[dict[str, str]] = {
    "negation": "a serious thing mentioned only to say it is absent",
    "historical": "serious concerns long past or resolved, nothing current",
    "hedged_serious": "serious harm worded tentatively",
    "non_mobile_baby": "a mark or suspected injury on a baby not yet mobile",
    "calm_serious": "serious harm told flatly, without alarm words",
    "child_words": "harm disclosed in the child's own words",
    "alarmed_trivial": "trivial matters written in alarm",
    "escalation": "the same contact made more severe by one change",
    "irrelevant": "form headers, sign-offs, phone numbers, consent lines added",
    "notespeak": "the same concern in case-note shorthand, abbreviations and typos",
    "protected": "a name, religion, sex, disability, estate or interpreter changed",
    "messenger": "the same concern passed on by a different referrer",
    "length": "long ordinary contacts, and a serious fact buried in one",
    "order": "the same sentences in another order",
    "quantity": "once against repeatedly, one child against several",
    "protective": "protective factors and early help history (the level 2 / 3 line)",
    "minimal_pairs": "two versions differing only in the decisive fact",
}
#: Capabilities on which a failure is a miss of serious harm: the gate holds them.
MUST_NEVER_MISS: Final[frozenset[str]] = frozenset(
    {"calm_serious", "hedged_serious", "child_words", "non_mobile_baby"}
)
DEFAULT_THRESHOLD: Final = 0.5
DEFAULT_MAX_DELTA: Final = 0.10
DEFAULT_MIN_DELTA: Final = 0.05
#: Decisive facts of the minimal pairs.
DECISIVE: Final[frozenset[str]] = frozenset(
    {"age_mobility", "access", "current_past", "seen_rumoured", "parent_response"}
)


class SuiteError(ValueError):
    """A case file that breaks the suite's format: the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Case:
    """One behavioural case. ``texts`` has one contact (MFT) or two, the original first;
    ``sources`` the referral source of each, or None; ``levels`` the level of need of each
    by the published guidance; ``expect`` the check (see the module docstring)."""

    id: str
    author: str
    half: Half
    capability: str
    kind: str
    texts: tuple[str, ...]
    sources: tuple[str | None, ...]
    levels: tuple[int, ...]
    expect: dict[str, Any]
    decisive: str | None = None
    note: str = ""

    def passes(
        self, scores: Sequence[float] | np.ndarray, *, threshold: float, floored: bool = False
    ) -> bool:
        """Whether ``scores`` (one per text) meet this case's expectation. An MFT case reads
        what a screener sees: high means a score at or above ``threshold`` or a
        must-never-miss floor (``floored``) putting the contact in the high band."""
        if self.kind == "MFT":
            high = bool(scores[0] >= threshold) or floored
            return high if self.expect["score"] == "high" else not high
        delta = float(scores[1]) - float(scores[0])
        if self.kind == "INV":
            return abs(delta) <= float(self.expect.get("max_delta", DEFAULT_MAX_DELTA))
        step = float(self.expect.get("min_delta", DEFAULT_MIN_DELTA))
        return delta >= step if self.expect["direction"] == "up" else -delta >= step


def read_suite(directory: Path) -> tuple[Case, ...]:
    """Every case of ``directory/dev/*.jsonl`` and ``directory/reporting/*.jsonl``, in file
    and line order. A line that breaks the format raises :class:`SuiteError` naming it;
    so do ids used twice and an author found in both halves (:func:`suite_problems`)."""
    cases: list[Case] = []
    for folder, half in _FOLDERS.items():
        for path in sorted((Path(directory) / folder).glob("*.jsonl")):
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if line.strip():
                    cases.append(_case(line, half, where=f"{path.name}:{number}"))
    problems = suite_problems(cases)
    if problems:
        raise SuiteError("; ".join(problems[:10]))
    return tuple(cases)


def _case(line: str, half: Half, *, where: str) -> Case:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise SuiteError(f"{where}: not JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise SuiteError(f"{where}: a case is a JSON object")
    missing = {"id", "author", "capability", "type", "texts", "levels", "expect"} - raw.keys()
    if missing:
        raise SuiteError(f"{where}: missing {', '.join(sorted(missing))}")
    texts = raw["texts"]
    n = 1 if raw["type"] == "MFT" else 2
    sources = raw.get("sources") or [None] * len(texts)
    case = Case(
        id=str(raw["id"]),
        author=str(raw["author"]),
        half=half,
        capability=str(raw["capability"]),
        kind=str(raw["type"]),
        texts=tuple(str(t) for t in texts) if isinstance(texts, list) else (),
        sources=tuple(None if s is None else str(s) for s in sources),
        levels=tuple(int(v) for v in raw["levels"]),
        expect=dict(raw["expect"]),
        decisive=raw.get("decisive"),
        note=str(raw.get("note", "")),
    )
    reason = _problem(case, n)
    if reason:
        raise SuiteError(f"{where} ({case.id}): {reason}")
    return case


def _problem(case: Case, n: int) -> str | None:
    """Why ``case`` is malformed, or None."""
    if case.capability not in CAPABILITIES:
        return f"unknown capability {case.capability!r}"
    if case.kind not in KINDS:
        return f"type must be one of {', '.join(KINDS)}"
    if len(case.texts) != n or not all(t.strip() for t in case.texts):
        return f"{case.kind} needs {n} non-empty text(s)"
    if len(case.sources) != n or any(s is not None and s not in SOURCES for s in case.sources):
        return "sources must match the texts and be contract sources"
    if len(case.levels) != n or not all(1 <= v <= 4 for v in case.levels):
        return "levels must be 1-4, one per text"
    return _expectation_problem(case)


def _expectation_problem(case: Case) -> str | None:
    expect, levels = case.expect, case.levels
    if case.kind == "MFT":
        if expect.get("score") not in ("high", "low"):
            return "MFT expects score high or low"
        if (expect["score"] == "high") != (levels[0] >= 3):
            return "a high MFT is at level 3-4, a low one at 1-2"
    elif case.kind == "INV":
        if levels[0] != levels[1]:
            return "an INV pair has one level"
    elif expect.get("direction") not in ("up", "down"):
        return "DIR expects direction up or down"
    if case.capability == "minimal_pairs":
        if case.kind != "DIR" or case.decisive not in DECISIVE:
            return "a minimal pair is a DIR case with a known decisive fact"
        if not (levels[0] <= 2 < levels[1]):
            return "a minimal pair goes from level 1-2 to level 3-4"
    return None


def suite_problems(cases: Iterable[Case]) -> list[str]:
    """What breaks the suite as a whole: ids used twice, authors in both halves."""
    problems: list[str] = []
    seen: set[str] = set()
    halves_of: dict[str, set[str]] = {}
    for case in cases:
        if case.id in seen:
            problems.append(f"id {case.id} is used twice")
        seen.add(case.id)
        halves_of.setdefault(case.author, set()).add(case.half)
    problems += [f"author {a} writes in both halves" for a, h in halves_of.items() if len(h) > 1]
    return problems


@dataclass(frozen=True, slots=True)
class Rate:
    """Failures among ``n`` cases."""

    n: int
    failed: int

    @property
    def rate(self) -> float:
        return self.failed / self.n if self.n else math.nan


@dataclass(frozen=True)
class BehaviourResult:
    """Failure rates of a scorer on the suite.

    ``cells``: (half, capability, kind) -> :class:`Rate`; ``halves``: half -> overall rate;
    ``must_never_miss``: half -> rate over :data:`MUST_NEVER_MISS`; ``opposite_sides``: half
    -> share of minimal pairs whose two versions fall on either side of the threshold;
    ``failed_development``: ids of the development cases that failed (the reporting half's
    are never kept).
    """

    threshold: float
    with_sources: bool
    cells: dict[tuple[str, str, str], Rate]
    halves: dict[str, Rate]
    must_never_miss: dict[str, Rate]
    opposite_sides: dict[str, float]
    failed_development: tuple[str, ...] = field(default_factory=tuple)

    def capability_rates(self, half: str) -> dict[str, Rate]:
        """Failures per capability (all kinds together) in one half."""
        out: dict[str, Rate] = {}
        for (h, capability, _), r in self.cells.items():
            if h == half:
                prev = out.get(capability, Rate(0, 0))
                out[capability] = Rate(prev.n + r.n, prev.failed + r.failed)
        return out

    def flat_metrics(self, prefix: str = "behaviour_") -> dict[str, float]:
        """``<prefix><half>_failure_rate``, ``..._must_never_miss``, ``..._opposite_sides``
        and ``<prefix><half>_<capability>_<kind>`` for MLflow."""
        out: dict[str, float] = {}
        for half in HALVES:
            if half in self.halves:
                out[f"{prefix}{half}_failure_rate"] = self.halves[half].rate
                out[f"{prefix}{half}_must_never_miss"] = self.must_never_miss[half].rate
                out[f"{prefix}{half}_opposite_sides"] = self.opposite_sides.get(half, math.nan)
        for (cell_half, capability, kind), r in self.cells.items():
            out[f"{prefix}{cell_half}_{capability}_{kind.lower()}"] = r.rate
        return {k: v for k, v in out.items() if math.isfinite(v)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "with_sources": self.with_sources,
            "halves": {h: {"n": r.n, "failed": r.failed} for h, r in self.halves.items()},
            "must_never_miss": {
                h: {"n": r.n, "failed": r.failed} for h, r in self.must_never_miss.items()
            },
            "opposite_sides": dict(self.opposite_sides),
            "cells": [
                {"half": h, "capability": c, "type": k, "n": r.n, "failed": r.failed}
                for (h, c, k), r in sorted(self.cells.items())
            ],
            "failed_development": list(self.failed_development),
        }


#: ``(texts, sources) -> (calibrated scores, floored or None)``: ``floored`` marks the texts
#: a must-never-miss floor put in the high band.
Scorer = Callable[[list[str], list[str | None]], tuple[np.ndarray, np.ndarray | None]]


def run_suite(
    score: Scorer,
    cases: Sequence[Case],
    *,
    with_sources: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
) -> BehaviourResult:
    """Score every text of ``cases`` in one batch with ``score(texts, sources)`` and check
    each case. ``with_sources=False`` scores the text alone."""
    texts = [t for c in cases for t in c.texts]
    sources = [s if with_sources else None for c in cases for s in c.sources]
    raw, floored_raw = score(texts, sources)
    scores = np.asarray(raw, dtype=np.float64)
    floored = np.zeros(len(texts), bool) if floored_raw is None else np.asarray(floored_raw, bool)
    if scores.shape != (len(texts),):
        raise ValueError(f"the scorer gave {scores.shape} scores for {len(texts)} texts")
    counts: dict[tuple[str, str, str], list[int]] = {}
    halves: dict[str, list[int]] = {}
    never: dict[str, list[int]] = {h: [0, 0] for h in HALVES}
    pairs: dict[str, list[int]] = {}
    failed_dev: list[str] = []
    at = 0
    for case in cases:
        own = scores[at : at + len(case.texts)]
        ok = case.passes(own, threshold=threshold, floored=bool(floored[at]))
        at += len(case.texts)
        for tally in (
            counts.setdefault((case.half, case.capability, case.kind), [0, 0]),
            halves.setdefault(case.half, [0, 0]),
        ):
            tally[0] += 1
            tally[1] += not ok
        if case.capability in MUST_NEVER_MISS:
            never[case.half][0] += 1
            never[case.half][1] += not ok
        if case.capability == "minimal_pairs":
            split = pairs.setdefault(case.half, [0, 0])
            split[0] += 1
            split[1] += bool(own[0] < threshold <= own[1])
        if not ok and case.half == "development":
            failed_dev.append(case.id)
    return BehaviourResult(
        threshold=threshold,
        with_sources=with_sources,
        cells={k: Rate(n, f) for k, (n, f) in counts.items()},
        halves={h: Rate(n, f) for h, (n, f) in halves.items()},
        must_never_miss={h: Rate(n, f) for h, (n, f) in never.items() if h in halves},
        opposite_sides={h: (s / n if n else math.nan) for h, (n, s) in pairs.items()},
        failed_development=tuple(failed_dev),
    )
