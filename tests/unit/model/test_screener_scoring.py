"""Scoring with the served model: calibrated scores, priorities and bands, exact explanations,
and the fast paths (row by row, two processes) equal to the matrix path."""

import numpy as np
import pandas as pd
import pytest

from tests.utils.model import served_logit, training_frame
from training.config import TrainConfig
from training.lifecycle.train import train_model


def test_the_default_model_blends_the_plain_words_member(model):
    assert model.plain is not None
    assert model.metadata["plain_words"]["weight"] == pytest.approx(0.4)


def test_linear_explanation_is_exact(model):
    text = "Dad hit him, there is a bruise. No marks on his sister."
    intercept, phrases, logit = model.explain(text, "police")
    analysed, X = model.featurize([text], ["police"])
    # Features are float32: the classifier's own logit agrees to float32 precision.
    assert logit == pytest.approx(float(served_logit(model, X, analysed)[0]), rel=1e-6, abs=1e-6)
    assert intercept + sum(p.weight for p in phrases) == pytest.approx(logit, abs=1e-6)
    # The member's n-grams are among the phrases, under the word features' names.
    member = model.plain.contributions(analysed.plains[0])
    assert member and set(member) <= {p.feature for p in phrases}


def test_a_phrase_of_the_plain_words_member_points_at_its_words(model):
    text = "The two little ones were on their own all night."
    _, phrases, _ = model.explain(text, None)
    by_name = {p.feature: p for p in phrases}
    assert "word:on their" in by_name or "word:their own" in by_name
    for name in ("word:on their", "word:their own"):
        if name in by_name and name in model.plain.contributions("on their own"):
            assert [text[a:b] for a, b in by_name[name].spans] == [name[5:]]


def test_explanation_spans_point_into_the_original_text(model):
    text = "Police attended a DV incident; the children were present. Dad hit him."
    record = model.score_records([text], ["police"])[0]
    assert record.explanation
    for phrase in record.explanation:
        for start, end in phrase.spans:
            assert 0 <= start < end <= len(text)


def test_scores_priorities_and_bands_are_consistent(model):
    texts = training_frame(50, seed=9)["text"].tolist()
    records = model.score_records(texts, ["school"] * len(texts))
    for r in records:
        assert 0.0 <= r.score <= 1.0
        assert 1 <= r.priority <= 10
        lo, hi = model.band_cuts
        if r.floor is None:
            assert r.band == ("high" if r.score >= hi else "medium" if r.score >= lo else "low")
        if r.floor is not None:  # a must-never-miss floor lifts band and priority, not the score
            policy = model.floor_policy
            assert r.priority >= policy.priority
            assert r.band == "high" or (policy.band == "medium" and r.band == "medium")
    # Without a floor, the priority follows the score.
    plain = [r for r in records if r.floor is None]
    assert len(plain) >= 25
    scores = np.array([r.score for r in plain])
    prios = np.array([r.priority for r in plain])
    order = np.argsort(scores)
    assert np.all(np.diff(prios[order]) >= 0)


def test_assertion_scores_above_denial(model):
    hit, denial = model.score_records(
        [
            "Dad hit him and there is a bruise on his cheek.",
            "No bruising seen and no marks, child happy.",
        ]
    )
    assert hit.score > denial.score


def test_predict_frame_follows_the_pyfunc_contract(model):
    out = model.predict_frame(pd.DataFrame({"text": ["Dad hit him."]}))
    assert {"score", "priority", "band", "explanation", "indicators"} <= set(out.columns)
    assert isinstance(out.loc[0, "explanation"], list)


def test_fast_scoring_path_equals_the_classifier_and_calibrator_in_turn(model):
    texts = training_frame(40, seed=11)["text"].tolist()
    analysed, X = model.featurize(texts, ["health"] * len(texts))
    assert model.explanation_exact
    expected = model.calibrator.predict(served_logit(model, X, analysed))
    assert np.allclose(model.score_matrix(X, analysed), expected)
    with pytest.raises(ValueError, match="plain-words member"):
        model.score_matrix(X)


@pytest.mark.parametrize("n", [1, 7, 120])
def test_row_by_row_scoring_matches_the_feature_matrix(model, n):
    """For a few contacts score_records builds no sparse matrix (a larger batch goes
    through the vectorisers): either way the rows, logits and calibrated scores are the
    matrix path's, for one contact, a few and a large batch."""
    frame = training_frame(n, seed=21)
    texts = [
        t + (" Nan says brusing on her arm." if i % 3 else "") for i, t in enumerate(frame["text"])
    ]
    sources = [None if i % 4 == 0 else s for i, s in enumerate(frame["source"])]
    analysed, X = model.featurize(texts, sources)
    rows = model.features.rows(analysed)
    dense = X.toarray()
    for i, row in enumerate(rows):
        got = np.zeros(X.shape[1], dtype=np.float32)
        got[row.indices] = row.data
        assert np.allclose(got, dense[i], rtol=1e-5, atol=1e-7)
    records = model.score_records(texts, sources)
    decision = served_logit(model, X, analysed)
    expected = model.calibrator.predict(decision)
    assert np.allclose([r.score for r in records], expected, rtol=1e-6, atol=1e-9)
    assert np.allclose([r.logit for r in records], decision, rtol=1e-5, atol=1e-6)
    assert all(r.logit is None for r in model.score_records(texts, sources, explain=False))


@pytest.mark.parametrize("text_norm", ["median", "sqrt"])
def test_a_fitted_text_norm_keeps_the_explanation_exact_and_the_paths_equal(text_norm):
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "features.text_norm": text_norm,
            "evaluation.n_boot": 5,
        }
    )
    model = train_model(training_frame(), config).model
    assert model.features.text_scales_ is not None
    text = "Dad hit him, there is a bruise. No marks on his sister. Mum is worried."
    intercept, phrases, logit = model.explain(text, "police")
    analysed, X = model.featurize([text], ["police"])
    assert logit == pytest.approx(float(served_logit(model, X, analysed)[0]), rel=1e-6, abs=1e-6)
    assert intercept + sum(p.weight for p in phrases) == pytest.approx(logit, abs=1e-6)
    texts = [text] * 3 + list(training_frame(80, seed=5)["text"])
    few = [r.score for r in model.score_records(texts[:3])]
    many = [r.score for r in model.score_records(texts)]
    assert np.allclose(few, many[:3], rtol=1e-6)


def test_a_large_batch_scored_in_two_processes_equals_one_process(model, monkeypatch):
    """The second half of a large batch is scored (analysed, featurised, explained) in a
    forked child; the records are those of one process, in order."""
    from dataclasses import replace

    import training.model.screener as pipeline_module

    texts = training_frame(300, seed=12)["text"].tolist()
    sources = ["police", None, "school"] * 100
    forks: list[int] = []
    real = pipeline_module.ScreenerModel._score_in_two

    def counting(self, *args):
        forks.append(1)
        return real(self, *args)

    monkeypatch.setattr(pipeline_module.ScreenerModel, "_score_in_two", counting)
    monkeypatch.setattr(pipeline_module, "scoring_processes", lambda n: 2 if n >= 256 else 1)
    two = model.score_records(texts, sources)
    assert forks == [1] and not pipeline_module._FORKED  # the fork happened, and let go
    monkeypatch.setattr(pipeline_module, "scoring_processes", lambda n: 1)
    # Exactly the two halves scored in one process, in order...
    assert two == model.score_records(texts[:150], sources[:150]) + model.score_records(
        texts[150:], sources[150:]
    )
    # ...and the whole batch in one process up to the last bit of a float (a batch's
    # composition moves a logit by 1e-16 at most, with or without the fork).
    one = model.score_records(texts, sources)
    assert [replace(r, score=0.0, logit=None) for r in two] == [
        replace(r, score=0.0, logit=None) for r in one
    ]
    assert np.allclose([r.score for r in two], [r.score for r in one], rtol=0, atol=1e-12)
    assert np.allclose([r.logit for r in two], [r.logit for r in one], rtol=0, atol=1e-12)


def test_batch_independent_figures_do_not_depend_on_the_batch_a_contact_came_in(model, monkeypatch):
    """Batch scoring's engines cut an export into different batches (the local engine's
    pieces, Spark's Arrow batches): with ``batch_independent`` every record, to the last
    bit of every float, is the same whether its contact was scored in a batch of 300
    (two processes), of 7 or alone."""
    import training.model.screener as pipeline_module

    monkeypatch.setattr(pipeline_module, "scoring_processes", lambda n: 2 if n >= 256 else 1)
    frame = training_frame(300, seed=14)
    texts = [
        t + (" Nan says brusing on her arm." if i % 3 else "") for i, t in enumerate(frame["text"])
    ]
    sources = [None if i % 4 == 0 else s for i, s in enumerate(frame["source"])]
    whole = model.score_records(texts, sources, similar=False, batch_independent=True)
    by_seven = [
        record
        for i in range(0, len(texts), 7)
        for record in model.score_records(
            texts[i : i + 7], sources[i : i + 7], similar=False, batch_independent=True
        )
    ]
    alone = [
        model.score_records([t], [s], similar=False, batch_independent=True)[0]
        for t, s in zip(texts[:20], sources[:20], strict=True)
    ]
    assert whole == by_seven
    assert whole[:20] == alone


def test_a_tree_model_scores_a_large_batch_in_one_process(monkeypatch):
    """A boosted-tree model predicts with OpenMP threads; their pool does not survive a fork,
    so such a model is never scored in a forked child (it waited there for ever)."""
    import training.model.screener as screener_module

    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["hgb_indicators_svd"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
            # The contacts alone: the boosted trees fit on the guidance corpus beside them
            # took 31 s of this test's 41, and what it checks needs only a tree model.
            "guidance.share": 0.0,
        }
    )
    model = train_model(training_frame(400, seed=8), config).model
    assert not model.explanation_exact
    monkeypatch.setattr(screener_module, "scoring_processes", lambda n: 2)
    forked = []
    monkeypatch.setattr(model, "_score_in_two", lambda *a: forked.append(1) or [])
    records = model.score_records(["Dad hit him."] * 300, explain=False)
    assert len(records) == 300 and not forked


def test_a_plain_words_weight_of_zero_serves_the_classifier_alone():
    config = TrainConfig().with_overrides(
        {
            "candidates.names": ["logreg_words_chars"],
            "features.word_min_df": 1,
            "evaluation.n_boot": 5,
            "plain_words.weight": 0.0,
        }
    )
    model = train_model(training_frame(), config).model
    assert model.plain is None and "plain_words" not in model.metadata
    texts = training_frame(30, seed=4)["text"].tolist()
    analysed, X = model.featurize(texts, [None] * len(texts))
    expected = model.calibrator.predict(model.classifier.decision_function(X))
    assert np.allclose(model.score_matrix(X), expected)
    assert np.allclose([r.score for r in model.score_records(texts)], expected, rtol=1e-6)


def test_the_plain_words_member_reads_rows_as_its_vectorizer_does(model):
    """The member computes each document's TF-IDF row itself (fast for one contact, and
    independent of the batch): the fitted vectorizer's rows, to float32 rounding."""
    from training.model.plain import plain_docs

    texts = training_frame(60, seed=6)["text"].tolist() + ["", "x"]
    docs = plain_docs(model.analyser.transform_texts(texts, [None] * len(texts)))
    ours = model.plain.matrix(docs)
    theirs = model.plain.vectorizer.transform(docs)
    assert ours.shape == theirs.shape and ours.nnz == theirs.nnz
    assert abs(ours - theirs).max() < 1e-6
    one_by_one = [model.plain.matrix([d]).toarray() for d in docs[:10]]
    assert all((row == ours[i].toarray()).all() for i, row in enumerate(one_by_one))


def test_contacts_analysed_already_score_as_their_texts_do(model):
    """``score_analysed`` on the full analyses of contacts (what an evaluation keeps of its
    texts) gives every record ``score_records`` gives for the texts, to the last bit; a
    compact analysis without spans is refused."""
    from training.model.analyser import AnalysedContacts
    from training.text import compact_many

    frame = training_frame(40, seed=21)
    texts, sources = frame["text"].tolist(), [None, *frame["source"].tolist()[1:]]
    analysed = AnalysedContacts.of(compact_many(texts, spans=True), sources)
    assert model.score_analysed(analysed) == model.score_records(texts, sources)
    assert model.score_analysed(analysed, explain=False, similar=False) == model.score_records(
        texts, sources, explain=False, similar=False
    )
    without_spans = AnalysedContacts.of(compact_many(texts), sources)
    with pytest.raises(ValueError, match="full analysis"):
        model.score_analysed(without_spans.part(0, len(texts)))
