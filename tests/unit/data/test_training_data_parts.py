from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.data.parts import (
    PART_COLUMN,
    WEIGHT_COLUMN,
    DataPart,
    PartSpec,
    combine_parts,
    describe_training_data,
    parse_part,
    parts_digest,
)


def frame(ids: list[str], *, p_true: bool = False, start: str = "2025-01-01") -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "contact_id": ids,
            "received_at": pd.date_range(start, periods=len(ids), freq="D"),
            "source": ["school"] * len(ids),
            "text": ["Child has a bruise."] * len(ids),
            "outcome": ["referral", "nfa"] * (len(ids) // 2) + ["nfa"] * (len(ids) % 2),
        }
    )
    if p_true:
        out["p_true"] = 0.5
    return out


def test_a_part_is_a_path_with_an_optional_weight(tmp_path: Path) -> None:
    assert parse_part("a.parquet") == PartSpec(Path("a.parquet"), 1.0)
    assert parse_part("data/a.parquet:2.5") == PartSpec(Path("data/a.parquet"), 2.5)
    assert parse_part("a.csv:0.25") == PartSpec(Path("a.csv"), 0.25)
    odd = tmp_path / "export:3.csv"  # a file whose name holds a colon stays a path
    odd.touch()
    assert parse_part(str(odd)) == PartSpec(odd, 1.0)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("a.csv:0", "positive"),
        ("a.csv:-1", "positive"),
        ("a.csv:nan", "positive"),
        ("a.csv:inf", "positive"),
        ("a.csv:two", "must be a number"),
        ("  ", "empty"),
    ],
)
def test_a_weight_that_is_not_a_positive_number_is_refused(value: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_part(value)


def test_one_part_of_weight_one_is_the_export_unchanged() -> None:
    a = frame(["a1", "a2"], p_true=True)
    combined = combine_parts([a], [1.0])
    assert combined.frame is a and combined.repeated_ids == 0


def test_parts_are_stacked_in_order_with_their_weights() -> None:
    a, b = frame(["a1", "a2", "a3"], p_true=True), frame(["b1", "b2"])
    combined = combine_parts([a, b], [1.0, 3.0])
    out = combined.frame
    assert out["contact_id"].tolist() == ["a1", "a2", "a3", "b1", "b2"]
    assert out[PART_COLUMN].tolist() == [1, 1, 1, 2, 2]
    assert out[WEIGHT_COLUMN].tolist() == [1.0, 1.0, 1.0, 3.0, 3.0]
    # The generator's p_true is dropped: the decisions part has none to compare with.
    assert "p_true" not in out
    both = combine_parts([a, frame(["c1"], p_true=True)], [1.0, 1.0]).frame
    assert "p_true" in both and WEIGHT_COLUMN not in both


def test_ids_in_more_than_one_part_are_counted_and_kept() -> None:
    combined = combine_parts([frame(["x", "y", "z"]), frame(["y", "z", "w"])], [1.0, 1.0])
    assert combined.repeated_ids == 2 and len(combined.frame) == 6


def test_the_digest_of_several_parts_changes_with_a_weight() -> None:
    one = DataPart(Path("a"), 1.0, 3, "a" * 64, True)
    two = DataPart(Path("b"), 2.0, 2, "b" * 64, False)
    assert parts_digest([one]) == "a" * 64
    assert parts_digest([one, two]) != parts_digest(
        [one, DataPart(Path("b"), 3.0, 2, "b" * 64, False)]
    )
    assert parts_digest([one, two]) != parts_digest([two, one])


def test_the_training_data_description_names_each_part() -> None:
    a, b = frame(["a1", "a2", "a3", "a4"], p_true=True), frame(["b1", "b2"], start="2026-12-01")
    parts = [
        DataPart(Path("gen.parquet"), 1.0, 4, "a" * 64, True),
        DataPart(Path("dec.csv"), 2.0, 2, "b" * 64, False),
    ]
    described = describe_training_data(combine_parts([a, b], [1.0, 2.0]).frame, parts)
    assert (described["rows"], described["date_from"], described["date_to"]) == (
        6,
        "2025-01-01",
        "2026-12-02",
    )
    assert described["met_rate"] == pytest.approx(3 / 6)
    assert described["synthetic"] is True
    assert [(p["name"], p["weight"], p["rows"]) for p in described["parts"]] == [
        ("gen.parquet", 1.0, 4),
        ("dec.csv", 2.0, 2),
    ]
    assert "dec.csv (2 contacts, weight 2, recorded)" in described["description"]
    assert np.isclose(sum(described["source_shares"].values()), 1.0)
