"""Evaluation on concerns written by other hands, labelled by the published levels of need.

The model learns from the synthetic generator (or a council's past decisions); a model
that learned the generator's templates rather than the concerns would score well on
generated data and badly on anything else. ``data/handwritten/`` holds four sets written
independently of the generator, each contact labelled with the level of need that
published threshold guidance gives it (1 universal, 2 early help, 3 child in need,
4 protection; ``met`` = level 3 or 4):

- ``dev`` (200): may be read while developing; a tuning set, in free text;
- ``dev_layouts`` (300): may be read while developing; a tuning set in the layouts contacts
  arrive in, by two further authors (y1, y2);
- ``test`` (200): reported only;
- ``blind`` (330): reported only; written by other authors in the layouts contacts arrive
  in (referral forms with blank fields, police notices, health records, school logs, email
  chains, call notes), 30% at level 3-4 like a real front door.

The labels are readings of the guidance, not noisy front-door decisions, so these AUCs are
not comparable with AUCs on generated or real decisions; they show whether the ranking
follows the guidance on wording the model never saw. Level 2 against level 3 (early help
against child in need) is the line a screener actually decides, reported on its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from training.audit.metrics import bootstrap_ci, fast_roc_auc, roc_auc
from training.model.analyser import AnalysedContacts

__all__ = [
    "SETS",
    "ExternalResult",
    "external_metrics",
    "external_result",
    "handwritten_dir",
    "read_external",
    "Scored",
    "score_external_sets",
    "screener_scorer",
]

#: The hand-written sets, in report order.
SETS: tuple[str, ...] = ("dev", "dev_layouts", "test", "blind")
#: The contract outcome each level of need maps to, so that the sets pass the contract.
_OUTCOME_OF_LEVEL = {1: "nfa", 2: "early_help", 3: "referral", 4: "child_protection"}
#: Fewest contacts of each class for a per-layout AUC.
_MIN_PER_CLASS = 5


def handwritten_dir() -> Path:
    """``data/handwritten`` of the evaluation data folder (``EVALUATION_DATA_DIR``)."""
    from training.settings import get_settings

    return get_settings().data_dir() / "handwritten"


def read_external(path: Path) -> pd.DataFrame:
    """A hand-written set as contact records: the contract's ``contact_id``, ``received_at``,
    ``source``, ``text`` and ``outcome`` (from the level), plus ``level``, ``guidance`` and,
    where the set has them, ``layout`` and ``author``."""
    rows = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]
    frame = pd.DataFrame(rows)
    out = pd.DataFrame(
        {
            "contact_id": frame["id"].astype(str),
            "received_at": "2026-01-01T09:00:00",
            "source": frame["source"].astype(str),
            "text": frame["text"].astype(str),
            "outcome": frame["level"].map(_OUTCOME_OF_LEVEL),
            "level": frame["level"].astype(int),
            "guidance": frame["guidance"].astype(str),
        }
    )
    for column in ("layout", "author"):
        if column in frame:
            out[column] = frame[column].astype(str)
    return out


@dataclass(frozen=True)
class ExternalResult:
    """How the scores of one hand-written set follow its levels of need.

    ``roc_auc`` (with a bootstrap 95% interval): met (level 3-4) against not met;
    ``auc_4_vs_12``: protection against universal and early help; ``auc_3_vs_2``: child in
    need against early help, the line a screener decides; ``mean_score``,
    ``mean_priority`` and ``median_priority`` by level; ``recall_at_threshold``: share of
    met contacts at or above the model's operating threshold, by level (3 and 4);
    ``flagged_share_12``: share of level 1-2 contacts at or above it (the workload they
    add); ``auc_by_layout``: met against not met within each layout (sets that have them).
    """

    n: int
    roc_auc: float
    roc_auc_ci: tuple[float, float] | None
    auc_4_vs_12: float
    auc_3_vs_2: float
    mean_score: dict[int, float]
    mean_priority: dict[int, float]
    median_priority: dict[int, float]
    recall_at_threshold: dict[int, float]
    flagged_share_12: float
    threshold: float
    auc_by_layout: dict[str, float] = field(default_factory=dict)
    #: share of each level's contacts that a must-never-miss floor put in the high band
    floored_share: dict[int, float] = field(default_factory=dict)
    #: the guidance level estimate against the set's levels: exact agreement, AUC of
    #: P(level 3-4) for met, and the share marked "practice and guidance differ"
    level_accuracy: float | None = None
    level_auc: float | None = None
    differ_share: float | None = None


def external_result(
    levels: np.ndarray,
    scores: np.ndarray,
    *,
    priorities: np.ndarray | None,
    threshold: float,
    layouts: np.ndarray | None = None,
    scored: Scored | None = None,
    n_boot: int = 200,
    seed: int = 0,
) -> ExternalResult:
    """Summarise ``scores`` (calibrated probabilities) against ``levels`` (1-4).
    ``priorities`` may be None for a scorer that gives none (the baseline)."""
    levels = np.asarray(levels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    prio = np.full(len(levels), np.nan) if priorities is None else np.asarray(priorities, float)
    met = (levels >= 3).astype(int)
    ci = bootstrap_ci(fast_roc_auc, met, scores, n_boot=n_boot, seed=seed) if n_boot > 0 else None
    flagged = scores >= threshold

    def by_level(values: np.ndarray, reduce: Callable[[np.ndarray], Any]) -> dict[int, float]:
        return {lv: float(reduce(values[levels == lv])) if (levels == lv).any() else math.nan
                for lv in (1, 2, 3, 4)}  # fmt: skip

    return ExternalResult(
        n=len(levels),
        roc_auc=roc_auc(met, scores),
        roc_auc_ci=ci,
        auc_4_vs_12=_auc_between(levels, scores, high=(4,), low=(1, 2)),
        auc_3_vs_2=_auc_between(levels, scores, high=(3,), low=(2,)),
        mean_score=by_level(scores, np.mean),
        mean_priority=by_level(prio, np.mean),
        median_priority=by_level(prio, np.median),
        recall_at_threshold={lv: by_level(flagged, np.mean)[lv] for lv in (3, 4)},
        flagged_share_12=float(flagged[levels <= 2].mean()),
        threshold=float(threshold),
        auc_by_layout=_by_layout(layouts, met, scores),
        **_beside_the_score(levels, met, scored),
    )


def _beside_the_score(levels: np.ndarray, met: np.ndarray, scored: Scored | None) -> dict[str, Any]:
    """Floors by level and the level estimate's agreement, where the scorer gives them."""
    out: dict[str, Any] = {}
    if scored is None:
        return out
    if scored.floored is not None:
        floored = np.asarray(scored.floored, bool)
        out["floored_share"] = {
            lv: float(floored[levels == lv].mean()) for lv in (1, 2, 3, 4) if (levels == lv).any()
        }
    if scored.levels is not None:
        probs = np.asarray(scored.levels, float)
        out["level_accuracy"] = float(np.mean(np.argmax(probs, axis=1) + 1 == levels))
        out["level_auc"] = roc_auc(met, probs[:, 2] + probs[:, 3])
    if scored.differs is not None:
        out["differ_share"] = float(np.mean(np.asarray(scored.differs, bool)))
    return out


def _auc_between(
    levels: np.ndarray, scores: np.ndarray, *, high: tuple[int, ...], low: tuple[int, ...]
) -> float:
    keep = np.isin(levels, high + low)
    return roc_auc(np.isin(levels[keep], high).astype(int), scores[keep])


def _by_layout(layouts: np.ndarray | None, met: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    if layouts is None:
        return {}
    out: dict[str, float] = {}
    for layout in sorted(set(layouts.tolist())):
        at = layouts == layout
        if min(met[at].sum(), (1 - met[at]).sum()) >= _MIN_PER_CLASS:
            out[str(layout)] = roc_auc(met[at], scores[at])
    return out


@dataclass(frozen=True)
class Scored:
    """What a scorer gives for a batch of texts: calibrated scores, and where it has them,
    priorities, whether a must-never-miss floor put each text in the high band, the
    guidance level probabilities (n x 4) and whether practice and guidance differ."""

    scores: np.ndarray
    priorities: np.ndarray | None = None
    floored: np.ndarray | None = None
    levels: np.ndarray | None = None
    differs: np.ndarray | None = None


#: ``(texts, sources) -> Scored``.
Scorer = Callable[[list[str], list[str | None]], Scored]


def score_external_sets(
    score: Scorer,
    *,
    threshold: float,
    directory: Path | None = None,
    n_boot: int = 200,
    with_sources: bool = True,
) -> dict[str, ExternalResult]:
    """Each hand-written set found in ``directory`` scored by ``score(texts, sources) ->
    (scores, priorities or None)``, by set name; empty when the sets are not there (an
    installed package without the source tree). ``with_sources=False`` scores text alone."""
    folder = handwritten_dir() if directory is None else Path(directory)
    out: dict[str, ExternalResult] = {}
    for name in SETS:
        path = folder / f"{name}.jsonl"
        if not path.is_file():
            continue
        frame = read_external(path)
        sources = frame["source"].tolist() if with_sources else [None] * len(frame)
        scored = score(frame["text"].tolist(), sources)
        out[name] = external_result(
            frame["level"].to_numpy(),
            scored.scores,
            priorities=scored.priorities,
            scored=scored,
            threshold=threshold,
            layouts=frame["layout"].to_numpy() if "layout" in frame else None,
            n_boot=n_boot,
        )
    return out


def screener_scorer(
    model: Any, *, analyse: Callable[[list[str]], Sequence[Any]] | None = None
) -> Scorer:
    """A ``ScreenerModel`` as a :data:`Scorer` (without explanations or similar examples:
    nothing here reads them). ``analyse``: texts -> their full analyses
    (``compact_many(..., spans=True)``), where the caller keeps them; else the model reads
    the texts itself."""

    def score(texts: list[str], sources: list[str | None]) -> Scored:
        if analyse is None:
            records = model.score_records(texts, sources, explain=False, similar=False)
        else:
            analysed = AnalysedContacts.of(analyse(texts), sources)
            records = model.score_analysed(analysed, explain=False, similar=False)
        levels = [r.level_probabilities for r in records]
        return Scored(
            scores=np.array([r.score for r in records]),
            priorities=np.array([r.priority for r in records]),
            floored=np.array([r.floor is not None for r in records]),
            levels=np.array(levels) if all(len(p) == 4 for p in levels) else None,
            differs=np.array([r.differs for r in records]),
        )

    return score


def external_metrics(
    results: dict[str, ExternalResult], *, prefix: str = "external_"
) -> dict[str, float]:
    """Flat metric names for MLflow: ``<prefix><set>_roc_auc`` (and ``_lo``, ``_hi``),
    ``_auc_4_vs_12``, ``_auc_3_vs_2``, ``_recall_l3``, ``_recall_l4``, ``_flagged_l12``,
    ``_mean_score_l<k>``, ``_mean_priority_l<k>``, ``_auc_layout_<layout>``."""
    out: dict[str, float] = {}
    for split, r in results.items():
        p = f"{prefix}{split}_"
        out[p + "roc_auc"] = r.roc_auc
        if r.roc_auc_ci is not None:
            out[p + "roc_auc_lo"], out[p + "roc_auc_hi"] = r.roc_auc_ci
        out[p + "auc_4_vs_12"] = r.auc_4_vs_12
        out[p + "auc_3_vs_2"] = r.auc_3_vs_2
        out[p + "recall_l3"] = r.recall_at_threshold[3]
        out[p + "recall_l4"] = r.recall_at_threshold[4]
        out[p + "flagged_l12"] = r.flagged_share_12
        for level, mean in r.mean_score.items():
            out[p + f"mean_score_l{level}"] = mean
        for level, mean in r.mean_priority.items():
            out[p + f"mean_priority_l{level}"] = mean
        for layout, auc in r.auc_by_layout.items():
            out[p + f"auc_layout_{layout}"] = auc
        for level, share in r.floored_share.items():
            out[p + f"floored_l{level}"] = share
        for key in ("level_accuracy", "level_auc", "differ_share"):
            value = getattr(r, key)
            if value is not None:
                out[p + key] = value
    return {k: float(v) for k, v in out.items() if np.isfinite(v)}
