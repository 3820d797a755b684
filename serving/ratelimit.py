"""Per-key rate limiting: a token bucket per API key id, in process memory.

The bucket counts contacts, not requests: a request costs one token, a batch one per
item, since the model's work (and the audit's) grows with the contacts and one 4 MB batch
of 1,000 once took 12 s. Each key may have ``per_minute`` tokens a minute on average, with
bursts up to ``per_minute`` (the bucket's capacity). A batch larger than the capacity is
admitted once the bucket is full and leaves it in debt: the key then waits until the debt
is paid back, so large batches cost as much time as the same contacts sent one by one.

The buckets live in each worker, so with N workers the effective limit per key is up to N
times ``RATE_LIMIT_PER_MINUTE`` (uvicorn spreads connections over workers). It guards
against a runaway client or a leaked key hammering the service, not against a distributed
attack, which belongs at the proxy in front.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """``check(key_id, cost=n)`` takes ``n`` tokens from the key's bucket and returns 0.0,
    or returns the seconds until the request could be admitted (it must then be refused)."""

    #: Buckets kept before idle (full) ones are dropped, to bound memory under key churn.
    MAX_BUCKETS = 10_000

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive (0 means no limiter at all)")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key_id -> (tokens, at)
        self._lock = threading.Lock()

    def check(self, key_id: str, *, cost: int = 1, paid: int = 0) -> float:
        """Admit a request worth ``paid + cost`` contacts, of which ``paid`` tokens were
        already taken by an earlier check of the same request, when the bucket holds the
        rest, or, for a request above the capacity, when the bucket was full; the tokens
        are taken, and may go below zero for such a request. Otherwise nothing is taken
        and the answer is the seconds until the request would be admitted."""
        if cost < 1 or paid < 0:
            raise ValueError("a check costs at least one token")
        needed = min(float(cost + paid), self.capacity) - paid
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            if tokens >= needed:
                if len(self._buckets) >= self.MAX_BUCKETS and key_id not in self._buckets:
                    self._prune(now)
                self._buckets[key_id] = (tokens - cost, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (needed - tokens) / self.rate

    def retry_after(self, wait_seconds: float) -> str:
        """The ``Retry-After`` header value (whole seconds, at least 1)."""
        return str(max(1, math.ceil(wait_seconds)))

    def _prune(self, now: float) -> None:
        full = [
            k
            for k, (tokens, at) in self._buckets.items()
            if tokens + (now - at) * self.rate >= self.capacity
        ]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) >= self.MAX_BUCKETS:  # all busy: forget the lot, fail open
            self._buckets.clear()
