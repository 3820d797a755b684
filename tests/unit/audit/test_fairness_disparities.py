from __future__ import annotations

import math

import numpy as np

from training.audit.fairness.disparities import score_ratio_interval


def test_a_small_group_near_a_rate_of_one_needs_the_score_interval_to_be_flagged():
    """The normal approximation on the log scale understates a small group's tails: 23 of 26
    selected against 61% in a reference of 2,879 is not significant over 150 cells, while
    58 of 60 is."""
    alpha = 0.05 / 150
    lo, hi = score_ratio_interval((23, 26), (1756, 2879), alpha=alpha)
    assert lo < 1.0 < hi
    lo, hi = score_ratio_interval((58, 60), (1756, 2879), alpha=alpha)
    assert lo > 1.0
    lo, hi = score_ratio_interval((0, 40), (1756, 2879), alpha=alpha)
    assert lo == 0.0 and hi < 1.0  # none of 40 selected: a bound, no undefined log
    lo, hi = score_ratio_interval((12, 40), (0, 2879), alpha=alpha)
    assert lo > 1.0 and hi == math.inf


def test_the_score_interval_is_not_conservative_twice_over():
    """A moderate disparity in a group of a few hundred (false positive rates 0.68 against
    0.51 over 253 cells, a model trained on biased labels) must be caught; dividing
    Clopper-Pearson intervals crosswise missed it."""
    from scipy.stats import beta

    alpha = 0.05 / 253
    lo, hi = score_ratio_interval((123, 182), (1427, 2794), alpha=alpha)
    assert 1.0 < lo < 123 / 182 / (1427 / 2794) < hi
    a = alpha / 4
    crosswise = beta.ppf(a, 123, 182 - 123 + 1) / beta.ppf(1 - a, 1427 + 1, 2794 - 1427)
    assert crosswise < 1.0


def test_the_score_interval_covers_the_true_ratio_at_its_level():
    """Coverage by simulation: at a 90% level the interval holds the true ratio about 90% of
    the time, for a small group at a rate near 1 as for a large one."""
    rng = np.random.default_rng(0)
    for n1, p1 in ((30, 0.9), (300, 0.4)):
        hits = 0
        for _ in range(400):
            x1, x2 = rng.binomial(n1, p1), rng.binomial(2000, 0.5)
            lo, hi = score_ratio_interval((int(x1), n1), (int(x2), 2000), alpha=0.10)
            hits += lo <= p1 / 0.5 <= hi
        assert 0.85 <= hits / 400 <= 0.95
