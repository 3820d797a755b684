from __future__ import annotations

from pathlib import Path

import pytest

from serving.model_store import load_model
from serving.testing import FakeScorer
from tests.utils.signing import SIGNING_ENV, SIGNING_KEY, sign_registered

mlflow = pytest.importorskip("mlflow")


class _TinyModel(mlflow.pyfunc.PythonModel):  # type: ignore[misc,name-defined]
    def predict(self, context, model_input, params=None):  # type: ignore[no-untyped-def]
        return model_input

    def score_records(self, texts, sources):  # type: ignore[no-untyped-def]
        return FakeScorer().score_records(texts, sources)


@pytest.mark.slow
def test_loads_the_champion_with_version_metrics_and_card(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(SIGNING_ENV, SIGNING_KEY)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    client = mlflow.MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("t", artifact_location=(tmp_path / "mlruns").as_uri())
    versions = []
    for i in range(2):
        with mlflow.start_run(experiment_id=exp) as run:
            mlflow.log_metric("test_roc_auc", 0.8 + i / 100)
            if i == 1:
                mlflow.log_text("# Model card\n\nIntended use: advisory.", "model_card.md")
            info = mlflow.pyfunc.log_model(
                name="model",
                python_model=_TinyModel(),
                registered_model_name="concern-screener",
                pip_requirements=["mlflow"],
            )
            versions.append((info.registered_model_version, run.info.run_id))
            sign_registered(uri, "concern-screener", str(info.registered_model_version))
    client.set_registered_model_alias("concern-screener", "champion", str(versions[1][0]))

    m = load_model("models:/concern-screener@champion", tracking_uri=uri)
    assert (m.name, m.version, m.run_id) == (
        "concern-screener",
        str(versions[1][0]),
        versions[1][1],
    )
    assert m.metrics == {"test_roc_auc": pytest.approx(0.81)}
    assert m.model_card_markdown and m.model_card_markdown.startswith("# Model card")
    assert m.scorer.score_records(["he hit her"], [None])[0].score > 0

    old = load_model("models:/concern-screener/1", tracking_uri=uri)
    assert old.version == "1" and old.model_card_markdown is None  # absence tolerated
