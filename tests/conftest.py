"""Shared fixtures: ``postgres_url``, a private schema on the CI PostgreSQL per test, and
the service's key rings in the environment of every test (``deployment_keys``); the
``--no-spark`` option, which skips the tests marked ``spark`` on a developer's machine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.utils.deployment import SECRETS_ENV
from tests.utils.postgres import connect_or_skip

#: The CI server (trust auth). Override with TEST_POSTGRES_URL.
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL whose search_path is a fresh schema, dropped afterwards, so
    parallel runs never share tables. Skips when the server is unreachable, except under
    CI=true where that is a failure."""
    base = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    admin = connect_or_skip(base.replace("postgresql+psycopg://", "postgresql://"))
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        sep = "&" if "?" in base else "?"
        try:
            yield f"{base}{sep}options=-csearch_path%3D{schema}"
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(autouse=True)
def deployment_keys(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The session and audit-hash rings in the environment, as a deployment gives them:
    without them a development service would write ./.screener-secrets.toml in the
    checkout. A test of what happens without rings deletes them."""
    for name, value in SECRETS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SCREENER_SECRETS_FILE", raising=False)
    monkeypatch.delenv("AUDIT_HASH_KEY", raising=False)
    monkeypatch.delenv("SCREENER_ENV", raising=False)
    return dict(SECRETS_ENV)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--no-spark",
        action="store_true",
        help="skip the tests marked spark (they start a local SparkSession; CI runs them)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules with slow tests first (in their order), so that parallel workers
    (``make test`` runs two, taking modules in this order: ``--no-loadscope-reorder``) start
    on the long ones and fill in with the short ones, rather than finish on a long one alone. ``--no-spark`` skips the Spark tests on a developer's
    machine. Without it they run, and fail (never skip) where PySpark or Java is missing:
    ``make test`` installs both."""
    slow = {getattr(item, "module", None) for item in items if "slow" in item.keywords}
    slow.discard(None)
    items.sort(key=lambda item: getattr(item, "module", None) not in slow)
    if not config.getoption("--no-spark"):
        return
    skip = pytest.mark.skip(reason="--no-spark: the Spark tests run in CI")
    for item in items:
        if "spark" in item.keywords:
            item.add_marker(skip)
