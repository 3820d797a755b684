"""The spaCy pipeline: the one place that calls ``spacy.blank``.

``spacy.blank("en")`` tokenizer (parentheses also split inside words, placeholders such as
"[NAME]" kept whole) followed by the registered components, each a factory with a
``default_config``::

    cs_normaliser -> cs_redactor -> cs_sentences -> cs_scope -> cs_indicators

The pipeline is built on first use by :func:`get_nlp` and cached for the process; it is
never pickled (models call the functions of :mod:`training.text` at transform time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, cast

import spacy
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from training.text import indicators as _indicators  # noqa: F401  (registers cs_indicators)
from training.text import normalise as _normalise  # noqa: F401  (registers cs_normaliser)
from training.text import redact as _redact  # noqa: F401  (registers cs_redactor)
from training.text import scope as _scope  # noqa: F401  (registers cs_scope)
from training.text import sentences as _sentences  # noqa: F401  (registers cs_sentences)
from training.text.rules import TEXT_KEY
from training.text.scope import register_extensions
from training.text.types import PII_KINDS

__all__ = ["PIPE_NAMES", "TextKeepingTokenizer", "build_nlp", "get_nlp"]

#: spaCy's special cases that are only whitespace and tokenize the same without (see
#: :func:`build_nlp`).
WHITESPACE: frozenset[str] = frozenset({" ", "\t", "\n"})

#: The component order of the pipeline.
PIPE_NAMES: tuple[str, ...] = (
    "cs_normaliser",
    "cs_redactor",
    "cs_sentences",
    "cs_scope",
    "cs_indicators",
)


class TextKeepingTokenizer:
    """spaCy's tokenizer, leaving the input string in ``doc.user_data[TEXT_KEY]``.

    ``Doc.text`` rebuilds the string by a Python join over every token, which costs more
    than the rest of the redactor; components read the kept string instead.
    """

    def __init__(self, inner: Tokenizer) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc = self.inner(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)


def build_nlp(*, config: dict[str, dict[str, Any]] | None = None) -> Language:
    """A new pipeline; ``config`` overrides component settings by component name.

    E.g. ``build_nlp(config={"cs_scope": {"neg_window": 8}})``.
    """
    overrides = config or {}
    register_extensions()
    nlp = spacy.blank("en")
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    infixes = [*list(nlp.Defaults.infixes or []), r"[()\[\]{}]"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # spaCy's base exceptions make a lone space, tab and newline special cases, and a
    # special case met in a text stops the tokenizer keeping every later word of that text
    # in its cache (spaCy's ``has_special`` flag lasts the whole text): with them, every
    # word after a contact's first line break would go through the affix rules again. The
    # rules give those three the same single token, so they are left out: the same tokens,
    # in half the time.
    tokenizer.rules = {k: v for k, v in (tokenizer.rules or {}).items() if k not in WHITESPACE}
    for kind in PII_KINDS:
        placeholder = f"[{kind.upper()}]"
        tokenizer.add_special_case(placeholder, [{ORTH: placeholder, NORM: f"[{kind}]"}])
    nlp.tokenizer = TextKeepingTokenizer(tokenizer)
    nlp.add_pipe("cs_normaliser", config=overrides.get("cs_normaliser", {}))
    nlp.add_pipe("cs_redactor", config=overrides.get("cs_redactor", {}))
    nlp.add_pipe("cs_sentences", config=overrides.get("cs_sentences", {}))
    nlp.add_pipe("cs_scope", config=overrides.get("cs_scope", {}))
    nlp.add_pipe("cs_indicators", config=overrides.get("cs_indicators", {}))
    return nlp


@cache
def get_nlp() -> Language:
    """The process-wide pipeline with the default configuration (built on first call)."""
    return build_nlp()
