"""Benchmark of the synthetic contacts generator: rows per second and peak memory.

Run as ``python bench/bench_generate.py [--rows N] [--seed S]``; prints its figures.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.data.generate import write_contacts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.parquet"
        started = time.perf_counter()
        summary = write_contacts(path, args.rows, seed=args.seed)
        seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    auc = "n/a" if summary.oracle_auc is None else f"{summary.oracle_auc:.3f}"
    print(f"rows          {summary.rows:,}")
    print(f"seconds       {seconds:.1f}")
    print(f"rows/s        {summary.rows / seconds:,.0f}")
    print(f"peak memory   {peak_mb:.0f} MB (ru_maxrss)")
    print(f"file size     {size_mb:.1f} MB parquet")
    print(f"met threshold {summary.met_rate:.1%}")
    print(f"oracle AUC    {auc}")


if __name__ == "__main__":
    main()
