"""The checks of one contract column: each records the cells it refuses, with their reasons,
and returns the column typed (``training.data.validate`` turns that into the valid and
quarantined rows).

A column arrives as strings (every CSV column, text-like Parquet columns) or typed (Parquet
datetimes, numbers, booleans). Strings are checked with Arrow compute kernels, one kernel
per rule over the whole column; Python runs per row only for refused cells. A cell with
invalid UTF-8 bytes or control characters is refused for that alone and its value is never
echoed. Reasons never contain concern text (``training.data.read.echo``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from training.data.contract import BOOL_FALSE, BOOL_TRUE, MAX_TEXT_CHARS, Column
from training.data.read import CONTROLS, SURROGATES, echo

__all__ = ["Findings", "check_column", "check_duplicate_ids"]

_SURROGATE_RE: Final = re.compile(f"[{SURROGATES}]")
_CONTROL_RE: Final = re.compile(f"[{CONTROLS}]")
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
_BOOL_FORMS: Final = "(expected true/false, yes/no, y/n or 1/0)"


class Findings:
    """Problems found so far, as (position, column, reason); position is 0-based. ``bad``
    marks the rows refused so far."""

    def __init__(self, n: int) -> None:
        self.items: list[tuple[int, str, str]] = []
        self.bad = np.zeros(n, dtype=bool)

    def add(self, positions: np.ndarray, column: str, reasons: list[str]) -> None:
        """Refuse the rows at ``positions``, one reason each."""
        self.items.extend(zip(positions.tolist(), [column] * len(reasons), reasons, strict=True))
        self.bad[positions] = True

    def add_one(self, position: int, column: str, reasons: list[str]) -> None:
        """Refuse the row at ``position`` for each of ``reasons``."""
        self.items.extend((position, column, reason) for reason in reasons)
        self.bad[position] = True


def check_column(
    column: Column, series: pd.Series, findings: Findings, *, require_outcome: bool
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


def check_duplicate_ids(ids: pd.Series, findings: Findings) -> None:
    """Refuse every repeat of a contact_id, naming the row where it was first seen."""
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


# --------------------------------------------------------------------------- string columns


@dataclass(frozen=True, slots=True)
class _Cells:
    """A string column ready for the rules of its kind: ``raw`` as read and ``stripped``
    of surrounding whitespace (both "" where a cell holds invalid bytes), ``flagged`` cells
    already refused for bad characters and ``empty`` ones (whitespace only, not flagged)."""

    column: Column
    raw: pa.Array
    stripped: pa.Array
    flagged: np.ndarray
    empty: np.ndarray
    index: pd.Index

    @property
    def checkable(self) -> np.ndarray:
        """Cells with a value to judge: neither flagged nor empty."""
        return ~self.flagged & ~self.empty

    @property
    def missing(self) -> np.ndarray:
        """Cells that are missing in the typed column."""
        return self.empty | self.flagged


def _check_strings(
    column: Column, series: pd.Series, findings: Findings, *, required: bool
) -> pd.Series:
    """The string path (every CSV column; text-like Parquet columns)."""
    cells = _cells(column, series, findings)
    if column.kind == "text":
        return _check_text(cells, findings)
    if required:
        reason = (
            "missing outcome (required for training)"
            if column.name == "outcome"
            else "missing required value"
        )
        _add_mask(findings, cells.empty, column.name, reason)
    check = _STRING_CHECKS.get(column.kind)
    if check is None:  # pragma: no cover
        raise AssertionError(f"unhandled column kind {column.kind}")
    return check(cells, findings)


def _cells(column: Column, series: pd.Series, findings: Findings) -> _Cells:
    """Refuse cells with invalid bytes or control characters, which are judged on that
    alone; mark the empty ones."""
    values = _strings(series)
    arr, invalid = _to_arrow(values)
    flagged = invalid | _np(pc.match_substring_regex(arr, _CONTROL_RE2))
    for pos in np.flatnonzero(flagged).tolist():
        findings.add_one(pos, column.name, _char_reasons(values[pos]))
    stripped = pc.utf8_trim_whitespace(arr)
    empty = _np(pc.equal(pc.utf8_length(stripped), 0)) & ~flagged
    return _Cells(column, arr, stripped, flagged, empty, series.index)


def _check_text(cells: _Cells, findings: Findings) -> pd.Series:
    name = cells.column.name
    raw_empty = _np(pc.equal(pc.utf8_length(cells.raw), 0)) & ~cells.flagged
    _add_mask(findings, raw_empty, name, "text is empty")
    _add_mask(findings, cells.empty & ~raw_empty, name, "text is only whitespace")
    lengths = _np(pc.utf8_length(cells.stripped))
    _add_each(
        findings,
        cells.checkable & (lengths > MAX_TEXT_CHARS),
        name,
        lengths,
        lambda n: f"text has {n:,} characters (max {MAX_TEXT_CHARS:,})",
    )
    return _string_series(cells.stripped, cells.missing, cells.index)


def _check_plain(cells: _Cells, findings: Findings) -> pd.Series:
    return _string_series(cells.stripped, cells.missing, cells.index)


def _check_enum(cells: _Cells, findings: Findings) -> pd.Series:
    column = cells.column
    lowered = pc.utf8_lower(cells.stripped)
    known = _np(pc.is_in(lowered, value_set=pa.array(column.values, pa.large_string())))
    expected = ", ".join(column.values)
    _add_each(
        findings,
        cells.checkable & ~known,
        column.name,
        cells.stripped,
        lambda v: f"unknown value {echo(v)} (expected one of {expected})",
    )
    return _string_series(lowered, cells.missing, cells.index)


def _check_dates(cells: _Cells, findings: Findings) -> pd.Series:
    stripped, checkable = cells.stripped, cells.checkable
    result = np.full(len(stripped), np.datetime64("NaT"), dtype="datetime64[us]")
    iso = checkable & _np(pc.match_substring_regex(stripped, _ISO_PATTERN))
    if iso.any():
        subset = stripped.filter(pa.array(iso)).to_pandas()
        parsed = pd.to_datetime(subset, format="ISO8601", errors="coerce", utc=True)
        result[iso] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
    uk = checkable & ~iso & _np(pc.match_substring_regex(stripped, _UK_PATTERN))
    if uk.any():
        result[uk] = _uk_dates(stripped.filter(pa.array(uk)))
    _add_each(
        findings,
        checkable & np.isnat(result),
        cells.column.name,
        stripped,
        lambda v: f"unparseable date {echo(v)} (expected {_DATE_FORMS})",
    )
    return pd.Series(result, index=cells.index)


def _uk_dates(values: pa.Array) -> np.ndarray:
    """``dd/mm/yyyy [HH:MM[:SS]]`` values as datetimes; NaT where no such moment exists."""
    parts = pc.extract_regex(values, _UK_PATTERN)
    fields = {
        name: pc.cast(
            pc.if_else(pc.equal(parts.field(name), ""), "0", parts.field(name)), pa.int64()
        ).to_numpy()
        for name in ("day", "month", "year", "hour", "minute", "second")
    }
    parsed = pd.to_datetime(pd.DataFrame(fields), errors="coerce").to_numpy(
        dtype="datetime64[us]", copy=True
    )
    # pd.to_datetime(frame) would roll hour 24+ over to the next day; refuse it instead.
    impossible = (fields["hour"] > 23) | (fields["minute"] > 59) | (fields["second"] > 59)
    parsed[impossible] = np.datetime64("NaT")
    return parsed


def _check_int_strings(cells: _Cells, findings: Findings) -> pd.Series:
    stripped = cells.stripped
    whole = _np(pc.match_substring_regex(stripped, _INT_PATTERN))
    _add_each(
        findings,
        cells.checkable & ~whole,
        cells.column.name,
        stripped,
        lambda v: f"not a whole number: {echo(v)}",
    )
    ok = cells.checkable & whole
    numbers = np.full(len(cells.index), np.nan)
    if ok.any():
        digits = pc.replace_substring_regex(
            stripped.filter(pa.array(ok)), pattern=r"\.0*$", replacement=""
        )
        numbers[ok] = _np(pc.cast(digits, pa.float64()))
    return _range_checked(cells.column, numbers, ok, findings, cells.index)


def _check_bool_strings(cells: _Cells, findings: Findings) -> pd.Series:
    lowered = pc.utf8_lower(cells.stripped)
    is_true = _np(pc.is_in(lowered, value_set=pa.array(sorted(BOOL_TRUE), pa.large_string())))
    is_false = _np(pc.is_in(lowered, value_set=pa.array(sorted(BOOL_FALSE), pa.large_string())))
    _add_each(
        findings,
        cells.checkable & ~is_true & ~is_false,
        cells.column.name,
        cells.stripped,
        lambda v: f"not a boolean: {echo(v)} {_BOOL_FORMS}",
    )
    out = pd.array([pd.NA] * len(cells.index), dtype="boolean")
    out[cells.checkable & is_true] = True
    out[cells.checkable & is_false] = False
    return pd.Series(out, index=cells.index)


_STRING_CHECKS: Final[dict[str, Callable[[_Cells, Findings], pd.Series]]] = {
    "string": _check_plain,
    "enum": _check_enum,
    "datetime": _check_dates,
    "int": _check_int_strings,
    "bool": _check_bool_strings,
}


# --------------------------------------------------------------------------- typed columns


def _typed_int(
    column: Column, series: pd.Series, findings: Findings, *, required: bool
) -> pd.Series:
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    values = numbers.to_numpy()
    missing = np.isnan(values)
    if required:
        _add_mask(findings, missing, column.name, "missing required value")
    finite = np.isfinite(values)
    fractional = ~missing & (~finite | (np.where(finite, values, 0.0) % 1 != 0))
    _add_each(
        findings, fractional, column.name, numbers, lambda v: f"not a whole number: {echo(v)}"
    )
    return _range_checked(column, values, ~missing & ~fractional, findings, series.index)


def _range_checked(
    column: Column, values: np.ndarray, ok: np.ndarray, findings: Findings, index: pd.Index
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
        lambda v: f"{echo(f'{v:.0f}', quote=False)} is out of range ({bounds})",
    )
    keep = ok & ~outside
    out = pd.array([pd.NA] * len(values), dtype="Int64")
    out[keep] = values[keep].astype(np.int64)
    return pd.Series(out, index=index)


def _typed_datetime(
    column: Column, series: pd.Series, findings: Findings, *, required: bool
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
    column: Column, series: pd.Series, findings: Findings, *, required: bool
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
            lambda v: f"not a boolean: {echo(v)} {_BOOL_FORMS}",
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


def _add_mask(findings: Findings, mask: np.ndarray, column: str, reason: str) -> None:
    positions = np.flatnonzero(mask)
    if len(positions):
        findings.add(positions, column, [reason] * len(positions))


def _add_each(
    findings: Findings,
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
