"""`screener mlflow-server` plans the team's server from the deployment's settings: a bad
or missing MLFLOW_BACKEND_URI, or a missing admin password, is one line and exit 2; the
plan serves artifacts through the server behind basic auth, and no secret lands in its
command line, its printout or its auth configuration file."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from training.lifecycle.cli import app
from training.lifecycle.tracking_server import (
    DEFAULT_PERMISSION,
    ServerConfigError,
    plan_server,
    postgres_url,
)
from training.settings import TrackingServerSettings

PASSWORD = "a-deployment-admin-password"
GOOD = "postgresql://mlflow@db.example:5432/mlflow"


def _settings(**values: object) -> TrackingServerSettings:
    base: dict[str, object] = {
        "mlflow_backend_uri": GOOD,
        "mlflow_auth_admin_password": PASSWORD,
    }
    base.update(values)
    return TrackingServerSettings.model_validate(base)


def _server_cli(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, list[str]]:
    for name in (
        "MLFLOW_BACKEND_URI",
        "MLFLOW_AUTH_BACKEND_URI",
        "MLFLOW_AUTH_ADMIN_PASSWORD",
        "MLFLOW_AUTH_ADMIN_USERNAME",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["mlflow-server", "--port", "5999"])
    return result.exit_code, [ln for ln in result.output.splitlines() if ln.strip()]


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD}, "error: MLFLOW_BACKEND_URI is not set"),
        (
            {"MLFLOW_BACKEND_URI": "not a url", "MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD},
            "error: MLFLOW_BACKEND_URI is not a database URL",
        ),
        (
            {"MLFLOW_BACKEND_URI": "mysql://u@h/db", "MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD},
            "error: MLFLOW_BACKEND_URI=mysql://u@h/db: not a PostgreSQL database",
        ),
        (
            {"MLFLOW_BACKEND_URI": "postgresql://u@h:5432", "MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD},
            "names no database",
        ),
        ({"MLFLOW_BACKEND_URI": GOOD}, "error: MLFLOW_AUTH_ADMIN_PASSWORD is not set"),
        (
            {"MLFLOW_BACKEND_URI": GOOD, "MLFLOW_AUTH_ADMIN_PASSWORD": "short"},
            "error: MLFLOW_AUTH_ADMIN_PASSWORD is shorter than 12 characters",
        ),
        (
            {
                "MLFLOW_BACKEND_URI": GOOD,
                "MLFLOW_AUTH_BACKEND_URI": "sqlite:///auth.db",
                "MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD,
            },
            "error: MLFLOW_AUTH_BACKEND_URI=sqlite:///auth.db: not a PostgreSQL database",
        ),
    ],
)
def test_a_bad_setting_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], said: str
) -> None:
    code, lines = _server_cli(monkeypatch, **env)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], lines


def test_an_unreachable_database_is_one_line_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Port 1 on the loopback: refused at once, offline.
    code, lines = _server_cli(
        monkeypatch,
        MLFLOW_BACKEND_URI="postgresql://mlflow:db-secret-pw@127.0.0.1:1/mlflow",
        MLFLOW_AUTH_ADMIN_PASSWORD=PASSWORD,
    )
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith("error: MLFLOW_BACKEND_URI=postgresql+psycopg://mlflow:***@")
    assert "cannot connect" in lines[0]
    assert "db-secret-pw" not in lines[0]


def test_the_plan_serves_artifacts_through_the_server_behind_basic_auth(tmp_path: Path) -> None:
    plan = plan_server(
        _settings(mlflow_artifacts_destination=str(tmp_path / "store")),
        port=5123,
        workers=3,
        allowed_hosts="mlflow.council.example",
        check_connections=False,
    )
    argv = plan.argv
    assert argv[1:4] == ["-m", "mlflow", "server"]

    def option(name: str) -> str:
        return argv[argv.index(name) + 1]

    assert option("--backend-store-uri") == "postgresql+psycopg://mlflow@db.example:5432/mlflow"
    assert "--serve-artifacts" in argv
    assert option("--artifacts-destination") == (tmp_path / "store").as_uri()
    assert option("--app-name") == "basic-auth"
    assert (option("--port"), option("--workers")) == ("5123", "3")
    assert option("--allowed-hosts") == "mlflow.council.example"
    # The secrets reach the server's environment only.
    assert plan.env["MLFLOW_AUTH_ADMIN_PASSWORD"] == PASSWORD
    assert len(plan.env["MLFLOW_FLASK_SERVER_SECRET_KEY"]) >= 32
    for public in (" ".join(argv), plan.describe(), plan.auth_config, repr(plan)):
        assert PASSWORD not in public
        assert plan.env["MLFLOW_FLASK_SERVER_SECRET_KEY"] not in public


def test_a_store_uri_is_kept_and_a_given_csrf_key_is_used() -> None:
    plan = plan_server(
        _settings(
            mlflow_artifacts_destination="s3://council-mlflow/artifacts",
            mlflow_flask_server_secret_key="k" * 40,
        ),
        check_connections=False,
    )
    assert plan.argv[plan.argv.index("--artifacts-destination") + 1] == (
        "s3://council-mlflow/artifacts"
    )
    assert plan.env["MLFLOW_FLASK_SERVER_SECRET_KEY"] == "k" * 40


def _read_as_mlflow_does(text: str) -> configparser.SectionProxy:
    # mlflow.server.auth.config.read_auth_config: a default ConfigParser, section [mlflow].
    parser = configparser.ConfigParser()
    parser.read_string(text)
    return parser["mlflow"]


def test_the_auth_configuration_denies_by_default_and_keeps_a_percent_in_a_url() -> None:
    auth_db = "postgresql://auth%40user:p%25w@db.example:5432/mlflow_auth"
    plan = plan_server(
        _settings(mlflow_auth_backend_uri=auth_db, mlflow_auth_admin_username="mlflow-admin"),
        check_connections=False,
    )
    read = _read_as_mlflow_does(plan.auth_config)
    assert read["default_permission"] == DEFAULT_PERMISSION == "NO_PERMISSIONS"
    assert read["admin_username"] == "mlflow-admin"
    assert "admin_password" not in read
    assert read["database_uri"] == postgres_url(auth_db, variable="X")[0]
    assert read["database_uri"].startswith("postgresql+psycopg://auth%40user:p%25w@")
    assert plan.auth_backend.startswith("postgresql+psycopg://auth%40user:***@")


def test_the_auth_store_defaults_to_the_backend_database() -> None:
    plan = plan_server(_settings(), check_connections=False)
    read = _read_as_mlflow_does(plan.auth_config)
    assert read["database_uri"] == "postgresql+psycopg://mlflow@db.example:5432/mlflow"


def test_a_line_break_cannot_add_a_setting_to_the_auth_configuration() -> None:
    with pytest.raises(ServerConfigError):
        plan_server(
            _settings(mlflow_auth_admin_username="admin\ndefault_permission = MANAGE"),
            check_connections=False,
        )
