"""Benchmark: the full `screener train` on N generated contacts (default 100,000).

Prints wall time, peak memory of the training process, the selected candidate, and the
test figures against the oracle, then checks the pyfunc's latency and throughput on a fresh
test set generated with another seed. Uses a throwaway MLflow store in a temp folder.

    python bench/bench_train.py [--rows 100000] [--candidates logreg_words_chars,...]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--test-rows", type=int, default=20_000)
    parser.add_argument("--candidates", default=None)
    args = parser.parse_args()
    screener = str(Path(sys.executable).with_name("screener"))
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            MLFLOW_TRACKING_URI=f"sqlite:///{tmp}/mlflow.db",
            MLFLOW_ARTIFACT_ROOT=f"{tmp}/mlruns",
        )
        data = Path(tmp) / "train.parquet"
        test = Path(tmp) / "test.parquet"
        subprocess.run(
            [
                screener,
                "data",
                "generate",
                "--rows",
                str(args.rows),
                "--seed",
                "11",
                "--out",
                str(data),
            ],
            check=True,
            env=env,
        )
        subprocess.run(
            [
                screener,
                "data",
                "generate",
                "--rows",
                str(args.test_rows),
                "--seed",
                "12",
                "--out",
                str(test),
            ],
            check=True,
            env=env,
        )
        cmd = [screener, "train", "--data", str(data)]
        if args.candidates:
            cmd += ["--candidates", args.candidates]
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(cmd, check=True, env=env)
        seconds = time.perf_counter() - start
        peak_mib = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(
            f"bench_train: rows={args.rows} train_seconds={seconds:.1f} peak_rss_mib={peak_mib:.0f}"
        )
        subprocess.run(
            [screener, "evaluate", "--model", "1", "--data", str(test), "--out", f"{tmp}/eval"],
            check=True,
            env=env,
        )
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("bench_pyfunc.py")), "--data", str(test)],
            check=True,
            env=env,
        )


if __name__ == "__main__":
    main()
