"""An export read in pieces (``iter_raw``, batch scoring's reader) gives exactly the rows,
types, line numbers and field counts that reading it whole (``read_raw``) gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from training.data.read import ContractError, iter_raw, read_header, read_raw
from training.data.validate import validate_frame

HEADER = "Contact_ID,received_at,source,text"
#: BOM, CRLF, blank lines, a quoted newline, a ragged record, an invalid byte.
AWKWARD_CSV = (
    b"\xef\xbb\xbf"
    + HEADER.encode()
    + b"\r\n\r\n"
    + b'C1,2024-01-01,police,"Dad hit him.\r\nBruise seen, ""big"" one."\r\n'
    + b"C2,2024-01-02,school,plain text,extra field\r\n"
    + b"\r\n"
    + b"C3,2024-01-03,health,bad byte \xff here\r\n"
    + b"C4,2024-01-04,health\r\n"
    + b"C5,2024-01-05,other,last line without an ending"
)


def pieces(path: Path, rows: int) -> pd.DataFrame:
    parts = list(iter_raw(path, rows=rows))
    assert all(len(p) <= rows for p in parts)
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_a_csv_in_pieces_is_the_csv_read_whole(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "awkward.csv"
    path.write_bytes(AWKWARD_CSV)
    whole = read_raw(path)
    parts = list(iter_raw(path, rows=rows))
    assert len(parts) == -(-len(whole) // rows)
    assert pd.concat(parts, ignore_index=True).equals(whole)
    assert whole["_line"].tolist() == [3, 5, 7, 8, 9]
    assert whole["_fields"].tolist() == [4, 5, 4, 3, 4]
    assert all(p.attrs["original_columns"] == HEADER.split(",") for p in parts)


def test_a_parquet_in_pieces_is_the_parquet_read_whole(tmp_path: Path) -> None:
    n = 25
    frame = pd.DataFrame(
        {
            "Contact_ID": [f"C{i}" for i in range(n)],
            "received_at": pd.date_range("2024-01-01", periods=n, freq="D"),
            "source": ["police"] * n,
            "text": [f"text {i}" for i in range(n)],
            "child_age_years": pd.array([i % 18 if i % 5 else None for i in range(n)], "Int64"),
        }
    )
    path = tmp_path / "export.parquet"
    frame.to_parquet(path, index=False)
    whole = read_raw(path)
    joined = pieces(path, 7)
    assert joined.equals(whole)
    assert joined.dtypes.equals(whole.dtypes)
    assert list(joined.columns)[0] == "contact_id"
    assert read_header(path) == list(whole.columns)


def test_an_export_without_rows_gives_one_empty_piece_with_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "header-only.csv"
    path.write_text(HEADER + "\n", encoding="utf-8")
    [only] = list(iter_raw(path, rows=10))
    assert len(only) == 0
    assert read_header(path) == ["contact_id", "received_at", "source", "text"]
    parquet = tmp_path / "empty.parquet"
    pd.DataFrame({"contact_id": pd.Series([], dtype="string")}).to_parquet(parquet)
    [empty] = list(iter_raw(parquet, rows=10))
    assert list(empty.columns) == ["contact_id"] and len(empty) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\n\n  \n", "file is empty"),
        (b"\xff\xfec\x00,\x00", "UTF-16"),
        (b"contact_id,Contact_ID\n1,2\n", "duplicate column"),
    ],
)
def test_file_level_problems_are_refused_as_when_read_whole(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ContractError, match=message):
        read_raw(path)
    with pytest.raises(ContractError, match=message):
        list(iter_raw(path, rows=5))


def test_malformed_quoting_is_refused_when_the_reading_reaches_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    good = "".join(f"C{i},2024-01-01,police,fine\n" for i in range(4))
    path.write_text(HEADER + "\n" + good + 'C9,2024-01-01,police,"never closed\n', "utf-8")
    reading = iter_raw(path, rows=2)
    assert len(next(reading)) == 2 and len(next(reading)) == 2
    with pytest.raises(ContractError, match="malformed CSV at line"):
        next(reading)


@pytest.mark.parametrize("name", ["export.txt", "missing.csv"])
def test_a_wrong_type_or_a_missing_file_is_refused_before_reading(
    tmp_path: Path, name: str
) -> None:
    with pytest.raises(ContractError):
        iter_raw(tmp_path / name, rows=5)


def test_rows_judged_each_on_their_own_keep_a_repeated_contact_id(tmp_path: Path) -> None:
    raw = pd.DataFrame(
        {
            "contact_id": ["C1", "C1", "C2"],
            "received_at": ["2024-01-01"] * 3,
            "source": ["police"] * 3,
            "text": ["a", "b", "c"],
        },
        dtype=object,
    )
    _, refused, _ = validate_frame(raw, require_outcome=False)
    assert refused["_row"].tolist() == [2]
    valid, refused, _ = validate_frame(raw, require_outcome=False, unique_ids=False)
    assert len(refused) == 0 and valid["contact_id"].tolist() == ["C1", "C1", "C2"]
    assert np.array_equal(valid["text"].to_numpy(), np.array(["a", "b", "c"], dtype=object))
