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
