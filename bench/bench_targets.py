"""Benchmark report: two registered versions side by side against the model's targets.

Reads the figures each version's training run logged to MLflow (nothing is scored again):
the blind set's AUC and its lift over the run's plain baseline, level 3 against level 2 on
every hand-written set, the behavioural reporting half, the generated-data guard, ECE with
and without the source, and the training time; it names the benchmarks for the figures no
run logs.

    python bench/bench_targets.py --model 5 --against 4
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="the new version")
    parser.add_argument("--against", required=True, help="the version to compare it with")
    args = parser.parse_args()

    from training.audit.render.targets import targets_table
    from training.lifecycle.registry import version_details

    try:
        new, old = version_details(args.model), version_details(args.against)
    except Exception as exc:  # MLflow's own error types for a missing version
        sys.exit(f"bench_targets: {type(exc).__name__}: a version was not found ({exc})")
    print(f"bench_targets: version {new['version']} against version {old['version']}")
    print(
        targets_table(
            old["metrics"],
            new["metrics"],
            old_name=f"version {old['version']}",
            new_name=f"version {new['version']}",
        )
    )


if __name__ == "__main__":
    main()
