from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from training.data.contract import COLUMNS, MAX_TEXT_CHARS
from training.data.quarantine import render_report
from training.data.read import ContractError
from training.data.validate import Issue, ValidationReport, validate_frame

SECRET = "Mia told her teacher that daddy hit her with a belt"


def good_row(i: int, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "contact_id": f"C{i}",
        "received_at": "2024-03-01T09:15:00Z",
        "source": "police",
        "text": f"{SECRET} ({i})",
        "outcome": "referral",
        "child_age_years": "7",
        "child_sex": "female",
        "child_ethnicity": "white",
        "child_disability": "no",
        "area_deprivation_decile": "3",
        "needs_interpreter": "false",
    }
    row.update(overrides)
    return row


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), dtype=object)


def only_issue(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, issues
    return issues[0]


def test_clean_rows_are_all_valid_and_typed() -> None:
    valid, quarantined, issues = validate_frame(frame(good_row(1), good_row(2)))
    assert issues == []
    assert len(quarantined) == 0
    assert list(valid.columns) == [c.name for c in COLUMNS]
    assert valid["received_at"].iloc[0] == pd.Timestamp("2024-03-01 09:15:00")
    assert valid["received_at"].dt.tz is None
    assert str(valid["child_age_years"].dtype) == "Int64"
    assert str(valid["needs_interpreter"].dtype) == "boolean"
    assert valid["needs_interpreter"].iloc[0] is False or not valid["needs_interpreter"].iloc[0]


def test_enum_case_and_whitespace_are_normalised_not_refused() -> None:
    valid, _, issues = validate_frame(
        frame(good_row(1, source="  Police ", outcome="REFERRAL", child_sex=" Female"))
    )
    assert issues == []
    assert valid.loc[0, "source"] == "police"
    assert valid.loc[0, "outcome"] == "referral"
    assert valid.loc[0, "child_sex"] == "female"


def test_unknown_enum_value_names_row_column_and_expected_values() -> None:
    valid, quarantined, issues = validate_frame(frame(good_row(1), good_row(2, source="polise")))
    issue = only_issue(issues)
    assert (issue.row, issue.column) == (2, "source")
    assert issue.reason.startswith("unknown value 'polise' (expected one of police, school")
    assert list(valid["contact_id"]) == ["C1"]
    assert list(quarantined["_row"]) == [2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-01", "2024-03-01 00:00:00"),
        ("2024-03-01T09:15:00", "2024-03-01 09:15:00"),
        ("2024-03-01 09:15", "2024-03-01 09:15:00"),
        ("2024-03-01T10:15:00+01:00", "2024-03-01 09:15:00"),
        ("2024-03-01T09:15:00.250Z", "2024-03-01 09:15:00.250"),
        ("01/03/2024", "2024-03-01 00:00:00"),
        ("1/3/2024 09:15", "2024-03-01 09:15:00"),
        ("01/03/2024 09:15:30", "2024-03-01 09:15:30"),
    ],
)
def test_iso_and_uk_dates_parse_to_naive_utc(raw: str, expected: str) -> None:
    valid, _, issues = validate_frame(frame(good_row(1, received_at=raw)))
    assert issues == []
    assert valid.loc[0, "received_at"] == pd.Timestamp(expected)


@pytest.mark.parametrize(
    "raw", ["13/25/2024", "31/02/2024", "2024-02-30", "01/03/24", "yesterday", "01/03/2024 25:00"]
)
def test_impossible_or_unknown_dates_are_refused(raw: str) -> None:
    _, _, issues = validate_frame(frame(good_row(1), good_row(2, received_at=raw)))
    issue = only_issue(issues)
    assert (issue.row, issue.column) == (2, "received_at")
    assert issue.reason.startswith(f"unparseable date '{raw}'")


def test_empty_and_whitespace_only_text_are_refused_with_distinct_reasons() -> None:
    _, _, issues = validate_frame(frame(good_row(1, text=""), good_row(2, text=" \t\r\n ")))
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (1, "text", "text is empty"),
        (2, "text", "text is only whitespace"),
    ]


def test_text_longer_than_the_limit_is_refused_and_the_limit_itself_accepted() -> None:
    at_limit = "a" * MAX_TEXT_CHARS
    too_long = "b" * (MAX_TEXT_CHARS + 1)
    valid, _, issues = validate_frame(
        frame(good_row(1, text=f"  {at_limit}  "), good_row(2, text=too_long))
    )
    issue = only_issue(issues)
    assert (issue.row, issue.column) == (2, "text")
    assert issue.reason == "text has 20,001 characters (max 20,000)"
    assert valid.loc[0, "text"] == at_limit  # trimmed of surrounding whitespace only


def test_control_character_is_refused_with_its_code_point_and_position() -> None:
    _, _, issues = validate_frame(frame(good_row(1, text="ab\x07cd"), good_row(2, text="a\tb\nc")))
    issue = only_issue(issues)
    assert (issue.row, issue.column) == (1, "text")
    assert issue.reason == "control character U+0007 at position 3"


def test_invalid_utf8_bytes_are_reported_by_byte_value() -> None:
    bad = b"caf\xe9 au lait".decode("utf-8", errors="surrogateescape")
    _, quarantined, issues = validate_frame(frame(good_row(1), good_row(2, text=bad)))
    issue = only_issue(issues)
    assert (issue.row, issue.column, issue.reason) == (
        2,
        "text",
        "invalid UTF-8 byte 0xE9 at position 4",
    )
    assert quarantined.loc[0, "text"] == bad  # raw value kept as received


def test_duplicate_contact_id_quarantines_later_rows_naming_the_first() -> None:
    valid, _, issues = validate_frame(
        frame(good_row(1), good_row(2), good_row(3, contact_id="C1"), good_row(4, contact_id=" C1"))
    )
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (3, "contact_id", "duplicate contact_id (first seen at row 1)"),
        (4, "contact_id", "duplicate contact_id (first seen at row 1)"),
    ]
    assert list(valid["contact_id"]) == ["C1", "C2"]


@pytest.mark.parametrize(
    ("column", "raw", "reason"),
    [
        ("child_age_years", "18", "18 is out of range (0 to 17)"),
        ("child_age_years", "-1", "-1 is out of range (0 to 17)"),
        ("child_age_years", "7.5", "not a whole number: '7.5'"),
        ("child_age_years", "seven", "not a whole number: 'seven'"),
        ("area_deprivation_decile", "0", "0 is out of range (1 to 10)"),
        ("area_deprivation_decile", "11", "11 is out of range (1 to 10)"),
    ],
)
def test_out_of_range_and_non_integer_numbers_are_refused(
    column: str, raw: str, reason: str
) -> None:
    _, _, issues = validate_frame(frame(good_row(1, **{column: raw})))
    assert [(i.row, i.column, i.reason) for i in issues] == [(1, column, reason)]


def test_integer_bounds_and_float_spelling_are_accepted() -> None:
    valid, _, issues = validate_frame(
        frame(
            good_row(1, child_age_years="0", area_deprivation_decile="10"),
            good_row(2, child_age_years="17.0", area_deprivation_decile=" 1 "),
            good_row(3, child_age_years="", area_deprivation_decile=""),
        )
    )
    assert issues == []
    assert valid["child_age_years"].tolist()[:2] == [0, 17]
    assert valid["child_age_years"].isna().tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("raw", "expected"), [("Yes", True), ("N", False), ("1", True), ("FALSE", False), ("", None)]
)
def test_booleans_accept_the_contract_spellings(raw: str, expected: bool | None) -> None:
    valid, _, issues = validate_frame(frame(good_row(1, needs_interpreter=raw)))
    assert issues == []
    value = valid.loc[0, "needs_interpreter"]
    assert (value is pd.NA) if expected is None else (bool(value) is expected)


def test_bad_boolean_is_refused() -> None:
    _, _, issues = validate_frame(frame(good_row(1, needs_interpreter="maybe")))
    issue = only_issue(issues)
    assert issue.column == "needs_interpreter"
    assert issue.reason.startswith("not a boolean: 'maybe'")


def test_missing_required_values_are_refused() -> None:
    _, _, issues = validate_frame(
        frame(good_row(1, contact_id=""), good_row(2, source="  "), good_row(3, received_at=""))
    )
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (1, "contact_id", "missing required value"),
        (2, "source", "missing required value"),
        (3, "received_at", "missing required value"),
    ]


def test_missing_outcome_refused_for_training_but_allowed_for_scoring() -> None:
    rows = frame(good_row(1, outcome=""), good_row(2))
    _, _, issues = validate_frame(rows)
    assert [(i.row, i.column, i.reason) for i in issues] == [
        (1, "outcome", "missing outcome (required for training)")
    ]
    valid, _, issues = validate_frame(rows, require_outcome=False)
    assert issues == []
    assert valid["outcome"].isna().tolist() == [True, False]


def test_na_and_none_in_text_stay_text() -> None:
    valid, _, issues = validate_frame(frame(good_row(1, text="NA"), good_row(2, text="None")))
    assert issues == []
    assert valid["text"].tolist() == ["NA", "None"]


def test_missing_required_column_is_a_file_level_error() -> None:
    rows = frame(good_row(1)).drop(columns=["text"])
    with pytest.raises(ContractError, match="missing required column\\(s\\): text"):
        validate_frame(rows)


def test_missing_outcome_column_only_matters_for_training() -> None:
    rows = frame(good_row(1)).drop(columns=["outcome"])
    with pytest.raises(ContractError, match="outcome"):
        validate_frame(rows)
    valid, _, issues = validate_frame(rows, require_outcome=False)
    assert issues == [] and valid["outcome"].isna().all()


def test_unknown_columns_never_reach_the_valid_frame_but_stay_in_quarantine() -> None:
    rows = frame(good_row(1, free_notes="x"), good_row(2, source="?", free_notes="y"))
    valid, quarantined, _ = validate_frame(rows)
    assert "free_notes" not in valid.columns
    assert quarantined.loc[0, "free_notes"] == "y"


def test_typed_parquet_style_frame_is_validated_the_same_way() -> None:
    rows = pd.DataFrame(
        {
            "contact_id": ["A", "B", "C"],
            "received_at": pd.to_datetime(["2024-01-01 10:00"] * 3).tz_localize("Europe/London"),
            "source": ["school", "school", "nope"],
            "text": ["one", "two", "three"],
            "outcome": ["nfa", "advice", "nfa"],
            "child_age_years": [3.0, 18.0, None],
            "area_deprivation_decile": [1, 2, 3],
            "needs_interpreter": [True, False, None],
        }
    )
    valid, _, issues = validate_frame(rows)
    assert [(i.row, i.column) for i in issues] == [(2, "child_age_years"), (3, "source")]
    assert valid.loc[0, "received_at"] == pd.Timestamp("2024-01-01 10:00")
    assert valid.loc[0, "child_age_years"] == 3


def test_rows_are_conserved_and_each_bad_row_listed_once_with_all_reasons() -> None:
    rows = frame(
        good_row(1),
        good_row(2, source="x", child_age_years="40"),
        good_row(3),
        good_row(4, text=""),
    )
    valid, quarantined, issues = validate_frame(rows)
    assert len(valid) + len(quarantined) == len(rows)
    assert list(quarantined["_row"]) == [2, 4]
    assert quarantined.loc[0, "_column"] == "source; child_age_years"
    assert quarantined.loc[0, "_reason"].count("; ") == 1
    assert len(issues) == 3


def test_reasons_and_report_never_contain_the_text() -> None:
    bad_text = SECRET + "\x01" + "z" * MAX_TEXT_CHARS
    rows = frame(good_row(1, text=bad_text), good_row(2, source=SECRET), good_row(3, text=" "))
    valid, quarantined, issues = validate_frame(rows)
    report = ValidationReport(
        source_path=Path("x.csv"),
        rows=3,
        valid_rows=len(valid),
        quarantined_rows=len(quarantined),
        issues=tuple(issues),
        warnings=(),
        file_error=None,
        valid_path=None,
        quarantine_path=None,
    )
    rendered = render_report(report)
    assert "row 1, column text: control character U+0001" in rendered
    assert "unknown value (a 51-character value, not shown)" in rendered
    for reason in [i.reason for i in issues] + [rendered]:
        assert "daddy hit her" not in reason
        assert "belt" not in reason


def test_render_report_limits_issues_and_counts_the_rest() -> None:
    rows = frame(*[good_row(i, source="bad") for i in range(1, 8)])
    valid, quarantined, issues = validate_frame(rows)
    report = ValidationReport(
        source_path=Path("x.csv"),
        rows=7,
        valid_rows=0,
        quarantined_rows=7,
        issues=tuple(issues),
        warnings=("unknown column 'foo' ignored: not carried into the valid file",),
        file_error=None,
        valid_path=None,
        quarantine_path=Path("x.quarantine.csv"),
    )
    text = render_report(report, max_issues=3)
    assert "7 rows, 0 valid, 7 quarantined" in text
    assert "row 3, column source" in text and "row 4, column source" not in text
    assert "... and 4 more issues" in text
    assert "warning: unknown column 'foo'" in text
    assert "x.quarantine.csv" in text
    assert not report.ok
