"""Validating an export on disk: the valid file, the quarantine side file and the report.

``validate_file`` reads an export, validates it (``training.data.validate``) and writes
beside it ``<stem>.valid.parquet`` (the valid rows, typed) and, when any row was refused,
``<stem>.quarantine.csv`` (the refused rows as received, with their reasons). Files are
written atomically, so a crash never leaves half a file under the final name, and the input
is never modified. ``render_report`` is the summary ``screener data validate`` prints.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from training.data.read import ContractError, read_raw
from training.data.validate import (
    ValidationReport,
    column_warnings,
    make_report,
    validate_frame,
)

__all__ = ["atomic_write", "output_paths", "render_report", "validate_file"]


def output_paths(path: Path) -> tuple[Path, Path]:
    """Where ``validate_file`` writes for ``path``: ``<stem>.valid.parquet`` and
    ``<stem>.quarantine.csv`` beside it."""
    path = Path(path)
    return (
        path.with_name(f"{path.stem}.valid.parquet"),
        path.with_name(f"{path.stem}.quarantine.csv"),
    )


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
        warnings = column_warnings(raw)
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
        atomic_write(valid_path, lambda tmp: valid.to_parquet(tmp, index=False))
        written_valid = valid_path
        if len(quarantined):
            atomic_write(
                quarantine_path,
                lambda tmp: quarantined.to_csv(
                    tmp, index=False, encoding="utf-8", errors="surrogateescape"
                ),
            )
            written_quarantine = quarantine_path
        else:
            quarantine_path.unlink(missing_ok=True)
    return make_report(
        path,
        raw,
        valid,
        quarantined,
        issues,
        warnings,
        valid_path=written_valid,
        quarantine_path=written_quarantine,
    )


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write ``target`` through ``write(temporary path)`` in the same folder, then rename,
    so a crash never leaves half a file under the final name."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


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
