"""Recorded decisions as training data: ``screener data export-decisions``.

Reads the audit trail (``serving.audit.store.list_decided_contacts``) and writes the scored
contacts that have a recorded decision as a contact export (``training.data.contract``):

==============  ===============================================================================
contact_id      the contact's id as scored and decided
received_at     when the service scored it (UTC): the time the contact reached the front door
source          the referral source sent with the score
text            the redacted text the audit trail kept, redacted again by the current redactor
                (idempotent: it only removes what an older redactor missed)
outcome         the screener's decision; the latest recorded wins when there are several
==============  ===============================================================================

beside them, outside the contract (``contract.DECISION_COLUMNS``), the served ``score`` and
``band``, the ``model_name`` and ``model_version`` that gave them, and ``decided_at``.

A contact is exportable only with a score, the score's redacted text (kept only when the
deployment sets ``AUDIT_STORE_REDACTED_TEXT``) and a source (the contract requires one);
the others are counted, by reason, never written. The rows are validated like any export
(``training.data.validate.validate_frame``) before anything is written: a row the contract
refuses is counted with its reasons, never written. The file is written atomically,
Parquet or CSV by its suffix, and only when at least one contact is exportable.

Nothing here logs, and no message holds text: only counts, ids of columns and reasons.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pandas as pd
from sqlalchemy import Engine

from serving.audit.store import DecidedContact, list_decided_contacts

__all__ = ["EXPORT_SUFFIXES", "ExportResult", "export_decisions", "parse_since", "render_export"]

#: The file types an export is written as, by suffix.
EXPORT_SUFFIXES: Final = (".parquet", ".csv")

_CONTRACT_OUT: Final = ("contact_id", "received_at", "source", "text", "outcome")


@dataclass(frozen=True)
class ExportResult:
    """What an export found and wrote. ``decided`` counts contacts whose latest decision
    falls in the window; each of them is ``exported`` or left out for one reason:
    ``not_scored`` (decided, never scored here), ``no_text`` (scored while no redacted
    text was kept), ``no_source`` (scored without a source) or ``refused`` (the contract
    refused the row: ``reasons`` counts each "column: reason"). ``superseded`` counts the
    contacts decided more than once (their latest decision is the one used)."""

    path: Path | None
    since: datetime
    decided: int
    exported: int
    superseded: int
    not_scored: int
    no_text: int
    no_source: int
    refused: int
    reasons: dict[str, int] = field(default_factory=dict)
    first_decision: datetime | None = None
    last_decision: datetime | None = None


def parse_since(value: str) -> datetime:
    """``--since``: an ISO 8601 date (``2026-01-31``) or date and time
    (``2026-01-31T09:30[:00]``, optionally with a zone), as an aware UTC datetime; a
    value without a zone is UTC. Raises ValueError saying what is expected."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "not a date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (UTC unless a zone is given)"
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _frame(rows: list[DecidedContact], redactor: Callable[[str], str]) -> pd.DataFrame:
    """The exportable rows as received by a validator: every value a string."""
    return pd.DataFrame(
        {
            "contact_id": [r.contact_id for r in rows],
            "received_at": [_iso(r.scored_at) if r.scored_at else "" for r in rows],
            "source": [r.source or "" for r in rows],
            "text": [redactor(r.redacted_text or "") for r in rows],
            "outcome": [r.outcome for r in rows],
            "score": pd.Series([r.score for r in rows], dtype="float64"),
            "band": [r.band or "" for r in rows],
            "model_name": [r.model_name or "" for r in rows],
            "model_version": [r.model_version or "" for r in rows],
            "decided_at": [_iso(r.decided_at) for r in rows],
        }
    )


def export_decisions(
    *,
    engine: Engine,
    since: datetime,
    out: Path,
    redactor: Callable[[str], str] | None = None,
) -> ExportResult:
    """Write the contacts decided since ``since`` (latest decision wins) to ``out``
    (``.parquet`` or ``.csv``), validated against the contact contract; see the module
    docstring for the columns and what is left out. ``redactor`` defaults to the
    service's (``serving.scoring.load_redactor``). Nothing is written when no contact is
    exportable (``path`` is None). Raises ValueError for another suffix, and SQLAlchemy's
    errors when the audit database cannot be read."""
    from training.data.quarantine import atomic_write
    from training.data.validate import validate_frame

    suffix = out.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"the extension must be {' or '.join(EXPORT_SUFFIXES)}")
    if redactor is None:
        from serving.scoring import load_redactor

        redactor = load_redactor()
    decided = list_decided_contacts(engine=engine, since=since)
    not_scored = [r for r in decided if r.score_event_id is None]
    no_text = [r for r in decided if r.score_event_id is not None and not r.redacted_text]
    no_source = [
        r for r in decided if r.score_event_id is not None and r.redacted_text and not r.source
    ]
    candidates = [
        r for r in decided if r.score_event_id is not None and r.redacted_text and r.source
    ]
    raw = _frame(candidates, redactor)
    valid, quarantined, issues = validate_frame(raw, require_outcome=True)
    reasons = Counter(f"{issue.column}: {issue.reason}" for issue in issues)
    refused_at = set((quarantined["_row"] - 1).tolist()) if len(quarantined) else set()
    keep = [i for i in range(len(raw)) if i not in refused_at]
    written: Path | None = None
    if len(valid):
        table = valid.loc[:, list(_CONTRACT_OUT)].copy()
        # As the generator writes it: ISO 8601 text, which both formats read back alike.
        table["received_at"] = pd.to_datetime(table["received_at"]).dt.strftime("%Y-%m-%dT%H:%M:%S")
        side = raw.iloc[keep][["score", "band", "model_name", "model_version", "decided_at"]]
        table = pd.concat([table, side.reset_index(drop=True)], axis=1)
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            atomic_write(out, lambda tmp: table.to_parquet(tmp, index=False))
        else:
            atomic_write(out, lambda tmp: table.to_csv(tmp, index=False, encoding="utf-8"))
        written = out
    times = [r.decided_at for r in decided]
    return ExportResult(
        path=written,
        since=since,
        decided=len(decided),
        exported=len(valid),
        superseded=sum(1 for r in decided if r.decisions > 1),
        not_scored=len(not_scored),
        no_text=len(no_text),
        no_source=len(no_source),
        refused=len(quarantined),
        reasons=dict(reasons.most_common()),
        first_decision=min(times) if times else None,
        last_decision=max(times) if times else None,
    )


def render_export(result: ExportResult) -> str:
    """What ``screener data export-decisions`` prints: counts and reasons, never text."""
    since = _iso(result.since)
    if result.decided == 0:
        return f"no contact has a decision recorded since {since} (UTC)"
    window = (
        f"{_iso(result.first_decision)} to {_iso(result.last_decision)}"
        if result.first_decision and result.last_decision
        else "-"
    )
    head = (
        f"wrote {result.exported:,} of {result.decided:,} contacts decided since {since} "
        f"(UTC; decisions {window}) to {result.path}"
        if result.path is not None
        else f"nothing exportable among {result.decided:,} contacts decided since {since} (UTC)"
    )
    lines = [head]
    if result.superseded:
        lines.append(
            f"  {result.superseded:,} decided more than once: the latest decision is the outcome"
        )
    left_out = (
        (
            result.no_text,
            "scored while the service kept no redacted text "
            "(AUDIT_STORE_REDACTED_TEXT off): no text to train on",
        ),
        (result.not_scored, "decided but never scored by this service"),
        (result.no_source, "scored without a source (the contact contract requires one)"),
        (result.refused, "refused by the contact contract"),
    )
    for count, why in left_out:
        if count:
            lines.append(f"  left out {count:,}: {why}")
    for reason, count in list(result.reasons.items())[:10]:
        lines.append(f"    {count:,} x {reason}")
    return "\n".join(lines)
