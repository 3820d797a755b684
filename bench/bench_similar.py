"""Benchmark: are the similar cases shown beside a score useful, and what do they cost?

On the hand-written sets (``data/handwritten``: dev, test, blind; each contact graded with
a level of need 1-4 and never in the index, see ``training.model.similar.TextScreen``), the
precision at 3 by level: the share of a contact's 3 nearest guidance examples whose level
is the contact's own, for the model's own index (TF-IDF of its word block by default), an
index of the same guidance examples by the other method (its sentence embedding), and 3
examples drawn at random from them (what an index that knows nothing would give). Then the latency the lookup adds per contact on
top of scoring it: the index query of one contact's feature row, timed alone (p50, p99),
beside the single-contact scoring latency without similar cases.

Trains a model on generated contacts (``--rows``) with the packaged configuration, or loads
a registered one (``--model 3`` or a ``models:/`` URI; its index as built). ``--save`` keeps
the trained model for a later run with ``--load`` (an unsigned local file: bench runs only).

    python bench/bench_similar.py --rows 20000
    python bench/bench_similar.py --model models:/concern-screener@champion
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SCREENER_SCORING_PROCESSES", "1")  # one process: latency of one core

K = 3


def _model(args: argparse.Namespace) -> tuple[Any, str]:
    if args.load:
        import joblib

        return joblib.load(args.load), f"loaded from {args.load}"
    if args.model:
        from training.lifecycle.registry import load_screener

        screener, ref = load_screener(args.model)
        return screener, f"registered version {ref.version}"
    from training.config import load_config
    from training.data.generate import generate_frame
    from training.lifecycle.train import train_model

    frame = generate_frame(args.rows, seed=args.seed)
    # Intervals are not what this measures: one bootstrap resample keeps the fit short.
    config = load_config().with_overrides({"evaluation.n_boot": 1})
    t0 = time.perf_counter()
    result = train_model(frame, config)
    took = time.perf_counter() - t0
    if args.save:
        import joblib

        joblib.dump(result.model, args.save)
    return (
        result.model,
        f"trained on {args.rows:,} generated contacts (seed {args.seed}) in {took:.0f} s",
    )


def _twin(model: Any) -> Any:
    """The same model with an index of the same guidance examples by the other method
    (TF-IDF of its word block for an embedding index, and the other way round)."""
    from training.config import load_config
    from training.data.guidance import read_guidance
    from training.lifecycle.train import evaluation_texts
    from training.model.similar import build_similar_index

    index = model.similar_index
    corpus = read_guidance()
    analysed = model.analyser.transform_texts(
        corpus["text"].astype(str).tolist(), [None] * len(corpus), parallel=False
    )
    other = "embedding" if index.method == "tfidf" else "tfidf"
    settings = load_config().similar.model_copy(
        update={"method": other, "k": index.k, "past_contacts": False}
    )
    twin_index = build_similar_index(
        model.features, analysed, corpus, config=settings, excluded_texts=evaluation_texts()
    )
    twin = copy.copy(model)
    twin.similar_index = twin_index
    return twin


def _precision(found: list[tuple[Any, ...]], levels: np.ndarray) -> dict[int, float]:
    """Mean share of the k examples of each contact at its own level, by level (0: all)."""
    shares = np.array(
        [
            np.mean([c.level == lv for c in cases]) if cases else 0.0
            for cases, lv in zip(found, levels, strict=True)
        ]
    )
    out = {0: float(shares.mean())}
    for lv in (1, 2, 3, 4):
        mask = levels == lv
        out[lv] = float(shares[mask].mean()) if mask.any() else float("nan")
    return out


def _random(model: Any, levels: np.ndarray, *, seed: int) -> list[tuple[Any, ...]]:
    cases = model.similar_index.guidance.cases
    rng = np.random.default_rng(seed)
    return [tuple(cases[j] for j in rng.choice(len(cases), K, replace=False)) for _ in levels]


def _latency(
    model: Any, twin: Any, texts: list[str], sources: list[str | None]
) -> dict[str, float]:
    """Per contact, one at a time: scoring without and with similar cases, and each index's
    query of the contact's feature row timed alone (ms)."""
    from training.model.screener import _asserted

    times: dict[str, list[float]] = {"score": [], "with": [], "lookup": [], "twin": []}
    model.score_records(texts[:10], sources[:10])  # warm the text pipeline
    for text, source in zip(texts, sources, strict=True):
        t = time.perf_counter()
        model.score_records([text], [source], similar=False)
        times["score"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        model.score_records([text], [source], similar=True)
        times["with"].append((time.perf_counter() - t) * 1000)
        analysed = model.analyser.transform_texts([text], [source], parallel=False)
        rows = model.features.rows(analysed)
        asserted = _asserted(analysed.analyses)
        for name, index in (("lookup", model.similar_index), ("twin", twin.similar_index)):
            t = time.perf_counter()
            index.query(rows, asserted)
            times[name].append((time.perf_counter() - t) * 1000)

    out: dict[str, float] = {}
    for name, values in times.items():
        values.sort()
        out[f"{name}_p50"] = statistics.median(values)
        out[f"{name}_p99"] = values[min(len(values) - 1, round(0.99 * (len(values) - 1)))]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default="", help="a registered version or models:/ URI")
    parser.add_argument("--latency-contacts", type=int, default=400)
    parser.add_argument("--save", default="", help="keep the trained model in this joblib file")
    parser.add_argument("--load", default="", help="a model kept with --save (bench runs only)")
    args = parser.parse_args()

    from training.audit.external import SETS, handwritten_dir, read_external

    model, how = _model(args)
    if model.similar_index is None:
        sys.exit("bench_similar: the model has no similar-cases index")
    index = model.similar_index
    twin = _twin(model)
    print(
        f"bench_similar: model {how}; index {index.method}, {len(index.guidance)} guidance "
        f"examples ({twin.similar_index.method} twin {len(twin.similar_index.guidance)})"
    )
    counts = np.bincount([c.level for c in index.guidance.cases], minlength=5)[1:]
    print("guidance examples by level 1-4: " + ", ".join(str(int(c)) for c in counts))
    print(f"precision at {K} (share of the {K} nearest guidance examples at the contact's level)")
    print(f"{'set':<6} {'n':>4} {'index':<10} {'all':>6} {'L1':>6} {'L2':>6} {'L3':>6} {'L4':>6}")
    all_texts: list[str] = []
    all_sources: list[str | None] = []
    for name in SETS:
        path = handwritten_dir() / f"{name}.jsonl"
        if not path.is_file():
            continue
        frame = read_external(path)
        texts = frame["text"].astype(str).tolist()
        all_texts += texts
        all_sources += [None if s is None else str(s) for s in frame["source"].tolist()]
        levels = frame["level"].astype(int).to_numpy()
        by_level = np.bincount(levels, minlength=5)[1:]
        runs = {
            index.method: model.similar_cases(texts, k=K, past_k=0),
            twin.similar_index.method: twin.similar_cases(texts, k=K, past_k=0),
            "random": _random(model, levels, seed=args.seed),
        }
        for label, found in runs.items():
            pr = _precision([tuple(c for c in f if c.kind == "guidance") for f in found], levels)
            print(
                f"{name:<6} {len(texts):>4} {label:<10} {pr[0]:>6.3f} "
                + " ".join(f"{pr[lv]:>6.3f}" for lv in (1, 2, 3, 4))
            )
        print(
            f"{'':<6} {'':>4} {'(n by level)':<10} {'':>6} "
            + " ".join(f"{int(c):>6}" for c in by_level)
        )
    n = min(args.latency_contacts, len(all_texts))
    lat = _latency(model, twin, all_texts[:n], all_sources[:n])
    print(
        f"latency over {n} hand-written contacts, one at a time (target: lookup p50 < 5 ms): "
        f"{index.method} lookup p50 {lat['lookup_p50']:.2f} ms, p99 {lat['lookup_p99']:.2f} ms; "
        f"{twin.similar_index.method} lookup p50 {lat['twin_p50']:.2f} ms, "
        f"p99 {lat['twin_p99']:.2f} ms; scoring without similar p50 {lat['score_p50']:.2f} ms, "
        f"p99 {lat['score_p99']:.2f} ms; with similar p50 {lat['with_p50']:.2f} ms, "
        f"p99 {lat['with_p99']:.2f} ms"
    )
    print("command: python bench/bench_similar.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
