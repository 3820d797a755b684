"""Validation of contact exports against the contact contract (``training.data.contract``).

A council's export is read as received (CSV or Parquet), every row is checked against the
contract, and the result is split in two: the *valid* rows, normalised and typed, and the
*quarantined* rows, kept with their original raw values and the reasons they were refused.
Nothing is silently dropped or coerced: ``valid rows + quarantined rows == rows read``.

Documented normalisation of valid rows (the only changes made to a value):

* enum values (source, outcome, child_sex, ...) are trimmed and lower-cased;
* ``contact_id`` and ``text`` are trimmed of surrounding whitespace (inner text is untouched);
* ``received_at`` is parsed from ISO 8601 (date, optional time, optional zone) or UK
  ``dd/mm/yyyy`` with optional ``HH:MM[:SS]`` and stored as timezone-naive UTC; values
  without a zone are taken as already UTC (no guess at local time is made);
* integers accept ``7``, ``+7`` and ``7.0`` (how pandas writes an integer column holding
  gaps) and are stored as nullable ``Int64``;
* booleans accept ``contract.BOOL_TRUE`` / ``contract.BOOL_FALSE`` case-insensitively and
  are stored as nullable ``boolean``;
* empty or whitespace-only optional values are missing (``<NA>``).

Row numbers (``Issue.row``, the quarantine file's ``_row``) count data rows from 1: the
first row after the CSV header is row 1. For CSV, ``_line`` is the physical line where the
record starts (the header is line 1), which differs from the row when text holds newlines.

Concern text is personal data: no reason, warning or error message produced here contains a
text value. Enum, date and number values may be echoed when short (at most 40 characters and
three words); longer values, which may be misplaced prose, are described, never shown.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from training.data.contract import (
    BOOL_FALSE,
    BOOL_TRUE,
    COLUMNS,
    GENERATOR_COLUMNS,
    MAX_TEXT_CHARS,
    Column,
)

__all__ = [
    "ContractError",
    "Issue",
    "RECORD_COLUMN",
    "ValidationReport",
    "load_contacts",
    "output_paths",
    "read_raw",
    "render_report",
    "validate_file",
    "validate_frame",
]

#: Pseudo-column named by issues about a whole CSV record (a wrong number of fields).
RECORD_COLUMN: Final = "(record)"
#: Read metadata that ``read_raw`` adds to CSV frames; never data, never carried on.
_LINE: Final = "_line"
_FIELDS: Final = "_fields"
_META_COLUMNS: Final = frozenset({_LINE, _FIELDS})

_CSV_SUFFIXES: Final = frozenset({".csv"})
_PARQUET_SUFFIXES: Final = frozenset({".parquet", ".pq"})
_ECHO_MAX: Final = 40
_ECHO_MAX_WORDS: Final = 3

# Invalid UTF-8 bytes arrive as lone surrogates U+DC80-U+DCFF (errors="surrogateescape"),
# which keeps every row in place: a replacement decoder would hide which bytes were bad.
_SURROGATES: Final = r"\ud800-\udfff"
# C0 and C1 control characters other than tab, newline and carriage return.
_CONTROLS: Final = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BAD_CHARS_PATTERN: Final = f"[{_CONTROLS}{_SURROGATES}]"
_SURROGATE_RE: Final = re.compile(f"[{_SURROGATES}]")
_CONTROL_RE: Final = re.compile(f"[{_CONTROLS}]")
# The same class for Arrow's RE2 engine, which spells code points above 0x7e as \x{..}.
_CONTROL_RE2: Final = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{7f}-\x{9f}]"

_ISO_PATTERN: Final = (
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
_UK_PATTERN: Final = (
    r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
_INT_PATTERN: Final = r"^[+-]?\d+(?:\.0*)?$"
_DATE_FORMS: Final = "ISO 8601 or dd/mm/yyyy [HH:MM[:SS]]"

_KNOWN_COLUMNS: Final = frozenset(c.name for c in COLUMNS) | frozenset(GENERATOR_COLUMNS)


class ContractError(Exception):
    """A file-level problem (unreadable file, unknown extension, empty file, missing required
    column): nothing can be validated. The message is safe to print: it never holds data."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One reason one row breaks the contract.

    ``row`` is the 1-based data-row number (first row after the header = 1). ``column`` is a
    contract column, or ``RECORD_COLUMN`` for a CSV record with the wrong number of fields.
    ``reason`` never contains concern text. ``line`` is the physical CSV line where the record
    starts (``None`` for Parquet).
    """

    row: int
    column: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one export.

    Invariant when ``file_error`` is ``None``: ``valid_rows + quarantined_rows == rows``.
    ``issues`` lists every reason of every quarantined row (a row may have several), ordered
    by row then column. ``warnings`` are problems that refuse no row (unknown columns,
    renamed headers). ``valid_path`` / ``quarantine_path`` are the files written, if any.
    """

    source_path: Path
    rows: int
    valid_rows: int
    quarantined_rows: int
    issues: tuple[Issue, ...]
    warnings: tuple[str, ...]
    file_error: str | None
    valid_path: Path | None
    quarantine_path: Path | None

    @property
    def ok(self) -> bool:
        """True when the file was read and no row was quarantined."""
        return self.file_error is None and self.quarantined_rows == 0


# --------------------------------------------------------------------------- reading


def output_paths(path: Path) -> tuple[Path, Path]:
    """Where ``validate_file`` writes for ``path``: ``<stem>.valid.parquet`` and
    ``<stem>.quarantine.csv`` beside it."""
    path = Path(path)
    return (
        path.with_name(f"{path.stem}.valid.parquet"),
        path.with_name(f"{path.stem}.quarantine.csv"),
    )


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
    text = data.decode("utf-8", errors="surrogateescape")
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
    frame[_LINE] = np.asarray(lines, dtype=np.int64)
    frame[_FIELDS] = np.asarray(counts, dtype=np.int64)
    frame.attrs["original_columns"] = list(header)
    frame.attrs["header_line"] = header_line
    return frame


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
            raise ContractError(f"duplicate column {_echo(name)} in the header")
        seen.add(name)
    return names


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return line[:200]


# --------------------------------------------------------------------------- validation


class _Findings:
    """Problems found so far, as (position, column, reason); position is 0-based."""

    def __init__(self, n: int) -> None:
        self.items: list[tuple[int, str, str]] = []
        self.bad = np.zeros(n, dtype=bool)

    def add(self, positions: np.ndarray, column: str, reasons: list[str]) -> None:
        self.items.extend(zip(positions.tolist(), [column] * len(reasons), reasons, strict=True))
        self.bad[positions] = True

    def add_one(self, position: int, column: str, reasons: list[str]) -> None:
        self.items.extend((position, column, reason) for reason in reasons)
        self.bad[position] = True


def validate_frame(
    raw: pd.DataFrame, *, require_outcome: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Split ``raw`` (as from ``read_raw``) into valid typed rows and quarantined raw rows.

    Returns ``(valid, quarantined, issues)``:

    * ``valid``: the good rows, every contract column in contract order (absent optional
      columns as all-missing) then any generator side columns, normalised and typed as the
      module docstring describes, index 0..n-1. Unknown columns are not carried.
    * ``quarantined``: the bad rows with their raw values as read (all columns), preceded
      by ``_row`` (1-based data row), ``_line`` (CSV only), ``_column`` and ``_reason``
      (the row's columns and reasons, aligned and joined by "; ").
    * ``issues``: one per (row, column, reason), ordered by row then column.

    ``require_outcome`` (training) quarantines rows without an outcome; scoring data sets
    it to False. Raises ``ContractError`` when a required column is absent.
    """
    n = len(raw)
    data_columns = [c for c in raw.columns if c not in _META_COLUMNS]
    required = [c.name for c in COLUMNS if c.required == "always"]
    if require_outcome:
        required += [c.name for c in COLUMNS if c.required == "training"]
    missing = [name for name in required if name not in raw.columns]
    if missing:
        found = ", ".join(_echo(str(c), quote=False) for c in data_columns[:20]) or "none"
        hint = (
            " (outcome is required for training; allow a missing outcome for scoring data)"
            if missing == ["outcome"]
            else ""
        )
        raise ContractError(
            f"missing required column(s): {', '.join(missing)}{hint}; found: {found}"
        )

    findings = _Findings(n)
    typed: dict[str, pd.Series] = {}
    for column in COLUMNS:
        if column.name in raw.columns:
            typed[column.name] = _check_column(
                column, raw[column.name], findings, require_outcome=require_outcome
            )
    _check_duplicate_ids(typed["contact_id"], findings)

    # A record with the wrong number of fields has shifted values: its other reasons would
    # only confuse, so it carries the one reason that explains them all.
    record_bad = np.zeros(n, dtype=bool)
    if _FIELDS in raw.columns:
        width = len(data_columns)
        counts = raw[_FIELDS].to_numpy(dtype=np.int64)
        record_bad = counts != width
        if record_bad.any():
            findings.items = [item for item in findings.items if not record_bad[item[0]]]
            positions = np.flatnonzero(record_bad)
            findings.add(
                positions,
                RECORD_COLUMN,
                [f"record has {counts[p]} fields, the header has {width}" for p in positions],
            )

    order = {name: i for i, name in enumerate([RECORD_COLUMN, *data_columns])}
    findings.items.sort(key=lambda item: (item[0], order.get(item[1], len(order))))
    lines = raw[_LINE].to_numpy() if _LINE in raw.columns else None
    issues = [
        Issue(
            row=pos + 1,
            column=col,
            reason=reason,
            line=None if lines is None else int(lines[pos]),
        )
        for pos, col, reason in findings.items
    ]

    good = ~findings.bad
    valid = _valid_frame(raw, typed, good, n=n)
    quarantined = _quarantine_frame(raw, findings, data_columns)
    return valid, quarantined, issues


def _check_column(
    column: Column, series: pd.Series, findings: _Findings, *, require_outcome: bool
) -> pd.Series:
    """Record ``column``'s problems in ``findings``; return the typed full-length series
    (values at refused positions are meaningless and never reach the valid frame)."""
    required = column.required == "always" or (column.required == "training" and require_outcome)
    dtype = series.dtype
    if column.kind == "datetime" and pd.api.types.is_datetime64_any_dtype(dtype):
        return _typed_datetime(column, series, findings, required=required)
    if column.kind == "int" and _is_plain_numeric(dtype):
        return _typed_int(column, series, findings, required=required)
    if column.kind == "bool" and (pd.api.types.is_bool_dtype(dtype) or _is_plain_numeric(dtype)):
        return _typed_bool(column, series, findings, required=required)
    return _check_strings(column, series, findings, required=required)


def _check_strings(
    column: Column, series: pd.Series, findings: _Findings, *, required: bool
) -> pd.Series:
    """The string path (every CSV column; text-like Parquet columns), vectorised with
    Arrow compute kernels; Python runs per row only for refused rows."""
    values = _strings(series)
    arr, invalid = _to_arrow(values)
    control = _np(pc.match_substring_regex(arr, _CONTROL_RE2))
    # Invalid bytes and control characters first; a cell that has them is judged on that
    # alone, and its value is never echoed.
    flagged = invalid | control
    for pos in np.flatnonzero(flagged).tolist():
        findings.add_one(pos, column.name, _char_reasons(values[pos]))
    stripped = pc.utf8_trim_whitespace(arr)
    empty = _np(pc.equal(pc.utf8_length(stripped), 0)) & ~flagged
    checkable = ~flagged & ~empty
    name = column.name

    if column.kind == "text":
        raw_empty = _np(pc.equal(pc.utf8_length(arr), 0)) & ~flagged
        _add_mask(findings, raw_empty, name, "text is empty")
        _add_mask(findings, empty & ~raw_empty, name, "text is only whitespace")
        lengths = _np(pc.utf8_length(stripped))
        _add_each(
            findings,
            checkable & (lengths > MAX_TEXT_CHARS),
            name,
            lengths,
            lambda n: f"text has {n:,} characters (max {MAX_TEXT_CHARS:,})",
        )
        return _string_series(stripped, empty | flagged, series.index)

    if required:
        reason = (
            "missing outcome (required for training)"
            if name == "outcome"
            else "missing required value"
        )
        _add_mask(findings, empty, name, reason)

    if column.kind == "string":
        return _string_series(stripped, empty | flagged, series.index)
    if column.kind == "enum":
        lowered = pc.utf8_lower(stripped)
        known = _np(pc.is_in(lowered, value_set=pa.array(column.values, pa.large_string())))
        expected = ", ".join(column.values)
        _add_each(
            findings,
            checkable & ~known,
            name,
            stripped,
            lambda v: f"unknown value {_echo(v)} (expected one of {expected})",
        )
        return _string_series(lowered, empty | flagged, series.index)
    if column.kind == "datetime":
        return _parse_dates(column, stripped, checkable, findings, series.index)
    if column.kind == "int":
        whole = _np(pc.match_substring_regex(stripped, _INT_PATTERN))
        _add_each(
            findings,
            checkable & ~whole,
            name,
            stripped,
            lambda v: f"not a whole number: {_echo(v)}",
        )
        ok = checkable & whole
        numbers = np.full(len(values), np.nan)
        if ok.any():
            digits = pc.replace_substring_regex(
                stripped.filter(pa.array(ok)), pattern=r"\.0*$", replacement=""
            )
            numbers[ok] = _np(pc.cast(digits, pa.float64()))
        return _range_checked(column, numbers, ok, findings, series.index)
    if column.kind == "bool":
        lowered = pc.utf8_lower(stripped)
        is_true = _np(pc.is_in(lowered, value_set=pa.array(sorted(BOOL_TRUE), pa.large_string())))
        is_false = _np(pc.is_in(lowered, value_set=pa.array(sorted(BOOL_FALSE), pa.large_string())))
        _add_each(
            findings,
            checkable & ~is_true & ~is_false,
            name,
            stripped,
            lambda v: f"not a boolean: {_echo(v)} (expected true/false, yes/no, y/n or 1/0)",
        )
        out = pd.array([pd.NA] * len(values), dtype="boolean")
        out[checkable & is_true] = True
        out[checkable & is_false] = False
        return pd.Series(out, index=series.index)
    raise AssertionError(f"unhandled column kind {column.kind}")  # pragma: no cover


def _parse_dates(
    column: Column,
    stripped: pa.Array,
    checkable: np.ndarray,
    findings: _Findings,
    index: pd.Index,
) -> pd.Series:
    result = np.full(len(stripped), np.datetime64("NaT"), dtype="datetime64[us]")
    iso = checkable & _np(pc.match_substring_regex(stripped, _ISO_PATTERN))
    if iso.any():
        subset = stripped.filter(pa.array(iso)).to_pandas()
        parsed = pd.to_datetime(subset, format="ISO8601", errors="coerce", utc=True)
        result[iso] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    uk = checkable & ~iso & _np(pc.match_substring_regex(stripped, _UK_PATTERN))
    if uk.any():
        parts = pc.extract_regex(stripped.filter(pa.array(uk)), _UK_PATTERN)
        fields = {
            name: pc.cast(
                pc.if_else(pc.equal(parts.field(name), ""), "0", parts.field(name)), pa.int64()
            ).to_numpy()
            for name in ("day", "month", "year", "hour", "minute", "second")
        }
        parsed_uk = pd.to_datetime(pd.DataFrame(fields), errors="coerce").to_numpy(
            dtype="datetime64[us]", copy=True
        )
        # pd.to_datetime(frame) would roll hour 24+ over to the next day; refuse it instead.
        impossible = (fields["hour"] > 23) | (fields["minute"] > 59) | (fields["second"] > 59)
        parsed_uk[impossible] = np.datetime64("NaT")
        result[uk] = parsed_uk
    _add_each(
        findings,
        checkable & np.isnat(result),
        column.name,
        stripped,
        lambda v: f"unparseable date {_echo(v)} (expected {_DATE_FORMS})",
    )
    return pd.Series(result, index=index)


def _typed_int(
    column: Column, series: pd.Series, findings: _Findings, *, required: bool
) -> pd.Series:
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    values = numbers.to_numpy()
    missing = np.isnan(values)
    if required:
        _add_mask(findings, missing, column.name, "missing required value")
    finite = np.isfinite(values)
    fractional = ~missing & (~finite | (np.where(finite, values, 0.0) % 1 != 0))
    _add_each(
        findings, fractional, column.name, numbers, lambda v: f"not a whole number: {_echo(v)}"
    )
    return _range_checked(column, values, ~missing & ~fractional, findings, series.index)


def _range_checked(
    column: Column, values: np.ndarray, ok: np.ndarray, findings: _Findings, index: pd.Index
) -> pd.Series:
    """Refuse whole numbers outside the column's bounds; return them as nullable Int64."""
    low = -np.inf if column.minimum is None else column.minimum
    high = np.inf if column.maximum is None else column.maximum
    outside = ok & ((values < low) | (values > high))
    bounds = f"{column.minimum} to {column.maximum}"
    _add_each(
        findings,
        outside,
        column.name,
        values,
        lambda v: f"{_echo(f'{v:.0f}', quote=False)} is out of range ({bounds})",
    )
    keep = ok & ~outside
    out = pd.array([pd.NA] * len(values), dtype="Int64")
    out[keep] = values[keep].astype(np.int64)
    return pd.Series(out, index=index)


def _typed_datetime(
    column: Column, series: pd.Series, findings: _Findings, *, required: bool
) -> pd.Series:
    if getattr(series.dt, "tz", None) is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
    result = series.astype("datetime64[us]")
    if required:
        _add_mask(
            findings, result.isna().to_numpy(dtype=bool), column.name, "missing required value"
        )
    return result


def _typed_bool(
    column: Column, series: pd.Series, findings: _Findings, *, required: bool
) -> pd.Series:
    if pd.api.types.is_bool_dtype(series.dtype):
        result = series.astype("boolean")
    else:
        numbers = pd.to_numeric(series, errors="coerce").astype("float64")
        values = numbers.to_numpy()
        bad = ~np.isnan(values) & (values != 0) & (values != 1)
        _add_each(
            findings,
            bad,
            column.name,
            numbers,
            lambda v: f"not a boolean: {_echo(v)} (expected true/false, yes/no, y/n or 1/0)",
        )
        out = pd.array([pd.NA] * len(values), dtype="boolean")
        out[values == 1] = True
        out[values == 0] = False
        result = pd.Series(out, index=series.index)
    if required:
        _add_mask(
            findings, result.isna().to_numpy(dtype=bool), column.name, "missing required value"
        )
    return result


def _check_duplicate_ids(ids: pd.Series, findings: _Findings) -> None:
    present = ids.notna().to_numpy(dtype=bool)
    duplicated = present & ids.duplicated(keep="first").to_numpy(dtype=bool)
    if not duplicated.any():
        return
    first_position = (
        pd.Series(np.arange(len(ids)), index=ids.index).groupby(ids, dropna=True).transform("min")
    )
    firsts = first_position.to_numpy()
    positions = np.flatnonzero(duplicated)
    findings.add(
        positions,
        "contact_id",
        [f"duplicate contact_id (first seen at row {int(firsts[p]) + 1})" for p in positions],
    )


def _valid_frame(
    raw: pd.DataFrame, typed: dict[str, pd.Series], good: np.ndarray, *, n: int
) -> pd.DataFrame:
    out: dict[str, Any] = {}
    count = int(good.sum())
    for column in COLUMNS:
        if column.name in typed:
            out[column.name] = typed[column.name][good].reset_index(drop=True)
        else:
            out[column.name] = pd.Series([None] * count, dtype=_EMPTY_DTYPES[column.kind])
    for name in GENERATOR_COLUMNS:
        if name in raw.columns:
            out[name] = _side_column(raw[name][good].reset_index(drop=True))
    return pd.DataFrame(out)


_EMPTY_DTYPES: Final[dict[str, str]] = {
    "string": "string",
    "text": "string",
    "enum": "string",
    "datetime": "datetime64[us]",
    "int": "Int64",
    "bool": "boolean",
}


def _side_column(series: pd.Series) -> pd.Series:
    """Generator side columns are outside the contract and kept as given; from CSV a column
    whose every value is a number (``p_true``, ``severity``) is read back as a number."""
    if series.dtype != object:
        return series
    try:
        return pd.to_numeric(series.where(series != "", None))
    except (ValueError, TypeError):
        return series


def _quarantine_frame(
    raw: pd.DataFrame, findings: _Findings, data_columns: list[str]
) -> pd.DataFrame:
    by_row: dict[int, tuple[list[str], list[str]]] = {}
    for pos, col, reason in findings.items:
        cols, reasons = by_row.setdefault(pos, ([], []))
        cols.append(col)
        reasons.append(reason)
    positions = sorted(by_row)
    bad = raw.iloc[positions][data_columns].reset_index(drop=True)
    meta: dict[str, Any] = {"_row": [p + 1 for p in positions]}
    if _LINE in raw.columns:
        meta["_line"] = raw[_LINE].to_numpy()[positions]
    meta["_column"] = ["; ".join(by_row[p][0]) for p in positions]
    meta["_reason"] = ["; ".join(by_row[p][1]) for p in positions]
    return pd.concat([pd.DataFrame(meta), bad], axis=1)


# --------------------------------------------------------------------------- helpers


def _is_plain_numeric(dtype: Any) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _strings(series: pd.Series) -> np.ndarray:
    """The column as an object array of Python ``str``; missing values become ``""``."""
    values = series.to_numpy(dtype=object)
    # A CSV column is all str already; skip the isna scan, which is slow on long text.
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        return values
    missing = pd.isna(values)
    values = values.copy()
    values[missing] = ""
    return np.fromiter(map(_to_str, values), dtype=object, count=len(values))


def _to_str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="surrogateescape")
    return str(value)


def _to_arrow(values: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """``values`` as an Arrow string array, and the mask of cells holding invalid UTF-8
    (lone surrogates), which Arrow cannot store: those cells become "" in the array."""
    try:
        return pa.array(values, type=pa.large_string()), np.zeros(len(values), dtype=bool)
    except (UnicodeEncodeError, pa.ArrowException):
        invalid = np.fromiter(
            (_SURROGATE_RE.search(v) is not None for v in values), dtype=bool, count=len(values)
        )
        clean = values.copy()
        clean[invalid] = ""
        return pa.array(clean, type=pa.large_string()), invalid


def _np(array: pa.Array) -> np.ndarray:
    """An Arrow result (no nulls: inputs are never null here) as a numpy array."""
    return array.to_numpy(zero_copy_only=False)


def _string_series(array: pa.Array, missing: np.ndarray, index: pd.Index) -> pd.Series:
    nulled = pc.if_else(pa.array(missing), pa.scalar(None, pa.large_string()), array)
    return pd.Series(pd.array(nulled, dtype="string"), index=index)


def _char_reasons(value: str) -> list[str]:
    reasons: list[str] = []
    surrogates = list(_SURROGATE_RE.finditer(value))
    if surrogates:
        code = ord(surrogates[0].group())
        what = (
            f"invalid UTF-8 byte 0x{code - 0xDC00:02X}"
            if 0xDC80 <= code <= 0xDCFF
            else f"invalid character U+{code:04X}"
        )
        reasons.append(what + _position(surrogates))
    controls = list(_CONTROL_RE.finditer(value))
    if controls:
        code = ord(controls[0].group())
        reasons.append(f"control character U+{code:04X}" + _position(controls))
    return reasons


def _position(matches: list[re.Match[str]]) -> str:
    more = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
    return f" at position {matches[0].start() + 1}{more}"


def _add_mask(findings: _Findings, mask: np.ndarray, column: str, reason: str) -> None:
    positions = np.flatnonzero(mask)
    if len(positions):
        findings.add(positions, column, [reason] * len(positions))


def _add_each(
    findings: _Findings,
    mask: np.ndarray,
    column: str,
    values: pa.Array | np.ndarray | pd.Series,
    reason: Callable[[Any], str],
) -> None:
    """Add ``reason(value)`` for each masked position: Python per refused row only."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return
    if isinstance(values, pa.Array):
        picked = values.filter(pa.array(mask)).to_pylist()
    elif isinstance(values, pd.Series):
        picked = values.to_numpy()[positions].tolist()
    else:
        picked = values[positions].tolist()
    findings.add(positions, column, [reason(v) for v in picked])


def _echo(value: object, *, quote: bool = True) -> str:
    """A non-text value shown in a reason, or a description of it when it may be prose.

    A shifted CSV column can put concern text into an enum or date column; a value longer
    than 40 characters or of more than three words is therefore described, never shown.
    Control and invalid characters are escaped.
    """
    text = str(value).strip()
    if len(text) > _ECHO_MAX or len(text.split()) > _ECHO_MAX_WORDS:
        return f"(a {len(text):,}-character value, not shown)"
    text = re.sub(_BAD_CHARS_PATTERN, lambda m: f"\\u{ord(m.group()):04x}", text)
    return f"'{text}'" if quote else text


# --------------------------------------------------------------------------- files


def _column_warnings(raw: pd.DataFrame) -> list[str]:
    warnings: list[str] = []
    original = raw.attrs.get("original_columns")
    data_columns = [c for c in raw.columns if c not in _META_COLUMNS]
    if isinstance(original, list) and len(original) == len(data_columns):
        for before, after in zip(original, data_columns, strict=True):
            if before != after and not after.startswith("unnamed:"):
                warnings.append(f"column header {_echo(before)} read as {_echo(after)}")
    for name in data_columns:
        if name not in _KNOWN_COLUMNS:
            warnings.append(
                f"unknown column {_echo(name)} ignored: not carried into the valid file"
            )
    if len(raw) == 0:
        warnings.append("the file has no data rows")
    return warnings


def load_contacts(
    path: Path, *, require_outcome: bool = True
) -> tuple[pd.DataFrame, ValidationReport]:
    """Validated, typed contacts for ``train``, ``evaluate`` and ``fairness``; no file is
    written. Quarantined rows are left out of the frame and counted in the report (the
    caller decides whether that is acceptable). Raises ``ContractError`` for a file-level
    problem."""
    path = Path(path)
    raw = read_raw(path)
    warnings = _column_warnings(raw)
    valid, quarantined, issues = validate_frame(raw, require_outcome=require_outcome)
    report = _report(path, raw, valid, quarantined, issues, warnings, None, None)
    return valid, report


def validate_file(
    path: Path, *, require_outcome: bool = True, write: bool = True
) -> ValidationReport:
    """Validate an export and, with ``write``, write beside it ``<stem>.valid.parquet``
    (the valid rows, typed) and, when any row was refused, ``<stem>.quarantine.csv`` (the
    refused rows as received, with ``_row``, ``_line``, ``_column``, ``_reason``). The input
    is never modified. A stale quarantine file from an earlier run is removed when this run
    is clean; on a file-level problem both stale outputs are removed and nothing is written,
    so what is on disk always matches the latest run. Never raises ``ContractError``: the
    problem is in ``report.file_error``."""
    path = Path(path)
    valid_path, quarantine_path = output_paths(path)
    try:
        raw = read_raw(path)
        warnings = _column_warnings(raw)
        valid, quarantined, issues = validate_frame(raw, require_outcome=require_outcome)
    except ContractError as exc:
        if write:
            for stale in (valid_path, quarantine_path):
                stale.unlink(missing_ok=True)
        return ValidationReport(
            source_path=path,
            rows=0,
            valid_rows=0,
            quarantined_rows=0,
            issues=(),
            warnings=(),
            file_error=str(exc),
            valid_path=None,
            quarantine_path=None,
        )
    written_valid: Path | None = None
    written_quarantine: Path | None = None
    if write:
        _atomic_write(valid_path, lambda tmp: valid.to_parquet(tmp, index=False))
        written_valid = valid_path
        if len(quarantined):
            _atomic_write(
                quarantine_path,
                lambda tmp: quarantined.to_csv(
                    tmp, index=False, encoding="utf-8", errors="surrogateescape"
                ),
            )
            written_quarantine = quarantine_path
        else:
            quarantine_path.unlink(missing_ok=True)
    return _report(
        path, raw, valid, quarantined, issues, warnings, written_valid, written_quarantine
    )


def _atomic_write(target: Path, write: Any) -> None:
    """Write through a temporary file in the same folder so a crash never leaves half a
    file under the final name."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _report(
    path: Path,
    raw: pd.DataFrame,
    valid: pd.DataFrame,
    quarantined: pd.DataFrame,
    issues: list[Issue],
    warnings: list[str],
    valid_path: Path | None,
    quarantine_path: Path | None,
) -> ValidationReport:
    if len(valid) + len(quarantined) != len(raw):  # the no-silent-drop invariant
        raise AssertionError("validation lost rows")  # pragma: no cover
    return ValidationReport(
        source_path=path,
        rows=len(raw),
        valid_rows=len(valid),
        quarantined_rows=len(quarantined),
        issues=tuple(issues),
        warnings=tuple(warnings),
        file_error=None,
        valid_path=valid_path,
        quarantine_path=quarantine_path,
    )


def render_report(report: ValidationReport, *, max_issues: int = 50) -> str:
    """The human summary ``screener data validate`` prints: counts, the first
    ``max_issues`` issues ("row 12 (line 14), column source: unknown value 'polise'
    (expected one of ...)"), warnings and the paths written. Holds no concern text."""
    if report.file_error is not None:
        return f"{report.source_path}: not validated, no files written: {report.file_error}"
    verdict = "valid" if report.ok else "rows quarantined"
    lines = [
        f"{report.source_path}: {verdict}: {report.rows:,} rows, {report.valid_rows:,} valid, "
        f"{report.quarantined_rows:,} quarantined ({len(report.issues):,} issues)"
    ]
    if report.issues:
        line_note = (
            "; line = physical line in the file, header = line 1"
            if any(i.line is not None for i in report.issues)
            else ""
        )
        lines.append(f"row numbers count data rows from 1 (the header is not a row){line_note}")
        for issue in report.issues[:max_issues]:
            where = f"row {issue.row}" + (f" (line {issue.line})" if issue.line else "")
            lines.append(f"  {where}, column {issue.column}: {issue.reason}")
        hidden = len(report.issues) - max_issues
        if hidden > 0:
            lines.append(f"  ... and {hidden:,} more issues (all in the quarantine file)")
    lines.extend(f"warning: {w}" for w in report.warnings)
    if report.valid_path is not None:
        lines.append(f"wrote {report.valid_rows:,} valid rows to {report.valid_path}")
    if report.quarantine_path is not None:
        lines.append(
            f"wrote {report.quarantined_rows:,} quarantined rows to {report.quarantine_path}"
        )
    return "\n".join(lines)
