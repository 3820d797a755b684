"""Repository texts as the text pipeline reads them, kept between trainings.

Every training and every ``screener evaluate`` read the same few thousand repository texts
through the text pipeline: the guidance corpus (``data/guidance/``), and the hand-written
sets and the behavioural suite the model is judged on (``training.audit.independent``).
Their analyses are kept in this process and in a cache folder, under the digest of the
texts and a fingerprint of the text pipeline (every file of ``training/text``, spaCy's and
Python's versions), so that a change to either is read afresh
(``training/model/analyser.py``, which runs it, too). Only repository texts are kept,
never a contact, and only as JSON: nothing in the folder is unpickled.

The folder is ``SCREENER_CACHE_DIR``, else ``$XDG_CACHE_HOME/concern-screener``, else
``~/.cache/concern-screener``; ``SCREENER_CACHE_DIR=""`` keeps nothing on disk. A file that
cannot be read or written is passed over: the texts are analysed instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from training.data.quarantine import atomic_write
from training.model.analyser import AnalysedContacts, ContactAnalyser
from training.text import CompactAnalysis, IndicatorMatch

__all__ = [
    "analysed_corpus",
    "analysed_texts",
    "cache_dir",
    "evaluation_analyses",
    "pipeline_fingerprint",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: This process's corpus analyses, by key (one corpus at a time).
_IN_PROCESS: dict[str, AnalysedContacts] = {}

#: This process's analyses of evaluation texts, by key (a few lists: the sets and the suite).
_TEXTS_IN_PROCESS: dict[str, tuple[CompactAnalysis, ...]] = {}
_TEXT_LISTS_KEPT = 16


@cache
def pipeline_fingerprint() -> str:
    """A digest of what the text pipeline's output depends on: the bytes of every file of
    ``training/text`` (code and pattern data) and of ``training/model/analyser.py``,
    spaCy's version and Python's."""
    import spacy

    root = Path(__file__).resolve().parents[1]
    files = [*(root / "text").rglob("*"), root / "model" / "analyser.py"]
    digest = hashlib.sha256(f"{spacy.__version__} {sys.version_info[:3]}".encode())
    for path in sorted(files):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir() -> Path | None:
    """The cache folder, or None when ``SCREENER_CACHE_DIR`` is set empty."""
    chosen = os.environ.get("SCREENER_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "concern-screener"


def _corpus_key(inputs: pd.DataFrame) -> str:
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    for column in ("text", "source"):
        if column in inputs:
            digest.update("\x1f".join(map(str, inputs[column].tolist())).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:24]


def _sources(inputs: pd.DataFrame) -> tuple[str | None, ...]:
    """The corpus's sources as the analyser gives them (None where a text has none)."""
    if "source" not in inputs:
        return (None,) * len(inputs)
    return tuple(None if pd.isna(s) else str(s) for s in inputs["source"].tolist())


def _row(r: Any) -> tuple[str, int, bool, bool, bool, bool]:
    return (str(r[0]), int(r[1]), bool(r[2]), bool(r[3]), bool(r[4]), bool(r[5]))


def _kept(
    name: str,
    store: dict[str, T],
    *,
    keep: int,
    analyse: Callable[[], T],
    load: Callable[[Any], T | None],
    dump: Callable[[T], Any],
) -> T:
    """``store[name]``, else the cache folder's ``<name>.json`` read by ``load`` (None, or
    an error, when it does not fit), else ``analyse()`` (written there by ``dump``); kept
    in ``store``, which holds at most ``keep`` entries."""
    if name in store:
        return store[name]
    folder = cache_dir()
    path = None if folder is None else folder / f"{name}.json"
    value = None
    if path is not None and path.is_file():
        try:
            value = load(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            value = None
    if value is None:
        value = analyse()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                payload = json.dumps(dump(value))
                atomic_write(path, lambda tmp: tmp.write_text(payload, "utf-8"))
            except OSError as exc:
                log.debug("an analysis was not kept (%s)", type(exc).__name__)
    if len(store) >= keep:
        store.clear()
    store[name] = value
    return value


def analysed_corpus(
    inputs: pd.DataFrame, analyse: Callable[[pd.DataFrame], AnalysedContacts]
) -> AnalysedContacts:
    """The corpus ``inputs`` (its model-input columns) as ``analyse`` reads it, from this
    process, else the cache folder, else ``analyse`` (and then kept in both)."""
    sources = _sources(inputs)

    def load(raw: Any) -> AnalysedContacts | None:
        analysed = AnalysedContacts(
            word_docs=tuple(str(d) for d in raw["word_docs"]),
            indicator_rows=tuple(tuple(_row(r) for r in rows) for rows in raw["indicator_rows"]),
            sources=sources,
            plains=tuple(str(p) for p in raw["plains"]),
        )
        sizes = {len(analysed.word_docs), len(analysed.indicator_rows), len(analysed.plains)}
        return analysed if sizes == {len(sources)} else None

    def dump(analysed: AnalysedContacts) -> dict[str, Any]:
        return {
            "word_docs": list(analysed.word_docs),
            "indicator_rows": [[list(r) for r in rows] for rows in analysed.indicator_rows],
            "plains": list(analysed.plains),
        }

    return _kept(
        f"guidance-{_corpus_key(inputs)}",
        _IN_PROCESS,
        keep=1,
        analyse=lambda: analyse(inputs),
        load=load,
        dump=dump,
    )


def analysed_texts(
    texts: Sequence[str], analyse: Callable[[list[str]], Sequence[CompactAnalysis]]
) -> tuple[CompactAnalysis, ...]:
    """Repository ``texts`` (an evaluation set, the behavioural suite) as ``analyse`` reads
    them with their spans (``compact_many(..., spans=True)``), from this process, else the
    cache folder, else ``analyse`` (and then kept in both). Never for a contact's text."""
    texts = [str(t) for t in texts]
    digest = hashlib.sha256(pipeline_fingerprint().encode())
    digest.update("\x1f".join(texts).encode())

    def load(raw: Any) -> tuple[CompactAnalysis, ...] | None:
        analyses = tuple(_compact(one) for one in raw)
        return analyses if len(analyses) == len(texts) else None

    def dump(analyses: tuple[CompactAnalysis, ...]) -> list[Any]:
        return [
            [a.marked, a.rows, a.words, [list(astuple(m)) for m in a.indicators], a.plain]
            for a in analyses
        ]

    return _kept(
        f"texts-{digest.hexdigest()[:24]}",
        _TEXTS_IN_PROCESS,
        keep=_TEXT_LISTS_KEPT,
        analyse=lambda: tuple(analyse(texts)),
        load=load,
        dump=dump,
    )


def _compact(raw: Any) -> CompactAnalysis:
    marked, rows, words, indicators, plain = raw
    return CompactAnalysis(
        str(marked),
        tuple(_row(r) for r in rows),
        tuple((str(w[0]), str(w[1]), int(w[2]), int(w[3])) for w in words),
        tuple(
            IndicatorMatch(
                str(m[0]), int(m[1]), str(m[2]), int(m[3]), int(m[4]), *(bool(f) for f in m[5:9])
            )
            for m in indicators
        ),
        str(plain),
    )


def evaluation_analyses(texts: Sequence[str]) -> tuple[CompactAnalysis, ...]:
    """The full analyses of evaluation texts (the hand-written sets, the behavioural suite),
    kept by :func:`analysed_texts`; read in two processes where the batch allows."""

    def analyse(batch: list[str]) -> Sequence[CompactAnalysis]:
        full = ContactAnalyser().transform_texts(batch, [None] * len(batch)).analyses
        assert full is not None  # the default analyser keeps them
        return full

    return analysed_texts(texts, analyse)
