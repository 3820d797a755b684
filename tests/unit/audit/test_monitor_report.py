"""The monitor's report on generated score streams: what it flags, what it does not, what it
publishes, and how it reads a model without a reference."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from training.audit.monitoring import (
    MonitorResult,
    ReferenceProfile,
    build_reference,
    monitor_report,
    weeks_of,
)
from training.audit.render.monitor import render_monitor_html, write_monitor_report
from training.config import MonitorConfig

SINCE = datetime(2026, 7, 1, tzinfo=UTC)
UNTIL = datetime(2026, 8, 1, tzinfo=UTC)
SOURCES = np.array(["police", "school", "health", "la_services", "individual", "other"])
LABELS = ["domestic_abuse", "neglect_basic_care", "self_harm", "school_absence"]


def _band(scores: np.ndarray) -> np.ndarray:
    return np.where(scores >= 0.5, "high", np.where(scores >= 0.2, "medium", "low"))


def _stream(
    n: int,
    *,
    seed: int,
    shift: float = 0.0,
    practice: float = 0.0,
    no_source: float = 0.0,
    self_harm: float = 0.05,
    neglect: float = 0.2,
) -> dict[str, Any]:
    """Contacts like a calibrated model's: scores from a beta, each decided met with its
    score (plus ``practice`` on the logit), indicators tied to the score."""
    rng = np.random.default_rng(seed)
    scores = np.clip(rng.beta(2, 6, n) + shift, 0.001, 0.999)
    logit = np.log(scores / (1 - scores)) + practice
    met = rng.random(n) < 1 / (1 + np.exp(-logit))
    sources = rng.choice(SOURCES, n).astype(object)
    sources[rng.random(n) < no_source] = None
    indicators = [
        [
            label
            for label, p in zip(LABELS, (s, neglect, self_harm, 0.1), strict=True)
            if rng.random() < p
        ]
        for s in scores
    ]
    return {"scores": scores, "met": met, "sources": sources, "indicators": indicators}


def _reference(seed: int = 1, n: int = 3000, practice: float = 0.0) -> ReferenceProfile:
    world = _stream(n, seed=seed, practice=practice)
    return build_reference(
        world["scores"],
        bands=_band(world["scores"]).tolist(),
        indicators=[frozenset(i) for i in world["indicators"]],
        sources=world["sources"].tolist(),
        met=world["met"],
        labels=LABELS,
    )


def _served(n: int = 1500, *, seed: int = 2, decided: float = 1.0, **drift: float) -> pd.DataFrame:
    world = _stream(n, seed=seed, **drift)
    rng = np.random.default_rng(seed + 100)
    seconds = np.sort(rng.random(n)) * (UNTIL - SINCE).total_seconds()
    outcome = np.where(world["met"], "referral", "advice").astype(object)
    outcome[rng.random(n) >= decided] = None
    return pd.DataFrame(
        {
            "created_at": [SINCE + timedelta(seconds=float(s)) for s in seconds],
            "score": world["scores"],
            "band": _band(world["scores"]),
            "source": world["sources"],
            "indicators": world["indicators"],
            "decision": outcome,
        }
    )


def _report(
    served: pd.DataFrame, reference: ReferenceProfile | None = None, **config: Any
) -> MonitorResult:
    return monitor_report(
        served,
        since=SINCE,
        until=UNTIL,
        reference=_reference() if reference is None else reference,
        config=MonitorConfig(**config),
        model_name="concern-screener",
        model_version="7",
    )


def _kinds(result: MonitorResult) -> set[str]:
    return {f.kind for f in result.flags}


def test_weeks_are_seven_day_blocks_from_the_first_day_the_last_shorter() -> None:
    weeks = weeks_of(SINCE, UNTIL)
    assert [(w.start, w.end, w.days) for w in weeks] == [
        ("2026-07-01", "2026-07-08", 7),
        ("2026-07-08", "2026-07-15", 7),
        ("2026-07-15", "2026-07-22", 7),
        ("2026-07-22", "2026-07-29", 7),
        ("2026-07-29", "2026-08-01", 3),
    ]
    assert weeks[0].label == "week 1 (2026-07-01 to 2026-07-07)"
    with pytest.raises(ValueError):
        weeks_of(UNTIL, SINCE)


def test_contacts_like_the_training_ones_raise_no_flag() -> None:
    result = _report(_served())
    assert result.flags == []
    assert result.score_period is not None and result.score_period.psi is not None
    assert result.score_period.psi < 0.05
    assert result.overrides["period"].rate == pytest.approx(
        result.overrides["period"].reference, abs=0.04
    )


def test_shifted_scores_raise_the_psi_flag_in_the_weeks_and_the_period() -> None:
    result = _report(_served(shift=0.15))
    psi_flags = [f for f in result.flags if f.kind == "score_psi"]
    assert {f.scope for f in psi_flags} >= {"period", result.weeks[0].label}
    assert all(f.value is not None and f.value >= 0.2 for f in psi_flags)
    # The PSI is that of the week's counts in the reference deciles, computed directly.
    ref = _reference()
    served = _served(shift=0.15)
    week1 = served[pd.to_datetime(served["created_at"]) < SINCE + timedelta(days=7)]
    counts = np.bincount(
        np.searchsorted(ref.score_edges, week1["score"], side="right"), minlength=10
    )
    shares = np.maximum(counts / counts.sum(), 1e-4)
    direct = float(
        np.sum(
            (shares - np.asarray(ref.score_shares)) * np.log(shares / np.asarray(ref.score_shares))
        )
    )
    assert result.score_weeks[0].psi == pytest.approx(direct, abs=1e-4)


def test_a_week_with_too_few_contacts_is_shown_but_not_judged() -> None:
    served = _served(shift=0.3)
    last_week = pd.to_datetime(served["created_at"]) >= SINCE + timedelta(days=28)
    few = pd.concat([served[~last_week], served[last_week].head(40)])
    result = _report(few)
    assert not result.score_weeks[-1].judged and result.score_weeks[-1].psi is None
    assert all(f.scope != result.weeks[-1].label for f in result.flags)


def test_contacts_without_a_source_raise_the_no_source_flag() -> None:
    result = _report(_served(no_source=0.15))
    flags = [f for f in result.flags if f.kind == "no_source"]
    assert "period" in {f.scope for f in flags}
    assert result.no_source["period"].rate == pytest.approx(0.15, abs=0.03)
    assert _kinds(_report(_served(no_source=0.02))) == set()


def test_an_indicator_found_far_more_often_raises_its_flag() -> None:
    result = _report(_served(self_harm=0.15))
    flagged = [f.subject for f in result.flags if f.kind == "indicator_rate"]
    assert flagged == ["self_harm"]
    assert result.indicators[0]["label"] == "self_harm"  # the largest move first


def test_a_common_indicator_moving_a_little_is_not_flagged_however_many_contacts() -> None:
    # 20% to 24%: beyond chance in 6,000 contacts, but 1.2 times, under rate_ratio (1.5).
    result = _report(_served(n=6000, neglect=0.24))
    row = next(r for r in result.indicators if r["label"] == "neglect_basic_care")
    assert row["period"].z is not None and row["period"].z > 4
    assert "indicator_rate" not in _kinds(result)
    assert "indicator_rate" in _kinds(_report(_served(n=6000, neglect=0.24), rate_ratio=1.1))


def test_screeners_referring_more_raise_the_override_and_calibration_flags() -> None:
    result = _report(_served(practice=1.2))
    overrides = [f for f in result.flags if f.kind == "override_rate"]
    assert "low band" in {f.scope for f in overrides}
    for flag in overrides:
        assert flag.value is not None and flag.reference is not None
        assert flag.value - flag.reference >= 0.1
    calibration = {f.scope: f for f in result.flags if f.kind == "calibration"}
    assert "all decided contacts" in calibration
    overall = result.calibration["overall"]
    assert overall.observed is not None and overall.mean_score is not None and overall.ci
    assert overall.gap == pytest.approx(overall.observed - overall.mean_score, abs=1e-4)
    assert not overall.ci[0] <= overall.mean_score <= overall.ci[1]


def test_a_calibration_gap_already_there_at_training_time_is_not_flagged_a_new_one_is() -> None:
    # Past decisions met more often than the scores say, at training time and now alike.
    reference = _reference(practice=1.0)
    assert reference.calibration["all"].gap > 0.1
    steady = _report(_served(practice=1.0), reference)
    gap = steady.calibration["overall"].gap
    assert gap is not None and gap > 0.1  # large, but as at training time
    assert "calibration" not in _kinds(steady)
    moved = _report(_served(practice=2.5), reference)
    flags = {f.scope: f for f in moved.flags if f.kind == "calibration"}
    overall = flags["all decided contacts"]
    assert overall.reference == pytest.approx(reference.calibration["all"].gap, abs=1e-4)
    assert overall.value is not None and overall.reference is not None
    assert overall.value - overall.reference >= 0.1


def test_the_override_rate_counts_only_decided_contacts() -> None:
    served = _served(decided=0.5)
    result = _report(served)
    decided = served["decision"].notna()
    high, low = served["band"] == "high", served["band"] == "low"
    against = (high & (served["decision"] == "advice")) | (low & (served["decision"] == "referral"))
    eligible = decided & (high | low)
    assert result.overrides["period"].n == int(eligible.sum())
    assert result.overrides["period"].count == int((against & eligible).sum())
    assert result.decided == int(decided.sum())


def test_no_count_from_one_to_nine_is_published_in_json_or_html(tmp_path) -> None:
    served = _served(n=400, no_source=0.01)
    result = _report(served)
    payload = json.loads(write_monitor_report(result, tmp_path)["json"].read_text("utf-8"))

    def counts(value: Any, key: str = "") -> list[Any]:
        if isinstance(value, dict):
            return [c for k, v in value.items() for c in counts(v, k)]
        if isinstance(value, list):
            return [c for v in value for c in counts(v, key)]
        return [value] if key in {"n", "count", "met", "bins", "contacts", "decided"} else []

    published = counts(payload)
    assert "<10" in published
    assert not [c for c in published if isinstance(c, int) and 0 < c < 10]
    # The last week's no-source count is small: withheld with its share, z and interval.
    cell = payload["no_source"]["weeks"][-1]
    assert cell["count"] == "<10" and cell["rate"] is None and cell["ci"] is None
    html = (tmp_path / "monitor.html").read_text("utf-8")
    assert "&lt;10" in html
    assert payload["flags"] == [] and isinstance(payload["flags"], list)


def test_a_model_without_a_reference_is_reported_without_the_comparisons() -> None:
    result = monitor_report(
        _served(shift=0.2, practice=1.2),
        since=SINCE,
        until=UNTIL,
        reference=None,
        config=MonitorConfig(),
        model_name="concern-screener",
        model_version="3",
    )
    assert result.score_period is None and result.score_weeks == []
    assert "no training-time reference" in result.notes[0]
    assert _kinds(result) == {"calibration"}  # needs no reference
    assert all(row["period"].reference is None for row in result.indicators)
    html = render_monitor_html(result)
    assert "Not available: the model carries no training-time reference." in html


def test_the_thresholds_come_from_the_configuration() -> None:
    served = _served(shift=0.15)
    assert "score_psi" in _kinds(_report(served))
    assert "score_psi" not in _kinds(_report(served, psi_threshold=5.0))


def test_a_period_without_contacts_is_a_report_of_nothing_flagged() -> None:
    empty = _served().iloc[:0]
    result = _report(empty)
    assert result.contacts == 0 and result.flags == []
    assert result.score_period is not None and result.score_period.psi is None
    assert "No finding passed a threshold." in render_monitor_html(result)
