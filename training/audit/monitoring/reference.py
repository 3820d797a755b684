"""The training-time picture a served model is monitored against (decision 0032).

Built at training time from the held-out splits (validation and test: the newest contacts,
never fitted on by the classifier) and stored in the model's MLflow metadata
(``MLmodel``, under :data:`METADATA_KEY`), which the signed manifest covers: the score
deciles and each decile's share, the mean score and met rate, the share of contacts in
which each indicator was found live (neither negated nor dated to the past, as the floors
read them), the sources' shares, the bands' shares and the override rate of the past
decisions against the bands the model gives them, overall, by band and by source.

Shares and counts only: no text, no contact id.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from training.audit.metrics import priority_edges
from training.audit.monitoring.overrides import DIRECTED_BANDS, overrides

__all__ = [
    "ALL_CONTACTS",
    "METADATA_KEY",
    "CalibrationAt",
    "NO_SOURCE",
    "REFERENCE_SCHEMA",
    "RateAt",
    "ReferenceProfile",
    "build_reference",
    "score_bins",
]

#: The key of the profile in the model's MLflow metadata.
METADATA_KEY: Final = "monitor_reference"
#: The profile's layout; a model carrying another one is monitored without a reference.
REFERENCE_SCHEMA: Final = 1
#: How a contact without a source is named in the source tables.
NO_SOURCE: Final = "(none)"
#: The calibration entry of every contact (beside the bands').
ALL_CONTACTS: Final = "all"


@dataclass(frozen=True, slots=True)
class RateAt:
    """A share and the number of contacts it is a share of."""

    rate: float
    n: int


@dataclass(frozen=True, slots=True)
class CalibrationAt:
    """The mean score and the met rate of ``n`` contacts: their calibration gap at
    training time is ``met_rate - mean_score``."""

    mean_score: float
    met_rate: float
    n: int

    @property
    def gap(self) -> float:
        return self.met_rate - self.mean_score


@dataclass(frozen=True)
class ReferenceProfile:
    """The training-time distribution of scores, indicators, sources, bands and overrides."""

    contacts: int
    #: The 9 inner decile edges of the held-out scores; bin ``k`` holds scores above edge
    #: ``k - 1`` up to and including edge ``k`` (as priorities are cut).
    score_edges: tuple[float, ...]
    #: Each of the 10 bins' share of the held-out contacts (about 0.1 each).
    score_shares: tuple[float, ...]
    mean_score: float
    met_rate: float
    indicator_rates: dict[str, float]
    source_shares: dict[str, float]
    band_shares: dict[str, float]
    override: RateAt
    override_by_band: dict[str, RateAt] = field(default_factory=dict)
    override_by_source: dict[str, RateAt] = field(default_factory=dict)
    #: By band (as served, floors included) and for ``"all"``: a floor puts contacts with
    #: low scores in the high band, where more are met than their scores say.
    calibration: dict[str, CalibrationAt] = field(default_factory=dict)
    #: The version of the indicator pattern file the rates were read with.
    patterns_version: str = ""
    schema: int = REFERENCE_SCHEMA

    def to_dict(self) -> dict[str, Any]:
        """Plain numbers, strings and dicts (MLflow writes the metadata as YAML)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ReferenceProfile:
        """Read a stored profile; ValueError when it is of another schema or malformed."""
        if not isinstance(raw, Mapping) or raw.get("schema") != REFERENCE_SCHEMA:
            raise ValueError("the model's monitoring reference is of an unknown schema")
        try:

            def rates(value: Mapping[str, Any]) -> dict[str, RateAt]:
                return {str(k): RateAt(float(v["rate"]), int(v["n"])) for k, v in value.items()}

            return cls(
                contacts=int(raw["contacts"]),
                score_edges=tuple(float(e) for e in raw["score_edges"]),
                score_shares=tuple(float(s) for s in raw["score_shares"]),
                mean_score=float(raw["mean_score"]),
                met_rate=float(raw["met_rate"]),
                indicator_rates={str(k): float(v) for k, v in raw["indicator_rates"].items()},
                source_shares={str(k): float(v) for k, v in raw["source_shares"].items()},
                band_shares={str(k): float(v) for k, v in raw["band_shares"].items()},
                override=RateAt(float(raw["override"]["rate"]), int(raw["override"]["n"])),
                override_by_band=rates(raw.get("override_by_band", {})),
                override_by_source=rates(raw.get("override_by_source", {})),
                calibration={
                    str(k): CalibrationAt(float(v["mean_score"]), float(v["met_rate"]), int(v["n"]))
                    for k, v in raw.get("calibration", {}).items()
                },
                patterns_version=str(raw.get("patterns_version", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"the model's monitoring reference is malformed ({exc})") from None


def score_bins(scores: npt.ArrayLike, edges: npt.ArrayLike) -> npt.NDArray[np.intp]:
    """The decile bin (0-9) of each score, cut at ``edges`` as priorities are."""
    return np.searchsorted(np.asarray(edges, dtype=np.float64), np.asarray(scores), side="right")


def _rate(hits: npt.NDArray[np.bool_], among: npt.NDArray[np.bool_]) -> RateAt:
    n = int(among.sum())
    return RateAt(float(hits[among].mean()) if n else 0.0, n)


def build_reference(
    scores: npt.ArrayLike,
    *,
    bands: Sequence[str],
    indicators: Sequence[Collection[str]],
    sources: Sequence[str | None],
    met: npt.ArrayLike,
    labels: Sequence[str],
    patterns_version: str = "",
) -> ReferenceProfile:
    """The profile of held-out contacts: their calibrated ``scores``, the ``bands`` served
    (after floors), the live indicator labels found in each, their ``sources`` and whether
    each ``met`` the threshold. ``labels`` are every indicator of the pattern file (a label
    never found gets a rate of 0)."""
    s = np.asarray(scores, dtype=np.float64)
    met_ = np.asarray(met, dtype=bool)
    n = s.size
    if n == 0 or not (len(bands) == len(indicators) == len(sources) == met_.size == n):
        raise ValueError("the reference needs one band, indicator set, source and label per score")
    edges = priority_edges(s)
    shares = np.bincount(score_bins(s, edges), minlength=10) / n
    found: dict[str, int] = dict.fromkeys(labels, 0)
    for live in indicators:
        for label in live:
            found[label] = found.get(label, 0) + 1
    source_names = np.array([src if src else NO_SOURCE for src in sources], dtype=object)
    band = np.asarray(bands, dtype=object)
    eligible, overridden = overrides(band, met_)
    by_source = {
        str(src): _rate(overridden, eligible & (source_names == src))
        for src in sorted(set(source_names.tolist()))
    }
    return ReferenceProfile(
        contacts=n,
        score_edges=tuple(float(e) for e in edges),
        score_shares=tuple(float(x) for x in shares),
        mean_score=float(s.mean()),
        met_rate=float(met_.mean()),
        indicator_rates={label: count / n for label, count in sorted(found.items())},
        source_shares={
            str(src): float(np.mean(source_names == src))
            for src in sorted(set(source_names.tolist()))
        },
        band_shares={b: float(np.mean(band == b)) for b in ("low", "medium", "high")},
        override=_rate(overridden, eligible),
        override_by_band={b: _rate(overridden, eligible & (band == b)) for b in DIRECTED_BANDS},
        override_by_source={k: v for k, v in by_source.items() if v.n},
        calibration={
            name: CalibrationAt(
                float(s[chosen].mean()), float(met_[chosen].mean()), int(chosen.sum())
            )
            for name, chosen in [(b, band == b) for b in ("low", "medium", "high")]
            + [(ALL_CONTACTS, np.ones(n, dtype=bool))]
            if chosen.any()
        },
        patterns_version=patterns_version,
    )
