"""POST /v1/check and /check with a real trained model: the guidance examples come from
the version's own similar-cases index, with their levels, and never a past contact."""

from __future__ import annotations

import re
from typing import Any

import pytest

from serving.loaded_model import LoadedModel
from tests.utils.model import training_frame
from tests.utils.serving import MakeService
from training.config import TrainConfig
from training.lifecycle.train import train_model

DRAFT = "Dad hit him with a belt, bruising to his arm seen by the DSL. He is 7."


@pytest.fixture(scope="module")
def screener_model() -> Any:
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
        }
    )
    return train_model(training_frame(), config).model


def test_a_served_model_gives_guidance_examples_from_its_own_index(
    make_service: MakeService, screener_model: Any
) -> None:
    index = screener_model.similar_index
    assert index is not None
    svc = make_service(
        model=LoadedModel(name="concern-screener", version="3", run_id=None, scorer=screener_model)
    )
    r = svc.client.post("/v1/check", json={"text": DRAFT}, headers=svc.h("referrer"))
    assert r.status_code == 200, r.text
    body = r.json()
    ids = {c.id for c in index.guidance.cases}
    assert 1 <= len(body["resembling"]) <= 3
    for example in body["resembling"]:
        assert example["id"] in ids and example["level"] in (1, 2, 3, 4)
        assert example["level_label"] and example["reason"]
    similarities = [e["similarity"] for e in body["resembling"]]
    assert similarities == sorted(similarities, reverse=True)
    assert body["model"] == {"name": "concern-screener", "version": "3"}
    assert "age" in body["answered"] and "score" not in body
    assert "past-" not in r.text

    # The page shows the same examples with their levels.
    page = svc.client.get("/check").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    svc.client.post(
        "/signin",
        data={"api_key": svc.keys["referrer"], "csrf_token": token.group(1), "page": "referrer"},
    )
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', svc.client.get("/check").text)
    assert csrf is not None
    html = svc.client.post("/check", data={"text": DRAFT, "csrf_token": csrf.group(1)}).text
    shown = re.findall(
        r'<span class="example-level">Level (\d), ([a-z ]+)</span>: example ([\w-]+)\.', html
    )
    assert [(int(lv), i) for lv, _, i in shown] == [
        (e["level"], e["id"]) for e in body["resembling"]
    ]
