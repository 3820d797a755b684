"""Give-aways of the synthetic generator: how well the label is predicted from the surface
of a contact alone, without reading the concern.

Generates ``--rows`` contacts and fits, on a random 70% and scored on the other 30%, a
classifier on only

(a) the length of the text (characters; gradient boosting),
(b) the referral source (logistic regression on one-hot),
(c) the words of the first non-blank line (TF-IDF of word 1-2 grams, logistic regression),
(d) the three together (TF-IDF of the first line, one-hot source and 20 quantile bins of the
    length, logistic regression),

and prints the held-out ROC AUC of each for met/not met. Near 0.5 means the surface says
nothing about the label; the generator's target is at most about 0.60 for each and together.
Where the generator can report how each contact was designed (``design=True``: layout,
voice, tone, register, length kind), the AUC of each of those alone is printed too.

``--root`` imports the generator from another checkout, for before/after figures:

    git worktree add /tmp/gen_before <commit>
    python bench/bench_giveaways.py --root /tmp/gen_before
    python bench/bench_giveaways.py
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["first_line", "giveaway_aucs", "main"]

ROOT = Path(__file__).resolve().parents[1]
_DESIGN = ("layout", "voice", "tone", "register", "length_kind", "early_help")


def first_line(text: str) -> str:
    """The first line of ``text`` that holds anything but whitespace ("" when none)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _onehot(values: pd.Series) -> tuple[object, list[str]]:
    from scipy import sparse

    codes, uniques = pd.factorize(values.astype(str), sort=True)
    rows = np.arange(len(codes))
    matrix = sparse.csr_matrix(
        (np.ones(len(codes)), (rows, codes)), shape=(len(codes), len(uniques))
    )
    return matrix, list(uniques)


def _length_bins(length: np.ndarray, train: np.ndarray) -> object:
    edges = np.unique(np.quantile(length[train], np.linspace(0, 1, 21)[1:-1]))
    return _onehot(pd.Series(np.searchsorted(edges, length, side="right")))[0]


def _logistic_auc(x: object, y: np.ndarray, train: np.ndarray, test: np.ndarray) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    model = LogisticRegression(C=1.0, max_iter=2000)
    model.fit(x[train], y[train])  # type: ignore[index]
    return float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))  # type: ignore[index]


def giveaway_aucs(frame: pd.DataFrame, *, seed: int = 0) -> dict[str, float]:
    """Held-out AUC for met/not met of a classifier on each surface feature of ``frame``
    (columns ``text``, ``source``, ``outcome`` and any design columns), keyed by name."""
    from scipy import sparse
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from training.data.contract import met_threshold

    y = frame["outcome"].map(met_threshold).to_numpy(dtype=bool)
    order = np.random.default_rng(seed).permutation(len(frame))
    cut = int(0.7 * len(frame))
    train, test = np.sort(order[:cut]), np.sort(order[cut:])
    texts = frame["text"].astype(str)
    length = texts.str.len().to_numpy(dtype=float)

    out: dict[str, float] = {}
    boost = HistGradientBoostingClassifier(max_iter=100, random_state=seed)
    boost.fit(length[train, None], y[train])
    out["(a) length"] = float(roc_auc_score(y[test], boost.predict_proba(length[test, None])[:, 1]))
    source, _ = _onehot(frame["source"])
    out["(b) source"] = _logistic_auc(source, y, train, test)
    firsts = texts.map(first_line)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=5, sublinear_tf=True)
    vectorizer.fit(firsts.iloc[train])
    words = vectorizer.transform(firsts)
    out["(c) first line"] = _logistic_auc(words, y, train, test)
    together = sparse.hstack([words, source, _length_bins(length, train)]).tocsr()
    out["(d) all three"] = _logistic_auc(together, y, train, test)
    for name in _DESIGN:
        if name in frame.columns:
            out[f"design: {name}"] = _logistic_auc(_onehot(frame[name])[0], y, train, test)
    return out


def _generate(rows: int, seed: int) -> tuple[pd.DataFrame, bool]:
    from training.data.generate import generate_frame

    if "design" in inspect.signature(generate_frame).parameters:
        return generate_frame(rows, seed=seed, design=True), True  # type: ignore[call-arg]
    return generate_frame(rows, seed=seed), False


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to generate with")
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    import training.data.generate as generate

    where = Path(generate.__file__).resolve().parents[3]
    started = time.perf_counter()
    frame, designed = _generate(args.rows, args.seed)
    seconds = time.perf_counter() - started
    met = frame["outcome"].isin(["referral", "child_protection"]).mean()
    lengths = frame["text"].str.len()
    print(f"generator     {where}")
    print(f"contacts      {len(frame):,} (seed {args.seed}), generated in {seconds:.1f} s")
    print(f"met rate      {met:.1%}")
    print(
        f"length        median {lengths.median():,.0f}, p10 {lengths.quantile(0.1):,.0f}, "
        f"p90 {lengths.quantile(0.9):,.0f}, max {lengths.max():,} characters"
    )
    if not designed:
        print("design        not reported by this generator")
    print(f"\n{'held-out AUC, met / not met':<34}{'AUC':>7}")
    for name, auc in giveaway_aucs(frame, seed=args.seed).items():
        print(f"{name:<34}{auc:>7.3f}")
    print("\ntarget: at most about 0.60 for (a)-(d)")


if __name__ == "__main__":
    main()
