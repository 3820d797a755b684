from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.data.contract import SOURCES
from training.data.generate import Drift, generate_frame, load_lexicon, parse_drift

ROWS = 1200
SPAN = (date(2026, 8, 1), date(2026, 8, 31))


def _drift(*specs: str) -> Drift:
    return parse_drift(list(specs), indicator_labels=[i.label for i in load_lexicon().indicators])


@pytest.fixture(scope="module")
def plain() -> pd.DataFrame:
    return generate_frame(ROWS, seed=5)


def _logit(p: pd.Series) -> np.ndarray:
    values = p.to_numpy(dtype=float)
    return np.log(values / (1 - values))


def test_no_drift_gives_the_seeds_rows_unchanged(plain: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(generate_frame(ROWS, seed=5, drift=Drift()), plain)


def test_practice_shifts_every_decision_logit_by_its_value_and_nothing_else(
    plain: pd.DataFrame,
) -> None:
    drifted = generate_frame(ROWS, seed=5, drift=_drift("practice=1.0"))
    assert drifted["text"].equals(plain["text"]) and drifted["severity"].equals(plain["severity"])
    assert np.allclose(_logit(drifted["p_true"]) - _logit(plain["p_true"]), 1.0)
    met = drifted["outcome"].isin(["referral", "child_protection"]).mean()
    assert met > plain["outcome"].isin(["referral", "child_protection"]).mean() + 0.08


def test_severity_brings_more_serious_concerns(plain: pd.DataFrame) -> None:
    drifted = generate_frame(ROWS, seed=5, drift=_drift("severity=4"))
    assert drifted["severity"].mean() > plain["severity"].mean() + 0.5
    levels = {i.label: i.level for i in load_lexicon().indicators}

    def serious(frame: pd.DataFrame) -> float:
        found = frame["indicators_true"].map(json.loads)
        return float(found.map(lambda ls: any(levels[x] >= 3 for x in ls)).mean())

    assert serious(drifted) > serious(plain) + 0.1


def test_one_indicator_and_one_source_can_be_made_more_common(plain: pd.DataFrame) -> None:
    drifted = generate_frame(
        ROWS, seed=5, drift=_drift("indicator=self_harm:6", "source=anonymous:5")
    )

    def share(frame: pd.DataFrame) -> float:
        return float(frame["indicators_true"].map(lambda s: "self_harm" in s).mean())

    assert share(drifted) > 2 * share(plain)
    assert (drifted["source"] == "anonymous").mean() > 3 * max(
        (plain["source"] == "anonymous").mean(), 0.005
    )
    assert set(drifted["source"]) <= set(SOURCES)


def test_no_source_empties_the_source_of_that_share_and_keeps_the_rest(
    plain: pd.DataFrame,
) -> None:
    drifted = generate_frame(ROWS, seed=5, drift=_drift("no_source=0.2"))
    missing = drifted["source"].isna()
    assert 0.15 < missing.mean() < 0.25
    assert drifted.loc[~missing, "source"].equals(plain.loc[~missing, "source"])
    assert drifted["text"].equals(plain["text"]) and drifted["outcome"].equals(plain["outcome"])


def test_a_span_moves_the_received_dates_and_practice_keeps_its_pace() -> None:
    frame = generate_frame(600, seed=5, span=SPAN)
    received = pd.to_datetime(frame["received_at"])
    assert received.min() >= pd.Timestamp("2026-08-01") and received.max() < pd.Timestamp(
        "2026-09-01"
    )
    assert received.is_monotonic_increasing
    # Practice keeps drifting at its pace on the default span's clock, past its end.
    from training.data.generate.generator import SPAN_END, SPAN_START
    from training.data.generate.labels import DRIFT_END, DRIFT_START, INTERCEPT, SLOPE, SOURCE_SHIFT

    clock = (received - pd.Timestamp(str(SPAN_START))) / (
        pd.Timestamp(str(SPAN_END)) - pd.Timestamp(str(SPAN_START))
    )
    assert clock.min() > 1.0
    expected = DRIFT_START + (DRIFT_END - DRIFT_START) * clock.to_numpy()
    shift = frame["source"].map(SOURCE_SHIFT).to_numpy()
    drift = _logit(frame["p_true"]) - INTERCEPT - SLOPE * frame["severity"].to_numpy() - shift
    assert np.allclose(drift, expected, atol=1e-6)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("severity", "expected KIND=VALUE"),
        ("speed=2", "expected KIND=VALUE"),
        ("severity=0", "above 0"),
        ("severity=x", "takes a number"),
        ("practice=nan", "finite"),
        ("practice=20", "from -10 to 10"),
        ("no_source=1.5", "from 0 to 1"),
        ("indicator=self_harm", "NAME:FACTOR"),
        ("indicator=not_one:2", "no indicator"),
        ("source=postman:2", "not one of"),
    ],
)
def test_a_bad_drift_is_refused_saying_why(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _drift(spec)


def test_a_span_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends"):
        generate_frame(10, seed=1, span=(SPAN[1], SPAN[0]))


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--drift", "severity=x"], "error: --drift: severity takes a number, got 'x'"),
        (
            ["--span", "2026-08-31:2026-08-01"],
            "error: --span 2026-08-31:2026-08-01: it ends before it starts",
        ),
        (["--span", "August"], "error: --span August: expected FROM:TO as two dates YYYY-MM-DD"),
    ],
)
def test_generate_refuses_a_bad_drift_or_span_in_one_line(
    tmp_path: Path, args: list[str], says: str
) -> None:
    from typer.testing import CliRunner

    from training.lifecycle.cli import app

    out = tmp_path / "month.csv"
    result = CliRunner().invoke(app, ["data", "generate", "--rows", "20", "--out", str(out), *args])
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if line.strip()] == [says]
    assert not out.exists()


def test_generate_writes_a_drifted_month(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from training.lifecycle.cli import app

    out = tmp_path / "month.parquet"
    result = CliRunner().invoke(
        app,
        ["data", "generate", "--rows", "40", "--seed", "3", "--out", str(out)]
        + ["--span", "2026-08-01:2026-08-31", "--drift", "no_source=0.5"],
    )
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert frame["received_at"].str.startswith("2026-08").all()
    assert 0.2 < frame["source"].isna().mean() < 0.8
