"""Benchmark report: two registered versions side by side against the model's targets.

Reads the figures each version's training run logged to MLflow (nothing is scored again):
the blind set's AUC and its lift over the run's plain baseline, level 3 against level 2 on
every hand-written set, the behavioural reporting half, the generated-data guard, ECE with
and without the source, and the training time; it names the benchmarks for the figures no
run logs.

    python bench/bench_targets.py --model 5 --against 4
    python bench/bench_targets.py        # the latest version against the one before it
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="the new version (default: the latest)")
    parser.add_argument(
        "--against", help="the version to compare it with (default: the one before)"
    )
    args = parser.parse_args()

    from training.audit.render.targets import targets_table
    from training.lifecycle.registry import latest_version, version_details

    if args.model is None:
        args.model = latest_version()
        if args.model is None:
            print("bench_targets: no registered version to compare (train one first)")
            return
    if args.against is None:
        if not args.model.isdigit() or int(args.model) < 2:
            print(f"bench_targets: no version before version {args.model} to compare it with")
            return
        args.against = str(int(args.model) - 1)

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
