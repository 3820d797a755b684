"""Must-never-miss floors: a small, versioned policy (``training/configs/floors.toml``) of
level-4 indicators that put a floor under a contact's band and priority, whatever the
model's score, when the text asserts or hedges them (first or third hand), and not when it
negates them or dates them to the past. The score itself is left as the model gave it: a
floor is a rule beside the score, shown as such.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = [
    "Floor",
    "FloorPolicy",
    "floors_enabled",
    "live_labels",
    "live_labels_of_rows",
    "load_floor_policy",
]


def live_labels(matches: Iterable[Any]) -> frozenset[str]:
    """The labels of the indicator matches (anything with ``label``, ``negated`` and
    ``historical``) that are live: neither negated nor dated to the past. A floor reads
    these, and so does the monitor's share of contacts an indicator was found in."""
    return frozenset(m.label for m in matches if not (m.negated or m.historical))


def live_labels_of_rows(rows: Iterable[tuple[Any, ...]]) -> frozenset[str]:
    """:func:`live_labels` of the compact indicator rows of an analysis
    (``label, level, negated, hedged, historical, third_party``)."""
    return frozenset(str(r[0]) for r in rows if not (r[2] or r[4]))


@dataclass(frozen=True, slots=True)
class Floor:
    """One floor: the indicator label that triggers it and what it says to a screener."""

    indicator: str
    says: str


@dataclass(frozen=True)
class FloorPolicy:
    """The floors, the band and priority they guarantee, and the policy's version."""

    version: str
    band: str
    priority: int
    floors: tuple[Floor, ...]

    def triggered(self, matches: Iterable[Any]) -> Floor | None:
        """The first floor (in policy order) that a contact's indicator matches trigger:
        a match of its indicator that is neither negated nor historical."""
        return self.triggered_by(live_labels(matches))

    def triggered_by(self, live: frozenset[str]) -> Floor | None:
        """The first floor (in policy order) whose indicator is among the ``live`` labels."""
        return next((f for f in self.floors if f.indicator in live), None)

    def floored_band(self, band: str) -> str:
        """``band`` raised to the policy's band when that is higher."""
        return self.band if _BAND_RANK[self.band] > _BAND_RANK[band] else band


_BAND_RANK = {"low": 0, "medium": 1, "high": 2}


def load_floor_policy(text: str | None = None) -> FloorPolicy:
    """The packaged policy (or one given as TOML ``text``), checked: unknown keys, a band
    other than medium or high, or a priority outside 1-10 are refused."""
    if text is None:
        text = resources.files("training.configs").joinpath("floors.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    unknown = set(raw) - {"version", "band", "priority", "floor"}
    if unknown:
        raise ValueError(f"floors policy: unknown keys {sorted(unknown)}")
    band, priority = str(raw.get("band", "high")), int(raw.get("priority", 9))
    if band not in ("medium", "high") or not 1 <= priority <= 10:
        raise ValueError("floors policy: band must be medium or high, priority 1-10")
    floors = []
    for entry in raw.get("floor", []):
        if set(entry) != {"indicator", "says"}:
            raise ValueError(f"floors policy: a floor has indicator and says, got {sorted(entry)}")
        floors.append(Floor(str(entry["indicator"]), str(entry["says"])))
    return FloorPolicy(str(raw.get("version", "")), band, priority, tuple(floors))


def floors_enabled() -> bool:
    """False where the deployment turned floors off (``SCREENER_FLOORS=off``)."""
    return os.environ.get("SCREENER_FLOORS", "on").strip().lower() not in ("off", "0", "false")
