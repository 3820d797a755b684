"""Reading a contact export as received, before any value is checked (CSV or Parquet).

Header names are normalised (trimmed, lower-cased, blanks named ``unnamed:<n>``); values
are left exactly as read. A file-level problem (unreadable, unknown extension, empty,
malformed quoting, duplicate column names) raises :class:`ContractError`.

This module also holds the one rule for showing a raw value in a message, :func:`echo`,
shared by the reader and the checks in ``training.data.validate``: concern text is
personal data, and a shifted CSV column can put it into any column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final, TextIO

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
    "iter_raw",
    "normalise_header",
    "read_header",
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
    path = _checked_path(path)
    if path.suffix.lower() in _CSV_SUFFIXES:
        return _read_csv(path)
    return _read_parquet(path)


def iter_raw(path: Path, *, rows: int) -> Iterator[pd.DataFrame]:
    """The export of :func:`read_raw` in pieces of at most ``rows`` data rows, read as
    they are consumed: memory is bounded by the piece, not the file (batch scoring).

    Each piece is what ``read_raw`` gives for the same rows: the same normalised header,
    values and types, and for CSV the same ``_line`` (counted over the whole file) and
    ``_fields``. An export without data rows gives one empty piece, so that its columns
    can still be checked. Raises ``ContractError`` as ``read_raw`` does; a malformed CSV
    record raises when the reading reaches it."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    path = _checked_path(path)
    if path.suffix.lower() in _CSV_SUFFIXES:
        return _iter_csv(path, rows)
    return _iter_parquet(path, rows)


def read_header(path: Path) -> list[str]:
    """The normalised column names of an export, reading no more than its first row."""
    first = next(iter_raw(path, rows=1))
    return [str(c) for c in first.columns if c not in META_COLUMNS]


def _checked_path(path: Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _CSV_SUFFIXES | _PARQUET_SUFFIXES:
        raise ContractError(
            f"unsupported file type {suffix or '(none)'!r}: expected .csv or .parquet"
        )
    if not path.is_file():
        raise ContractError("file not found")
    return path


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
    return _csv_frame(
        records, start_lines[rows_at], counts[rows_at], header=header, header_line=header_line
    )


def _csv_frame(
    records: list[list[str]],
    lines: np.ndarray,
    counts: np.ndarray,
    *,
    header: list[str],
    header_line: int,
    names: list[str] | None = None,
) -> pd.DataFrame:
    """The raw frame of CSV data records (starting at physical ``lines``, of ``counts``
    fields each) under ``header``."""
    names = normalise_header(header) if names is None else names
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


def _iter_csv(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """CSV records read from a stream, ``rows`` at a time, with the rules of ``_read_csv``."""
    header: list[str] | None = None
    names: list[str] = []
    header_line = 1
    records: list[list[str]] = []
    lines: list[int] = []
    yielded = False
    end = 0
    with _csv_stream(path) as stream:
        reader = csv.reader(stream, strict=True)
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise ContractError(f"malformed CSV at line {reader.line_num}: {exc}") from None
            start, end = end + 1, reader.line_num
            if not record:  # a blank line is not a row
                continue
            if header is None:
                header, header_line, names = record, start, normalise_header(record)
                continue
            records.append(record)
            lines.append(start)
            if len(records) == rows:
                yield _chunk(records, lines, header, header_line, names)
                records, lines, yielded = [], [], True
    if header is None or (not yielded and not records and not "".join(header).strip()):
        raise ContractError("file is empty")
    if records or not yielded:
        yield _chunk(records, lines, header, header_line, names)


def _chunk(
    records: list[list[str]],
    lines: list[int],
    header: list[str],
    header_line: int,
    names: list[str],
) -> pd.DataFrame:
    counts = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    return _csv_frame(
        records,
        np.asarray(lines, dtype=np.int64),
        counts,
        header=header,
        header_line=header_line,
        names=names,
    )


@contextlib.contextmanager
def _csv_stream(path: Path) -> Iterator[TextIO]:
    """The file as text, decoded as ``_csv_text`` decodes it, but as it is read."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the wrapper below
    except OSError as exc:
        raise ContractError(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    head = raw.read(3)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.close()
        raise ContractError("file is UTF-16 encoded: export it as UTF-8 CSV")
    if not head.startswith(b"\xef\xbb\xbf"):
        raw.seek(0)
    with io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="") as text:
        yield text


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
    return _parquet_frame(table.to_pandas())


def _iter_parquet(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """Parquet record batches of ``rows``, each as ``_read_parquet`` would give its rows."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise ContractError(f"cannot read Parquet file: {_first_line(str(exc))}") from None
    batches = parquet.iter_batches(batch_size=rows)
    yielded = False
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:
            raise ContractError(f"cannot read Parquet file: {_first_line(str(exc))}") from None
        if batch is None:
            break
        yield _parquet_frame(batch.to_pandas())
        yielded = True
    if not yielded:
        yield _parquet_frame(parquet.schema_arrow.empty_table().to_pandas())


def _parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows read from Parquet, header normalised (the originals kept in ``attrs``)."""
    original = [str(c) for c in frame.columns]
    frame.columns = normalise_header(original)
    frame.attrs["original_columns"] = original
    return frame


def normalise_header(header: list[str]) -> list[str]:
    """Column names as the contract reads them: trimmed and lower-cased, a blank one named
    ``unnamed:<position>``; ContractError when two names become one."""
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
