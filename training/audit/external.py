"""Evaluation on concerns written by other hands, labelled by the published levels of need.

The model learns from the synthetic generator (or a council's past decisions); a model
that learned the generator's templates rather than the concerns would score well on
generated data and badly on anything else. ``tests/fixtures/external/`` holds two sets of
200 contacts written independently of the generator, each labelled with the level of need
that published threshold guidance gives it (1 universal, 2 early help, 3 child in need,
4 protection; ``met`` = level 3 or 4). ``concerns_dev.jsonl`` may be looked at while
developing; ``concerns_test.jsonl`` is for reporting only.

The labels here are deterministic readings of the guidance, not noisy front-door
decisions, so AUCs on these sets are not comparable with AUCs on generated or real
decisions; what they show is whether the ranking follows the guidance on unseen wording.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from training.audit.metrics import bootstrap_ci, roc_auc

__all__ = [
    "EXTERNAL_DIR",
    "ExternalResult",
    "evaluate_external_sets",
    "external_metrics",
    "external_result",
    "read_external",
]

#: The folder of the hand-written sets in a source checkout.
EXTERNAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "external"

#: The contract outcome each level of need maps to, so that the sets pass the contract.
_OUTCOME_OF_LEVEL = {1: "nfa", 2: "early_help", 3: "referral", 4: "child_protection"}


def read_external(path: Path) -> pd.DataFrame:
    """A hand-written set as contact records: the contract's ``contact_id``, ``received_at``,
    ``source``, ``text`` and ``outcome`` (from the level), plus ``level`` and ``guidance``."""
    rows = [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line]
    frame = pd.DataFrame(rows)
    return pd.DataFrame(
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


@dataclass(frozen=True)
class ExternalResult:
    """How the scores of one hand-written set follow its levels of need.

    ``roc_auc``: met (level 3-4) against not met; ``auc_4_vs_12``: protection against
    universal and early help; ``mean_score`` and ``median_priority`` by level;
    ``recall_at_threshold``: share of met contacts at or above the model's operating
    threshold, by level (3 and 4); ``flagged_share_12``: share of level 1-2 contacts at or
    above it (the workload they add).
    """

    n: int
    roc_auc: float
    roc_auc_ci: tuple[float, float] | None
    auc_4_vs_12: float
    mean_score: dict[int, float]
    median_priority: dict[int, float]
    recall_at_threshold: dict[int, float]
    flagged_share_12: float
    threshold: float


def external_result(
    levels: np.ndarray,
    scores: np.ndarray,
    *,
    priorities: np.ndarray,
    threshold: float,
    n_boot: int = 200,
    seed: int = 0,
) -> ExternalResult:
    """Summarise ``scores`` (calibrated probabilities) against ``levels`` (1-4)."""
    levels = np.asarray(levels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    priorities = np.asarray(priorities, dtype=float)
    met = (levels >= 3).astype(int)
    low = levels <= 2
    keep = levels != 3
    ci = bootstrap_ci(roc_auc, met, scores, n_boot=n_boot, seed=seed) if n_boot > 0 else None
    flagged = scores >= threshold
    return ExternalResult(
        n=len(levels),
        roc_auc=roc_auc(met, scores),
        roc_auc_ci=ci,
        auc_4_vs_12=roc_auc((levels[keep] == 4).astype(int), scores[keep]),
        mean_score={lv: float(scores[levels == lv].mean()) for lv in (1, 2, 3, 4)},
        median_priority={lv: float(np.median(priorities[levels == lv])) for lv in (1, 2, 3, 4)},
        recall_at_threshold={lv: float(flagged[levels == lv].mean()) for lv in (3, 4)},
        flagged_share_12=float(flagged[low].mean()),
        threshold=float(threshold),
    )


def evaluate_external_sets(
    model: Any, *, directory: Path = EXTERNAL_DIR, n_boot: int = 200
) -> dict[str, ExternalResult]:
    """``model`` (a ``ScreenerModel``) on each hand-written set found in ``directory``, by
    set name (``dev``, ``test``); empty when the sets are not there (an installed package
    without the source tree)."""
    out: dict[str, ExternalResult] = {}
    for split in ("dev", "test"):
        path = Path(directory) / f"concerns_{split}.jsonl"
        if not path.is_file():
            continue
        frame = read_external(path)
        records = model.score_records(
            frame["text"].tolist(), frame["source"].tolist(), explain=False
        )
        out[split] = external_result(
            frame["level"].to_numpy(),
            np.array([r.score for r in records]),
            priorities=np.array([r.priority for r in records]),
            threshold=float(model.threshold),
            n_boot=n_boot,
        )
    return out


def external_metrics(results: dict[str, ExternalResult]) -> dict[str, float]:
    """Flat metric names for MLflow: ``external_<set>_roc_auc``, ``..._auc_4_vs_12``,
    ``..._recall_l3``, ``..._recall_l4``, ``..._flagged_l12``, ``..._mean_score_l<k>``."""
    out: dict[str, float] = {}
    for split, r in results.items():
        p = f"external_{split}_"
        out[p + "roc_auc"] = r.roc_auc
        if r.roc_auc_ci is not None:
            out[p + "roc_auc_lo"], out[p + "roc_auc_hi"] = r.roc_auc_ci
        out[p + "auc_4_vs_12"] = r.auc_4_vs_12
        out[p + "recall_l3"] = r.recall_at_threshold[3]
        out[p + "recall_l4"] = r.recall_at_threshold[4]
        out[p + "flagged_l12"] = r.flagged_share_12
        for level, mean in r.mean_score.items():
            out[p + f"mean_score_l{level}"] = mean
    return {k: float(v) for k, v in out.items() if np.isfinite(v)}
