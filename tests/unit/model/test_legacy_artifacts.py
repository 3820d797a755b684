"""A model pickled before the layered packages (``training.pipeline.ScreenerModel``,
``training.features.ContactFeatures``...) still loads and scores exactly as it did."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from training.model.explain import shown
from training.model.pyfunc import file_sha256, load_verified

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "legacy"
ARTIFACT = FIXTURES / "screener-pre-layers.joblib"
EXPECTED = FIXTURES / "screener-pre-layers.expected.json"


@pytest.fixture(scope="module")
def legacy_model():  # type: ignore[no-untyped-def]
    return load_verified(ARTIFACT, file_sha256(ARTIFACT))


def test_the_old_artifact_names_the_old_module_paths() -> None:
    raw = ARTIFACT.read_bytes()
    import zlib

    body = zlib.decompress(raw)
    assert b"training.pipeline" in body and b"training.features" in body


def test_an_old_artifact_unpickles_to_todays_classes(legacy_model) -> None:  # type: ignore[no-untyped-def]
    from training.model.analyser import ContactAnalyser
    from training.model.features import ContactFeatures
    from training.model.screener import ScreenerModel

    assert type(legacy_model) is ScreenerModel
    assert type(legacy_model.features) is ContactFeatures
    assert type(legacy_model.analyser) is ContactAnalyser


def test_an_old_artifact_scores_identically(legacy_model) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads(EXPECTED.read_text("utf-8"))
    records = legacy_model.score_records([e["text"] for e in expected], [e["source"] for e in expected])
    for want, got in zip(expected, records, strict=True):
        got_d = json.loads(json.dumps(got.to_dict()))
        assert got_d["score"] == pytest.approx(want["score"], abs=1e-9)
        assert got_d["priority"] == want["priority"]
        assert got_d["band"] == want["band"]
        assert got_d["indicators"] == want["indicators"]
        # The phrases shown now leave out function words and the referrer's words for
        # themselves (training.model.explain.shown); the rest are the same, in order.
        kept = [p for p in want["explanation"] if shown(p["feature"])]
        assert kept and [p["feature"] for p in got_d["explanation"][: len(kept)]] == [
            p["feature"] for p in kept
        ]
        for g, w in zip(got_d["explanation"], kept, strict=False):
            assert g["weight"] == pytest.approx(w["weight"], abs=1e-9)
            assert g["spans"] == w["spans"]
        assert got_d["floor"] is None and got_d["level"] is None


def test_old_paths_resolve_in_a_fresh_interpreter() -> None:
    code = (
        "import pickle, training.model.screener as s;"
        "m = pickle.loads(pickle.dumps(s.ScreenerModel, protocol=0).replace(b'training.model.screener', b'training.pipeline'));"
        "print(m is s.ScreenerModel)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
