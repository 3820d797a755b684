"""What a team member reads when the tracking server refuses: one line naming the user, the
server and what was refused, never a traceback; and how `screener mlflow-users` takes a
password (asked twice or from a file, never from the command line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import (
    PERMISSION_DENIED,
    RESOURCE_DOES_NOT_EXIST,
    UNAUTHENTICATED,
)
from typer.testing import CliRunner

from training.lifecycle import registry
from training.lifecycle.cli import app
from training.settings import get_settings


@pytest.fixture(autouse=True)
def signed_in(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://user:pw@mlflow.example:5000")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "service")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _refused(code: int, endpoint: str) -> MlflowException:
    return MlflowException(
        f"API request to endpoint {endpoint} failed with error code 403 != 200. "
        "Response body: 'Permission denied'",
        error_code=code,
    )


@pytest.mark.parametrize(
    ("endpoint", "said"),
    [
        ("/api/2.0/mlflow/model-versions/create", "registering a version of the model"),
        ("/api/2.0/mlflow/registered-models/alias", "moving an alias of the model (promoting)"),
        ("/api/2.0/mlflow/runs/create", "starting a run in the experiment"),
    ],
)
def test_a_403_names_the_user_the_server_and_what_was_refused(endpoint: str, said: str) -> None:
    with pytest.raises(registry.RegistryAccessError) as caught, registry.access_errors():
        raise _refused(PERMISSION_DENIED, endpoint)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("the tracking server http://mlflow.example:5000 refused user service")
    assert said in message
    assert "screener mlflow-users grant service --permission EDIT" in message
    assert "pw@" not in message  # credentials in the URI are never repeated


def test_a_401_says_which_variables_to_set() -> None:
    with pytest.raises(registry.RegistryAccessError) as caught, registry.access_errors():
        raise _refused(UNAUTHENTICATED, "/api/2.0/mlflow/experiments/get-by-name")
    assert "does not accept user service" in str(caught.value)
    assert "MLFLOW_TRACKING_PASSWORD" in str(caught.value)


def test_other_errors_pass_through_unchanged() -> None:
    with pytest.raises(MlflowException) as caught, registry.access_errors():
        raise _refused(RESOURCE_DOES_NOT_EXIST, "/api/2.0/mlflow/model-versions/get")
    assert caught.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_a_refused_promotion_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    import training.lifecycle.workflows as workflows

    def promote(*_: object, **__: object) -> None:
        raise _refused(PERMISSION_DENIED, "/api/2.0/mlflow/model-versions/set-tag")

    monkeypatch.setattr(workflows, "promote_version", promote)
    result = CliRunner().invoke(app, ["promote", "--version", "2", "--force", "--reason", "x"])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: the tracking server"), lines
    assert "tagging a version of the model" in lines[0]


def _capture_create(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    created: list[tuple[str, str]] = []
    monkeypatch.setattr(
        registry, "create_team_user", lambda name, password: created.append((name, password))
    )
    return created


def test_a_password_is_asked_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    created = _capture_create(monkeypatch)
    ok = CliRunner().invoke(
        app, ["mlflow-users", "create", "asha"], input="asha-password-01\nasha-password-01\n"
    )
    assert ok.exit_code == 0, ok.output
    assert created == [("asha", "asha-password-01")]
    assert "asha-password-01" not in ok.output


def test_a_password_file_gives_its_first_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    created = _capture_create(monkeypatch)
    secret = tmp_path / "pw"
    secret.write_text("from-the-secret-store-1\nignored\n", "utf-8")
    ok = CliRunner().invoke(app, ["mlflow-users", "create", "svc", "--password-file", str(secret)])
    assert ok.exit_code == 0, ok.output
    assert created == [("svc", "from-the-secret-store-1")]
    secret.write_text("\n", "utf-8")
    empty = CliRunner().invoke(
        app, ["mlflow-users", "create", "svc", "--password-file", str(secret)]
    )
    assert empty.exit_code == 2
    assert empty.output.strip() == f"error: --password-file {secret}: the first line is empty"


def test_a_short_password_or_a_bad_permission_is_one_line(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("short\n", "utf-8")
    short = CliRunner().invoke(
        app, ["mlflow-users", "create", "svc", "--password-file", str(secret)]
    )
    assert short.exit_code == 2
    assert short.output.strip() == "error: the password of svc is shorter than 12 characters"
    bad = CliRunner().invoke(app, ["mlflow-users", "grant", "svc", "--permission", "OWNER"])
    assert bad.exit_code == 2
    assert bad.output.strip() == "error: --permission OWNER: must be one of READ, EDIT, MANAGE"


def test_users_live_on_a_tracking_server_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db")
    get_settings.cache_clear()
    out = CliRunner().invoke(app, ["mlflow-users", "show", "asha"])
    assert out.exit_code == 2
    assert out.output.startswith(
        "error: MLFLOW_TRACKING_URI=sqlite:///mlflow.db is not a tracking server"
    )
