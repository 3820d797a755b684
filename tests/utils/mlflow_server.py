"""MLflow tracking servers for the integration tests: a fresh database on the CI
PostgreSQL, a free port, and a server started as a child process and waited for."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.utils.postgres import connect_or_skip

#: The CI server's superuser (trust auth). Override with TEST_POSTGRES_ADMIN.
ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_database(prefix: str = "mlflow") -> Iterator[str]:
    """A new, empty database (dropped afterwards), as ``postgresql://...``; skips when the
    server is unreachable, except under CI=true where that is a failure."""
    admin = connect_or_skip(ADMIN)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql://postgres@127.0.0.1:5432/{name}"
        finally:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(
    url: str, server: subprocess.Popen[bytes], *, seconds: float, interval: float = 0.25
) -> bool:
    """Whether ``url``/health answered 200 within ``seconds``; False at once if ``server``
    exits first."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        if server.poll() is not None:
            return False
        time.sleep(interval)
    return False


@contextmanager
def running_server(
    argv: list[str], *, port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start ``argv`` (an MLflow server on ``port``), wait until /health answers (at most
    120 s; the test fails with the end of its log otherwise), yield its URL, stop it.

    MLflow's job runner is off unless ``env`` turns it on: it starts eight huey consumer
    processes that nothing here uses, as ``screener mlflow-server`` leaves it off too."""
    env = dict(os.environ if env is None else env)
    env.setdefault("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false")
    server = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "wb"),  # noqa: SIM115  (the server holds it)
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(url, server, seconds=120):
            pytest.fail("mlflow server did not start: " + log.read_text()[-2000:])
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
