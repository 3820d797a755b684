"""Prometheus metrics. Created once per process on first use (nothing at import).

With several workers, ``screener serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh
temporary directory before the workers start, and /metrics aggregates every worker's
files; with one process the default registry is served.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

__all__ = ["CONTENT_TYPE_LATEST", "Metrics", "get_metrics", "render_metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.1, 0.25, 0.5, 1, 2.5, 5)


@dataclass(frozen=True)
class Metrics:
    requests: Counter
    request_latency: Histogram
    score_latency: Histogram
    scores: Counter
    audit_failures: Counter
    model_info: Gauge


@lru_cache(maxsize=1)
def get_metrics() -> Metrics:
    """The process's metric objects (registered in the default registry once)."""
    return Metrics(
        requests=Counter(
            "screener_http_requests_total", "HTTP requests by route and status", ["route", "status"]
        ),
        request_latency=Histogram(
            "screener_http_request_seconds",
            "HTTP request latency by route",
            ["route"],
            buckets=_LATENCY_BUCKETS,
        ),
        score_latency=Histogram(
            "screener_model_score_seconds",
            "Time in the model per scoring call",
            buckets=_LATENCY_BUCKETS,
        ),
        scores=Counter("screener_scores_total", "Contacts scored, by band", ["band"]),
        audit_failures=Counter(
            "screener_audit_write_failures_total", "Audit writes that failed (scores refused)"
        ),
        model_info=Gauge(
            "screener_model_info",
            "The model served: 1 for the current name and version",
            ["name", "version"],
            multiprocess_mode="liveall",
        ),
    )


def render_metrics() -> bytes:
    """The exposition text of every worker (multiprocess mode) or of this process."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
