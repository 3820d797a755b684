"""The CI PostgreSQL (trust auth at 127.0.0.1:5432) for tests that need one."""

from __future__ import annotations

import os
from typing import Any

import pytest


def connect_or_skip(conninfo: str) -> Any:
    """An autocommit connection to ``conninfo``; skips the test when the server is
    unreachable, except under CI=true where that is a failure."""
    import psycopg

    try:
        return psycopg.connect(conninfo, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL unreachable under CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
