"""Benchmark: `screener score` with each engine, in contacts per second.

Generates --rows contacts (200,000 by default; seed 7) as Parquet, trains and registers a
model on --train-rows others with the packaged configuration in a private MLflow store
(or uses --model from MLFLOW_TRACKING_URI), then runs `screener score` once per engine as
a separate command, as an operator would, and prints for each: the scoring throughput
(read, check, score, write), the fixed cost (fetch and verify the model, start Spark),
the whole command's wall time and the peak memory of all its processes together. The Spark engine
runs on SPARK_MASTER (default local[*]: this machine's cores).

    python bench/bench_score.py [--rows 200000] [--train-rows 5000] [--engines local,spark]
                                [--model URI] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCREENER = [sys.executable, "-c", "from serving.cli import app; app()"]
SUMMARY = re.compile(
    r"scored ([\d,]+) of ([\d,]+) contacts .* in ([\d.]+) s \(([\d,]+) contacts/s; ([\d.]+) s to load\)"
)


def run(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    """The command's stdout and the peak of the summed resident memory of its process
    tree (the CLI, and with Spark the JVM and its Python workers), sampled every 0.2 s."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(
            [*SCREENER, *args], env=env, stdout=stdout, stderr=stderr, text=True
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.2)
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode != 0:
            sys.exit(f"bench_score: `screener {args[0]}` failed:\n{stderr.read()[-3000:]}")
        return stdout.read(), peak


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


PAGE = os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--train-rows", type=int, default=5_000)
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument("--model", default=None, help="a registered version (default: train one)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()

    from training.data.generate import write_contacts

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-score-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    model = args.model
    if model is None:
        env.update(
            MLFLOW_TRACKING_URI=f"sqlite:///{work / 'mlflow.db'}",
            MLFLOW_ARTIFACT_ROOT=str(work / "mlruns"),
            SCREENER_MODEL_SIGNING_KEYS=env.get("SCREENER_MODEL_SIGNING_KEYS")
            or secrets.token_urlsafe(32),
        )
        train = work / "train.parquet"
        write_contacts(train, args.train_rows, seed=6)
        said, _ = run(["train", "--data", str(train)], env)
        model = re.search(r"registered concern-screener version (\d+)", said).group(1)  # type: ignore[union-attr]
    data = work / "contacts.parquet"
    t = time.perf_counter()
    summary = write_contacts(data, args.rows, seed=7)
    print(
        f"bench_score: {summary.rows:,} contacts generated in {time.perf_counter() - t:.0f} s "
        f"({data.stat().st_size / 1e6:.0f} MB Parquet); model version {model}; "
        f"{os.cpu_count()} cores; SPARK_MASTER={env.get('SPARK_MASTER', 'local[*]')}"
    )
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        out = work / f"scores-{engine}.parquet"
        t = time.perf_counter()
        said, peak = run(
            ["score", "--model", model, "--data", str(data), "--out", str(out),
             "--engine", engine, "--overwrite"],
            env,
        )  # fmt: skip
        wall = time.perf_counter() - t
        load_average = os.getloadavg()[0]  # the host is shared: how busy it was
        found = SUMMARY.search(said)
        if found is None:
            sys.exit(f"bench_score: no summary in the output of --engine {engine}: {said}")
        scored, rows, seconds, per_s, load = found.groups()
        print(
            f"bench_score: engine={engine} contacts={rows} scored={scored} "
            f"scoring_seconds={seconds} contacts_per_s={per_s} load_seconds={load} "
            f"wall_seconds={wall:.0f} peak_memory_mb={peak / 1e6:.0f} (all its processes) "
            f"load_average_1min={load_average:.1f}"
        )


if __name__ == "__main__":
    main()
