from __future__ import annotations

import pytest

from serving.ratelimit import RateLimiter


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_burst_then_waits_for_refill() -> None:
    clock = _Clock()
    limiter = RateLimiter(60, clock=clock)  # one a second, bursts of 60
    assert all(limiter.check("a") == 0.0 for _ in range(60))
    wait = limiter.check("a")
    assert wait == pytest.approx(1.0)
    assert limiter.retry_after(wait) == "1"
    clock.now += 0.5
    assert limiter.check("a") == pytest.approx(0.5)
    clock.now += 0.5
    assert limiter.check("a") == 0.0


def test_keys_have_separate_buckets() -> None:
    clock = _Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.check("a") == 0.0 and limiter.check("a") == 0.0
    assert limiter.check("a") > 0
    assert limiter.check("b") == 0.0
    assert limiter.retry_after(limiter.check("a")) == "30"


def test_bucket_table_stays_bounded_under_key_churn() -> None:
    clock = _Clock()
    limiter = RateLimiter(5, clock=clock)
    limiter.MAX_BUCKETS = 100
    for i in range(1000):
        limiter.check(f"k{i}")
    assert len(limiter._buckets) <= 100


def test_zero_is_not_a_limiter() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_a_batch_costs_one_token_per_contact() -> None:
    clock = _Clock()
    limiter = RateLimiter(60, clock=clock)
    assert limiter.check("a") == 0.0  # the key check of a batch of 40
    assert limiter.check("a", cost=39, paid=1) == 0.0
    assert limiter.check("a") == 0.0 and limiter.check("a") == 0.0  # 18 left
    assert limiter.check("a") == 0.0
    assert limiter.check("a", cost=29, paid=1) == pytest.approx(12.0)  # 30 needed, 17 held
    clock.now += 12.0
    assert limiter.check("a", cost=29, paid=1) == 0.0


def test_a_batch_above_the_capacity_waits_for_a_full_bucket_and_leaves_a_debt() -> None:
    clock = _Clock()
    limiter = RateLimiter(60, clock=clock)
    assert limiter.check("a") == 0.0
    assert limiter.check("a", cost=1, paid=0) == 0.0  # 58 left
    limiter.check("a")  # the key check of a batch of 100: 57 left
    assert limiter.check("a", cost=99, paid=1) == pytest.approx(2.0)  # waits for 59
    clock.now += 2.0
    assert limiter.check("a", cost=99, paid=1) == 0.0  # 59 - 99: 40 in debt
    assert limiter.check("a") == pytest.approx(41.0)  # the debt, then one token
    assert limiter.retry_after(limiter.check("a")) == "41"


def test_a_check_costs_at_least_one_token() -> None:
    with pytest.raises(ValueError):
        RateLimiter(5).check("a", cost=0)
