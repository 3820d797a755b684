"""The learning loop end to end: contacts scored through the service, decisions recorded,
`screener data export-decisions`, then `screener train` on the export beside a generated
one, each part's weight, rows and digest recorded in MLflow."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.integration.conftest import TINY_ROWS, run_screener
from tests.utils.serving import MakeService
from tests.utils.signing import SIGNING_KEY
from training.data.generate import generate_frame
from training.data.quarantine import validate_file
from training.text import redact

pytestmark = pytest.mark.slow

#: Contacts scored while the service kept their redacted text, and after it stopped.
KEPT, NOT_KEPT, DECIDED_TWICE = 360, 20, 30


def test_recorded_decisions_are_exported_validated_and_trained_on_with_weights(
    make_service: MakeService, generated_tiny: Path, tmp_path: Path
) -> None:
    contacts = generate_frame(KEPT + NOT_KEPT, seed=303)
    keeping = make_service(audit_store_redacted_text=True, rate_limit_per_minute=0)
    url = keeping.settings.database_url
    not_keeping = make_service(database_url=url, rate_limit_per_minute=0)
    items = [
        {"text": row.text, "source": row.source, "contact_id": f"live-{row.contact_id}"}
        for row in contacts.itertuples()
    ]
    for svc, batch in ((keeping, items[:KEPT]), (not_keeping, items[KEPT:])):
        for start in range(0, len(batch), 200):
            r = svc.client.post(
                "/v1/score/batch",
                json={"items": batch[start : start + 200]},
                headers=svc.h("screener"),
            )
            assert r.status_code == 200, r.text
    # The screeners decide each contact as practice did; some are decided twice, the
    # first time otherwise: the latest decision is the one exported.
    for k, row in enumerate(contacts.itertuples()):
        cid = f"live-{row.contact_id}"
        if k < DECIDED_TWICE:
            first = "nfa" if row.outcome != "nfa" else "child_protection"
            r = keeping.client.post(
                f"/v1/contacts/{cid}/decision",
                json={"decision": first},
                headers=keeping.h("screener"),
            )
            assert r.status_code == 201
        r = keeping.client.post(
            f"/v1/contacts/{cid}/decision",
            json={"decision": row.outcome},
            headers=keeping.h("screener"),
        )
        assert r.status_code == 201, r.text

    root = tmp_path / "mlflow"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        MLFLOW_TRACKING_URI=f"sqlite:///{root}/mlflow.db",
        MLFLOW_ARTIFACT_ROOT=str(root / "mlruns"),
        SCREENER_MODEL_SIGNING_KEYS=SIGNING_KEY,
    )
    export = tmp_path / "decisions.parquet"
    out = run_screener(
        "data",
        "export-decisions",
        "--since",
        "2026-01-01",
        "--out",
        str(export),
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert (
        f"wrote {KEPT} of {KEPT + NOT_KEPT} contacts decided since 2026-01-01T00:00:00"
        in out.stdout
    )
    assert (
        f"{DECIDED_TWICE} decided more than once: the latest decision is the outcome" in out.stdout
    )
    assert f"left out {NOT_KEPT}: scored while the service kept no redacted text" in out.stdout

    report = validate_file(export, write=False)
    assert report.ok and report.warnings == () and report.valid_rows == KEPT
    exported = pd.read_parquet(export).set_index("contact_id")
    truth = (
        contacts.assign(contact_id="live-" + contacts["contact_id"])
        .set_index("contact_id")
        .iloc[:KEPT]
    )
    assert exported.index.tolist() == truth.index.tolist()
    assert (exported["outcome"] == truth["outcome"]).all()
    assert (exported["source"] == truth["source"]).all()
    # The text is the redacted one the trail kept, never the text as sent.
    assert exported["text"].tolist() == [redact(t)[0] for t in truth["text"]]
    with_pii = truth["pii_spans"].map(lambda spans: bool(json.loads(spans))).to_numpy()
    assert with_pii.sum() > KEPT // 2
    assert (exported["text"].to_numpy() != truth["text"].to_numpy())[with_pii].all()
    assert set(exported["model_version"]) == {"1"} and exported["score"].between(0, 1).all()

    trained = run_screener(
        "train",
        "--data",
        str(generated_tiny),
        "--data",
        f"{export}:3",
        env=env,
        cwd=tmp_path,
        timeout=900,
    )
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert f"part 2: decisions.parquet, {KEPT} contacts, weight 3" in trained.stdout
    run_id = re.search(r"registered concern-screener version (\d+) \(run (\w+)\)", trained.stdout)
    assert run_id is not None

    import mlflow

    client = mlflow.MlflowClient(tracking_uri=env["MLFLOW_TRACKING_URI"])
    run = client.get_run(run_id.group(2))
    params = run.data.params
    assert (params["data.parts"], params["data.part1.weight"], params["data.part2.weight"]) == (
        "2",
        "1",
        "3",
    )
    assert (params["data.part1.rows"], params["data.part2.rows"]) == (str(TINY_ROWS), str(KEPT))
    assert params["data.part1.digest"] == hashlib.sha256(generated_tiny.read_bytes()).hexdigest()
    assert params["data.part2.digest"] == hashlib.sha256(export.read_bytes()).hexdigest()
    assert params["data.rows"] == str(TINY_ROWS + KEPT)
    inputs = {d.dataset.name: {t.key: t.value for t in d.tags} for d in run.inputs.dataset_inputs}
    assert inputs["decisions.parquet"]["weight"] == "3" and inputs["tiny.parquet"]["weight"] == "1"
    version = client.get_model_version("concern-screener", run_id.group(1))
    described = json.loads(version.tags["training_data"])
    assert [(p["name"], p["rows"], p["weight"]) for p in described["parts"]] == [
        ("tiny.parquet", TINY_ROWS, 1.0),
        ("decisions.parquet", KEPT, 3.0),
    ]


@pytest.mark.postgres
def test_export_decisions_reads_a_postgresql_audit_trail(
    make_service: MakeService, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from serving.cli import app
    from serving.settings import get_settings

    svc = make_service(
        database_url=postgres_url, audit_store_redacted_text=True, rate_limit_per_minute=0
    )
    contacts = generate_frame(40, seed=304)
    items = [
        {"text": row.text, "source": row.source, "contact_id": row.contact_id}
        for row in contacts.itertuples()
    ]
    assert (
        svc.client.post(
            "/v1/score/batch", json={"items": items}, headers=svc.h("screener")
        ).status_code
        == 200
    )
    for k, row in enumerate(contacts.itertuples()):
        for outcome in ("advice", row.outcome) if k % 4 == 0 else (row.outcome,):
            r = svc.client.post(
                f"/v1/contacts/{row.contact_id}/decision",
                json={"decision": outcome},
                headers=svc.h("screener"),
            )
            assert r.status_code == 201
    out = tmp_path / "decisions.csv"
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["data", "export-decisions", "--since", "2026-01-01", "--out", str(out)]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output + result.stderr
    assert (
        "wrote 40 of 40 contacts" in result.output and "10 decided more than once" in result.output
    )
    report = validate_file(out, write=False)
    assert report.ok and report.warnings == ()
    exported = pd.read_csv(out)
    assert exported["outcome"].tolist() == contacts["outcome"].tolist()
    assert exported["text"].tolist() == [redact(t)[0] for t in contacts["text"]]
