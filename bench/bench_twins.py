"""Benchmark: a registered model and its run's plain baseline on the twins (``data/twins/``):
240 pairs of contacts that differ in one decisive fact, one twin at level 1-2 and the other
at level 3-4.

Prints, for the model and the baseline, the share of pairs whose twin that meets the
threshold scores higher, the share that fall on either side of the model's threshold (and
of 0.5), the AUC of met against not met over all 480 contacts, and both shares per kind of
decisive fact.
The twins may be read case by case (a development set); ``--show N`` lists the N pairs the
model separates least.

    python bench/bench_twins.py --model 3 [--text-alone] [--show 10]
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
    parser.add_argument("--show", type=int, default=0, help="list the pairs separated least")
    args = parser.parse_args()

    import numpy as np

    from training.audit.metrics import roc_auc
    from training.audit.twins import read_twins, twin_figures
    from training.lifecycle import registry
    from training.lifecycle.registry import load_screener

    screener, ref = load_screener(args.model)
    baseline = registry.load_baseline(ref)
    twins = read_twins()
    if twins.empty:
        raise SystemExit("bench_twins: no twins in data/twins (EVALUATION_DATA_DIR)")
    texts = twins["text"].astype(str).tolist()
    sources = [None] * len(texts) if args.text_alone else twins["source"].tolist()
    records = screener.score_records(texts, sources, explain=False, similar=False)
    scored = {"model": np.array([r.score for r in records])}
    if baseline is not None:
        scored["baseline"] = np.asarray(baseline.scores(texts), dtype=np.float64)
    threshold = float(screener.threshold)
    met = (twins["level"] >= 3).to_numpy()
    how = "text alone" if args.text_alone else "with the source"
    print(
        f"bench_twins: {ref.name} version {ref.version} ({how}); {len(twins) // 2} pairs, "
        f"threshold {threshold:.3f}"
    )
    figures = {name: twin_figures(twins, s, threshold) for name, s in scored.items()}
    for name, f in figures.items():
        half = twin_figures(twins, scored[name], 0.5).across
        print(
            f"  {name:8s} higher twin scores higher {f.ordered:.1%}; either side of the "
            f"threshold {f.across:.1%} (of 0.5: {half:.1%}); AUC met vs not "
            f"{roc_auc(met, scored[name]):.3f}"
        )
    print(f"\n  {'decisive fact':28s} {'pairs':>5s}  " + "  ".join(f"{n:>22s}" for n in figures))
    first = next(iter(figures.values()))
    for kind, (n, _, _) in first.by_fact.items():
        cells = "  ".join(
            f"{f.by_fact[kind][1]:>9.0%} ordered {f.by_fact[kind][2]:>4.0%} across"
            for f in figures.values()
        )
        print(f"  {kind:28s} {n:>5d}  {cells}")
    if args.show:
        model = scored["model"]
        gaps = []
        for pair, part in twins.groupby("pair", sort=False):
            hi = part.index[part["level"] >= 3][0]
            lo = part.index[part["level"] < 3][0]
            gaps.append((model[hi] - model[lo], str(pair), model[lo], model[hi]))
        print(f"\n  the {args.show} pairs separated least (higher twin minus lower twin):")
        for gap, pair, lo, hi in sorted(gaps)[: args.show]:
            print(f"    {pair}: {gap:+.2f} (lower twin {lo:.2f}, higher twin {hi:.2f})")


if __name__ == "__main__":
    main()
