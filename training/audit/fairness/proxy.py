"""The proxy check: how well the model's own features predict each audit attribute, i.e.
whether the model could treat groups differently through features that stand for them.

Sees feature values and names only, never concern text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from training.audit.fairness.groups import ATTRIBUTES, NOT_A_GROUP
from training.audit.fairness.types import PROXY_AUC_THRESHOLD, ProxyAttribute, ProxyResult

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix, spmatrix

__all__ = ["MIN_CLASS_ROWS", "proxy_check"]

#: Fewest known rows of a group for it to be a class the check predicts.
MIN_CLASS_ROWS: Final = 20


def _rows(
    labels: npt.NDArray[np.object_], *, max_rows: int, rng: np.random.Generator
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Rows to use (a sample of at most ``max_rows`` with a known value, in classes of at
    least :data:`MIN_CLASS_ROWS`) and the classes kept."""
    known = np.flatnonzero(~np.isin(labels, list(NOT_A_GROUP)))
    if known.size > max_rows:
        known = np.sort(rng.choice(known, size=max_rows, replace=False))
    values, counts = np.unique(labels[known], return_counts=True)
    keep_classes = values[counts >= MIN_CLASS_ROWS]
    rows = known[np.isin(labels[known], keep_classes)]
    return rows, [str(c) for c in keep_classes]


def _macro_auc(ya: np.ndarray, proba: np.ndarray, order: list[str]) -> float:
    """One-vs-rest macro ROC AUC of out-of-fold class probabilities (columns in ``order``)."""
    from sklearn.metrics import roc_auc_score

    if len(order) == 2:
        return float(roc_auc_score(ya == order[1], proba[:, 1]))
    return float(roc_auc_score(ya, proba, multi_class="ovr", average="macro", labels=order))


def _top_features(
    coef: np.ndarray, order: list[str], names: npt.NDArray[np.object_], *, top_k: int
) -> list[dict[str, Any]]:
    """The ``top_k`` features by absolute coefficient, with the class each points to."""
    coef = np.atleast_2d(coef)
    if coef.shape[0] == 1:
        strength = np.abs(coef[0])
        towards = np.where(coef[0] > 0, order[1], order[0])
    else:
        strength = np.abs(coef).max(axis=0)
        towards = np.asarray(order)[np.abs(coef).argmax(axis=0)]
    top = np.argsort(-strength, kind="mergesort")[:top_k]
    return [
        {"feature": str(names[i]), "weight": float(strength[i]), "towards": str(towards[i])}
        for i in top
        if strength[i] > 0
    ]


def _proxy_attribute(
    attribute: str,
    matrix: csr_matrix,
    labels: npt.NDArray[np.object_],
    names: npt.NDArray[np.object_],
    *,
    rng: np.random.Generator,
    max_rows: int,
    seed: int,
    n_splits: int,
    top_k: int,
    auc_threshold: float,
) -> ProxyAttribute:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rows, classes = _rows(labels, max_rows=max_rows, rng=rng)
    if len(classes) < 2:
        note = f"fewer than two groups with {MIN_CLASS_ROWS} or more known rows"
        return ProxyAttribute(
            attribute, int(rows.size), classes, None, None, None, [], False, note=note
        )
    Xa, ya = matrix[rows], labels[rows].astype(str)
    model = LogisticRegression(max_iter=1000, class_weight="balanced")
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    proba = cross_val_predict(model, Xa, ya, cv=folds, method="predict_proba")
    order = sorted(classes)
    auc = _macro_auc(ya, proba, order)
    model.fit(Xa, ya)
    return ProxyAttribute(
        attribute=attribute,
        n=int(rows.size),
        classes=classes,
        macro_auc=auc,
        balanced_accuracy=float(
            balanced_accuracy_score(ya, np.asarray(order)[proba.argmax(axis=1)])
        ),
        baseline_balanced_accuracy=1.0 / len(classes),
        top_features=_top_features(model.coef_, order, names, top_k=top_k),
        flagged=auc > auc_threshold,
    )


def proxy_check(
    X: spmatrix | npt.NDArray[Any],
    audit: pd.DataFrame,
    *,
    feature_names: Sequence[str],
    max_rows: int = 5000,
    seed: int = 0,
    n_splits: int = 3,
    top_k: int = 10,
    auc_threshold: float = PROXY_AUC_THRESHOLD,
) -> ProxyResult:
    """How well the model's features ``X`` (rows = contacts, same order as ``audit``)
    predict each audit attribute: a proxy for it the model could use.

    On a random sample of at most ``max_rows`` rows with a known value (not unknown or
    missing), classes with fewer than 20 rows dropped, a logistic regression is
    cross-validated (``n_splits`` folds); ``macro_auc`` is the one-vs-rest macro ROC AUC of
    its out-of-fold probabilities. The top features come from a fit on the whole sample,
    ranked by absolute coefficient. Flagged when ``macro_auc > auc_threshold``.
    """
    from scipy import sparse

    names = np.asarray(list(feature_names), dtype=object)
    matrix = sparse.csr_matrix(X)
    if matrix.shape[0] != len(audit):
        raise ValueError(f"X has {matrix.shape[0]} rows but audit has {len(audit)}")
    if matrix.shape[1] != names.size:
        raise ValueError(f"X has {matrix.shape[1]} columns but {names.size} feature names")
    # One generator for the whole check: each attribute's sample follows the previous one's.
    rng = np.random.default_rng(seed)
    results = [
        _proxy_attribute(
            attribute,
            matrix,
            audit[attribute].astype(str).to_numpy(dtype=object),
            names,
            rng=rng,
            max_rows=max_rows,
            seed=seed,
            n_splits=n_splits,
            top_k=top_k,
            auc_threshold=auc_threshold,
        )
        for attribute in ATTRIBUTES
        if attribute in audit.columns
    ]
    return ProxyResult(results, threshold=auc_threshold, n_splits=n_splits)
