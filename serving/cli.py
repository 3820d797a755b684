"""The ``screener`` root command: the training verbs plus ``keys``, ``serve`` and
``data export-decisions`` and ``monitor`` (which read the audit trail, so they belong to
serving)."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from training.lifecycle.cli import PROMOTION_LISTENERS, app, data_app, fail

__all__ = ["app"]

keys_app = typer.Typer(
    help="Manage API keys (stored hashed in the audit database).", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


def _record_promotion(decision) -> None:  # type: ignore[no-untyped-def]
    """Write a promotion decision to the audit trail (``GET /v1/audit/events?type=model``)."""
    from datetime import UTC, datetime

    from serving.audit.store import insert_model_event
    from training.lifecycle.registry import acting_user
    from training.settings import get_settings as training_settings

    if decision.forced:
        event = "forced"
    elif decision.promoted:
        event = "promoted"
    else:
        event = "refused"
    insert_model_event(
        engine=_engine(),
        event=event,
        model_name=training_settings().registered_model_name,
        model_version=decision.version,
        previous_version=decision.champion_version,
        actor=acting_user(),
        reason=decision.reason,
        failed_checks="; ".join(f"{c.name}: {c.detail}" for c in decision.failures) or None,
        created_at=datetime.now(UTC),
    )


PROMOTION_LISTENERS.append(_record_promotion)


def _engine():  # type: ignore[no-untyped-def]
    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.settings import get_settings

    # Not on a request path: a migration or key change may wait longer for the lock.
    engine = make_engine(get_settings().database_url, timeout=10.0)
    upgrade_to_head(engine)
    return engine


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="screener, auditor, admin or referrer.")],
    label: Annotated[str | None, typer.Option(help="A note on who holds the key.")] = None,
) -> None:
    """Make a key; print it once, alone on the last line. Only its hash is stored."""
    from serving.keys import create_key
    from serving.security import ROLES

    if role not in ROLES:
        fail(f"--role {role}: must be one of {', '.join(ROLES)}")
    key_id, plaintext = create_key(role, engine=_engine(), label=label)
    typer.echo(f"created {role} key {key_id}; only its hash is stored, so copy it now:")
    typer.echo(plaintext)


@keys_app.command("list")
def keys_list() -> None:
    """Every key: id, role, created, revoked, label (never the key itself)."""
    from serving.keys import list_keys

    rows = list_keys(engine=_engine())
    if not rows:
        typer.echo("no keys")
        return
    for row in rows:
        revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
        typer.echo(
            f"{row.key_id}  {row.role:<8}  created {row.created_at.isoformat()}  "
            f"revoked {revoked}  {row.label or ''}".rstrip()
        )


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's public id.")]) -> None:
    """Revoke a key; running services refuse it within KEY_CACHE_SECONDS (default 5 s)."""
    from serving.keys import revoke_key

    if not revoke_key(key_id, engine=_engine()):
        fail(f"no active key {key_id}", code=1)
    typer.echo(f"revoked {key_id}")


def _read_engine():  # type: ignore[no-untyped-def]
    """The audit database, for reading only: never created or migrated. Exits 2 with one
    line (the URL without its password) when it is missing or cannot be reached."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from serving.audit.db import make_engine, normalise_url
    from serving.settings import get_settings

    url = get_settings().database_url
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        fail("DATABASE_URL: not a database URL")
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            fail(f"audit database {shown}: an in-memory database holds no audit trail")
        if not os.path.isfile(database):
            fail(f"audit database {shown}: no such file (set DATABASE_URL to the service's)")
    try:
        engine = make_engine(url, timeout=10.0)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except SQLAlchemyError as exc:
        fail(f"audit database {shown}: cannot be reached or read ({type(exc).__name__})")
    except Exception as exc:  # a driver missing for the URL's dialect, say
        fail(f"audit database {shown}: cannot be opened ({type(exc).__name__})")
    if not {"decisions", "score_events"} <= tables:
        engine.dispose()
        fail(f"audit database {shown}: holds no audit trail (no decisions or score_events table)")
    return engine


@data_app.command("export-decisions")
def data_export_decisions(
    since: Annotated[
        str,
        typer.Option(
            help="Contacts whose latest decision was recorded on or after this date "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], UTC)."
        ),
    ],
    out: Annotated[Path, typer.Option(help="Output file: .parquet or .csv.")],
) -> None:
    """Scored contacts with a recorded decision, from the audit trail (DATABASE_URL), as a
    contact export for training: redacted text, source, received_at, the latest decision
    as outcome, and the served score and model version beside them. Exit 0 when anything
    was written, 1 when nothing was exportable, 2 on bad input."""
    from sqlalchemy.exc import SQLAlchemyError

    from serving.export import EXPORT_SUFFIXES, export_decisions, parse_since, render_export

    try:
        moment = parse_since(since)
    except ValueError as exc:
        fail(f"--since {since!r}: {exc}")
    if out.suffix.lower() not in EXPORT_SUFFIXES:
        fail(f"--out {out}: the extension must be .parquet or .csv")
    if out.is_dir():
        fail(f"--out {out}: is a folder; give a file name")
    engine = _read_engine()
    try:
        result = export_decisions(engine=engine, since=moment, out=out)
    except SQLAlchemyError as exc:
        fail(f"audit database: reading the decisions failed ({type(exc).__name__})")
    except OSError as exc:
        fail(f"--out {out}: cannot be written ({exc.strerror or type(exc).__name__})")
    finally:
        engine.dispose()
    typer.echo(render_export(result))
    raise typer.Exit(0 if result.path is not None else 1)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: one per core).")
    ] = None,
) -> None:
    """Run the API with uvicorn (httptools, uvloop), one worker per core by default.

    Refuses to start (exit 2, one line) when the deployment's key rings are missing in
    production or unusable; in development writes the local secrets file first, so every
    worker reads the same one."""
    from serving.deployment import DeploymentError, resolve_secrets
    from serving.settings import get_settings

    n = workers or os.cpu_count() or 1
    settings = get_settings()
    try:
        secrets = resolve_secrets(settings)
    except DeploymentError as exc:
        fail(str(exc))
    origins = {secrets.session.origin, secrets.audit_hash.origin}
    files = [o for o in origins if not o.startswith("env:")]
    if files and not os.environ.get("SCREENER_SECRETS_FILE"):
        # The development file just written (or found): the workers read it too.
        os.environ["SCREENER_SECRETS_FILE"] = files[0]
        get_settings.cache_clear()
        settings = get_settings()
    # Migrate once here, so the workers start against an up-to-date schema.
    _engine().dispose()
    metrics_dir = None
    if n > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Workers write their metrics here and /metrics adds them up; set before the
        # workers start so each picks it up.
        metrics_dir = tempfile.mkdtemp(prefix="screener-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    try:
        _run_uvicorn(
            n,
            host=host,
            port=port,
            level=settings.log_level,
            forwarded_allow_ips=settings.forwarded_allow_ips,
        )
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _run_uvicorn(
    workers: int, *, host: str, port: int, level: str, forwarded_allow_ips: str
) -> None:
    import uvicorn

    from serving.logs import log_config

    uvicorn.run(
        "serving.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http="httptools",
        loop="uvloop",
        log_config=log_config(level),
        access_log=False,
        # X-Forwarded-Proto/-For are believed from these proxies only: behind a TLS proxy
        # the scheme is https (the session cookie is Secure) and /readyz and /metrics see
        # the real caller, not the proxy's loopback address.
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )


#: The longest period one report covers (its weekly tables grow a column a week).
MONITOR_MAX_WEEKS = 53


def _day(value: str, option: str) -> datetime:
    """A date (``YYYY-MM-DD``) or an ISO date-time (UTC unless it says otherwise) as an
    aware UTC datetime, or exit 2 saying which option is wrong."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {value}: expected a date YYYY-MM-DD (or an ISO date-time)")
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _audit_reader(url: str):  # type: ignore[no-untyped-def]
    """An engine on the audit database for reading only (no migration), or exit 2 when the
    URL is malformed or names a SQLite file that does not exist (SQLite would create it)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from serving.audit.db import make_engine, normalise_url

    try:
        parsed = make_url(normalise_url(url))
        shown = parsed.render_as_string(hide_password=True)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:") or not Path(database).is_file():
                fail(f"DATABASE_URL {shown}: no audit database at {database or '(memory)'}")
        return make_engine(url, timeout=10.0), shown
    except (ArgumentError, ValueError, ImportError) as exc:
        fail(f"DATABASE_URL: not a database URL ({type(exc).__name__})")


@app.command("monitor")
def monitor(
    since: Annotated[
        str, typer.Option(help="First day of the period, YYYY-MM-DD (UTC, inclusive).")
    ],
    out: Annotated[Path, typer.Option(help="Folder for monitor.html and monitor.json.")] = Path(
        "reports/monitor"
    ),
    until: Annotated[
        str | None,
        typer.Option(help="End of the period, YYYY-MM-DD (exclusive; default: now)."),
    ] = None,
    model: Annotated[
        str,
        typer.Option(help="The version watched: models:/concern-screener@champion (default) or N."),
    ] = "models:/concern-screener@champion",
    config: Annotated[
        Path | None,
        typer.Option(
            help="Configuration TOML whose [monitor] thresholds apply (default: the packaged one)."
        ),
    ] = None,
) -> None:
    """Drift and override report of the served model from the audit trail (HTML + JSON with
    a top-level flags list), logged to MLflow as a run tagged with the version: exit 0 no
    flag, 1 a finding flagged, 2 bad input."""
    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    from serving.audit.store import AuditTrailMissing
    from serving.monitoring import run_monitor
    from serving.settings import get_settings
    from training.config import load_config

    start = _day(since, "--since")
    end = _day(until, "--until") if until is not None else datetime.now(UTC)
    if end <= start:
        fail(f"--since {since}: the period must start before it ends ({end.isoformat()})")
    if end - start > timedelta(weeks=MONITOR_MAX_WEEKS):
        fail(f"--since {since}: a report covers at most {MONITOR_MAX_WEEKS} weeks")
    try:
        thresholds = load_config(config).monitor
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"--config {config}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    except (OSError, ValueError) as exc:
        fail(f"--config {config}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    engine, shown = _audit_reader(get_settings().database_url)
    try:
        outcome = run_monitor(
            engine=engine,
            since=start,
            until=end,
            out_dir=out,
            model_uri=model,
            config=thresholds,
        )
    except SQLAlchemyError as exc:
        cause = type(getattr(exc, "orig", None) or exc).__name__
        fail(f"DATABASE_URL {shown}: the audit trail cannot be read ({cause})")
    except AuditTrailMissing as exc:
        fail(f"DATABASE_URL {shown}: {exc}")
    except LookupError as exc:
        fail(f"--model {model}: {exc}")
    except OSError as exc:
        fail(f"--out {out}: {exc.strerror or type(exc).__name__}")
    finally:
        engine.dispose()
    typer.echo(outcome.summary)
    raise typer.Exit(1 if outcome.result.flags else 0)
