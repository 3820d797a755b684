from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from training.data.contract import met_threshold
from training.data.generate import INDICATORS, generate_frame, oracle_auc, parse_bias
from training.data.generate.generator import SOURCE_SHARES

ROWS = 20_000
LEVEL = {i.label: i.level for i in INDICATORS}


@pytest.fixture(scope="module")
def contacts() -> pd.DataFrame:
    frame = generate_frame(ROWS, seed=2024)
    frame["met"] = frame["outcome"].map(met_threshold).astype(bool)
    return frame


def test_conversion_rate_lands_in_the_published_band(contacts: pd.DataFrame) -> None:
    assert 0.19 <= contacts["met"].mean() <= 0.29
    met = contacts.loc[contacts["met"], "outcome"]
    assert 0.03 < (met == "child_protection").mean() < 0.3


def test_source_shares_match_the_dfe_referral_sources(contacts: pd.DataFrame) -> None:
    shares = contacts["source"].value_counts(normalize=True)
    for source, expected in SOURCE_SHARES.items():
        assert shares[source] == pytest.approx(expected, abs=0.015), source
    assert 0.27 <= shares["police"] <= 0.31
    assert 0.18 <= shares["school"] <= 0.21


def test_oracle_auc_is_that_of_noisy_real_decisions(contacts: pd.DataFrame) -> None:
    auc = oracle_auc(contacts["met"].to_numpy(), contacts["p_true"].to_numpy())
    assert auc is not None and 0.80 <= auc <= 0.88


def test_p_true_is_calibrated_against_the_label(contacts: pd.DataFrame) -> None:
    bins = pd.qcut(contacts["p_true"], 10)
    observed = contacts.groupby(bins, observed=True)["met"].mean()
    predicted = contacts.groupby(bins, observed=True)["p_true"].mean()
    assert np.abs(observed - predicted).max() < 0.05


def test_met_rate_rises_with_the_level_of_need(contacts: pd.DataFrame) -> None:
    top = contacts["indicators_true"].map(
        lambda raw: max((LEVEL[x] for x in json.loads(raw)), default=0)
    )
    rate = contacts.groupby(top)["met"].mean()
    assert rate[4] > 0.65 and rate[3] > 0.3
    assert rate[2] < 0.2 and rate[1] < 0.1
    assert rate[4] > rate[3] > rate[2] > rate[1]


def test_practice_tightens_over_time(contacts: pd.DataFrame) -> None:
    third = ROWS // 3
    assert contacts["p_true"].iloc[:third].mean() > contacts["p_true"].iloc[-third:].mean()


def test_unbiased_data_has_equal_met_rates_per_ethnicity(contacts: pd.DataFrame) -> None:
    overall = contacts["met"].mean()
    for group, rows in contacts.groupby("child_ethnicity"):
        standard_error = np.sqrt(overall * (1 - overall) / len(rows))
        assert abs(rows["met"].mean() - overall) < 3.5 * standard_error, group
    # At equal severity the audit attributes do not move p_true at all.
    residual = contacts["p_true"] - contacts.groupby(["severity", "source"])["p_true"].transform(
        "mean"
    )
    for column in ("child_ethnicity", "child_sex", "child_disability", "needs_interpreter"):
        assert residual.groupby(contacts[column]).mean().abs().max() < 0.01, column


def test_injected_bias_raises_the_chosen_groups_rate_only() -> None:
    rows = 8_000
    plain = generate_frame(rows, seed=77)
    biased = generate_frame(rows, seed=77, bias=[parse_bias("child_ethnicity=black:1.0")])
    group = plain["child_ethnicity"] == "black"
    assert biased.loc[group, "p_true"].mean() - plain.loc[group, "p_true"].mean() > 0.08
    np.testing.assert_allclose(biased.loc[~group, "p_true"], plain.loc[~group, "p_true"])
    met_plain = plain["outcome"].map(met_threshold)
    met_biased = biased["outcome"].map(met_threshold)
    assert met_biased[group].mean() > met_plain[group].mean() + 0.05
    assert (met_biased[~group] == met_plain[~group]).all()
