"""The feature blocks: marked words, hashed characters, indicators and source; one counting
and weighting path for matrices and rows; the text norms; the estimator contract."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from tests.utils.model import small_features as features
from training.model.analyser import ContactAnalyser
from training.model.candidates import TextReducer
from training.model.features import ContactFeatures, plain_of


def test_negated_tokens_are_marked_so_a_denial_differs_from_an_assertion(analysed):
    doc = analysed.word_docs[1]
    assert any(tok.startswith("neg_") for tok in doc.split())
    assert plain_of("neg_mark") == "mark" and plain_of("[name]") == ""


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Neighbour thinks dad might be drinking heavily.", "hedge_heavily"),
        ("The neighbour says dad hits the children.", "third_child"),
        ("In 2019 dad hit the children.", "past_child"),
    ],
)
def test_hedged_and_third_hand_tokens_are_marked_too(text, token):
    doc = ContactAnalyser().fit_transform(pd.DataFrame({"text": [text]})).word_docs[0]
    assert token in doc.split()
    assert plain_of(token) == token.split("_", 1)[1]


def test_features_follow_the_estimator_contract(analysed):
    est = features()
    assert clone(est).get_params() == est.get_params()
    est.set_params(word_ngram_max=1)
    assert est.word_ngram_max == 1
    with pytest.raises(NotFittedError):
        features().transform(analysed)
    X = est.fit_transform(analysed)
    restored = pickle.loads(pickle.dumps(est))
    assert (restored.transform(analysed) != X).nnz == 0
    assert X.shape[1] == len(est.get_feature_names_out())


def test_blocks_cover_every_column_once(analysed):
    est = features().fit(analysed)
    X = est.transform(analysed)
    spans = sorted(est.blocks_.values())
    assert spans[0][0] == 0 and spans[-1][1] == X.shape[1]
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_typo_keeps_most_of_the_character_features(analysed):
    est = features().fit(analysed)
    frame = pd.DataFrame(
        {"text": ["bruising on his arm", "brusing on his arm", "school trip to the zoo"]}
    )
    X = est.transform(ContactAnalyser().transform(frame))
    c0, c1 = est.blocks_["chars"]
    chars = X[:, c0:c1].toarray()
    sim = chars @ chars.T
    assert sim[0, 1] > 0.5 > sim[0, 2]


def test_source_and_indicator_blocks_are_present(analysed):
    est = features().set_params(use_source=True).fit(analysed)
    names = est.get_feature_names_out()
    assert "source:police" in names
    assert any(n.startswith("indicator:") for n in names)


def test_by_default_the_source_is_no_feature_and_moves_no_score(analysed):
    est = features().fit(analysed)
    assert "source" not in est.blocks_
    assert not any(n.startswith("source:") for n in est.get_feature_names_out())
    one = type(analysed)(analysed.word_docs[:1], analysed.indicator_rows[:1], ("police",))
    other = type(analysed)(analysed.word_docs[:1], analysed.indicator_rows[:1], (None,))
    assert (est.transform(one) != est.transform(other)).nnz == 0


def test_text_reducer_contract(analysed):
    X = features().fit_transform(analysed)
    reducer = TextReducer(n_components=3, text_columns=50, keep_from=X.shape[1] - 7)
    with pytest.raises(NotFittedError):
        reducer.transform(X)
    out = reducer.fit(X).transform(X)
    assert out.shape == (X.shape[0], 3 + 7)
    assert np.allclose(pickle.loads(pickle.dumps(reducer)).transform(X), out)


def test_char_counts_are_the_same_for_a_few_documents_and_a_large_batch():
    est = ContactFeatures(char_n_features=2**16)
    docs = ["neg_bruise on his arm", "[name] said dad hit past_mum", "x"] * 30

    def dense(counts):  # type: ignore[no-untyped-def]
        n = len(counts.indptr) - 1
        return sp.csr_matrix(
            (counts.data, counts.indices, counts.indptr), shape=(n, 2**16)
        ).toarray()

    few = dense(est._char_counts(docs[:3]))
    many = dense(est._char_counts(docs))[:3]
    assert few.sum() > 0
    assert np.allclose(few, many)


def test_set_params_on_the_char_block_acts_as_init_does(analysed):
    est = features()
    est.token_char_rows(["bruise"])  # fills the char cache for the first setting
    est.set_params(char_n_features=2**13, char_ngram_min=3)
    refitted = est.fit_transform(analysed)
    fresh = features().set_params(char_n_features=2**13, char_ngram_min=3).fit_transform(analysed)
    assert est.blocks_["chars"][1] - est.blocks_["chars"][0] == 2**13
    assert (refitted != fresh).nnz == 0


def test_scoring_path_gives_the_same_features_as_the_batch_path(analysed):
    est = features().fit(analysed)
    many = est.transform(analysed)  # > 64 contacts: the vectorisers' own transform
    for i in range(3):
        one = ContactFeatures.transform(
            est,
            type(analysed)(
                analysed.word_docs[i : i + 1],
                analysed.indicator_rows[i : i + 1],
                analysed.sources[i : i + 1],
            ),
        )
        assert np.allclose(one.toarray(), many[i].toarray(), atol=1e-6)


def test_contacts_without_any_word_are_scored_alongside_others(analysed):
    est = features().fit(analysed)
    frame = pd.DataFrame({"text": ["Dad hit him.", "!!!", "", "Mum is drinking."]})
    X = est.transform(ContactAnalyser().transform(frame))
    w0, w1 = est.blocks_["words"]
    norms = np.sqrt(X[:, w0:w1].multiply(X[:, w0:w1]).sum(axis=1)).A.ravel()
    assert norms[1] == 0 and norms[2] == 0
    assert np.allclose(norms[[0, 3]], 1.0, atol=1e-5)


def test_the_token_cache_stays_bounded_and_correct_when_it_fills(analysed, monkeypatch):
    import training.model.features as features_module

    est = features().fit(analysed)
    expected = est.transform(analysed).toarray()
    monkeypatch.setattr(features_module, "_TOKEN_CACHE_MAX", 5)
    est.__dict__.pop("_char_state", None)
    distinct = {plain_of(t) for doc in analysed.word_docs for t in doc.split()} - {""}
    for _ in range(3):
        assert np.allclose(est.transform(analysed).toarray(), expected)
        # Refilled with what one call needs, never more.
        assert len(est._char_cache()[1]) <= len(distinct)
    frame = pd.DataFrame({"text": [f"novel{i} word{i} dad hit him" for i in range(30)]})
    est.transform(ContactAnalyser().transform(frame))


@pytest.mark.parametrize("text_norm", ["l2", "median", "sqrt"])
def test_rows_and_matrices_of_one_or_many_contacts_agree_under_each_norm(analysed, text_norm):
    est = ContactFeatures(word_min_df=1, char_n_features=2**12, text_norm=text_norm).fit(analysed)
    many = est.transform(analysed).toarray()  # > 64 contacts: the vectorisers' own transform
    few = est.transform(
        type(analysed)(analysed.word_docs[:5], analysed.indicator_rows[:5], analysed.sources[:5])
    ).toarray()
    for i, row in enumerate(est.rows(analysed)[:5]):
        got = np.zeros(many.shape[1], dtype=np.float32)
        got[row.indices] = row.data
        assert np.allclose(got, many[i], rtol=1e-5, atol=1e-7)
        assert np.allclose(few[i], many[i], rtol=1e-5, atol=1e-7)


def test_under_the_median_norm_a_phrase_weighs_the_same_in_a_long_contact(analysed):
    """Background sentences must not dilute a disclosure: with one fitted scale per block a
    word's value depends on its own count only; with L2 rows it shrinks as the text grows."""
    short = "Child said dad hit her with a belt."
    long = short + " The family moved in the spring. Mum works at the shop. The flat is small."
    pair = ContactAnalyser().fit_transform(pd.DataFrame({"text": [short, long]}))
    for text_norm, same in (("median", True), ("l2", False)):
        est = ContactFeatures(word_min_df=1, char_n_features=2**12, text_norm=text_norm).fit(
            analysed
        )
        X = est.transform(pair)
        col = est.vocabulary_["belt"]
        assert X[0, col] > 0
        assert np.isclose(X[0, col], X[1, col]) == same


def test_under_the_sqrt_norm_a_long_contact_dilutes_a_phrase_half_as_much(analysed):
    """On the log scale the square-root norm sits halfway between L2 rows (a phrase's value
    falls with the norm of the whole contact) and one fitted scale (it does not fall)."""
    short = "Child said dad hit her with a belt."
    long = short + " The family moved in the spring. Mum works at the shop. The flat is small."
    pair = ContactAnalyser().fit_transform(pd.DataFrame({"text": [short, long]}))
    ratio = {}
    for text_norm in ("l2", "sqrt"):
        est = ContactFeatures(word_min_df=1, char_n_features=2**12, text_norm=text_norm).fit(
            analysed
        )
        X = est.transform(pair)
        col = est.vocabulary_["belt"]
        ratio[text_norm] = X[1, col] / X[0, col]
    assert ratio["l2"] < 0.9
    assert ratio["sqrt"] == pytest.approx(np.sqrt(ratio["l2"]), rel=1e-5)


def test_an_unknown_text_norm_is_refused(analysed):
    with pytest.raises(ValueError, match="text_norm"):
        ContactFeatures(text_norm="l1").fit(analysed)


def test_level_counts_keep_how_each_serious_concern_is_stated():
    """A level-4 concern asserted, reported, hedged, historical or negated counts in its own
    column: the model weighs a rumour of abuse differently from abuse seen."""
    from training.model.analyser import AnalysedContacts
    from training.model.features import level_mode

    assert level_mode(True, True, True, True) == "negated"
    assert level_mode(False, True, True, False) == "historical"
    assert level_mode(False, True, False, True) == "hedged"
    assert level_mode(False, False, False, True) == "third_party"
    assert level_mode(False, False, False, False) == "asserted"
    rows = [
        (("sexual_abuse", 4, False, False, False, False),),
        (("sexual_abuse", 4, False, True, False, False),),
        (
            ("sexual_abuse", 4, False, False, False, True),
            ("sexual_abuse", 4, True, False, True, False),
        ),
    ]
    contacts = AnalysedContacts(["child disclos abuse"] * 3, rows, ["police"] * 3)
    est = features().fit(contacts)
    names = list(est.get_feature_names_out())
    X = est.transform(contacts).toarray()
    col = {m: names.index(f"level:4:{m}") for m in ("asserted", "third_party", "hedged", "negated")}
    assert X[0, col["asserted"]] > 0 and X[0, col["hedged"]] == 0
    assert X[1, col["hedged"]] > 0 and X[1, col["asserted"]] == 0
    assert X[2, col["third_party"]] > 0 and X[2, col["negated"]] > 0 and X[2, col["asserted"]] == 0


def test_the_char_block_can_be_switched_off_and_keeps_its_columns(analysed):
    on = features().fit(analysed)
    off = features().set_params(use_chars=False).fit(analysed)
    assert on.blocks_ == off.blocks_
    c0, c1 = off.blocks_["chars"]
    X = off.transform(analysed)
    assert X[:, c0:c1].nnz == 0 and on.transform(analysed)[:, c0:c1].nnz > 0
    assert all(((r.indices < c0) | (r.indices >= c1)).all() for r in off.rows(analysed))
