"""The scope component ``cs_scope``: finds cues and clause breaks with token rules and
reads their scope over each Doc (:class:`~training.text.scope.reading.ScopeReading`)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from training.text.normalise import norm_word
from training.text.rules import TokenRules, cached_arrays
from training.text.scope.reading import NO_CUE, ScopeFlags, ScopeReading
from training.text.scope.words import ScopeWords

__all__ = ["CUE_KINDS", "SENT_KEY", "ScopeMarker", "cs_scope", "load_cues", "register_extensions"]

#: ``doc.user_data`` key of the per-token sentence index left by ``cs_sentences``
SENT_KEY = "cs_sent"

#: The kinds of ``patterns/cues.json``: cues, clause structure and look-alikes.
CUE_KINDS = (
    "neg_pre",
    "neg_post_final",
    "neg_post",
    "neg_post_clause",
    "neg_answer",
    "ask_frame",
    "neg_back",
    "neg_back_final",
    "hedge",
    "hedge_back",
    "hedge_back_final",
    "third",
    "hist",
    "hist_back",
    "hist_back_final",
    "hist_reset",
    "hist_reset_adj",
    "terminators",
    "not_cue",
)


def register_extensions() -> None:
    """Register the ``cs_`` Doc and Token extensions once (safe to call repeatedly)."""
    for name in ("cs_pii", "cs_pii_tokens", "cs_scope", "cs_indicators"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    getters: dict[str, Any] = {
        "cs_neg": lambda t: t.doc._.cs_scope is not None and t.doc._.cs_scope.neg[t.i] != NO_CUE,
        "cs_hedge": lambda t: (
            t.doc._.cs_scope is not None and t.doc._.cs_scope.hedge[t.i] != NO_CUE
        ),
        "cs_hist": lambda t: t.doc._.cs_scope is not None and t.doc._.cs_scope.hist[t.i] != NO_CUE,
        "cs_third": lambda t: (
            t.doc._.cs_scope is not None and t.doc._.cs_scope.third[t.i] != NO_CUE
        ),
        "cs_sent": lambda t: t.doc._.cs_scope.sent[t.i] if t.doc._.cs_scope is not None else 0,
    }
    for name, getter in getters.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=getter)


def load_cues() -> dict[str, list[list[dict[str, Any]]]]:
    """The cue patterns of ``patterns/cues.json`` by kind."""
    raw = json.loads(
        resources.files("training.text").joinpath("patterns/cues.json").read_text("utf-8")
    )
    return {kind: raw.get(kind, []) for kind in CUE_KINDS}


class ScopeMarker:
    """Pipeline component computing :class:`ScopeFlags` for each Doc (needs sentence starts
    from ``cs_sentences``)."""

    def __init__(
        self, nlp: Language, name: str, *, neg_window: int, hedge_window: int, back_window: int = 24
    ) -> None:
        self.name = name
        self.neg_window = neg_window
        self.hedge_window = hedge_window
        self.back_window = back_window
        register_extensions()
        self.rules = TokenRules(nlp.vocab, load_cues(), norm=norm_word)
        self.words = ScopeWords.build(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc._.cs_scope = ScopeFlags([], [], [], [], [], 0)
            return doc
        arrays = cached_arrays(doc)
        sent: list[int] = doc.user_data.get(SENT_KEY) or [0] * n
        reading = ScopeReading(
            arrays,
            sent,
            self.rules(arrays),
            words=self.words,
            neg_window=self.neg_window,
            hedge_window=self.hedge_window,
            back_window=self.back_window,
        )
        doc._.cs_scope = reading.read()
        return doc


@Language.factory(
    "cs_scope", default_config={"neg_window": 6, "hedge_window": 10, "back_window": 24}
)
def cs_scope(
    nlp: Language, name: str, neg_window: int, hedge_window: int, back_window: int
) -> ScopeMarker:
    """Factory of the scope component; windows are in tokens (``back_window``: how far a
    backward cue such as "..., but this turned out to be untrue" reaches)."""
    return ScopeMarker(
        nlp, name, neg_window=neg_window, hedge_window=hedge_window, back_window=back_window
    )
