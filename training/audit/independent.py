"""The evaluation on text written by other hands, for a model and the plain baseline side by
side: the hand-written sets (``training.audit.external``) and the behavioural suite
(``training.audit.behaviour``). This, not the AUC against the generator's oracle, is the
yardstick of the model; the lift over the baseline is what the text pipeline earns.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from training.audit.behaviour import BehaviourResult, Case, SuiteError, read_suite, run_suite
from training.audit.external import (
    SETS,
    ExternalResult,
    Scored,
    Scorer,
    external_metrics,
    handwritten_dir,
    score_external_sets,
    screener_scorer,
)

__all__ = [
    "IndependentReport",
    "Scorer",
    "SuiteError",
    "baseline_scorer",
    "behaviour_dir",
    "evaluate_independent",
    "screener_scorer",
]


def behaviour_dir() -> Path:
    """``data/behaviour`` of the evaluation data folder (``EVALUATION_DATA_DIR``)."""
    from training.settings import get_settings

    return get_settings().data_dir() / "behaviour"


@dataclass(frozen=True)
class IndependentReport:
    """The model's and the baseline's figures on the hand-written sets (by set name) and
    on the behavioural suite (None where the suite or a baseline is missing)."""

    external: dict[str, ExternalResult]
    behaviour: BehaviourResult | None
    baseline_external: dict[str, ExternalResult]
    baseline_behaviour: BehaviourResult | None
    #: short digests of the data each figure came from: ``behaviour`` and each set's name
    digests: dict[str, str] = field(default_factory=dict)

    def version_tags(self) -> dict[str, str]:
        """What the promotion gate compares across versions, keyed by the data's digest so
        that only figures on the same cases are compared:
        ``handwritten/<set>/<digest>/roc_auc`` (and ``_lo``, ``_hi``) and
        ``behaviour/<digest>/<half>/failure_rate`` (and ``must_never_miss``)."""
        tags: dict[str, str] = {}
        for name, r in self.external.items():
            key = f"handwritten/{name}/{self.digests.get(name, 'unknown')}"
            tags[f"{key}/roc_auc"] = f"{r.roc_auc:.6f}"
            if r.roc_auc_ci is not None:
                tags[f"{key}/roc_auc_lo"] = f"{r.roc_auc_ci[0]:.6f}"
                tags[f"{key}/roc_auc_hi"] = f"{r.roc_auc_ci[1]:.6f}"
        if self.behaviour is not None:
            key = f"behaviour/{self.digests.get('behaviour', 'unknown')}"
            for half, rate in self.behaviour.halves.items():
                tags[f"{key}/{half}/failure_rate"] = f"{rate.rate:.6f}"
                tags[f"{key}/{half}/must_never_miss"] = (
                    f"{self.behaviour.must_never_miss[half].rate:.6f}"
                )
        return tags

    def flat_metrics(self) -> dict[str, float]:
        """Every figure under a stable MLflow name: ``external_*``, ``behaviour_*``, the
        same with ``baseline_`` in front, and ``lift_<set>_roc_auc`` / ``_auc_3_vs_2``."""
        out = external_metrics(self.external)
        out.update(external_metrics(self.baseline_external, prefix="baseline_external_"))
        if self.behaviour is not None:
            out.update(self.behaviour.flat_metrics())
        if self.baseline_behaviour is not None:
            out.update(self.baseline_behaviour.flat_metrics("baseline_behaviour_"))
        for name, result in self.external.items():
            base = self.baseline_external.get(name)
            if base is not None:
                out[f"lift_{name}_roc_auc"] = result.roc_auc - base.roc_auc
                out[f"lift_{name}_auc_3_vs_2"] = result.auc_3_vs_2 - base.auc_3_vs_2
        return {k: float(v) for k, v in out.items() if math.isfinite(v)}


def evaluate_independent(
    model: Scorer,
    *,
    threshold: float,
    baseline: Scorer | None = None,
    n_boot: int = 200,
    with_sources: bool = True,
) -> IndependentReport:
    """Score the hand-written sets and the behavioural suite with ``model`` and, when
    given, ``baseline``. A missing data folder gives empty results (an installed package
    without the source tree); a malformed suite raises ``SuiteError``."""
    cases = read_suite(behaviour_dir()) if behaviour_dir().is_dir() else ()
    digests: dict[str, str] = {}
    for name in SETS:
        path = handwritten_dir() / f"{name}.jsonl"
        if path.is_file():
            digests[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    if cases:
        digests["behaviour"] = suite_digest(cases)

    def suite(scorer: Scorer) -> BehaviourResult | None:
        if not cases:
            return None

        def score(t: list[str], s: list[str | None]) -> tuple[np.ndarray, np.ndarray | None]:
            scored = scorer(t, s)
            return scored.scores, scored.floored

        return run_suite(score, cases, with_sources=with_sources)

    def sets(scorer: Scorer, thr: float) -> dict[str, ExternalResult]:
        return score_external_sets(scorer, threshold=thr, n_boot=n_boot, with_sources=with_sources)

    return IndependentReport(
        external=sets(model, threshold),
        behaviour=suite(model),
        baseline_external={} if baseline is None else sets(baseline, threshold),
        baseline_behaviour=None if baseline is None else suite(baseline),
        digests=digests,
    )


def suite_digest(cases: Sequence[Case]) -> str:
    """A short digest of the suite's cases (ids, texts, sources and expectations)."""
    h = hashlib.sha256()
    for c in sorted(cases, key=lambda c: c.id):
        h.update(json.dumps([c.id, c.half, c.texts, c.sources, c.expect], sort_keys=True).encode())
    return h.hexdigest()[:12]


def baseline_scorer(baseline: Any) -> Scorer:
    """A ``PlainBaseline`` as a :data:`Scorer` (it reads no source and gives no priority)."""

    def score(texts: list[str], sources: list[str | None]) -> Scored:
        return Scored(scores=baseline.scores(texts))

    return score
