"""Validation of contact exports against the contact contract (``training.data.contract``).

Every row of an export (as read by ``training.data.read``) is checked against the contract
(column by column in ``training.data.checks``), and the rows are split in two: the *valid*
rows, normalised and typed, and the *quarantined* rows, kept with their original raw values
and the reasons they were refused. Nothing is silently dropped or coerced:
``valid rows + quarantined rows == rows read``. ``training.data.quarantine`` writes both to
files and renders the report.

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
three words); longer values, which may be misplaced prose, are described, never shown
(``training.data.read.echo``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from training.data.checks import Findings, check_column, check_duplicate_ids
from training.data.contract import COLUMNS, DECISION_COLUMNS, GENERATOR_COLUMNS
from training.data.read import (
    FIELDS_COLUMN,
    LINE_COLUMN,
    META_COLUMNS,
    ContractError,
    echo,
    read_raw,
)

__all__ = [
    "RECORD_COLUMN",
    "Issue",
    "ValidationReport",
    "column_warnings",
    "load_contacts",
    "make_report",
    "require_columns",
    "validate_frame",
]

#: Pseudo-column named by issues about a whole CSV record (a wrong number of fields).
RECORD_COLUMN: Final = "(record)"

_KNOWN_COLUMNS: Final = (
    frozenset(c.name for c in COLUMNS) | frozenset(GENERATOR_COLUMNS) | frozenset(DECISION_COLUMNS)
)
_EMPTY_DTYPES: Final[dict[str, str]] = {
    "string": "string",
    "text": "string",
    "enum": "string",
    "datetime": "datetime64[us]",
    "int": "Int64",
    "bool": "boolean",
}


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


def validate_frame(
    raw: pd.DataFrame, *, require_outcome: bool = True, unique_ids: bool = True
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
    it to False. ``unique_ids`` refuses every repeat of a contact_id; batch scoring, which
    judges each row on its own (a piece of a file cannot see the rest), sets it to False.
    Raises ``ContractError`` when a required column is absent.
    """
    data_columns = [c for c in raw.columns if c not in META_COLUMNS]
    require_columns(data_columns, require_outcome=require_outcome)
    findings = Findings(len(raw))
    typed: dict[str, pd.Series] = {}
    for column in COLUMNS:
        if column.name in raw.columns:
            typed[column.name] = check_column(
                column, raw[column.name], findings, require_outcome=require_outcome
            )
    if unique_ids:
        check_duplicate_ids(typed["contact_id"], findings)
    _check_records(raw, data_columns, findings)

    order = {name: i for i, name in enumerate([RECORD_COLUMN, *data_columns])}
    findings.items.sort(key=lambda item: (item[0], order.get(item[1], len(order))))
    lines = raw[LINE_COLUMN].to_numpy() if LINE_COLUMN in raw.columns else None
    issues = [
        Issue(
            row=pos + 1,
            column=col,
            reason=reason,
            line=None if lines is None else int(lines[pos]),
        )
        for pos, col, reason in findings.items
    ]
    valid = _valid_frame(raw, typed, ~findings.bad)
    quarantined = _quarantine_frame(raw, findings, data_columns)
    return valid, quarantined, issues


def require_columns(data_columns: list[str], *, require_outcome: bool) -> None:
    """Raise ``ContractError`` naming the required columns absent from ``data_columns``
    (normalised names, as ``read_raw`` gives them): the check a file fails before any row
    is read."""
    required = [c.name for c in COLUMNS if c.required == "always"]
    if require_outcome:
        required += [c.name for c in COLUMNS if c.required == "training"]
    missing = [name for name in required if name not in data_columns]
    if missing:
        found = ", ".join(echo(str(c), quote=False) for c in data_columns[:20]) or "none"
        hint = (
            " (outcome is required for training; allow a missing outcome for scoring data)"
            if missing == ["outcome"]
            else ""
        )
        raise ContractError(
            f"missing required column(s): {', '.join(missing)}{hint}; found: {found}"
        )


def _check_records(raw: pd.DataFrame, data_columns: list[str], findings: Findings) -> None:
    """A record with the wrong number of fields has shifted values: its other reasons would
    only confuse, so it carries the one reason that explains them all."""
    if FIELDS_COLUMN not in raw.columns:
        return
    width = len(data_columns)
    counts = raw[FIELDS_COLUMN].to_numpy(dtype=np.int64)
    record_bad = counts != width
    if record_bad.any():
        findings.items = [item for item in findings.items if not record_bad[item[0]]]
        positions = np.flatnonzero(record_bad)
        findings.add(
            positions,
            RECORD_COLUMN,
            [f"record has {counts[p]} fields, the header has {width}" for p in positions],
        )


def _valid_frame(raw: pd.DataFrame, typed: dict[str, pd.Series], good: np.ndarray) -> pd.DataFrame:
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
    raw: pd.DataFrame, findings: Findings, data_columns: list[str]
) -> pd.DataFrame:
    by_row: dict[int, tuple[list[str], list[str]]] = {}
    for pos, col, reason in findings.items:
        cols, reasons = by_row.setdefault(pos, ([], []))
        cols.append(col)
        reasons.append(reason)
    positions = sorted(by_row)
    bad = raw.iloc[positions][data_columns].reset_index(drop=True)
    meta: dict[str, Any] = {"_row": [p + 1 for p in positions]}
    if LINE_COLUMN in raw.columns:
        meta["_line"] = raw[LINE_COLUMN].to_numpy()[positions]
    meta["_column"] = ["; ".join(by_row[p][0]) for p in positions]
    meta["_reason"] = ["; ".join(by_row[p][1]) for p in positions]
    return pd.concat([pd.DataFrame(meta), bad], axis=1)


def column_warnings(raw: pd.DataFrame) -> list[str]:
    """Problems of an export that refuse no row: renamed headers, unknown columns (never
    carried into the valid rows) and an export without data rows."""
    warnings: list[str] = []
    original = raw.attrs.get("original_columns")
    data_columns = [c for c in raw.columns if c not in META_COLUMNS]
    if isinstance(original, list) and len(original) == len(data_columns):
        for before, after in zip(original, data_columns, strict=True):
            if before != after and not after.startswith("unnamed:"):
                warnings.append(f"column header {echo(before)} read as {echo(after)}")
    for name in data_columns:
        if name not in _KNOWN_COLUMNS:
            warnings.append(f"unknown column {echo(name)} ignored: not carried into the valid file")
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
    warnings = column_warnings(raw)
    valid, quarantined, issues = validate_frame(raw, require_outcome=require_outcome)
    report = make_report(path, raw, valid, quarantined, issues, warnings)
    return valid, report


def make_report(
    path: Path,
    raw: pd.DataFrame,
    valid: pd.DataFrame,
    quarantined: pd.DataFrame,
    issues: list[Issue],
    warnings: list[str],
    *,
    valid_path: Path | None = None,
    quarantine_path: Path | None = None,
) -> ValidationReport:
    """The report of a validated export; checks that no row was lost on the way."""
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
