"""Weighted parts in the fit: each contact weighs its part's weight, relative to the others;
the guidance corpus keeps its share of the total weight."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from training.config import TrainConfig
from training.data.parts import WEIGHT_COLUMN
from training.lifecycle.train import _fit_set


class Analysed:
    def __init__(self, n: int) -> None:
        self.n = n

    def plus(self, other: Analysed) -> Analysed:
        return Analysed(self.n + other.n)


class Features:
    def fit_transform(self, analysed: Analysed) -> sp.csr_matrix:
        return sp.csr_matrix(np.ones((analysed.n, 2)))


def contacts(n: int) -> pd.DataFrame:
    return pd.DataFrame({"text": ["t"] * n, "outcome": ["referral", "nfa"] * (n // 2)})


def corpus(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"text": ["g"] * n, "level": [1, 3] * (n // 2), "outcome": ["nfa", "referral"] * (n // 2)}
    )


def fit_weights(train: pd.DataFrame, guidance: pd.DataFrame, share: float) -> Any:
    config = TrainConfig().with_overrides({"guidance.share": share})
    analysed = {"train": Analysed(len(train)), "guidance": Analysed(len(guidance))}
    return _fit_set(Features(), analysed, train, guidance, config).weights  # type: ignore[arg-type]


def test_without_weights_the_export_weighs_one_a_contact_as_before() -> None:
    weights = fit_weights(contacts(6), corpus(4), 0.25)
    # The corpus takes a quarter of the total: 4 contacts of weight 0.5 beside 6 of weight 1.
    assert weights.tolist() == pytest.approx([1.0] * 6 + [0.5] * 4)
    assert fit_weights(contacts(6), corpus(4), 0.0) is None


def test_weighted_parts_are_relative_and_the_corpus_keeps_its_share() -> None:
    train = contacts(6).assign(**{WEIGHT_COLUMN: [1.0, 1.0, 1.0, 1.0, 4.0, 4.0]})
    weights = fit_weights(train, corpus(4), 0.25)
    rows, guidance = weights[:6], weights[6:]
    assert rows.sum() == pytest.approx(6.0)  # the export weighs as many as it has contacts
    assert rows[4] / rows[0] == pytest.approx(4.0)
    assert guidance.sum() / weights.sum() == pytest.approx(0.25)
    # The same weight on every contact is no weight at all.
    even = fit_weights(contacts(6).assign(**{WEIGHT_COLUMN: 2.0}), corpus(4), 0.25)
    assert even.tolist() == pytest.approx([1.0] * 6 + [0.5] * 4)
    alone = fit_weights(train, corpus(4), 0.0)
    assert alone.tolist() == pytest.approx([0.5, 0.5, 0.5, 0.5, 2.0, 2.0])


@pytest.mark.parametrize(
    ("values", "says"),
    [
        (["{a}", "{a}:0"], "error: --data {a}:0: the weight must be a positive number, got '0'"),
        (
            ["{a}", "{a}:heavy"],
            "error: --data {a}:heavy: the weight after ':' must be a number, got 'heavy'",
        ),
        (["{a}", "{missing}:2"], "error: {missing}: no such file"),
    ],
)
def test_train_refuses_a_bad_part_with_one_line(tmp_path, values: list[str], says: str) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from tests.utils.model import training_frame
    from training.lifecycle.cli import app

    a, missing = tmp_path / "a.csv", tmp_path / "missing.csv"
    training_frame(40).to_csv(a, index=False)
    argv = ["train"]
    for value in values:
        argv += ["--data", value.format(a=a, missing=missing)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [says.format(a=a, missing=missing)]
