"""The ordinal candidate: one weight vector fitted to every step of the outcome scale.

``OrdinalLogisticRegression`` is a proportional-odds logistic regression fitted by
:func:`fit_proportional_odds`, a truncated Newton method on the sparse matrix as it is
(memory does not grow with the number of cuts).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

__all__ = ["OrdinalLogisticRegression", "fit_proportional_odds"]


class OrdinalLogisticRegression(ClassifierMixin, BaseEstimator):
    """A proportional-odds logistic regression, scored as a met/not-met classifier.

    ``fit(X, y)`` takes each contact's outcome rank (0 no further action ... 4 child
    protection, ``contract.OUTCOMES``). One weight vector ``w`` and one threshold per cut
    point ``k`` are fitted to P(rank >= k) = sigmoid(x.w + b_k) for every cut at once,
    minimising ``(|w|^2 + |b|^2) / 2 + C * sum over contacts and cuts of the logistic
    loss`` (the objective of an L2 logistic regression on each contact repeated once per
    cut, with a one-hot column per cut as its threshold) by :func:`fit_proportional_odds`,
    on the matrix as it is: memory does not grow with the number of cuts.
    ``classes_`` are the ranks seen in ``fit``; ``predict_proba`` gives each one's
    probability (differences of the cumulative probabilities at the fitted cuts) and
    ``predict`` the most probable. ``decision_function`` is the logit of P(rank >=
    ``met_cut``) (referral and above): ``x.w`` plus that cut's threshold, so ``coef_`` and
    ``intercept_`` explain it exactly like any linear model, and the screener calibrates
    it on met / not met as it does the other candidates' logits.

    ``cut_weights`` (one per cut of ``cuts``, in its order; ``None``: all 1) scales each
    cut's logistic loss: a weight under 1 lets a step of the scale pull less on the shared
    ``w`` than the met cut does, and a weight of 0 leaves the step out of ``w`` (its
    threshold then stays at 0).
    """

    def __init__(
        self,
        C: float = 1.0,
        max_iter: int = 100,
        tol: float = 2e-3,
        cuts: tuple[int, ...] = (1, 2, 3, 4),
        met_cut: int = 3,
        nonnegative: Any = None,
        cut_weights: tuple[float, ...] | None = None,
    ) -> None:
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.cuts = cuts
        self.met_cut = met_cut
        self.nonnegative = nonnegative
        self.cut_weights = cut_weights

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> OrdinalLogisticRegression:
        """Fit to each contact's rank ``y``; ``sample_weight`` scales each contact's loss
        (a hand-written contact may count for several generated ones)."""
        X = sp.csr_matrix(X, dtype=np.float32)
        ranks = np.asarray(y, dtype=np.int64)
        if self.met_cut not in self.cuts:
            raise ValueError(f"met_cut {self.met_cut} must be one of the cuts {self.cuts}")
        weight_of = _cut_weights(tuple(self.cuts), self.cut_weights, self.met_cut)
        # A cut with every contact on one side of it (an export that never records
        # "advice", say) says nothing: it is left out. The met cut must stay.
        self.cuts_ = tuple(c for c in self.cuts if 0 < int(np.sum(ranks >= c)) < len(ranks))
        if self.met_cut not in self.cuts_:
            raise ValueError("the training contacts need both met and not-met outcomes")
        targets = np.stack([ranks >= c for c in self.cuts_], axis=1)
        weights, thresholds, self.n_iter_ = fit_proportional_odds(
            X,
            targets,
            C=self.C,
            tol=self.tol,
            max_iter=self.max_iter,
            sample_weight=sample_weight,
            nonnegative=self.nonnegative,
            cut_weight=[weight_of[c] for c in self.cuts_],
        )
        self.coef_ = weights[None, :]
        self.thresholds_ = dict(zip(self.cuts_, thresholds.tolist(), strict=True))
        self.intercept_ = np.array([self.thresholds_[self.met_cut]])
        self.classes_ = np.unique(ranks)
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        return np.asarray(sp.csr_matrix(X) @ self.coef_.ravel(), dtype=np.float64) + float(
            self.intercept_[0]
        )

    def predict_proba(self, X: Any) -> np.ndarray:
        """P(rank = r) for each rank ``r`` of ``classes_``: the cumulative P(rank >= r) is
        ``sigmoid(x.w + b_c)`` at the highest fitted cut ``c <= r`` (1 below every cut),
        and each rank takes the difference to the next."""
        check_is_fitted(self, "coef_")
        latent = np.asarray(sp.csr_matrix(X) @ self.coef_.ravel(), dtype=np.float64)
        cumulative = np.ones((latent.shape[0], len(self.classes_) + 1))
        cumulative[:, -1] = 0.0
        for j, rank in enumerate(self.classes_[1:], start=1):
            below = [c for c in self.cuts_ if c <= rank]
            if below:
                cumulative[:, j] = expit(latent + self.thresholds_[max(below)])
        return np.clip(cumulative[:, :-1] - cumulative[:, 1:], 0.0, 1.0)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable rank of each contact."""
        return np.asarray(self.classes_[np.argmax(self.predict_proba(X), axis=1)])


def fit_proportional_odds(
    X: sp.csr_matrix,
    targets: np.ndarray,
    *,
    C: float = 1.0,
    tol: float = 2e-3,
    max_iter: int = 100,
    max_cg: int = 100,
    sample_weight: Any = None,
    nonnegative: Any = None,
    cut_weight: Any = None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weights ``w`` and thresholds ``b`` minimising ``(|w|^2 + |b|^2) / 2 - C * sum_ik
    log sigmoid(s_ik (x_i.w + b_k))``, with ``s_ik`` = +1 where ``targets[i, k]`` else -1,
    each term scaled by its contact's ``sample_weight`` and its cut's ``cut_weight`` (one
    per column of ``targets``; ``None``: all 1).

    A truncated Newton method: each step solves the Newton system by conjugate gradients
    preconditioned with the Hessian's diagonal (as liblinear's primal solver does), to a
    residual that tightens as the gradient falls, then backtracks along it (Armijo). Each
    Hessian-vector product costs one product with ``X`` and one with its transpose, whatever
    the number of cuts. Stops when the gradient's norm is ``tol`` times its first norm, or
    after ``max_iter`` steps; deterministic (no random draws). Returns ``(w, b, steps)``.

    ``nonnegative`` (a boolean mask over the weights) keeps those weights at 0 or above: a
    projected Newton method (Bertsekas), whose steps leave out the weights held at 0 by a
    gradient pushing them below it, and whose line search projects each trial point.
    """
    problem = _Problem.of(X, targets, C=C, sample_weight=sample_weight, cut_weight=cut_weight)
    n, d = problem.X.shape
    bound = None if nonnegative is None else np.asarray(nonnegative, dtype=bool)
    if bound is not None and not bound.any():
        bound = None
    w, b, xw = np.zeros(d), np.zeros(problem.Y.shape[1]), np.zeros(n)
    f, z = problem.objective(xw, w, b)
    first_norm = 0.0
    step_count = 0
    for step_count in range(1, max_iter + 1):
        p = expit(z)
        residual = (p - problem.Y) * problem.row_weight[:, None] * problem.cut_scale
        curvature = p * (1.0 - p) * problem.row_weight[:, None] * problem.cut_scale
        gw = w + C * problem.times_t(residual.sum(axis=1))
        gb = b + C * residual.sum(axis=0)
        held = None if bound is None else bound & (w <= 0.0) & (gw > 0.0)
        if held is not None:
            gw = np.where(held, 0.0, gw)
        norm = float(np.sqrt(_dot(gw, gw) + _dot(gb, gb)))
        first_norm = first_norm or norm
        if norm <= tol * first_norm:
            step_count -= 1
            break
        sw, sb = _newton_direction(
            problem,
            curvature,
            (gw, gb),
            held,
            target=min(0.5, np.sqrt(norm / first_norm)) * norm,
            max_cg=max_cg,
        )
        w, b, xw, f, z = _line_search(
            problem.objective, problem.times, (w, b, xw, f), (sw, sb), (gw, gb), bound
        )
    return w, b, step_count


@dataclass(frozen=True)
class _Problem:
    """One fit's data: the matrix (and its squares, for the Hessian's diagonal), the
    targets and their signs, each contact's weight, and ``C``."""

    X: sp.csr_matrix
    squared: sp.csr_matrix
    Y: np.ndarray
    signs: np.ndarray
    row_weight: np.ndarray
    cut_scale: np.ndarray
    C: float

    @classmethod
    def of(
        cls, X: Any, targets: np.ndarray, *, C: float, sample_weight: Any, cut_weight: Any
    ) -> _Problem:
        X = sp.csr_matrix(X, dtype=np.float32)
        if not X.has_sorted_indices:
            # A sorted copy: another fit sorting the caller's matrix in place (liblinear
            # does) must not move the indices this fit shares with its squares.
            X = X.sorted_indices()
        n = X.shape[0]
        Y = np.asarray(targets, dtype=np.float64).reshape(n, -1)
        # Each contact's loss (and so its gradient and curvature) scaled by its weight.
        row_weight = (
            np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        )
        # Each cut's loss scaled by its weight: 1.0 multiplies exactly, so all-1 weights fit
        # bit for bit as no weights do.
        cut_scale = np.ones(Y.shape[1]) if cut_weight is None else np.asarray(cut_weight, float)
        # The squares of X for the Hessian's diagonal share X's index arrays (no second copy).
        squared = sp.csr_matrix((X.data**2, X.indices, X.indptr), shape=X.shape)
        return cls(X, squared, Y, 2.0 * Y - 1.0, row_weight, cut_scale, C)

    def times(self, v: np.ndarray) -> np.ndarray:
        return np.asarray(self.X @ v.astype(np.float32), dtype=np.float64)

    def times_t(self, r: np.ndarray) -> np.ndarray:
        return np.asarray(self.X.T @ r.astype(np.float32), dtype=np.float64)

    def objective(self, xw: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective at ``w``, ``b`` (``xw`` is ``X w``), and the margins ``z``."""
        z = xw[:, None] + b[None, :]
        loss = _dot(self.row_weight, (log_expit(self.signs * z) * self.cut_scale).sum(axis=1))
        return float(0.5 * (_dot(w, w) + _dot(b, b)) - self.C * loss), z


def _newton_direction(
    problem: _Problem,
    curvature: np.ndarray,
    gradient: tuple[np.ndarray, np.ndarray],
    held: np.ndarray | None,
    *,
    target: float,
    max_cg: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The Newton step, solved by conjugate gradients preconditioned with the Hessian's
    diagonal to a residual of ``target``; the weights ``held`` at 0 do not move."""
    C = problem.C
    gw, gb = gradient
    diag_w = 1.0 + C * np.asarray(problem.squared.T @ curvature.sum(axis=1).astype(np.float32))
    diag_b = 1.0 + C * curvature.sum(axis=0)
    hessian = functools.partial(
        _hessian_times,
        curvature=curvature,
        C=C,
        times=problem.times,
        times_t=problem.times_t,
        held=held,
    )
    sw, sb = _preconditioned_cg(hessian, (-gw, -gb), (diag_w, diag_b), target=target, max_cg=max_cg)
    if held is not None:
        sw[held] = 0.0
    return sw, sb


def _cut_weights(
    cuts: tuple[int, ...], weights: tuple[float, ...] | None, met_cut: int
) -> dict[int, float]:
    """Each cut's weight, checked: one per cut, none negative, the met cut's above 0 (its
    threshold is the score's intercept)."""
    if weights is None:
        return dict.fromkeys(cuts, 1.0)
    weights = tuple(float(v) for v in weights)
    if len(weights) != len(cuts):
        raise ValueError(
            f"cut_weights needs one weight per cut {cuts}, got {len(weights)}: {weights}"
        )
    out = dict(zip(cuts, weights, strict=True))
    if not all(np.isfinite(v) and v >= 0.0 for v in weights) or out[met_cut] <= 0.0:
        raise ValueError(
            f"cut_weights must be finite and 0 or above, the met cut {met_cut}'s above 0: {weights}"
        )
    return out


def _line_search(
    objective: Callable[..., tuple[float, np.ndarray]],
    times: Callable[[np.ndarray], np.ndarray],
    at: tuple[np.ndarray, np.ndarray, np.ndarray, float],
    step: tuple[np.ndarray, np.ndarray],
    gradient: tuple[np.ndarray, np.ndarray],
    bound: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, np.ndarray]:
    """Backtrack from a full Newton step until the objective falls enough (Armijo). With
    ``bound``, each trial point is projected onto the nonnegative weights (then ``X w`` is
    recomputed: the projected path is not a straight line)."""
    w, b, xw, f = at
    sw, sb = step
    gw, gb = gradient
    xs = times(sw)
    t = 1.0
    while True:
        w_new, b_new = w + t * sw, b + t * sb
        if bound is not None and bool((w_new[bound] < 0.0).any()):
            w_new = np.where(bound & (w_new < 0.0), 0.0, w_new)
            xw_new = times(w_new)
            decrease = _dot(gw, w_new - w) + _dot(gb, b_new - b)
        else:
            xw_new = xw + t * xs
            decrease = t * (_dot(gw, sw) + _dot(gb, sb))
        f_new, z_new = objective(xw_new, w_new, b_new)
        if f_new <= f + 1e-4 * decrease or t < 1e-6:
            return w_new, b_new, xw_new, f_new, z_new
        t *= 0.5


def _hessian_times(
    vw: np.ndarray,
    vb: np.ndarray,
    curvature: np.ndarray,
    C: float,
    times: Callable[[np.ndarray], np.ndarray],
    times_t: Callable[[np.ndarray], np.ndarray],
    held: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    if held is not None:
        vw = np.where(held, 0.0, vw)
    q = curvature * (times(vw)[:, None] + vb[None, :])
    out = vw + C * times_t(q.sum(axis=1))
    if held is not None:
        out[held] = 0.0
    return out, vb + C * q.sum(axis=0)


def _preconditioned_cg(
    hessian_times: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    rhs: tuple[np.ndarray, np.ndarray],
    diagonal: tuple[np.ndarray, np.ndarray],
    *,
    target: float,
    max_cg: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximately solve ``H s = rhs`` over the pair ``(weights, thresholds)``."""
    rw, rb = rhs[0].copy(), rhs[1].copy()
    sw, sb = np.zeros_like(rw), np.zeros_like(rb)
    zw, zb = rw / diagonal[0], rb / diagonal[1]
    dw, db = zw.copy(), zb.copy()
    rz = _dot(rw, zw) + _dot(rb, zb)
    for _ in range(max_cg):
        hw, hb = hessian_times(dw, db)
        alpha = rz / (_dot(dw, hw) + _dot(db, hb))
        sw += alpha * dw
        sb += alpha * db
        rw -= alpha * hw
        rb -= alpha * hb
        if np.sqrt(_dot(rw, rw) + _dot(rb, rb)) <= target:
            break
        zw, zb = rw / diagonal[0], rb / diagonal[1]
        rz_new = _dot(rw, zw) + _dot(rb, zb)
        dw, db = zw + (rz_new / rz) * dw, zb + (rz_new / rz) * db
        rz = rz_new
    return sw, sb


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b`` by numpy's own pairwise sum, not BLAS: a threaded BLAS may split a dot
    product differently when another fit runs beside it, and the fit must not depend on
    what else runs."""
    return float(np.add.reduce(a * b))
