"""Benchmark of a lead, not of the product: the contact's most serious sentence.

A serious fact buried in a long ordinary contact is diluted in the contact's score. This
scores every sentence of a contact alone through a registered model and adds
``k * max(0, the best sentence's logit - the contact's logit)`` before the model's own
calibrator, for each ``k`` of ``--weights``, and prints the hand-written development sets'
AUC (and level 3 against 2), the behavioural development half's failures (all,
must-never-miss, length) and, with ``--guard-data``, the share of the oracle's AUC on a
sample of generated contacts. ``k = 0`` is the model as served. The reporting half and the
test and blind sets are not read: choose on what this prints.

    python bench/bench_sentence_peak.py --model 3 --weights 0,0.25,0.5,1 \\
        --guard-data <generated contacts with p_true> --guard-rows 3000
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Sentence ends and line breaks; a piece of fewer than three words is not a sentence.
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_MIN_WORDS = 3


def contact_logits(model: Any, texts: list[str]) -> np.ndarray:
    """The served model's logit of each text read as a whole (without its source)."""
    analysed, X = model.featurize(texts, [None] * len(texts))
    return np.asarray(model.logits(X, analysed), dtype=np.float64)


def best_sentence_logits(model: Any, texts: list[str]) -> np.ndarray:
    """The highest logit of any one sentence of each text, each scored alone."""
    sentences: list[str] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        parts = [p for p in _SENTENCES.split(text) if len(p.split()) >= _MIN_WORDS] or [text]
        sentences += parts
        owner += [i] * len(parts)
    best = np.full(len(texts), -np.inf)
    np.maximum.at(best, np.asarray(owner), contact_logits(model, sentences))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="models:/concern-screener@champion")
    parser.add_argument("--weights", default="0,0.25,0.5,1", help="values of k, comma-separated")
    parser.add_argument("--guard-data", help="generated contacts with p_true (Parquet or CSV)")
    parser.add_argument("--guard-rows", type=int, default=3000)
    args = parser.parse_args()
    try:
        weights = [float(k) for k in args.weights.split(",")]
    except ValueError:
        sys.exit(
            f"bench_sentence_peak: --weights must be numbers separated by commas: {args.weights!r}"
        )

    from sklearn.metrics import roc_auc_score

    from training.audit.external import screener_scorer
    from training.audit.independent import evaluate_independent
    from training.lifecycle.registry import load_screener
    from training.lifecycle.train import label_of

    model, ref = load_screener(args.model)
    scorer = screener_scorer(model)
    read: dict[tuple[str, ...], tuple[Any, np.ndarray, np.ndarray]] = {}

    def parts(texts: list[str], sources: list[str | None]) -> tuple[Any, np.ndarray, np.ndarray]:
        key = tuple(texts)
        if key not in read:
            read[key] = (
                scorer(texts, sources),
                contact_logits(model, texts),
                best_sentence_logits(model, texts),
            )
        return read[key]

    guard = None
    if args.guard_data:
        import pandas as pd

        path = Path(args.guard_data)
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        frame = frame.sample(min(args.guard_rows, len(frame)), random_state=0)
        texts = frame["text"].astype(str).tolist()
        y = label_of(frame)
        guard = (y, roc_auc_score(y, frame["p_true"]), contact_logits(model, texts))
        guard = (*guard, best_sentence_logits(model, texts))

    print(f"bench_sentence_peak: {ref.name} version {ref.version} (text alone)")
    for k in weights:

        def peaked(texts: list[str], sources: list[str | None], k: float = k) -> Any:
            scored, whole, best = parts(texts, sources)
            logits = whole + k * np.maximum(0.0, best - whole)
            return dataclasses.replace(scored, scores=np.asarray(model.calibrator.predict(logits)))

        report = evaluate_independent(
            peaked, threshold=float(model.threshold), baseline=None, n_boot=20, with_sources=False
        )
        ext, behaviour = report.external, report.behaviour
        figures = [
            f"{name} {ext[name].roc_auc:.3f} (3 vs 2 {ext[name].auc_3_vs_2:.3f})"
            for name in ("dev", "dev_layouts")
            if name in ext
        ]
        if behaviour is not None:
            half = behaviour.halves["development"]
            mnm = behaviour.must_never_miss["development"]
            length = behaviour.cells.get(("development", "length", "MFT"))
            figures.append(
                f"development half failed {half.failed}/{half.n}, must-never-miss "
                f"{mnm.failed}/{mnm.n}"
                + ("" if length is None else f", length {length.failed}/{length.n}")
            )
        if guard is not None:
            y, oracle, whole, best = guard
            auc = roc_auc_score(y, whole + k * np.maximum(0.0, best - whole))
            figures.append(f"guard {auc / oracle:.4f} ({len(y):,} contacts)")
        print(f"k {k:g}: " + "; ".join(figures), flush=True)


if __name__ == "__main__":
    main()
