"""The team's MLflow tracking server: ``screener mlflow-server`` (decision 0034).

``mlflow server`` with the runs and registered models in PostgreSQL
(``MLFLOW_BACKEND_URI``), artifacts served through the server (``--artifacts-destination``:
clients never reach the artifact store themselves) and MLflow's basic-auth app, whose
users and permissions live in ``MLFLOW_AUTH_BACKEND_URI`` (default: the same database, in
tables of their own). A user sees nothing it was not granted (``default_permission =
NO_PERMISSIONS``); ``screener mlflow-users`` grants READ, EDIT or MANAGE on the screener's
experiment and registered model.

The server is planned from the deployment's settings and checked before anything starts
(:func:`plan_server`: every problem is one line naming the variable), then run as a child
process (:func:`run_server`) that gets the admin's password and the CSRF key through its
environment and the rest through a private auth configuration file that holds no secret
of its own. MLflow itself is not imported here: the server is MLflow's command.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.settings import TrackingServerSettings

__all__ = [
    "DEFAULT_PERMISSION",
    "MIN_PASSWORD_CHARS",
    "ServerConfigError",
    "ServerPlan",
    "check_database",
    "plan_server",
    "postgres_url",
    "run_server",
]

#: What a signed-in user may do where nobody granted it anything: nothing. Reading the
#: runs and the model is granted per user (``screener mlflow-users grant``).
DEFAULT_PERMISSION = "NO_PERMISSIONS"
#: MLflow's password policy for basic-auth users (the admin included).
MIN_PASSWORD_CHARS = 12
_POSTGRES_SCHEMES = ("postgresql", "postgres")


class ServerConfigError(ValueError):
    """The deployment's settings cannot start the server; the message is one line that
    names the variable and what is wrong, never a secret."""


@dataclass(frozen=True)
class ServerPlan:
    """How the server will be started: its command line, the secrets for its environment
    only, and its auth configuration file's text."""

    argv: list[str]
    #: The backend store, the auth store and the artifacts, as they may be printed
    #: (database passwords hidden).
    backend: str
    auth_backend: str
    artifacts: str
    address: str
    auth_config: str
    #: Added to the child's environment only (the admin's password, the CSRF key).
    env: dict[str, str] = field(repr=False)

    def describe(self) -> str:
        return (
            f"mlflow server on http://{self.address} (basic auth; a user sees only what "
            f"it is granted)\n"
            f"  runs and registered models: {self.backend}\n"
            f"  users and permissions:      {self.auth_backend}\n"
            f"  artifacts, served through the server: {self.artifacts}"
        )


def postgres_url(raw: str | None, *, variable: str) -> tuple[str, str]:
    """``raw`` as a SQLAlchemy URL on psycopg 3 (the driver this project installs) and as
    it may be printed, password hidden. Raises ServerConfigError for a missing, unparsable
    or non-PostgreSQL URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if raw is None or not raw.strip():
        raise ServerConfigError(
            f"{variable} is not set: give the team's PostgreSQL database, "
            "e.g. postgresql://mlflow@db.example:5432/mlflow"
        )
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):
        raise ServerConfigError(
            f"{variable} is not a database URL (postgresql://USER@HOST:PORT/DATABASE)"
        ) from None
    shown = url.render_as_string(hide_password=True)
    backend, _, driver = url.drivername.partition("+")
    if backend not in _POSTGRES_SCHEMES:
        raise ServerConfigError(
            f"{variable}={shown}: not a PostgreSQL database; the team server keeps its "
            "runs in PostgreSQL (postgresql://USER@HOST:PORT/DATABASE)"
        )
    if not url.database:
        raise ServerConfigError(f"{variable}={shown}: names no database (.../DATABASE)")
    url = url.set(drivername=f"postgresql+{driver or 'psycopg'}")
    return url.render_as_string(hide_password=False), url.render_as_string(hide_password=True)


def check_database(url: str, *, variable: str, shown: str, timeout_seconds: float = 5.0) -> None:
    """Open (and close) one connection to ``url``; ServerConfigError saying why when the
    database cannot be reached (refused, unknown host, no such database, bad password)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, connect_args={"connect_timeout": max(1, int(timeout_seconds))})
    try:
        with engine.connect():
            pass
    except (SQLAlchemyError, OSError) as exc:
        raise ServerConfigError(f"{variable}={shown}: cannot connect: {_first_line(exc)}") from None
    finally:
        engine.dispose()


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    # libpq's first line says what failed and why ("... failed: Connection refused");
    # the lines after it are hints.
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    text = lines[0] if lines else type(orig).__name__
    return text[:300]


def _artifacts_uri(destination: str) -> str:
    """A local folder becomes an absolute ``file://`` URI; a store URI stays as given."""
    if "://" in destination:
        return destination
    return Path(destination).expanduser().resolve().as_uri()


def _ini_value(value: str) -> str:
    # MLflow reads the file with configparser's interpolation: a "%" (a percent-encoded
    # character in a URL) must be doubled, and a value must stay on one line.
    if "\n" in value or "\r" in value:
        raise ServerConfigError("a value of the auth configuration holds a line break")
    return value.replace("%", "%%")


def auth_config_text(*, database_uri: str, admin_username: str, cache_seconds: int) -> str:
    """The basic-auth app's configuration (``MLFLOW_AUTH_CONFIG_PATH``): where users and
    permissions live, the admin's name, deny-by-default, and how long a checked password
    is trusted. The admin's password is not in it: MLflow reads it from
    ``MLFLOW_AUTH_ADMIN_PASSWORD``."""
    return (
        "[mlflow]\n"
        f"default_permission = {DEFAULT_PERMISSION}\n"
        f"database_uri = {_ini_value(database_uri)}\n"
        f"admin_username = {_ini_value(admin_username)}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
        f"auth_cache_ttl_seconds = {int(cache_seconds)}\n"
    )


def plan_server(
    settings: TrackingServerSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 5000,
    workers: int = 2,
    allowed_hosts: str | None = None,
    check_connections: bool = True,
    python: str = sys.executable,
) -> ServerPlan:
    """Check the deployment's settings and plan the server; ServerConfigError (one line)
    for a missing or bad ``MLFLOW_BACKEND_URI`` (or ``MLFLOW_AUTH_BACKEND_URI``), a missing
    or too short admin password, or a missing basic-auth extra."""
    backend, backend_shown, auth, auth_shown = _backend_urls(settings)
    admin, password = _admin_credentials(settings)
    if importlib.util.find_spec("flask_wtf") is None:
        raise ServerConfigError(
            "MLflow's basic-auth app needs Flask-WTF, which is not installed: "
            "pip install 'concern-screener[tracking-server]'"
        )
    if check_connections:
        check_database(backend, variable="MLFLOW_BACKEND_URI", shown=backend_shown)
        if auth != backend:
            check_database(auth, variable="MLFLOW_AUTH_BACKEND_URI", shown=auth_shown)
    artifacts = _artifacts_uri(settings.mlflow_artifacts_destination)
    argv = [
        python, "-m", "mlflow", "server",
        "--backend-store-uri", backend,
        "--serve-artifacts",
        "--artifacts-destination", artifacts,
        "--app-name", "basic-auth",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    if allowed_hosts:
        argv += ["--allowed-hosts", allowed_hosts]
    return ServerPlan(
        argv=argv,
        backend=backend_shown,
        auth_backend=auth_shown,
        artifacts=artifacts,
        address=f"{host}:{port}",
        auth_config=auth_config_text(
            database_uri=auth,
            admin_username=admin,
            cache_seconds=settings.mlflow_auth_cache_seconds,
        ),
        env=_server_env(settings, admin=admin, password=password),
    )


def _backend_urls(settings: TrackingServerSettings) -> tuple[str, str, str, str]:
    """The runs' database and the users' (the runs' unless set apart), each as used and as
    shown (no password): ``backend, backend_shown, auth, auth_shown``."""
    backend, backend_shown = postgres_url(
        settings.mlflow_backend_uri, variable="MLFLOW_BACKEND_URI"
    )
    if settings.mlflow_auth_backend_uri:
        auth, auth_shown = postgres_url(
            settings.mlflow_auth_backend_uri, variable="MLFLOW_AUTH_BACKEND_URI"
        )
    else:
        auth, auth_shown = backend, backend_shown
    return backend, backend_shown, auth, auth_shown


def _admin_credentials(settings: TrackingServerSettings) -> tuple[str, str]:
    """The admin's name and password, checked: both given, the password long enough."""
    admin = settings.mlflow_auth_admin_username.strip()
    if not admin:
        raise ServerConfigError("MLFLOW_AUTH_ADMIN_USERNAME is empty: name the admin user")
    password = (
        settings.mlflow_auth_admin_password.get_secret_value()
        if settings.mlflow_auth_admin_password is not None
        else ""
    )
    if not password:
        raise ServerConfigError(
            "MLFLOW_AUTH_ADMIN_PASSWORD is not set: the admin's password comes from the "
            f"deployment ({MIN_PASSWORD_CHARS} characters or more), never from the repository"
        )
    if len(password) < MIN_PASSWORD_CHARS:
        raise ServerConfigError(
            f"MLFLOW_AUTH_ADMIN_PASSWORD is shorter than {MIN_PASSWORD_CHARS} characters "
            "(MLflow's password policy)"
        )
    return admin, password


def _server_env(settings: TrackingServerSettings, *, admin: str, password: str) -> dict[str, str]:
    """What the server's process gets in its environment beside this one's."""
    key = settings.mlflow_flask_server_secret_key
    return {
        # MLflow's job runner (online scoring of GenAI traces: seven processes) has
        # nothing to do for this project; a deployment may turn it back on.
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": os.environ.get(
            "MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false"
        ),
        "MLFLOW_AUTH_ADMIN_USERNAME": admin,
        "MLFLOW_AUTH_ADMIN_PASSWORD": password,
        # The sign-up form's CSRF key: every worker of this server inherits the same
        # one; servers behind one name need the deployment's.
        "MLFLOW_FLASK_SERVER_SECRET_KEY": (
            key.get_secret_value() if key is not None else secrets.token_urlsafe(32)
        ),
    }


def run_server(plan: ServerPlan) -> int:
    """Run the planned server until it stops or this process is told to stop (SIGINT,
    SIGTERM and SIGHUP are passed on to the server's process group); its exit code.

    The auth configuration lives in a private temporary folder (owner only) for the
    server's life and is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="screener-mlflow-auth-") as tmp:
        path = Path(tmp) / "basic_auth.ini"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(plan.auth_config)
        env = {**os.environ, **plan.env, "MLFLOW_AUTH_CONFIG_PATH": str(path)}
        # Its own session: a stop reaches MLflow's workers too, not only its launcher.
        proc = subprocess.Popen(plan.argv, env=env, start_new_session=True)

        def forward(signum: int, _frame: Any) -> None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signum)

        stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {s: signal.signal(s, forward) for s in stops}
        try:
            return proc.wait()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
