from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from training.data.quarantine import output_paths, render_report, validate_file
from training.data.read import ContractError, read_raw
from training.data.validate import load_contacts

HEADER = (
    "contact_id,received_at,source,text,outcome,child_age_years,child_sex,"
    "child_ethnicity,child_disability,area_deprivation_decile,needs_interpreter"
)
SECRET = "Leo said his stepdad locks him in the shed"


def line(cid: str, *, when: str = "2024-03-01", source: str = "school", text: str = "ok",
         outcome: str = "nfa", age: str = "", decile: str = "", interp: str = "") -> str:  # fmt: skip
    return f"{cid},{when},{source},{text},{outcome},{age},,,,{decile},{interp}"


def write(tmp_path: Path, body: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def messy_export() -> bytes:
    """One export holding every row-level problem a council file has shown, CRLF and BOM."""
    rows = [
        line("C1", text=f'"{SECRET}.\r\nSchool informed."', source=" Police "),  # row 1 ok
        line("C2", when="05/01/2024 10:30", outcome="REFERRAL"),  # 2 ok (UK date, case)
        line("C3", when="13/25/2024"),  # 3 bad date
        line("C4", text=""),  # 4 empty text
        line("C5", text='"   "'),  # 5 whitespace-only text
        line("C6", text="x" * 20_001),  # 6 too long
        line("C7", text="bell\x07here"),  # 7 control char
        line("C1"),  # 8 duplicate id
        line("C9", age="18"),  # 9 age out of range
        line("C10", decile="0"),  # 10 decile low
        line("C11", decile="11"),  # 11 decile high
        line("C12", interp="maybe"),  # 12 bad boolean
        line("C13", source="polise"),  # 13 bad enum
        line("C14", text='"NA"'),  # 14 ok: "NA" is text
    ]
    body = "\r\n".join([HEADER, *rows]).encode("utf-8")
    invalid = line("C15", text="caf@ au lait").encode("utf-8").replace(b"@", b"\xe9")  # 15
    return b"\xef\xbb\xbf" + body + b"\r\n" + invalid + b"\r\n"


EXPECTED = {
    3: ("received_at", "unparseable date '13/25/2024'"),
    4: ("text", "text is empty"),
    5: ("text", "text is only whitespace"),
    6: ("text", "text has 20,001 characters (max 20,000)"),
    7: ("text", "control character U+0007 at position 5"),
    8: ("contact_id", "duplicate contact_id (first seen at row 1)"),
    9: ("child_age_years", "18 is out of range (0 to 17)"),
    10: ("area_deprivation_decile", "0 is out of range (1 to 10)"),
    11: ("area_deprivation_decile", "11 is out of range (1 to 10)"),
    12: ("needs_interpreter", "not a boolean: 'maybe'"),
    13: ("source", "unknown value 'polise'"),
    15: ("text", "invalid UTF-8 byte 0xE9 at position 4"),
}


def test_every_class_of_bad_row_is_reported_with_its_row_column_and_reason(
    tmp_path: Path,
) -> None:
    report = validate_file(write(tmp_path, messy_export()))
    got = {i.row: (i.column, i.reason) for i in report.issues}
    assert sorted(got) == sorted(EXPECTED)
    for row, (column, reason) in EXPECTED.items():
        assert got[row][0] == column
        assert got[row][1].startswith(reason), (row, got[row])
    assert report.rows == 15 and report.valid_rows == 3 and report.quarantined_rows == 12
    assert not report.ok


def test_physical_line_numbers_account_for_embedded_newlines(tmp_path: Path) -> None:
    report = validate_file(write(tmp_path, messy_export()))
    lines = {i.row: i.line for i in report.issues}
    assert lines[3] == 5  # header line 1, row 1 spans lines 2-3, row 2 on line 4


def test_good_rows_reach_the_valid_file_normalised(tmp_path: Path) -> None:
    report = validate_file(write(tmp_path, messy_export()))
    assert report.valid_path is not None
    valid = pd.read_parquet(report.valid_path)
    assert valid["contact_id"].tolist() == ["C1", "C2", "C14"]
    assert valid["source"].tolist() == ["police", "school", "school"]
    assert valid["outcome"].tolist() == ["nfa", "referral", "nfa"]
    assert valid.loc[0, "text"] == f"{SECRET}.\r\nSchool informed."
    assert valid.loc[1, "received_at"] == pd.Timestamp("2024-01-05 10:30")
    assert valid.loc[2, "text"] == "NA"


def test_quarantine_file_holds_exactly_the_bad_rows_as_received(tmp_path: Path) -> None:
    source = write(tmp_path, messy_export())
    report = validate_file(source)
    assert report.quarantine_path == output_paths(source)[1]
    raw_bytes = report.quarantine_path.read_bytes()
    assert b"caf\xe9 au lait" in raw_bytes  # the invalid byte is kept, not replaced
    text = raw_bytes.decode("utf-8", errors="surrogateescape")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [int(r["_row"]) for r in records] == sorted(EXPECTED)
    assert {r["contact_id"] for r in records}.isdisjoint({"C2", "C14"})
    by_row = {int(r["_row"]): r for r in records}
    assert by_row[13]["source"] == "polise"  # raw value, not normalised
    assert by_row[5]["text"] == "   "
    assert by_row[3]["_column"] == "received_at"
    assert by_row[3]["_line"] == "5"


def test_report_never_contains_the_concern_text(tmp_path: Path) -> None:
    rendered = render_report(validate_file(write(tmp_path, messy_export())))
    assert "stepdad" not in rendered and "shed" not in rendered
    assert "row 3 (line 5), column received_at" in rendered
    assert "row numbers count data rows from 1" in rendered


def test_clean_run_removes_a_stale_quarantine_file(tmp_path: Path) -> None:
    path = write(tmp_path, messy_export())
    first = validate_file(path)
    assert first.quarantine_path is not None and first.quarantine_path.exists()
    path.write_bytes(f"{HEADER}\n{line('A1')}\n".encode())
    second = validate_file(path)
    assert second.ok
    assert second.quarantine_path is None
    assert not output_paths(path)[1].exists()
    assert pd.read_parquet(output_paths(path)[0])["contact_id"].tolist() == ["A1"]


def test_the_raw_export_is_never_rewritten(tmp_path: Path) -> None:
    body = messy_export()
    path = write(tmp_path, body)
    validate_file(path)
    assert path.read_bytes() == body


def test_unknown_column_is_a_warning_and_is_not_carried(tmp_path: Path) -> None:
    body = f"{HEADER},social_worker_notes\n{line('A1')},private\n".encode()
    report = validate_file(write(tmp_path, body))
    assert report.ok
    assert any("social_worker_notes" in w for w in report.warnings)
    assert report.valid_path is not None
    assert "social_worker_notes" not in pd.read_parquet(report.valid_path).columns


def test_generator_side_columns_are_kept(tmp_path: Path) -> None:
    body = f"{HEADER},p_true\n{line('A1')},0.25\n".encode()
    valid, report = load_contacts(write(tmp_path, body))
    assert report.ok and report.valid_path is None
    assert valid["p_true"].tolist() == [0.25]


def test_ragged_record_is_quarantined_not_dropped(tmp_path: Path) -> None:
    body = f"{HEADER}\n{line('A1')}\nA2,2024-01-01,school\n{line('A3')}\n".encode()
    report = validate_file(write(tmp_path, body))
    assert [(i.row, i.column) for i in report.issues] == [(2, "(record)")]
    assert "record has 3 fields, the header has 11" in report.issues[0].reason
    assert report.valid_rows == 2 and report.quarantined_rows == 1


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("empty.csv", b"", "file is empty"),
        ("bom_only.csv", b"\xef\xbb\xbf\r\n", "file is empty"),
        ("notext.csv", HEADER.replace(",text", "").encode(), "missing required column(s): text"),
        ("contacts.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
        ("broken.parquet", b"not parquet", "cannot read Parquet file"),
        ("quote.csv", f'{HEADER}\nA1,2024-01-01,school,"unterminated\n'.encode(), "malformed CSV"),
    ],
)
def test_file_level_problems_give_one_error_and_no_outputs(
    tmp_path: Path, name: str, body: bytes, message: str
) -> None:
    path = write(tmp_path, body, name)
    report = validate_file(path)
    assert report.file_error is not None and message in report.file_error
    assert not report.ok
    assert report.valid_path is None and report.quarantine_path is None
    assert not any(p.exists() for p in output_paths(path))
    with pytest.raises(ContractError):
        load_contacts(path)


def test_missing_file_is_a_file_level_error(tmp_path: Path) -> None:
    report = validate_file(tmp_path / "nope.csv")
    assert report.file_error == "file not found"


def test_header_case_and_whitespace_are_normalised_with_a_warning(tmp_path: Path) -> None:
    body = (" Contact_ID" + HEADER.removeprefix("contact_id") + "\n" + line("A1") + "\n").encode()
    report = validate_file(write(tmp_path, body))
    assert report.ok
    assert any("read as 'contact_id'" in w for w in report.warnings)


def test_parquet_input_is_validated_the_same_way(tmp_path: Path) -> None:
    csv_path = write(tmp_path, messy_export())
    raw = read_raw(csv_path).drop(columns=["_line", "_fields"])
    raw = raw[raw["contact_id"] != "C15"]  # Parquet cannot hold invalid UTF-8
    parquet_path = tmp_path / "export.parquet"
    raw.to_parquet(parquet_path, index=False)
    report = validate_file(parquet_path)
    got = {i.row: (i.column, i.reason) for i in report.issues}
    expected = {row: v for row, v in EXPECTED.items() if row != 15}
    assert sorted(got) == sorted(expected)
    assert all(got[r][1].startswith(expected[r][1]) for r in expected)
    assert all(i.line is None for i in report.issues)
    assert report.valid_rows + report.quarantined_rows == report.rows == 14


def test_typed_parquet_columns_are_accepted(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "contact_id": ["A", "B"],
            "received_at": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 00:00"]),
            "source": ["police", "health"],
            "text": ["one", "two"],
            "outcome": ["nfa", "referral"],
            "child_age_years": pd.array([5, None], dtype="Int64"),
            "needs_interpreter": pd.array([True, None], dtype="boolean"),
        }
    )
    path = tmp_path / "typed.parquet"
    frame.to_parquet(path, index=False)
    valid, report = load_contacts(path)
    assert report.ok
    assert valid["child_age_years"].tolist()[0] == 5
    assert valid["received_at"].tolist()[1] == pd.Timestamp("2024-01-02")
