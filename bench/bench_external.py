"""Benchmark: how a model trained on generated contacts ranks concerns written by other hands.

Scores the two hand-written sets in tests/fixtures/external/ (200 contacts each, labelled by
the published levels of need; see training/external.py) and prints, per set, ROC AUC (met =
level 3-4) with a bootstrap interval, AUC of protection (4) against universal and early help
(1-2), mean score and median priority by level, and recall by level at the model's own
operating threshold. The dev set may have been looked at while developing; the test set is
the figure to report.

    python bench/bench_external.py --model 3                  # a registered version or URI
    python bench/bench_external.py --train-rows 30000         # train one first (temp store)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _report(name: str, model_ref: str) -> None:
    from training.audit.external import evaluate_external_sets
    from training.lifecycle.registry import load_screener

    screener, ref = load_screener(model_ref)
    for split, res in evaluate_external_sets(screener).items():
        ci = f" [{res.roc_auc_ci[0]:.3f}, {res.roc_auc_ci[1]:.3f}]" if res.roc_auc_ci else ""
        means = "  ".join(f"L{k} {v:.2f}" for k, v in res.mean_score.items())
        prios = "  ".join(f"L{k} {v:.0f}" for k, v in res.median_priority.items())
        print(
            f"bench_external: {name} v{ref.version} {split} (n={res.n}): "
            f"AUC met {res.roc_auc:.3f}{ci}; AUC L4 vs L1-2 {res.auc_4_vs_12:.3f}"
        )
        print(f"  mean score by level: {means}; median priority: {prios}")
        print(
            f"  at the operating threshold {res.threshold:.3f}: recall L3 "
            f"{res.recall_at_threshold[3]:.2f}, L4 {res.recall_at_threshold[4]:.2f}; "
            f"flags {res.flagged_share_12:.0%} of L1-2"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=None, help="registered version or URI")
    parser.add_argument("--train-rows", type=int, default=None)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.train_rows is None:
        _report("model", args.model or "models:/concern-screener@champion")
        return
    screener = str(Path(sys.executable).with_name("screener"))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{tmp}/mlflow.db"
        os.environ["MLFLOW_ARTIFACT_ROOT"] = f"{tmp}/mlruns"
        data = Path(tmp) / "train.parquet"
        gen = ["data", "generate", "--rows", str(args.train_rows), "--seed", str(args.seed)]
        subprocess.run([screener, *gen, "--out", str(data)], check=True)
        subprocess.run([screener, "train", "--data", str(data)], check=True, cwd=tmp)
        _report(f"trained on {args.train_rows:,}", "1")


if __name__ == "__main__":
    main()
