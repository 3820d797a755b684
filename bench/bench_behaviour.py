"""Benchmark: a registered model and its run's plain baseline on text written by other hands.

Prints each hand-written set's figures (AUC with a bootstrap interval, level 3 against 2,
mean score and priority by level, AUC by layout) and the behavioural suite's failure rate
per capability and type, both halves, the model and the baseline side by side. The
reporting half is shown as rates only: never read its failures case by case while changing
the model.

    python bench/bench_behaviour.py --model 3                # a registered version or URI
    python bench/bench_behaviour.py --model 3 --text-alone   # every contact without its source
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models:/concern-screener@champion")
    parser.add_argument("--text-alone", action="store_true", help="score without the source")
    parser.add_argument("--n-boot", type=int, default=200)
    args = parser.parse_args()

    from training.audit.render.independent import behaviour_table, independent_lines
    from training.lifecycle.registry import load_screener
    from training.lifecycle.workflows import independent_report

    screener, ref = load_screener(args.model)
    report = independent_report(screener, ref, with_sources=not args.text_alone, n_boot=args.n_boot)
    how = "text alone" if args.text_alone else "with the source where the case gives one"
    print(f"bench_behaviour: {ref.name} version {ref.version} ({how})")
    for line in independent_lines(report):
        print(line)
    if report.behaviour is not None:
        print()
        print(behaviour_table(report.behaviour, report.baseline_behaviour))
        dev = report.behaviour.failed_development
        print(f"\ndevelopment cases failed ({len(dev)}): {', '.join(dev)}")


if __name__ == "__main__":
    main()
