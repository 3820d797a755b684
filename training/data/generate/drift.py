"""Drift of the contacts and of practice, for testing the monitor (``screener data generate
--drift KIND=VALUE``; decision 0032).

A drift changes what arrives at the front door and how it is decided, never how a contact
is written from what it says:

* ``severity=F``: level-3 and level-4 concerns are chosen ``F`` times as often among a
  contact's asserted concerns (``F`` > 1: more serious contacts);
* ``indicator=LABEL:F``: one generator indicator (a label of ``indicators.toml``) is chosen
  ``F`` times as often among asserted concerns (repeatable);
* ``source=NAME:F``: one referral source's share of contacts is multiplied by ``F``, the
  shares renormalised (repeatable);
* ``practice=L``: ``L`` is added to the decision logit: screeners refer more (``L`` > 0) or
  fewer contacts of the same severity than the model learned;
* ``no_source=P``: a share ``P`` of contacts arrives without a referral source. The written
  ``source`` is empty (the contact contract requires one, so ``screener data validate``
  quarantines those rows: they stand for contacts sent to the service without one); the
  voice and the label process still follow the source drawn.

``Drift()`` changes nothing: the rows are those of the same seed without it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from training.data.contract import SOURCES

__all__ = ["DRIFT_KINDS", "Drift", "parse_drift"]

#: The kinds of drift ``--drift`` takes, in the order the datasheet lists them.
DRIFT_KINDS: Final = ("severity", "indicator", "source", "practice", "no_source")


@dataclass(frozen=True, slots=True)
class Drift:
    """A drift of the contacts and of practice (every field at its default: none).

    ``indicator_factors`` and ``source_factors`` are ``(name, factor)`` pairs, sorted, so
    that two equal drifts are equal (and hash alike, for the generator's caches)."""

    severity: float = 1.0
    indicator_factors: tuple[tuple[str, float], ...] = ()
    source_factors: tuple[tuple[str, float], ...] = ()
    practice: float = 0.0
    no_source: float = 0.0

    @property
    def active(self) -> bool:
        return self != Drift()

    def indicator_factor(self, label: str, level: int) -> float:
        """How much more often the indicator ``label`` of ``level`` is chosen among a
        contact's asserted concerns."""
        factor = self.severity if level >= 3 else 1.0
        for name, extra in self.indicator_factors:
            if name == label:
                factor *= extra
        return factor

    def source_shares(self, shares: dict[str, float]) -> list[float]:
        """The shares of ``shares`` (source -> share, in contract order) after the drift,
        summing to 1."""
        factors = dict(self.source_factors)
        drifted = [share * factors.get(source, 1.0) for source, share in shares.items()]
        total = sum(drifted)
        return [share / total for share in drifted]


def _number(kind: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{kind} takes a number, got {raw.strip()!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{kind} must be finite, got {raw.strip()!r}")
    return value


def _factor(kind: str, raw: str) -> float:
    value = _number(kind, raw)
    if not 0 < value <= 100:
        raise ValueError(f"{kind} takes a factor above 0 and at most 100, got {raw.strip()!r}")
    return value


def _named(kind: str, raw: str) -> tuple[str, float]:
    name, sep, factor = raw.rpartition(":")
    if not sep or not name.strip():
        raise ValueError(f"{kind} takes NAME:FACTOR, got {raw!r}")
    return name.strip(), _factor(kind, factor)


def parse_drift(specs: Sequence[str], *, indicator_labels: Sequence[str]) -> Drift:
    """Parse ``--drift`` values (``KIND=VALUE``, see the module docstring) into one
    :class:`Drift`. ``indicator_labels`` are the generator's indicator labels. Raises
    ValueError saying which value is wrong and why."""
    drift = Drift()
    indicators: dict[str, float] = {}
    sources: dict[str, float] = {}
    for spec in specs:
        kind, sep, raw = spec.partition("=")
        kind = kind.strip()
        if not sep or kind not in DRIFT_KINDS:
            raise ValueError(
                f"expected KIND=VALUE with KIND one of {', '.join(DRIFT_KINDS)}, got {spec!r}"
            )
        if kind == "severity":
            drift = replace(drift, severity=_factor(kind, raw))
        elif kind == "practice":
            value = _number(kind, raw)
            if abs(value) > 10:
                raise ValueError(
                    f"practice takes a logit shift from -10 to 10, got {raw.strip()!r}"
                )
            drift = replace(drift, practice=value)
        elif kind == "no_source":
            value = _number(kind, raw)
            if not 0 <= value <= 1:
                raise ValueError(f"no_source takes a share from 0 to 1, got {raw.strip()!r}")
            drift = replace(drift, no_source=value)
        elif kind == "indicator":
            label, factor = _named(kind, raw)
            if label not in indicator_labels:
                raise ValueError(f"indicator: the generator has no indicator {label!r}")
            indicators[label] = factor
        else:
            source, factor = _named(kind, raw)
            if source not in SOURCES:
                raise ValueError(f"source: {source!r} is not one of {', '.join(SOURCES)}")
            sources[source] = factor
    return replace(
        drift,
        indicator_factors=tuple(sorted(indicators.items())),
        source_factors=tuple(sorted(sources.items())),
    )
