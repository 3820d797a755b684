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


def _recorded_analysis(expected: list[dict]):  # type: ignore[no-untyped-def,type-arg]
    """The text pipeline's output for each fixture contact as it was when the artifact was
    pickled: the text pipeline improves, and this test holds the model, not the reading."""
    from training.model.analyser import AnalysedContacts
    from training.text import CompactAnalysis
    from training.text.types import IndicatorMatch

    full = tuple(
        CompactAnalysis(
            e["analysis"]["marked"],
            tuple(tuple(r) for r in e["analysis"]["rows"]),
            tuple(tuple(w) for w in e["analysis"]["words"]),
            tuple(IndicatorMatch(**m) for m in e["analysis"]["indicators"]),
        )
        for e in expected
    )
    return AnalysedContacts(
        tuple(a.marked for a in full),
        tuple(a.rows for a in full),
        tuple(e["source"] for e in expected),
        full,
        tuple(a.plain for a in full),
    )


def test_an_old_artifact_scores_identically(legacy_model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads(EXPECTED.read_text("utf-8"))
    analysed = _recorded_analysis(expected)
    monkeypatch.setattr(
        legacy_model.analyser, "transform_texts", lambda texts, sources, parallel=True: analysed
    )
    records = legacy_model.score_records(
        [e["text"] for e in expected], [e["source"] for e in expected]
    )
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
        assert got_d["level"] is None


def test_an_old_artifact_reads_todays_text_pipeline(legacy_model) -> None:  # type: ignore[no-untyped-def]
    """Scored end to end through the current text pipeline, an old artifact still gives a
    calibrated score, a priority and a band for every contact."""
    expected = json.loads(EXPECTED.read_text("utf-8"))
    records = legacy_model.score_records(
        [e["text"] for e in expected], [e["source"] for e in expected]
    )
    assert len(records) == len(expected)
    for r in records:
        assert 0.0 <= r.score <= 1.0 and 1 <= r.priority <= 10


def test_old_paths_resolve_in_a_fresh_interpreter() -> None:
    code = (
        "import pickle, training.model.screener as s;"
        "m = pickle.loads(pickle.dumps(s.ScreenerModel, protocol=0).replace(b'training.model.screener', b'training.pipeline'));"
        "print(m is s.ScreenerModel)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
