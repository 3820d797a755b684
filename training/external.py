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

import numpy as np
import pandas as pd

from training.evaluate import bootstrap_ci, roc_auc

__all__ = ["EXTERNAL_DIR", "ExternalResult", "external_result", "read_external"]

#: The folder of the hand-written sets in a source checkout.
EXTERNAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "external"

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
