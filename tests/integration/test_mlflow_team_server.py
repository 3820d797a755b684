"""The team's tracking server, `screener mlflow-server`, on the CI PostgreSQL: users and
permissions (a reader can neither register nor promote), two users' runs in one
experiment, artifacts through the server only, and the service loading the champion as a
read-only user. One server for the module; two small trainings."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from tests.integration.conftest import run_screener, screener_bin
from tests.utils.mlflow_server import free_port, postgres_database, running_server
from tests.utils.signing import SIGNING_ENV, SIGNING_KEY

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

#: A test's credentials, never a deployment's.
ADMIN_PASSWORD = "test-admin-password-0123"
USERS = {
    "alice": ("EDIT", "alice-password-0123"),
    "bob": ("EDIT", "bob-password-45678"),
    "service": ("READ", "service-password-9012"),
    "carol": (None, "carol-password-3456"),  # a user granted nothing
}
MODEL = "concern-screener"


@dataclass
class TeamServer:
    url: str
    artifacts: Path
    tmp: Path
    config: Path
    data: Path
    runs: dict[str, str]  # version -> run id

    def env(self, user: str | None, password: str | None = None) -> dict[str, str]:
        """The environment of a team member's command (or an anonymous one)."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MLFLOW_TRACKING_", "MLFLOW_AUTH_", "MLFLOW_BACKEND"))
        }
        env.update(
            MLFLOW_TRACKING_URI=self.url,
            MLFLOW_HTTP_REQUEST_MAX_RETRIES="0",
            **{SIGNING_ENV: SIGNING_KEY},
        )
        if user is not None:
            env["MLFLOW_TRACKING_USERNAME"] = user
            env["MLFLOW_TRACKING_PASSWORD"] = password or (
                ADMIN_PASSWORD if user == "admin" else USERS[user][1]
            )
        return env

    def screener(self, user: str | None, *args: str) -> subprocess.CompletedProcess[str]:
        work = self.tmp / f"work-{user}"
        work.mkdir(exist_ok=True)
        return run_screener(*args, env=self.env(user), cwd=work, timeout=600)

    def train(self, user: str) -> str:
        out = self.screener(
            user, "train", "--data", str(self.data), "--config", str(self.config),
            "--candidates", "logreg_words_chars",
        )  # fmt: skip
        assert out.returncode == 0, out.stderr[-3000:]
        line = next(ln for ln in out.stdout.splitlines() if ln.startswith("registered "))
        # "registered concern-screener version N (run ID)"
        version = line.split()[3]
        self.runs[version] = line.rsplit("run ", 1)[1].rstrip(")")
        return version


def _small_config(tmp: Path) -> Path:
    """The packaged configuration without the embedding table: the subject here is the
    server, and the smaller model keeps the two trainings short."""
    text = resources.files("training.configs").joinpath("default.toml").read_text("utf-8")
    changed = text.replace('embedding_dir = "default"', 'embedding_dir = ""', 1)
    assert changed != text
    path = tmp / "small.toml"
    path.write_text(changed, "utf-8")
    return path


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory, generated_tiny: Path) -> Iterator[TeamServer]:
    tmp = tmp_path_factory.mktemp("team")
    port = free_port()
    with postgres_database() as database:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
        env.update(
            MLFLOW_BACKEND_URI=database,
            MLFLOW_ARTIFACTS_DESTINATION=str(tmp / "artifacts"),
            MLFLOW_AUTH_ADMIN_PASSWORD=ADMIN_PASSWORD,
        )
        argv = [screener_bin(), "mlflow-server", "--port", str(port), "--workers", "1"]
        with running_server(argv, port=port, log=tmp / "server.log", env=env) as url:
            server = TeamServer(url, tmp / "artifacts", tmp, _small_config(tmp), generated_tiny, {})
            _add_users(server)
            assert server.train("alice") == "1"
            assert server.train("bob") == "2"
            out = server.screener(
                "alice", "promote", "--version", "1", "--force", "--reason", "team server test"
            )
            assert out.returncode == 0, out.stderr[-2000:]
            yield server


def _add_users(server: TeamServer) -> None:
    """The service's user through the command a team runs; the others through the same
    functions in this process (each command start costs seconds)."""
    from training.lifecycle import registry
    from training.settings import get_settings

    secret = server.tmp / "service.password"
    secret.write_text(USERS["service"][1] + "\n", "utf-8")
    out = server.screener(
        "admin", "mlflow-users", "create", "service", "--password-file", str(secret)
    )
    assert out.returncode == 0, out.stderr
    out = server.screener("admin", "mlflow-users", "grant", "service", "--permission", "READ")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == (
        "granted: service: READ on experiment concern-screener, "
        "READ on registered model concern-screener"
    )
    with pytest.MonkeyPatch.context() as mp:
        for key, value in server.env("admin").items():
            if key.startswith("MLFLOW_"):
                mp.setenv(key, value)
        get_settings.cache_clear()
        try:
            for user, (permission, password) in USERS.items():
                if user == "service":
                    continue
                registry.create_team_user(user, password)
                if permission:
                    access = registry.grant_team_access(user, permission)
                    assert (access.experiment_permission, access.model_permission) == (
                        permission,
                        permission,
                    )
            assert registry.team_access("carol").experiment_permission == "NO_PERMISSIONS"
        finally:
            get_settings.cache_clear()


def _client(team: TeamServer, user: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from mlflow import MlflowClient

    for key, value in team.env(user).items():
        if key.startswith("MLFLOW_"):
            monkeypatch.setenv(key, value)
    return MlflowClient(tracking_uri=team.url)


def _one_error_line(out: subprocess.CompletedProcess[str]) -> str:
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    return lines[0]


def test_a_reader_cannot_train_register_or_promote(team: TeamServer, monkeypatch) -> None:
    from mlflow.exceptions import MlflowException

    trained = team.screener(
        "service", "train", "--data", str(team.data), "--config", str(team.config)
    )
    assert trained.returncode == 2
    line = _one_error_line(trained)
    assert "user service holds READ on the experiment concern-screener" in line
    assert "registered" not in trained.stdout  # refused before the fit, not after it

    promoted = team.screener("service", "promote", "--version", "2", "--force", "--reason", "x")
    assert promoted.returncode == 2
    line = _one_error_line(promoted)
    assert "refused user service" in line and "permission denied" in line

    reader = _client(team, "service", monkeypatch)
    with pytest.raises(MlflowException) as refused:
        reader.create_model_version(MODEL, f"runs:/{team.runs['1']}/model", team.runs["1"])
    assert refused.value.error_code == "PERMISSION_DENIED"
    with pytest.raises(MlflowException) as refused:
        reader.set_registered_model_alias(MODEL, "champion", "2")
    assert refused.value.error_code == "PERMISSION_DENIED"

    admin = _client(team, "admin", monkeypatch)
    assert admin.get_model_version_by_alias(MODEL, "champion").version == "1"
    assert {v.version for v in admin.search_model_versions(f"name='{MODEL}'")} == {"1", "2"}


def test_two_users_runs_land_in_one_experiment(team: TeamServer, monkeypatch) -> None:
    admin = _client(team, "admin", monkeypatch)
    experiment = admin.get_experiment_by_name(MODEL)
    runs = {run_id: admin.get_run(run_id) for run_id in team.runs.values()}
    assert {r.info.experiment_id for r in runs.values()} == {experiment.experiment_id}
    assert {r.data.tags["mlflow.user"] for r in runs.values()} == {"alice", "bob"}
    by_version = {v.version: v.run_id for v in admin.search_model_versions(f"name='{MODEL}'")}
    assert by_version == team.runs
    # The promotion names the signed-in user who made it, not the machine's login.
    assert admin.get_model_version(MODEL, "1").tags["promotion/by"] == "alice"
    # Each editor reads the other's run: the experiment is shared, not split by owner.
    bob = _client(team, "bob", monkeypatch)
    assert bob.get_run(team.runs["1"]).data.tags["mlflow.user"] == "alice"


def _get(url: str, user: str | None, password: str | None = None) -> int:
    request = urllib.request.Request(url)
    if user is not None:
        token = b64encode(f"{user}:{password or USERS[user][1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_artifacts_are_reached_through_the_server_only(team: TeamServer, monkeypatch) -> None:
    admin = _client(team, "admin", monkeypatch)
    run = admin.get_run(team.runs["1"])
    # The run names the server's proxy, not a path or bucket the client would need.
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/")
    relative = run.info.artifact_uri[len("mlflow-artifacts:/") :].lstrip("/")
    stored = team.artifacts / relative
    assert (stored / "evaluation" / "evaluation.json").is_file()
    # No client wrote a local store: the users' working folders hold no run or artifact.
    for work in team.tmp.glob("work-*"):
        assert not (work / "mlruns").exists() and not (work / "mlartifacts").exists()
    url = f"{team.url}/api/2.0/mlflow-artifacts/artifacts/{relative}/evaluation/evaluation.json"
    assert _get(url, None) == 401
    assert _get(url, "alice", "not-alices-password") == 401
    assert _get(url, "carol") == 403  # signed in, granted nothing
    assert _get(url, "service") == 200


def test_the_service_loads_the_champion_as_a_read_only_user(team: TeamServer) -> None:
    script = (
        "from serving.model_store import load_model_from_mlflow\n"
        "import os\n"
        "m = load_model_from_mlflow('models:/concern-screener@champion',"
        " tracking_uri=os.environ['MLFLOW_TRACKING_URI'])\n"
        "print(m.version, m.verification.kind, sorted(m.metrics)[:1] != [])\n"
        "print(m.scorer.score_records(['Dad hit the baby, bruise on her face.'], [None])[0].score)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=team.env("service"), cwd=team.tmp,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    described, score = out.stdout.strip().splitlines()[-2:]
    assert described == "1 signed True"
    assert 0.0 <= float(score) <= 1.0
    wrong = subprocess.run(
        [sys.executable, "-c", script], env=team.env("service", "a-wrong-password-123"),
        cwd=team.tmp, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert wrong.returncode != 0
    assert "401" in wrong.stderr
