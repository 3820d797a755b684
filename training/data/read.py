"""Reading a contact export as received, before any value is checked (CSV or Parquet).

Header names are normalised (trimmed, lower-cased, blanks named ``unnamed:<n>``); values
are left exactly as read. A file-level problem (unreadable, unknown extension, empty,
malformed quoting, duplicate column names) raises :class:`ContractError`.

This module also holds the one rule for showing a raw value in a message, :func:`echo`,
shared by the reader and the checks in ``training.data.validate``: concern text is
personal data, and a shifted CSV column can put it into any column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

__all__ = [
    "CONTROLS",
    "FIELDS_COLUMN",
    "LINE_COLUMN",
    "META_COLUMNS",
    "SURROGATES",
    "ContractError",
    "echo",
    "read_raw",
]

#: Read metadata that ``read_raw`` adds to CSV frames; never data, never carried on.
LINE_COLUMN: Final = "_line"
FIELDS_COLUMN: Final = "_fields"
META_COLUMNS: Final = frozenset({LINE_COLUMN, FIELDS_COLUMN})

# Invalid UTF-8 bytes arrive as lone surrogates U+DC80-U+DCFF (errors="surrogateescape"),
# which keeps every row in place: a replacement decoder would hide which bytes were bad.
#: Regex class body of the lone surrogates that stand for invalid UTF-8 bytes.
SURROGATES: Final = r"\ud800-\udfff"
#: Regex class body of the C0 and C1 control characters other than tab, newline and CR.
CONTROLS: Final = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"

_CSV_SUFFIXES: Final = frozenset({".csv"})
_PARQUET_SUFFIXES: Final = frozenset({".parquet", ".pq"})
_ECHO_MAX: Final = 40
_ECHO_MAX_WORDS: Final = 3
_BAD_CHARS_PATTERN: Final = f"[{CONTROLS}{SURROGATES}]"


class ContractError(Exception):
    """A file-level problem (unreadable file, unknown extension, empty file, missing required
    column): nothing can be validated. The message is safe to print: it never holds data."""


def read_raw(path: Path) -> pd.DataFrame:
    """Read an export as received, without interpreting any value.

    CSV: UTF-8 with or without a byte-order mark, LF or CRLF line endings, quoted fields
    with embedded newlines; every value stays a ``str`` (an empty field is ``""``, and
    "NA" or "None" stay text); invalid UTF-8 bytes are kept as lone surrogates so the
    validator can report them; blank lines between records are skipped. Header names are
    trimmed and lower-cased (the originals are in ``frame.attrs["original_columns"]``).
    Two metadata columns are added: ``_line`` (physical line where each record starts) and
    ``_fields`` (how many fields the record had). Parquet: read with pyarrow, types kept.

    Raises ``ContractError`` for a missing or unreadable file, an unknown extension, an
    empty file, malformed CSV quoting, or duplicate column names.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _CSV_SUFFIXES | _PARQUET_SUFFIXES:
        raise ContractError(
            f"unsupported file type {suffix or '(none)'!r}: expected .csv or .parquet"
        )
    if not path.is_file():
        raise ContractError("file not found")
    if suffix in _CSV_SUFFIXES:
        return _read_csv(path)
    return _read_parquet(path)


def _read_csv(path: Path) -> pd.DataFrame:
    records, ends = _csv_records(_csv_text(path))
    counts = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    end_lines = np.asarray(ends, dtype=np.int64)
    start_lines = np.concatenate(([1], end_lines[:-1] + 1)) if len(ends) else end_lines
    nonblank = np.flatnonzero(counts > 0)  # a blank line is not a row
    if not len(nonblank):
        raise ContractError("file is empty")
    header_at = int(nonblank[0])
    header, header_line = records[header_at], int(start_lines[header_at])
    rows_at = nonblank[1:]
    if len(rows_at) != len(records) - header_at - 1:
        records = [records[i] for i in rows_at.tolist()]
    else:
        records = records[header_at + 1 :]
    lines, counts = start_lines[rows_at], counts[rows_at]
    names = _normalise_header(header)
    width = len(names)
    for i in np.flatnonzero(counts != width).tolist():
        # Kept, padded or cut to the header; validate_frame quarantines the record.
        records[i] = (records[i] + [""] * width)[:width]
    columns = list(zip(*records, strict=True)) if records else [()] * width
    frame = pd.DataFrame(
        {name: pd.Series(col, dtype=object) for name, col in zip(names, columns, strict=True)}
    )
    frame[LINE_COLUMN] = np.asarray(lines, dtype=np.int64)
    frame[FIELDS_COLUMN] = np.asarray(counts, dtype=np.int64)
    frame.attrs["original_columns"] = list(header)
    frame.attrs["header_line"] = header_line
    return frame


def _csv_text(path: Path) -> str:
    """The file decoded as UTF-8, byte-order mark dropped, invalid bytes kept as surrogates."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContractError(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContractError("file is UTF-16 encoded: export it as UTF-8 CSV")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise ContractError("file is empty")
    return data.decode("utf-8", errors="surrogateescape")


def _csv_records(text: str) -> tuple[list[list[str]], list[int]]:
    """Every CSV record (blank lines as empty records) and the line on which each ends."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    ends: list[int] = []
    keep, mark = records.append, ends.append  # the hot loop: one C call each per record
    try:
        for record in reader:
            keep(record)
            mark(reader.line_num)
    except csv.Error as exc:
        raise ContractError(f"malformed CSV at line {reader.line_num}: {exc}") from None
    return records, ends


def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ContractError(f"cannot read Parquet file: {_first_line(str(exc))}") from None
    frame = table.to_pandas()
    original = [str(c) for c in frame.columns]
    frame.columns = _normalise_header(original)
    frame.attrs["original_columns"] = original
    return frame


def _normalise_header(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, name in enumerate(header, start=1):
        clean = name.strip().lower()
        names.append(clean or f"unnamed:{i}")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ContractError(f"duplicate column {echo(name)} in the header")
        seen.add(name)
    return names


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return line[:200]


def echo(value: object, *, quote: bool = True) -> str:
    """A non-text value shown in a message, or a description of it when it may be prose.

    A shifted CSV column can put concern text into an enum or date column; a value longer
    than 40 characters or of more than three words is therefore described, never shown.
    Control and invalid characters are escaped.
    """
    text = str(value).strip()
    if len(text) > _ECHO_MAX or len(text.split()) > _ECHO_MAX_WORDS:
        return f"(a {len(text):,}-character value, not shown)"
    text = re.sub(_BAD_CHARS_PATTERN, lambda m: f"\\u{ord(m.group()):04x}", text)
    return f"'{text}'" if quote else text
