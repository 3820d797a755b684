"""The guidance corpus as the text pipeline reads it, kept between trainings.

Every training reads the same few thousand repository texts of the guidance corpus
(``data/guidance/``) through the text pipeline; their compact analyses are kept in this
process and in a cache folder, under the digest of the corpus and a fingerprint of the
text pipeline (every file of ``training/text``, spaCy's and Python's versions), so that a
change to either is read afresh (``training/model/analyser.py``, which runs it, too). Only the corpus is kept, never a contact.

The folder is ``SCREENER_CACHE_DIR``, else ``$XDG_CACHE_HOME/concern-screener``, else
``~/.cache/concern-screener``; ``SCREENER_CACHE_DIR=""`` keeps nothing on disk. A file that
cannot be read or written is passed over: the corpus is analysed instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from training.data.quarantine import atomic_write
from training.model.analyser import AnalysedContacts

__all__ = ["analysed_corpus", "cache_dir", "pipeline_fingerprint"]

log = logging.getLogger(__name__)

#: This process's corpus analyses, by key (one corpus at a time).
_IN_PROCESS: dict[str, AnalysedContacts] = {}


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


def _read(path: Path, sources: tuple[str | None, ...]) -> AnalysedContacts | None:
    try:
        raw = json.loads(path.read_text("utf-8"))
        analysed = AnalysedContacts(
            word_docs=tuple(str(d) for d in raw["word_docs"]),
            indicator_rows=tuple(
                tuple(
                    (str(r[0]), int(r[1]), bool(r[2]), bool(r[3]), bool(r[4]), bool(r[5]))
                    for r in rows
                )
                for rows in raw["indicator_rows"]
            ),
            sources=sources,
            plains=tuple(str(p) for p in raw["plains"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    sizes = {len(analysed.word_docs), len(analysed.indicator_rows), len(analysed.plains)}
    return analysed if sizes == {len(sources)} else None


def _write(path: Path, analysed: AnalysedContacts) -> None:
    payload = {
        "word_docs": list(analysed.word_docs),
        "indicator_rows": [[list(r) for r in rows] for rows in analysed.indicator_rows],
        "plains": list(analysed.plains),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, lambda tmp: tmp.write_text(json.dumps(payload), "utf-8"))
    except OSError as exc:
        log.debug("the corpus analysis was not kept (%s)", type(exc).__name__)


def analysed_corpus(
    inputs: pd.DataFrame, analyse: Callable[[pd.DataFrame], AnalysedContacts]
) -> AnalysedContacts:
    """The corpus ``inputs`` (its model-input columns) as ``analyse`` reads it, from this
    process, else the cache folder, else ``analyse`` (and then kept in both)."""
    key = _corpus_key(inputs)
    if key in _IN_PROCESS:
        return _IN_PROCESS[key]
    folder = cache_dir()
    path = None if folder is None else folder / f"guidance-{key}.json"
    analysed = None
    if path is not None and path.is_file():
        analysed = _read(path, _sources(inputs))
    if analysed is None:
        analysed = analyse(inputs)
        if path is not None:
            _write(path, analysed)
    _IN_PROCESS.clear()
    _IN_PROCESS[key] = analysed
    return analysed
