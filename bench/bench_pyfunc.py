"""Benchmark: the loaded pyfunc's single-contact latency and batch throughput.

Loads `models:/concern-screener@champion` (or --model) from MLFLOW_TRACKING_URI and scores
contacts from --data (a generated file) one at a time and in batches, with explanations.

    python bench/bench_pyfunc.py --data PATH [--model URI] [--single 500] [--batch 1000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", default="1")
    parser.add_argument("--single", type=int, default=500)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args()

    from training.lifecycle.registry import load_screener

    t0 = time.perf_counter()
    screener, ref = load_screener(args.model)
    load_s = time.perf_counter() - t0
    frame = pd.read_parquet(args.data, columns=["text", "source"])
    texts = frame["text"].tolist()
    sources = frame["source"].tolist()
    screener.score_records(texts[:10], sources[:10])  # warm the spaCy pipeline

    latencies = []
    for i in range(args.single):
        t = time.perf_counter()
        screener.score_records([texts[i]], [sources[i]])
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]

    n = 0
    t = time.perf_counter()
    for b in range(args.batches):
        lo = (b * args.batch) % max(len(texts) - args.batch, 1)
        screener.score_records(texts[lo : lo + args.batch], sources[lo : lo + args.batch])
        n += args.batch
    per_s = n / (time.perf_counter() - t)
    from training.model.parallel import scoring_processes

    # A large batch in a single-threaded process is analysed in two processes (say which):
    # SCREENER_SCORING_PROCESSES=1 gives the one-core figure.
    procs = scoring_processes(args.batch)
    print(
        f"bench_pyfunc: model v{ref.version} load_seconds={load_s:.2f} single_p50_ms={p50:.2f} "
        f"single_p99_ms={p99:.2f} batch_contacts_per_s={per_s:.0f} "
        f"(batch {args.batch}, with explanations, {procs} process{'es' if procs > 1 else ''})"
    )


if __name__ == "__main__":
    main()
