"""`screener monitor` on the audit trail of a real service: a month of drifted contacts
raises flags, a month of undrifted ones raises none.

A model is trained and registered on generated contacts of the default span and made
@champion; two later months are generated (one with `--drift`), scored through the real
service on the days they arrived, and decided by a simulated screener who follows the
generator's outcome. The monitor then reads the trail, writes its reports and logs them to
MLflow against the champion.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head
from serving.keys import create_key
from serving.loaded_model import LoadedModel
from serving.main import create_app
from serving.settings import ServiceSettings
from tests.integration.conftest import run_screener
from tests.utils.deployment import HASH_KEY, SESSION_KEY
from tests.utils.model import generated_contacts
from tests.utils.monitor import serve_month
from tests.utils.serving import ROLES, Service
from training.config import load_config
from training.data.generate import generate_frame, load_lexicon, parse_drift

pytestmark = pytest.mark.slow

MONTH_ROWS = 1500
UNDRIFTED = (date(2026, 7, 1), date(2026, 7, 31))
DRIFTED = (date(2026, 8, 1), date(2026, 8, 31))
#: More serious contacts, screeners referring more, more anonymous and individual
#: referrers, and a tenth arriving without a source.
DRIFT = [
    "severity=8",
    "practice=1.0",
    "source=anonymous:4",
    "source=individual:2",
    "no_source=0.1",
]


@dataclass
class Reports:
    env: dict[str, str]
    version: str
    runs: dict[str, Any]
    payloads: dict[str, dict[str, Any]]
    html: dict[str, str]


def _month(seed: int, span: tuple[date, date], drift: list[str]) -> pd.DataFrame:
    labels = [i.label for i in load_lexicon().indicators]
    return generate_frame(
        MONTH_ROWS, seed=seed, span=span, drift=parse_drift(drift, indicator_labels=labels)
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reports]:
    root = tmp_path_factory.mktemp("monitor")
    env = {
        "MLFLOW_TRACKING_URI": f"sqlite:///{root}/mlflow.db",
        "MLFLOW_ARTIFACT_ROOT": str(root / "mlruns"),
        "DATABASE_URL": f"sqlite:///{root}/audit.db",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        from training.lifecycle import registry
        from training.lifecycle.workflows import train_and_register
        from training.settings import get_settings

        get_settings.cache_clear()
        frame = generated_contacts(4000, seed=31)
        data = root / "train.parquet"
        frame.to_parquet(data)
        config = load_config().with_overrides(
            {
                "candidates.names": ["logreg_words_chars"],
                "features.embedding_dir": "",
                "evaluation.n_boot": 5,
            }
        )
        trained = train_and_register(frame, data_path=data, config=config)
        registry.set_alias(trained.version)
        get_settings.cache_clear()

    engine = make_engine(env["DATABASE_URL"])
    upgrade_to_head(engine)
    keys = {role: create_key(role, engine=engine)[1] for role in ROLES}
    settings = ServiceSettings(
        database_url=env["DATABASE_URL"],
        model_uri="fake:",
        reload_poll_seconds=0,
        rate_limit_per_minute=0,
        screener_session_keys=SESSION_KEY,
        screener_audit_hash_keys=HASH_KEY,
    )
    model = LoadedModel(
        name="concern-screener", version=trained.version, run_id=None, scorer=trained.result.model
    )
    with TestClient(create_app(settings=settings, model=model)) as client:
        service = Service(client.app, client, engine, keys, {}, settings)  # type: ignore[arg-type]
        serve_month(service, _month(32, UNDRIFTED, []))
        serve_month(service, _month(33, DRIFTED, DRIFT))
    engine.dispose()

    runs, payloads, html = {}, {}, {}
    full_env = dict(os.environ, **env)
    for name, (first, last) in {"undrifted": UNDRIFTED, "drifted": DRIFTED}.items():
        out = root / name
        runs[name] = run_screener(
            "monitor",
            "--since",
            first.isoformat(),
            "--until",
            date.fromordinal(last.toordinal() + 1).isoformat(),
            "--out",
            str(out),
            env=full_env,
            cwd=root,
        )
        payloads[name] = json.loads((out / "monitor.json").read_text("utf-8"))
        html[name] = (out / "monitor.html").read_text("utf-8")
    yield Reports(full_env, trained.version, runs, payloads, html)


def test_an_undrifted_month_raises_no_flag_and_exits_0(reports: Reports) -> None:
    run, payload = reports.runs["undrifted"], reports.payloads["undrifted"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert payload["flags"] == []
    assert payload["contacts"] == MONTH_ROWS and payload["decided"] == MONTH_ROWS
    assert payload["score_period"]["psi"] < 0.1
    assert "No finding passed a threshold." in reports.html["undrifted"]


def test_a_drifted_month_raises_flags_of_each_kind_and_exits_1(reports: Reports) -> None:
    run, payload = reports.runs["drifted"], reports.payloads["drifted"]
    assert run.returncode == 1, run.stdout + run.stderr
    kinds = {f["kind"] for f in payload["flags"]}
    assert {"score_psi", "no_source", "source_share", "indicator_rate"} <= kinds, kinds
    assert {"override_rate", "calibration"} & kinds, kinds
    psi = [w["psi"] for w in payload["score_weeks"]]
    assert max(psi) >= 0.2
    assert payload["score_period"]["psi"] > 4 * reports.payloads["undrifted"]["score_period"]["psi"]
    assert "FLAG score_psi" in run.stdout


def test_each_report_is_logged_to_mlflow_as_a_run_tagged_with_the_champion(
    reports: Reports, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlflow

    from training.lifecycle import registry
    from training.settings import get_settings

    for name, value in reports.env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        client = registry.configure()
        runs = mlflow.search_runs(
            filter_string=f"tags.`screener.kind` = 'monitor' and tags.model_version = '{reports.version}'",
            output_format="list",
        )
        assert len(runs) == 2
        flagged = {r.data.tags["monitor.period"]: int(r.data.tags["monitor.flags"]) for r in runs}
        assert flagged["2026-07-01..2026-08-01"] == 0
        assert flagged["2026-08-01..2026-09-01"] > 0
        drifted = next(r for r in runs if r.data.tags["monitor.period"].startswith("2026-08"))
        payload = reports.payloads["drifted"]
        assert drifted.data.metrics["monitor_psi"] == payload["score_period"]["psi"]
        history = client.get_metric_history(drifted.info.run_id, "monitor_psi_by_week")
        assert sorted((m.step, m.value) for m in history) == [
            (k, w["psi"]) for k, w in enumerate(payload["score_weeks"])
        ]
        files = {f.path for f in client.list_artifacts(drifted.info.run_id, "monitor")}
        assert files == {"monitor/monitor.html", "monitor/monitor.json"}
        tags = registry.version_details(reports.version)["tags"]
        # The drifted month was reported last.
        assert tags["monitor/last_run_id"] == drifted.info.run_id
        assert tags["monitor/last_period"] == "2026-08-01..2026-09-01"
        assert set(json.loads(tags["monitor/last_flags"])) == {
            f["kind"] for f in reports.payloads["drifted"]["flags"]
        }
    finally:
        get_settings.cache_clear()


def test_the_reports_publish_no_count_under_ten(reports: Reports) -> None:
    def counts(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from counts(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from counts(v, key)
        elif key in {"n", "count", "met", "contacts", "decided", "indicators_recorded", "bins"}:
            yield key, value

    for payload in reports.payloads.values():
        published = list(counts(payload))
        assert published
        assert all(v == "<10" or v == 0 or (isinstance(v, int) and v >= 10) for _, v in published)
        assert any(v == "<10" for _, v in published)
