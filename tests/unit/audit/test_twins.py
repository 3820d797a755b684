"""Twins: pairs of contacts one decisive fact apart, read and checked, and the figures of a
scorer on them (the higher twin scores higher; the twins fall on either side of the
threshold), overall and per kind of decisive fact."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.audit.twins import fact_kind, read_twins, twin_figures


def _frame(levels: list[int], decisive: list[str]) -> pd.DataFrame:
    n = len(levels)
    return pd.DataFrame(
        {
            "id": [f"p{i // 2}-{'ab'[i % 2]}" for i in range(n)],
            "pair": [f"p{i // 2}" for i in range(n)],
            "decisive": decisive,
            "source": [None] * n,
            "level": levels,
            "text": ["x"] * n,
        }
    )


def test_the_figures_count_order_ties_and_the_threshold() -> None:
    frame = _frame([2, 3, 4, 1, 2, 3, 3, 2], ["frequency"] * 4 + ["age of the baby"] * 4)
    scores = np.array([0.2, 0.8, 0.4, 0.6, 0.5, 0.5, 0.3, 0.1])
    f = twin_figures(frame, scores, threshold=0.25)
    # pair 0 ordered and across; pair 1 reversed; pair 2 a tie (half) with both above;
    # pair 3 ordered and across (0.3 >= 0.25 > 0.1)
    assert f.pairs == 4
    assert f.ordered == pytest.approx((1 + 0 + 0.5 + 1) / 4)
    assert f.across == pytest.approx(2 / 4)
    assert f.by_fact == {
        "how often or how much": (2, 0.5, 0.5),
        "age": (2, 0.75, 0.5),
    }
    with pytest.raises(ValueError, match="scores for"):
        twin_figures(frame, scores[:-1], threshold=0.5)
    assert math.isnan(twin_figures(frame.iloc[:0], np.zeros(0), 0.5).ordered)


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("frequency of missing episodes (first vs third in six weeks)", "how often or how much"),
        (
            "who the new partner is (minor past offending vs registered sex offender)",
            "who and access",
        ),
        ("the child's own words (smacked hand once vs 'secret game' at night)", "child's words"),
        ("now or then (drinking resolved years ago vs drinking again now)", "now or then"),
        ("age and mobility", "age"),
        ("whether the marriage is forced", "other"),
    ],
)
def test_an_authors_description_names_its_kind_of_fact(words: str, kind: str) -> None:
    assert fact_kind(words) == kind


def test_the_twins_are_240_pairs_across_the_threshold() -> None:
    twins = read_twins()
    assert len(twins) == 480 and twins["pair"].nunique() == 240
    assert twins["id"].is_unique
    met = twins.groupby("pair")["level"].agg(lambda x: sorted(v >= 3 for v in x))
    assert all(m == [False, True] for m in met)


def test_a_pair_on_one_side_of_the_threshold_is_refused_with_its_place(tmp_path: Path) -> None:
    rows = [
        {"id": "z-001-a", "pair": "z-001", "decisive": "age", "level": 2, "text": "a"},
        {"id": "z-001-b", "pair": "z-001", "decisive": "age", "level": 1, "text": "b"},
    ]
    (tmp_path / "z.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    with pytest.raises(ValueError, match=r"z.jsonl:1: pair z-001 needs one twin"):
        read_twins(tmp_path)
    assert read_twins(tmp_path / "none").empty
