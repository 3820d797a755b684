"""``screener monitor``: the drift and override report of the served model, from the audit
trail (decision 0032).

Reads the score events of a period and the decisions recorded on them (the store's one
query; nothing is written to the audit database), keeps those of the monitored version,
computes the report against the version's training-time reference
(``training.audit.monitoring``), writes ``monitor.html`` and ``monitor.json`` and logs them
to MLflow as a run tagged with the version (``training.lifecycle.registry``). Lives in
``serving`` because it reads the audit trail; ``training`` never imports ``serving``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from serving.audit import store
from serving.loaded_model import LoadedModel
from training.audit.monitoring import INPUT_COLUMNS, MonitorResult, monitor_report
from training.audit.render.monitor import monitor_terminal_lines, write_monitor_report
from training.config import MonitorConfig

__all__ = ["MonitorOutcome", "run_monitor", "served_frame", "simulate_trail"]


@dataclass
class MonitorOutcome:
    """What ``screener monitor`` produced: the figures, the files, the MLflow run."""

    result: MonitorResult
    version: str
    report_paths: dict[str, Path]
    run_id: str | None
    summary: str


def served_frame(
    rows: list[dict[str, Any]], *, version: str
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The contacts ``version`` scored, one row each in :data:`INPUT_COLUMNS`, from the
    store's score events with their decisions, and how many events other versions served.

    A contact scored more than once counts once: with the score a decision was recorded
    on (the latest such), else its latest score. Events without a contact id each count.
    """
    others = Counter(str(r["model_version"]) for r in rows if str(r["model_version"]) != version)
    mine = [r for r in rows if str(r["model_version"]) == version]
    kept: dict[Any, dict[str, Any]] = {}
    for row in mine:  # in id order
        key = row["contact_id"] if row["contact_id"] else ("event", row["id"])
        held = kept.get(key)
        if held is None:
            kept[key] = row
        elif row["decision_id"] is not None:
            if held["decision_id"] is None or row["decision_id"] > held["decision_id"]:
                kept[key] = row
        elif held["decision_id"] is None:
            kept[key] = row  # no decision on either: the later score
    frame = pd.DataFrame(
        {
            "created_at": [r["created_at"] for r in kept.values()],
            "score": [float(r["score"]) for r in kept.values()],
            "band": [r["band"] for r in kept.values()],
            "source": [r["source"] or None for r in kept.values()],
            "indicators": [
                None if r["indicators"] is None else r["indicators"].split() for r in kept.values()
            ],
            "decision": [r["decision"] for r in kept.values()],
        },
        columns=list(INPUT_COLUMNS),
    )
    return frame, dict(others)


def run_monitor(
    *,
    engine: Engine,
    since: datetime,
    until: datetime,
    out_dir: Path,
    model_uri: str,
    config: MonitorConfig,
    log_to_mlflow: bool = True,
) -> MonitorOutcome:
    """Report on what ``model_uri`` (default in the CLI: the champion) scored in
    ``[since, until)``. Raises ``store.AuditTrailMissing`` when the database holds no audit
    trail, LookupError when the model cannot be found, and SQLAlchemy's errors when the
    database cannot be read."""
    from training.lifecycle import registry

    # The audit trail first: an unreachable database is said before anything else.
    rows = store.scores_with_decisions(engine=engine, since=since, until=until)
    ref = registry.resolve_version(model_uri)
    served, others = served_frame(rows, version=ref.version)
    note = None
    try:
        reference = registry.monitor_reference(ref)
    except ValueError as exc:
        reference, note = None, f"The version's training-time reference could not be read: {exc}."
    result = monitor_report(
        served,
        since=since,
        until=until,
        reference=reference,
        config=config,
        model_name=ref.name,
        model_version=ref.version,
        other_versions=others,
    )
    if note:
        result.notes.append(note)
    paths = write_monitor_report(result, out_dir)
    run_id = None
    if log_to_mlflow:
        period = f"{since.date().isoformat()}..{until.date().isoformat()}"
        run_id = registry.log_monitor_run(
            ref,
            period=period,
            report_dir=out_dir,
            params=_params(result, config),
            metrics=_metrics(result),
            series=_series(result),
            flag_kinds=[f.kind for f in result.flags],
        )
    lines = monitor_terminal_lines(result)
    lines.append(f"wrote {paths['html']} and {paths['json']}")
    if run_id:
        lines.append(f"logged to MLflow run {run_id} (tagged model_version={ref.version})")
    return MonitorOutcome(result, ref.version, paths, run_id, "\n".join(lines))


def _params(result: MonitorResult, config: MonitorConfig) -> dict[str, str]:
    params = {f"monitor.{k}": str(v) for k, v in config.model_dump().items()}
    params.update(
        {
            "monitor.since": result.since,
            "monitor.until": result.until,
            "monitor.weeks": str(len(result.weeks)),
            "monitor.reference": "yes" if result.reference_contacts else "no",
        }
    )
    return params


def _count(cell: Any) -> float | None:
    return float(cell) if isinstance(cell, int) else None


def _metrics(result: MonitorResult) -> dict[str, float]:
    """The period's headline figures, as published (a withheld one is left out)."""
    values = {
        "monitor_contacts": _count(result.contacts),
        "monitor_decided": _count(result.decided),
        "monitor_flags": float(len(result.flags)),
        "monitor_psi": None if result.score_period is None else result.score_period.psi,
        "monitor_override_rate": result.overrides["period"].rate,
        "monitor_no_source_share": result.no_source["period"].rate,
        "monitor_calibration_gap": result.calibration["overall"].gap,
    }
    return {k: float(v) for k, v in values.items() if v is not None}


def _series(result: MonitorResult) -> dict[str, list[float | None]]:
    """Figures by week (the step is the week's index)."""
    return {
        "monitor_psi_by_week": [w.psi for w in result.score_weeks],
        "monitor_override_rate_by_week": [r["rate"].rate for r in result.overrides["by_week"]],
        "monitor_no_source_share_by_week": [c.rate for c in result.no_source["weeks"]],
    }


def simulate_trail(contacts: pd.DataFrame, *, engine: Engine, model: LoadedModel) -> None:
    """Write generated contacts (``screener data generate``: ``contact_id``,
    ``received_at``, ``source``, ``text``, ``outcome``) into an audit trail as the service
    would have: each scored by ``model``, its audit row built as the service builds it
    (``serving.scoring.score_items``), stamped at noon on the day it arrived; then a
    decision recorded on each by a simulated screener who follows the generator's outcome.
    For notebooks and benchmarks; a real trail is written by the service alone."""
    from serving.schemas import ScoreRequest
    from serving.scoring import AuditHealth, AuditWriter, ScoringContext, score_items
    from serving.security import Principal

    received = pd.to_datetime(contacts["received_at"]).dt.date
    for day, part in contacts.groupby(received, sort=True):
        items = [
            ScoreRequest(
                text=str(r.text),
                contact_id=str(r.contact_id),
                source=r.source if isinstance(r.source, str) else None,  # type: ignore[arg-type]
            )
            for r in part.itertuples()
        ]
        context = ScoringContext(
            model=model,
            principal=Principal("simulated", "screener"),
            request_id=f"simulated-{day}",
            hash_key=b"simulated-trail",
            redactor=None,
            health=AuditHealth(),
            writer=AuditWriter(engine),  # never started: the rows are written below
            run=None,  # type: ignore[arg-type]  # score_items is called directly
        )
        rows = score_items(items, context, batch=True).rows
        noon = datetime.combine(day, time(12), tzinfo=UTC)  # type: ignore[arg-type]
        store.insert_score_events([{**row, "created_at": noon} for row in rows], engine=engine)
    for r in contacts.itertuples():
        store.insert_decision(
            engine=engine,
            request_id=f"simulated-{r.contact_id}",
            created_at=datetime.now(UTC),
            contact_id=str(r.contact_id),
            outcome=str(r.outcome),
            key_id="simulated",
            role="screener",
            note_redacted=None,
        )
