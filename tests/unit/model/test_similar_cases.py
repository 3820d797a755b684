"""Similar cases beside a score: an index built with the model from the guidance corpus (and,
where allowed, redacted past contacts), which never holds an evaluation text or a flagged
id, shows a version's own examples after a pickle round trip, shows no personal data of a
past contact, keeps k within bounds, and gives nothing, without failing, for a model that
has no index."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from tests.utils.model import generated_contacts, small_features
from training.config import SimilarConfig, TrainConfig
from training.data.contract import OUTCOMES
from training.data.guidance import read_guidance
from training.lifecycle.train import evaluation_texts
from training.model.analyser import AnalysedContacts, ContactAnalyser
from training.model.embedding import DEFAULT_DIR
from training.model.features import ContactFeatures
from training.model.similar import (
    TextScreen,
    build_similar_index,
    past_contacts_shown,
    read_removals,
)

LEGACY = Path(__file__).resolve().parents[2] / "fixtures" / "legacy" / "screener-pre-layers.joblib"
HAS_TABLE = (DEFAULT_DIR / "manifest.json").is_file()


def _analyse(texts: list[str]) -> AnalysedContacts:
    return ContactAnalyser(keep_analyses=False).transform(
        pd.DataFrame({"text": texts, "source": [None] * len(texts)})
    )


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    """Forty guidance contacts, every level among them."""
    return read_guidance().iloc[::52].reset_index(drop=True)


@pytest.fixture(scope="module")
def excluded() -> list[str]:
    return evaluation_texts()


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return generated_contacts(60, seed=23)


@pytest.fixture(scope="module")
def analysed(corpus, generated) -> dict[str, AnalysedContacts]:  # type: ignore[no-untyped-def]
    both = _analyse(corpus["text"].tolist() + generated["text"].tolist())
    n = len(corpus)
    return {"guidance": both.part(0, n), "past": both.part(n, len(both))}


@pytest.fixture(scope="module")
def tfidf_features(analysed) -> ContactFeatures:  # type: ignore[no-untyped-def]
    features = small_features()
    features.fit(analysed["guidance"].plus(analysed["past"]))
    return features


def _build(features, analysed, corpus, generated=None, **settings):  # type: ignore[no-untyped-def]
    """An index of ``corpus`` and, when ``generated`` is given, its past contacts."""
    past_on = generated is not None
    return build_similar_index(
        features,
        analysed["guidance"],
        corpus,
        config=SimilarConfig(**({"past_contacts": past_on} | settings)),
        past=analysed["past"] if past_on else None,
        past_frame=generated,
        as_of=date(2026, 7, 1),
    )


def _ids(index) -> set[str]:  # type: ignore[no-untyped-def]
    past = index.past.cases if index.past is not None else ()
    return {c.id for c in index.guidance.cases + past}


# -- what is never indexed -------------------------------------------------------------------


def test_the_index_never_holds_a_suite_or_hand_written_text(corpus, excluded) -> None:  # type: ignore[no-untyped-def]
    hand = excluded[-1]  # a hand-written set's contact
    suite = excluded[0]  # a behavioural case's text
    copies = pd.DataFrame(
        {
            "contact_id": ["x-exact", "x-edited"],
            "source": [None, None],
            "text": [
                "  " + hand.upper().replace(" ", "  ") + "  ",
                suite.replace(".", ";", 1).replace(" the ", " a ", 1) + " Thanks.",
            ],
            "level": [3, 2],
            "outcome": ["referral", "early_help"],
            "indicators": [(), ()],
            "reason": ["", ""],
        }
    )
    rows = pd.concat([corpus, copies], ignore_index=True)
    analysed = {"guidance": _analyse(rows["text"].tolist())}
    features = small_features().fit(analysed["guidance"])
    index = build_similar_index(
        features, analysed["guidance"], rows, config=SimilarConfig(), excluded_texts=excluded
    )
    assert index is not None
    ids = _ids(index)
    assert "x-exact" not in ids and "x-edited" not in ids
    assert set(corpus["contact_id"]) <= ids
    assert index.summary["guidance_excluded"] == 2


def test_a_past_contact_that_is_an_evaluation_text_is_never_indexed(
    corpus, generated, excluded
) -> None:  # type: ignore[no-untyped-def]
    past = generated.copy()
    past.loc[len(past) - 1, "text"] = excluded[-2]  # the newest: within retention
    both = _analyse(corpus["text"].tolist() + past["text"].tolist())
    analysed = {"guidance": both.part(0, len(corpus)), "past": both.part(len(corpus), len(both))}
    features = small_features().fit(both)
    index = build_similar_index(
        features,
        analysed["guidance"],
        corpus,
        config=SimilarConfig(past_contacts=True),
        excluded_texts=excluded,
        past=analysed["past"],
        past_frame=past,
        as_of=date(2026, 7, 1),
    )
    assert index is not None and index.past is not None
    assert index.summary["past_excluded"] == 1
    shown = " ".join(c.text for c in index.past.cases)
    assert excluded[-2][:60] not in shown


def test_the_evaluation_texts_are_every_suite_text_and_every_hand_written_set(excluded) -> None:  # type: ignore[no-untyped-def]
    from training.audit.behaviour import read_suite
    from training.audit.external import SETS, handwritten_dir, read_external
    from training.audit.independent import behaviour_dir

    suite = sum(len(c.texts) for c in read_suite(behaviour_dir()))
    hand = sum(len(read_external(handwritten_dir() / f"{s}.jsonl")) for s in SETS)
    assert len(excluded) == suite + hand > 1000


def test_the_screen_finds_copies_and_near_copies_not_neighbours(corpus) -> None:  # type: ignore[no-untyped-def]
    texts = corpus["text"].tolist()
    screen = TextScreen(texts[:20])
    edited = texts[3].replace(",", "", 2) + " Many thanks, duty desk."
    assert screen.hits([texts[0].lower(), edited, texts[25], "hit", ""]).tolist() == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_flagged_ids_are_never_indexed(
    tfidf_features, analysed, corpus, generated, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first = _build(tfidf_features, analysed, corpus, generated)
    assert first is not None and first.past is not None
    shown_id = first.past.cases[1].id  # [0] is the newest contact, flagged by its id below
    contact = str(generated["contact_id"].iloc[-1])
    removals = tmp_path / "removals.txt"
    removals.write_text(
        f"# flagged for removal\n{corpus['contact_id'].iloc[0]}\n\n{contact}  # erasure request\n{shown_id}\n"
    )
    flagged = read_removals(removals)
    assert flagged == {corpus["contact_id"].iloc[0], contact, shown_id}
    second = build_similar_index(
        tfidf_features,
        analysed["guidance"],
        corpus,
        config=SimilarConfig(past_contacts=True),
        removals=flagged,
        past=analysed["past"],
        past_frame=generated,
        as_of=date(2026, 7, 1),
    )
    assert second is not None and second.past is not None
    assert corpus["contact_id"].iloc[0] not in _ids(second) and shown_id not in _ids(second)
    assert second.summary["guidance_removed"] == 1 and second.summary["past_removed"] >= 2
    assert len(second.past) == len(first.past) - 2


def test_a_removal_list_that_cannot_be_read_stops_the_build(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert read_removals("") == frozenset()
    with pytest.raises(FileNotFoundError):
        read_removals(tmp_path / "missing.txt")


# -- past contacts -----------------------------------------------------------------------------


def test_past_contacts_are_off_unless_configured(
    tfidf_features, analysed, corpus, generated
) -> None:  # type: ignore[no-untyped-def]
    assert TrainConfig().similar.past_contacts is False
    index = build_similar_index(
        tfidf_features,
        analysed["guidance"],
        corpus,
        config=SimilarConfig(),
        past=analysed["past"],
        past_frame=generated,
    )
    assert index is not None and index.past is None


def test_past_contacts_show_redacted_text_outcome_and_date_band_never_pii(
    tfidf_features, analysed, corpus, generated
) -> None:  # type: ignore[no-untyped-def]
    index = _build(tfidf_features, analysed, corpus, generated, retention_months=120)
    assert index is not None and index.past is not None
    assert len(index.past) >= 50
    rows = tfidf_features.rows(analysed["past"])
    found = index.query(rows, [frozenset()] * len(rows), k=5, past_k=5)
    shown = [c for cases in found for c in cases if c.kind == "past_contact"]
    assert shown
    everything = json.dumps(
        [dataclasses.asdict(c) for c in index.past.cases + tuple(shown)], ensure_ascii=False
    )
    for text, spans, contact_id in zip(
        generated["text"], generated["pii_spans"], generated["contact_id"], strict=True
    ):
        assert contact_id not in everything
        for start, end, kind in json.loads(spans):
            value = text[start:end]
            pattern = r"(?<!\w)" + re.escape(value) + r"(?!\w)"
            assert not re.search(pattern, everything), f"{kind} shown"
    for case in index.past.cases:
        assert re.fullmatch(r"past-[0-9a-f]{12}", case.id)
        assert re.fullmatch(r"20\d\d Q[1-4]", case.date_band)
        assert case.outcome in OUTCOMES and case.level is None and case.text


def test_past_contacts_older_than_the_retention_period_drop_out_at_the_next_build(
    tfidf_features, analysed, corpus, generated
) -> None:  # type: ignore[no-untyped-def]
    def build(as_of: date):  # type: ignore[no-untyped-def]
        return build_similar_index(
            tfidf_features,
            analysed["guidance"],
            corpus,
            config=SimilarConfig(past_contacts=True, retention_months=12),
            past=analysed["past"],
            past_frame=generated,
            as_of=as_of,
        )

    newest = generated["received_at"].max()
    within = build(newest.date())
    later = build(date(newest.year + 2, 1, 1))
    assert within is not None and within.past is not None
    cutoff = pd.Timestamp(newest.date()) - pd.DateOffset(months=12)
    assert within.summary["past_expired"] == int((generated["received_at"] < cutoff).sum())
    assert later is not None and later.past is None
    assert later.summary["past_expired"] == len(generated)


def test_past_contacts_can_be_hidden_at_run_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert past_contacts_shown()
    monkeypatch.setenv("SCREENER_SIMILAR_PAST_CONTACTS", "off")
    assert not past_contacts_shown()


# -- search ------------------------------------------------------------------------------------


def test_k_is_bounded(tfidf_features, analysed, corpus) -> None:  # type: ignore[no-untyped-def]
    index = _build(tfidf_features, analysed, corpus)
    rows = tfidf_features.rows(analysed["guidance"].part(0, 2))
    none = [frozenset(), frozenset()]
    assert [len(c) for c in index.query(rows, none)] == [3, 3]
    assert [len(c) for c in index.query(rows, none, k=0)] == [0, 0]
    assert [len(c) for c in index.query(rows, none, k=500)] == [len(index.guidance)] * 2
    with pytest.raises(ValueError):
        index.query(rows, none, k=-1)
    for bad in (0, 6):
        with pytest.raises(ValidationError):
            SimilarConfig(k=bad)


def test_one_version_of_a_concern_is_shown_however_many_are_near(tfidf_features, corpus) -> None:  # type: ignore[no-untyped-def]
    """The corpus writes some concerns several times, by different messengers: the nearest
    examples are of different concerns, the nearest version of each."""
    first = corpus.iloc[0]
    versions = pd.DataFrame(
        [
            first.to_dict() | {"contact_id": f"v-{i}", "concern": "v", "text": text}
            for i, text in enumerate(
                [first["text"], first["text"] + " Thank you.", "Please call. " + first["text"]]
            )
        ]
    )
    both = pd.concat([versions, corpus.iloc[1:]], ignore_index=True)
    index = _build(tfidf_features, {"guidance": _analyse(both["text"].tolist())}, both)
    rows = tfidf_features.rows(_analyse([first["text"]]))
    shown = [c.id for c in index.query(rows, [frozenset()], k=3)[0]]
    assert shown[0] == "v-0" and len(shown) == 3
    assert not {"v-1", "v-2"} & set(shown)
    # without groups (an index pickled before them), every version counts on its own
    index.guidance = replace(index.guidance, groups=None)
    shown = [c.id for c in index.query(rows, [frozenset()], k=3)[0]]
    assert sorted(shown) == ["v-0", "v-1", "v-2"]


def test_without_an_embedding_table_the_index_falls_back_to_tfidf(
    tfidf_features, analysed, corpus
) -> None:  # type: ignore[no-untyped-def]
    assert "embedding" not in tfidf_features.blocks_
    index = _build(tfidf_features, analysed, corpus, method="embedding")
    assert index.method == "tfidf" and index.summary["embedding_fallback"] is True
    rows = tfidf_features.rows(analysed["guidance"].part(5, 6))
    (cases,) = index.query(rows, [frozenset()])
    assert cases[0].id == corpus["contact_id"].iloc[5] and cases[0].similarity == pytest.approx(1.0)
    assert [c.similarity for c in cases] == sorted((c.similarity for c in cases), reverse=True)


@pytest.mark.skipif(not HAS_TABLE, reason="run `make embeddings` first")
def test_the_embedding_index_reads_the_models_sentence_embedding(analysed, corpus) -> None:  # type: ignore[no-untyped-def]
    features = ContactFeatures(word_min_df=1, char_n_features=2**12, embedding_dir="default")
    features.fit(analysed["guidance"])
    index = _build(features, analysed, corpus, method="embedding")
    assert index.method == "embedding" and index.summary["embedding_fallback"] is False
    rows = features.rows(analysed["guidance"].part(7, 8))
    (cases,) = index.query(rows, [frozenset()])
    assert cases[0].id == corpus["contact_id"].iloc[7] and cases[0].similarity == pytest.approx(1.0)


def test_a_reason_names_shared_indicators_and_the_examples_words_never_a_name() -> None:
    corpus = pd.DataFrame(
        {
            "contact_id": ["g9-0001", "g9-0002"],
            "source": [None, None],
            "text": [
                "Grace said her stepdad punched her and there is swelling and bruising on her cheek.",
                "Attendance is good and the family are supportive; no worries at all.",
            ],
            "level": [3, 1],
            "outcome": ["referral", "nfa"],
            "indicators": [("physical_abuse", "observed_injury"), ()],
            "reason": ["Injury from a carer: level 3.", "Nothing of concern."],
        }
    )
    query = "Mrs Grace Smith reports that Tyler's stepdad punched him; swelling seen on his cheek."
    both = _analyse(corpus["text"].tolist() + [query])
    features = small_features().fit(both)
    index = build_similar_index(features, both.part(0, 2), corpus, config=SimilarConfig(k=1))
    (cases,) = index.query(features.rows(both.part(2, 3)), [frozenset({"physical_abuse"})])
    (case,) = cases
    assert case.id == "g9-0001" and case.level == 3
    assert case.indicators == ("physical_abuse", "observed_injury")
    assert case.level_reason == "Injury from a carer: level 3."
    assert case.reason.startswith("Both show physical abuse")
    # The heaviest shared words (three are named), in the example's own written forms.
    assert "cheek" in case.reason and ("swelling" in case.reason or "punched" in case.reason)
    for word in ("grace", "smith", "tyler", "mrs"):
        assert word not in case.reason.lower()


def test_a_reason_never_names_a_word_most_examples_share() -> None:
    filler = "Mum said the school nurse saw {} at the clinic on {}."
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    texts = [filler.format(f"item{i}", days[i % 6]) for i in range(58)]
    texts += [
        "Mum said her partner punched the boy and there is swelling on his cheek.",
        "Mum said the garden is tidy and the boy is doing well.",
    ]
    corpus = pd.DataFrame(
        {
            "contact_id": [f"g9-{i:04d}" for i in range(len(texts))],
            "source": [None] * len(texts),
            "text": texts,
            "level": [1] * 58 + [3, 1],
            "outcome": ["nfa"] * 58 + ["referral", "nfa"],
            "indicators": [()] * 58 + [("physical_abuse",), ()],
            "reason": ["Nothing of concern."] * 58 + ["Injury from a carer: level 3.", "Nothing."],
        }
    )
    query = "Mum said her partner punched him; swelling seen on his cheek."
    both = _analyse(corpus["text"].tolist() + [query])
    features = small_features().fit(both)
    n = len(corpus)
    index = build_similar_index(features, both.part(0, n), corpus, config=SimilarConfig(k=1))
    (cases,) = index.query(features.rows(both.part(n, n + 1)), [frozenset({"physical_abuse"})])
    (case,) = cases
    assert case.id == "g9-0058"
    assert "cheek" in case.reason
    assert '"mum' not in case.reason.lower() and "said" not in case.reason.lower()


# -- the served model --------------------------------------------------------------------------


def test_scores_carry_the_nearest_guidance_examples_of_the_versions_index(model) -> None:  # type: ignore[no-untyped-def]
    index = model.similar_index
    assert index is not None and index.past is None
    (record,) = model.score_records(
        ["Dad hit him with a belt, bruising to his arm seen by the DSL."]
    )
    assert len(record.similar) == 3
    ids = {c.id for c in index.guidance.cases}
    for case in record.similar:
        assert case.kind == "guidance" and case.id in ids and case.level in (1, 2, 3, 4)
        assert case.reason and -1.0 <= case.similarity <= 1.0
    json.dumps(record.to_dict())
    frame = model.predict_frame(pd.DataFrame({"text": ["Mum left the baby alone overnight."]}))
    assert [c["id"] for c in frame["similar"][0]] == [
        c.id for c in model.similar_cases(["Mum left the baby alone overnight."])[0]
    ]
    (bare,) = model.score_records(["Dad hit him."], similar=False)
    assert bare.similar == ()


def test_a_pickled_version_shows_the_examples_it_was_built_with(model, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = ["Police attended a DV incident, the children were present.", "No marks seen."]
    before = model.similar_cases(texts)
    restored = pickle.loads(pickle.dumps(model))

    def no_corpus(*_: object) -> None:
        raise AssertionError("scoring must not read the corpus")

    monkeypatch.setattr("training.data.guidance.read_guidance", no_corpus)
    assert restored.similar_cases(texts) == before
    assert [r.similar for r in restored.score_records(texts)] == before


def test_an_index_pickled_when_similar_was_one_module_still_loads(model) -> None:  # type: ignore[no-untyped-def]
    """Versions registered before ``training.model.similar`` became a package name its
    classes ``training.model.similar.SimilarIndex`` and ``training.model.similar._Examples``."""
    from training.model.similar import index

    # Protocol 2 names a class by a text line, "c<module>\n<name>\n": renamed in place.
    data = pickle.dumps(model.similar_index, protocol=2)
    old = data.replace(b"ctraining.model.similar.index\n", b"ctraining.model.similar\n")
    assert old.count(b"ctraining.model.similar\n") == 2, "SimilarIndex and _Examples"
    restored = pickle.loads(old)
    assert type(restored) is index.SimilarIndex and type(restored.guidance) is index._Examples
    texts = ["Police attended a DV incident, the children were present.", "No marks seen."]
    again = dataclasses.replace(model, similar_index=restored)
    assert again.similar_cases(texts) == model.similar_cases(texts) != [(), ()]


def test_a_model_without_an_index_gives_no_similar_cases(model) -> None:  # type: ignore[no-untyped-def]
    bare = dataclasses.replace(model, similar_index=None)
    (record,) = bare.score_records(["Dad hit him with a belt."])
    assert record.similar == () and json.loads(json.dumps(record.to_dict()))["similar"] == []
    assert bare.similar_cases(["Dad hit him."]) == [()]
    assert bare.predict_frame(pd.DataFrame({"text": ["Dad hit him."]}))["similar"][0] == []


def test_a_model_pickled_before_the_index_scores_with_no_similar_cases() -> None:
    from training.model.pyfunc import file_sha256, load_verified

    legacy = load_verified(LEGACY, file_sha256(LEGACY))
    (record,) = legacy.score_records(["Dad hit him with a belt."])
    assert record.similar == ()
    assert np.isfinite(record.score)


def test_a_few_contacts_and_a_batch_get_the_same_similarities() -> None:
    from training.model.similar import _similarities

    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((300, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1)[:, None]
    queries = vectors[:40]
    batch = _similarities(queries, vectors)  # through BLAS
    few = np.vstack([_similarities(queries[i : i + 1], vectors) for i in range(40)])
    assert batch.dtype == few.dtype == np.float32 and batch.shape == (40, 300)
    np.testing.assert_allclose(few, batch, atol=1e-5)
    assert np.argmax(few, axis=1).tolist() == list(range(40))


def test_a_few_sparse_contacts_and_a_batch_get_the_same_similarities() -> None:
    import scipy.sparse as sp

    from training.model.similar import _similarities

    vectors = sp.random(300, 500, density=0.05, format="csr", dtype=np.float32, random_state=6)
    queries = vectors[:40]
    batch = _similarities(queries, vectors)  # two sparse matrices
    few = np.vstack([_similarities(queries[i : i + 1], vectors) for i in range(40)])
    assert batch.dtype == few.dtype == np.float32 and batch.shape == (40, 300)
    np.testing.assert_allclose(few, batch, atol=1e-5)
    np.testing.assert_allclose(batch, (queries @ vectors.T).toarray(), atol=1e-5)
