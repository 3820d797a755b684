"""Building the index of similar cases at training time: the guidance corpus and, where a
deployment allows it, recent past contacts of the export, with what is left out counted."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from training.config import SimilarConfig
from training.model.analyser import AnalysedContacts
from training.model.explain import shown
from training.model.features import ContactFeatures, SparseRow, plain_of
from training.model.outputs import SimilarCase
from training.model.similar.index import Method, SimilarIndex, _block_rows, _Examples
from training.model.similar.screen import TextScreen, text_screen
from training.model.similar.shown import date_band, past_id, shown_text

__all__ = ["build_similar_index"]

#: A word n-gram in more than this share of the indexed examples is too common to name.
_COMMON_SHARE = 0.10
#: ...judged on an index of at least this many examples (a share of a handful means nothing).
_COMMON_MIN_EXAMPLES = 50
#: What a scope-marked word n-gram is shown with (``training.text.mark``).
_QUALIFIER = {"neg": "denied", "past": "in the past", "hedge": "uncertain", "third": "reported"}


# -- building ----------------------------------------------------------------------------


def build_similar_index(
    features: ContactFeatures,
    guidance: AnalysedContacts,
    corpus: pd.DataFrame,
    *,
    config: SimilarConfig,
    excluded_texts: Sequence[str] = (),
    removals: Collection[str] = frozenset(),
    past: AnalysedContacts | None = None,
    past_frame: pd.DataFrame | None = None,
    as_of: date | None = None,
    guidance_matrix: sp.csr_matrix | None = None,
) -> SimilarIndex | None:
    """The index of a model whose features are fitted: the guidance corpus (``corpus``,
    as ``training.data.guidance.read_guidance`` gives it, read by the text pipeline as
    ``guidance``) and, with ``config.past_contacts``, the past contacts of ``past_frame``
    (``contact_id``, ``received_at``, ``text``, ``outcome``; read as ``past``) received
    within ``config.retention_months`` of ``as_of`` (today when None), the most recent
    ``config.past_max`` at most.

    Rows whose text is one of ``excluded_texts`` or a near-duplicate of one, and rows
    whose id is in ``removals``, are left out. None when nothing is left to index.
    ``guidance_matrix``: the features of ``guidance``, where the caller has them.
    """
    method: Method = config.method
    blocks = features.blocks_
    fallback = method == "embedding" and "embedding" not in blocks
    if fallback:
        method = "tfidf"
    block = blocks["embedding"] if method == "embedding" else blocks["words"]
    screen = text_screen(list(excluded_texts))
    summary: dict[str, Any] = {
        "method": method,
        "embedding_fallback": fallback,
        "excluded_texts": len(screen),
    }

    guidance_examples, kept, counts = _guidance_examples(
        features, guidance, corpus, screen, removals, method, block, guidance_matrix
    )
    summary.update(counts)
    analysed_parts, past_parts = [kept], []

    past_examples = None
    if config.past_contacts and past is not None and past_frame is not None:
        past_examples, chosen, counts = _past_examples(
            features,
            past,
            past_frame,
            config,
            screen,
            removals,
            as_of or date.today(),
            method,
            block,
        )
        summary.update(counts)
        if past_examples is not None:
            analysed_parts.append(chosen)
            past_parts.append(past_examples)
    if not len(guidance_examples) and not past_examples:
        return None
    words = blocks["words"]
    return SimilarIndex(
        method=method,
        block=block,
        words_block=words,
        k=config.k,
        past_k=config.past_k,
        guidance=guidance_examples,
        past=past_examples,
        phrases=_phrases(features, analysed_parts, [guidance_examples, *past_parts]),
        levels=_catalogue_levels(),
        summary=summary,
    )


def _guidance_examples(
    features: ContactFeatures,
    guidance: AnalysedContacts,
    corpus: pd.DataFrame,
    screen: TextScreen,
    removals: Collection[str],
    method: Method,
    block: tuple[int, int],
    guidance_matrix: sp.csr_matrix | None,
) -> tuple[_Examples, AnalysedContacts, dict[str, Any]]:
    """The guidance examples to index (those neither on the removal list nor an evaluation
    text or a near-duplicate of one), their analyses, and the counts of those left out."""
    texts = corpus["text"].astype(str).tolist() if len(corpus) else []
    ids = corpus["contact_id"].astype(str).tolist() if len(corpus) else []
    removed = np.array([i in removals for i in ids], dtype=bool)
    near = screen.hits(texts) if texts else np.zeros(0, dtype=bool)
    keep = np.flatnonzero(~removed & ~near)
    n = len(ids)
    levels = corpus["level"].astype(int).tolist() if n else []
    shows = corpus["indicators"].tolist() if "indicators" in corpus else [()] * n
    why = corpus["reason"].astype(str).tolist() if "reason" in corpus else [""] * n
    cases = [
        SimilarCase(
            kind="guidance",
            id=ids[i],
            similarity=0.0,
            reason="",
            indicators=tuple(shows[i]),
            level=levels[i],
            level_reason=why[i],
        )
        for i in keep
    ]
    kept = _take(guidance, keep)
    matrix = None if guidance_matrix is None else guidance_matrix[keep]
    concerns = corpus["concern"].astype(str).tolist() if "concern" in corpus else ids
    guidance_examples = _examples(
        features, kept, cases, method, block, matrix, [concerns[i] for i in keep]
    )
    counts = {
        "guidance_removed": int(removed.sum()),
        "guidance_excluded": int((near & ~removed).sum()),
        "guidance": len(guidance_examples),
    }
    return guidance_examples, kept, counts


def _past_examples(
    features: ContactFeatures,
    analysed: AnalysedContacts,
    frame: pd.DataFrame,
    config: SimilarConfig,
    screen: TextScreen,
    removals: Collection[str],
    as_of: date,
    method: Method,
    block: tuple[int, int],
) -> tuple[_Examples | None, AnalysedContacts, dict[str, Any]]:
    """The past contacts to index and the counts of those left out. Retention first (a
    contact past it is never read further), then the removal list by contact id, then the
    most recent ``past_max``; of those, evaluation texts and near-duplicates are dropped,
    then any whose shown id is on the removal list, then repeats of a redacted text."""
    from training.text import redact

    received = pd.to_datetime(frame["received_at"].reset_index(drop=True))
    if getattr(received.dt, "tz", None) is not None:
        received = received.dt.tz_convert("UTC").dt.tz_localize(None)
    cutoff = pd.Timestamp(as_of) - pd.DateOffset(months=config.retention_months)
    expired = (received < cutoff).to_numpy()
    contact_ids = frame["contact_id"].astype(str).to_numpy()
    removed = np.array([c in removals for c in contact_ids], dtype=bool) & ~expired
    candidates = np.flatnonzero(~expired & ~removed)
    order = np.argsort(
        -received.to_numpy()[candidates].astype("datetime64[s]").astype(np.int64), kind="stable"
    )
    candidates = candidates[order][: config.past_max]
    texts = frame["text"].astype(str).to_numpy()
    near = screen.hits([texts[i] for i in candidates]) if len(candidates) else np.zeros(0, bool)
    outcomes = frame["outcome"].astype(str).to_numpy()
    cases: list[SimilarCase] = []
    rows: list[int] = []
    seen: set[str] = set()
    shown_removed = 0
    for i in candidates[~near]:
        redacted = shown_text(redact(str(texts[i]))[0])
        pid = past_id(redacted)
        if pid in removals:
            shown_removed += 1
            continue
        if pid in seen:
            continue
        seen.add(pid)
        rows.append(int(i))
        cases.append(
            SimilarCase(
                kind="past_contact",
                id=pid,
                similarity=0.0,
                reason="",
                indicators=(),
                text=redacted,
                outcome=str(outcomes[i]),
                date_band=date_band(received.iloc[i]),
            )
        )
    chosen = _take(analysed, np.asarray(rows, dtype=np.int64))
    asserted = [
        tuple(sorted({r[0] for r in chosen.indicator_rows[n] if not r[2]}))
        for n in range(len(rows))
    ]
    cases = [replace(c, indicators=a) for c, a in zip(cases, asserted, strict=True)]
    examples = _examples(features, chosen, cases, method, block)
    counts = {
        "past": len(examples),
        "past_expired": int(expired.sum()),
        "past_removed": int(removed.sum()) + shown_removed,
        "past_excluded": int(near.sum()),
        "as_of": as_of.isoformat(),
        "retention_months": config.retention_months,
    }
    return (examples if len(examples) else None), chosen, counts


def _take(analysed: AnalysedContacts, rows: np.ndarray) -> AnalysedContacts:
    """Contacts ``rows`` of ``analysed`` (without the full analyses)."""
    pick = [int(i) for i in rows]
    return AnalysedContacts(
        tuple(analysed.word_docs[i] for i in pick),
        tuple(analysed.indicator_rows[i] for i in pick),
        tuple(analysed.sources[i] for i in pick),
        None,
        tuple(analysed.plains[i] for i in pick) if analysed.plains else (),
    )


def _examples(
    features: ContactFeatures,
    analysed: AnalysedContacts,
    cases: list[SimilarCase],
    method: Method,
    block: tuple[int, int],
    X: sp.csr_matrix | None = None,
    groups: Sequence[str] | None = None,
) -> _Examples:
    """Vectors and word rows of ``analysed`` from the model's own feature rows (the same
    arithmetic as a scored contact's; ``X`` when the caller has them already), with the
    concern each tells (``groups``, where versions of one concern are indexed). An example
    whose vector is zero is left out: it could never be near anything."""
    if not len(analysed):
        return _Examples(
            (), np.zeros((0, block[1] - block[0]), np.float32), sp.csr_matrix((0, 0)), ()
        )
    if X is None:
        X = features.transform(analysed)
    indptr, indices, data = X.indptr, X.indices, X.data
    rows = [
        SparseRow(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
        for i in range(X.shape[0])
    ]
    words = _block_rows(rows, features.blocks_["words"])
    if method == "embedding":
        dense = np.asarray(X[:, block[0] : block[1]].toarray(), dtype=np.float32)
        norms = np.linalg.norm(dense, axis=1)
        keep = np.flatnonzero(norms > 1e-12)
        vectors: Any = dense[keep] / norms[keep, None]
    else:
        tf = _block_rows(rows, block)
        keep = np.flatnonzero(np.diff(tf.indptr) > 0)
        vectors = tf[keep]
    indicators = tuple(frozenset(c.indicators) for c in cases)
    return _Examples(
        tuple(cases[i] for i in keep),
        vectors,
        words[keep],
        tuple(indicators[i] for i in keep),
        None if groups is None else tuple(groups[int(i)] for i in keep),
    )


def _phrases(
    features: ContactFeatures,
    analysed: Sequence[AnalysedContacts],
    examples: Sequence[_Examples],
) -> dict[int, str]:
    """How each word column of the indexed examples may be named in a reason, in the
    examples' own written words ("bruis" -> "bruising": the commonest form behind the stem
    in them, never a word of the contact scored). Left out: a column in more than
    ``_COMMON_SHARE`` of the examples ("mum", "school") of an index of at least
    ``_COMMON_MIN_EXAMPLES``, and an n-gram with a function
    word, a placeholder, a word for the referrer or the contact, or a word that is also a
    listed name."""
    from training.text.redact.lexicon import get_lexicon

    lexicon = get_lexicon()
    names = (lexicon.first_names | lexicon.surnames | lexicon.ambiguous) - lexicon.known_stems
    total = sum(len(e) for e in examples)
    counts: dict[int, int] = {}
    for e in examples:
        for c, n in zip(*np.unique(e.words.indices, return_counts=True), strict=True):
            counts[int(c)] = counts.get(int(c), 0) + int(n)
    vocabulary = features.word_names()
    # Each distinct token judged once: its stem, and whether it may be named.
    stem: dict[str, str] = {}
    content: dict[str, bool] = {}

    def nameable(word: str) -> bool:
        if word not in content:
            content[word] = bool(word) and word not in names and shown(f"word:{word}")
        return content[word]

    grams: dict[int, list[str]] = {}
    for c, n in counts.items():
        if total >= _COMMON_MIN_EXAMPLES and n > _COMMON_SHARE * total:
            continue
        tokens = str(vocabulary[c]).split()
        for t in tokens:
            if t not in stem:
                stem[t] = plain_of(t)
        if all(nameable(stem[t]) for t in tokens):
            grams[c] = tokens
    wanted = {stem[t] for tokens in grams.values() for t in tokens}
    surface: dict[str, dict[str, int]] = {}
    for part in analysed:
        for marked, written in zip(part.word_docs, part.plains, strict=False):
            m_tokens, w_tokens = marked.split(), written.split()
            if len(m_tokens) != len(w_tokens):
                continue
            for m, w in zip(m_tokens, w_tokens, strict=True):
                s = stem.get(m)
                if s is None:
                    s = stem[m] = plain_of(m)
                if s in wanted:
                    forms = surface.setdefault(s, {})
                    forms[w] = forms.get(w, 0) + 1
    form = {s: max(sorted(f), key=f.__getitem__) for s, f in surface.items()}
    out: dict[int, str] = {}
    for c, tokens in grams.items():
        words = [form.get(stem[t], stem[t]) for t in tokens]
        if not all(nameable(w) for w in words):
            continue
        marks = sorted({t.split("_", 1)[0] for t in tokens} & _QUALIFIER.keys())
        text = " ".join(words)
        if marks:
            text += " (" + ", ".join(_QUALIFIER[m] for m in marks) + ")"
        out[c] = text
    return out


def _catalogue_levels() -> dict[str, int]:
    from training.text import indicator_catalogue

    return {d.label: int(d.level) for d in indicator_catalogue()}
