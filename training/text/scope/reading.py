"""One Doc's scope, read cue by cue: :class:`ScopeReading`.

The marker (``training.text.scope.marker``) finds the cues and clause breaks of a Doc
with its token rules; a ``ScopeReading`` holds what the rules share for that one Doc (the
token columns, sentence bounds, breaks, the cues kept, quotations) and applies each cue's
rule, one method per cue kind (``_neg_pre``, ``_hedge_back``...), marking each token with
the index of the cue that scopes it. The questions the rules ask of the Doc's clauses
(where a clause ends, how far a negation runs) are :class:`~training.text.scope.clauses.
Clauses`. The module docstring of ``training.text.scope`` says
what each kind of cue covers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from training.text.rules import DocArrays
from training.text.scope.clauses import NO_CUE, Clauses
from training.text.scope.words import ScopeWords

__all__ = ["NO_CUE", "ScopeFlags", "ScopeReading"]
#: the cue kinds that are not cues but clause structure, collected apart
_STRUCTURE = frozenset({"terminators", "hist_reset", "hist_reset_adj", "ask_frame", "not_cue"})


@dataclass(frozen=True, slots=True)
class ScopeFlags:
    """Per-token scope of one Doc: for each token the index of the cue that scopes it, or -1.

    ``sent`` is each token's 0-based sentence index; ``n_sents`` the number of sentences.
    """

    neg: list[int]
    hedge: list[int]
    hist: list[int]
    third: list[int]
    sent: list[int]
    n_sents: int


class ScopeReading(Clauses):
    """The scope of one Doc's cues. ``found`` is what the marker's token rules matched:
    ``(kind, start, end)`` token spans of cues and clause structure."""

    _APPLY: ClassVar[dict[str, Callable[[ScopeReading, int, int], None]]]

    def __init__(
        self,
        arrays: DocArrays,
        sent: list[int],
        found: Iterable[tuple[str, int, int]],
        *,
        words: ScopeWords,
        neg_window: int,
        hedge_window: int,
        back_window: int,
    ) -> None:
        n = len(sent)
        self.n = n
        self.w = words
        self.neg_window = neg_window
        self.hedge_window = hedge_window
        self.back_window = back_window
        self.arrays = arrays
        self.sent = sent
        self.lowers = arrays.cols[1]
        self.orths = arrays.cols[2]
        self.is_punct = arrays.is_punct
        self.is_space = arrays.is_space
        self.idx = arrays.idx
        self.length = arrays.length
        self.neg = [NO_CUE] * n
        self.hedge = [NO_CUE] * n
        self.hist = [NO_CUE] * n
        self.third = [NO_CUE] * n
        self.sent_starts = [0] + [i for i in range(1, n) if sent[i] != sent[i - 1]]
        self.sent_ends = self.sent_starts[1:] + [n]
        self.kept = self._collect(found)
        self.quoted = self._quotations()
        self.reports = self._report_starts()

    def read(self) -> ScopeFlags:
        """Apply every cue kept, in order, and return the flags."""
        for kind, s, e in self.kept:
            self._APPLY[kind](self, s, e)
        return ScopeFlags(
            self.neg, self.hedge, self.hist, self.third, self.sent, len(self.sent_starts)
        )

    # -- what the rules found ---------------------------------------------------------------

    def _collect(self, found: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """Sort the rules' matches into clause breaks, "but"-like breaks, resets, question
        frames and cues; drop cues overlapping a look-alike; keep the longest cue where
        cues overlap. Returns the cues kept, in order."""
        w, lowers, n = self.w, self.lowers, self.n
        cues: list[tuple[str, int, int]] = []
        self.breaks: list[int] = []  # clause terminators (token index)
        self.strong: list[int] = []  # "but"-like breaks
        self.resets: list[int] = []  # end forward and backward historical scopes
        adj_resets: list[int] = []  # end forward historical scopes only ("new", "ongoing")
        self.asks: list[int] = []  # "asked about", "questioned whether": answered later
        voids: list[tuple[int, int]] = []
        for kind, s, e in found:
            if kind not in _STRUCTURE:
                cues.append((kind, s, e))
            elif kind == "terminators":
                if (
                    lowers[s] == w.yet
                    and s > 0
                    and (lowers[s - 1] in w.yet_adverb or (s + 1 < n and lowers[s + 1] == w.to))
                ):
                    continue  # "not yet rolling", "has yet to engage": an adverb
                self.breaks.append(s)
                if lowers[s] in w.strong:
                    self.strong.append(s)
            elif kind == "hist_reset":
                self.resets.append(s)
            elif kind == "hist_reset_adj":
                adj_resets.append(s)
            elif kind == "ask_frame":
                self.asks.append(s)
            else:
                voids.append((s, e))
        if voids:
            # "not_cue" spans are look-alikes of cues ("being used to" is not "used to",
            # "other children" is not "a different child"): cues overlapping them go.
            cues = [c for c in cues if not any(c[1] < b and a < c[2] for a, b in voids)]
        self.breaks.sort()
        self.strong.sort()
        self.resets.sort()
        self.asks.sort()
        self.forward_resets = sorted(self.resets + adj_resets) if adj_resets else self.resets
        return _longest_first(cues)

    def _quotations(self) -> list[tuple[int, int]]:
        """(open, close) token pairs of quotation marks within a sentence."""
        lowers, quotes, n = self.lowers, self.w.quotes, self.n
        quoted: list[tuple[int, int]] = []
        if not any(h in quotes for h in lowers):
            return quoted
        idx, length, sent = self.idx, self.length, self.sent
        opened = -1
        for k in range(n):
            if lowers[k] not in quotes:
                continue
            before = self.space_before(k)
            after = k + 1 >= n or idx[k] + length[k] < idx[k + 1]
            if opened >= 0 and not before and sent[k] == sent[opened]:
                quoted.append((opened, k))
                opened = -1
            elif before and not after:
                opened = k
        return quoted

    def _report_starts(self) -> list[int]:
        """Hedge and report cues that introduce a reported clause ("it was alleged that",
        "neighbour says"): a backward cue after them reaches back no further than them."""
        w, lowers, n = self.w, self.lowers, self.n
        return [
            c[1]
            for c in self.kept
            if (c[0] == "third" and lowers[c[1]] != w.according)
            or (
                c[0] == "hedge"
                and (
                    lowers[c[2] - 1] in w.introducers
                    or (c[2] < n and lowers[c[2]] in w.introducers)
                )
            )
        ]

    # -- one rule per cue kind ------------------------------------------------------------

    def _neg_pre(self, s: int, e: int) -> None:
        if self.lowers[s] in self.w.tick_boxes:
            # an empty tick box of a form ("[ ] disclosure  [x] injury"): its label, up to
            # the next box or a gap between fields
            end = min(self.sent_bounds(s)[1], e + self.neg_window)
            for k in range(e, end):
                if self.is_space[k] or self.lowers[k] in self.w.tick_boxes:
                    end = k
                    break
            self.mark(self.neg, e, end, s)
            return
        if e - s > 1 and self.lowers[s] == self.w.no:
            self.mark(self.neg, s + 1, e, s)  # "no disclosures of": the noun is negated too
            if self.pronoun_object(e):
                # "considered sexual abuse and have no suspicion of it": what "it" refers
                # back to, like a backward-final cue
                self.mark(self.neg, self.back_from(s, e), s, s)
        self.mark(self.neg, e, self.neg_reach(s, e), s)

    def _neg_back(self, s: int, e: int) -> None:
        t = self.takes_that(e)
        if t >= 0:
            # "it is not true that X", "it is untrue that X": X, forward
            self.mark(self.neg, e, self.complement_end(t), s)
        else:
            # scoped by the cue's last word: a match running into the cue ("...
            # bail conditions, but this turned") does not contain it
            self.mark(self.neg, self.back_from(s, e), s, e - 1)

    def _neg_back_final(self, s: int, e: int) -> None:
        if self.object_back(e):
            self.mark(self.neg, self.back_from(s, e), s, e - 1)
        else:
            # forward; from the cue's last word when that is the negator, which a
            # match may contain ("found no organic cause for ...")
            c = e - 1 if self.lowers[e - 1] in self.w.negators else s
            self.mark(self.neg, e, self.neg_reach(c, e), c)

    def _hedge_back(self, s: int, e: int) -> None:
        self.mark(self.hedge, self.back_from(s, e), s, s)

    def _hedge_back_final(self, s: int, e: int) -> None:
        if self.object_back(e):
            self.mark(self.hedge, self.back_from(s, e), s, s)
        else:
            self.hedge_forward(s, e)

    def _hist_back(self, s: int, e: int) -> None:
        self.mark(self.hist, self.hist_back_from(s, e), s, s)

    def _hist_back_final(self, s: int, e: int) -> None:
        if self.object_back(e):
            self.mark(self.hist, self.hist_back_from(s, e), s, s)

    def _neg_post(self, s: int, e: int) -> None:
        self.mark(self.neg, max(self.clause_start(s), s - self.neg_window), s, s)
        # the cue's own verb is what is negated ("domestic abuse: not disclosed")
        self.mark(self.neg, s + 1, e, s)
        if self.lowers[e - 1] in self.w.negators:
            # "skin check: no bruises, marks or burns": a forward negation's reach
            self.mark(self.neg, e, self.neg_forward(e - 1, e), s)
        else:
            self.mark(self.neg, e, min(self.clause_end(e, self.breaks), e + self.neg_window), s)

    def _neg_post_clause(self, s: int, e: int) -> None:
        # "bruising in a non-mobile baby is not a feature": the whole clause before
        self.mark(self.neg, max(self.clause_start(s), s - 3 * self.neg_window), s, s)
        self.mark(self.neg, e, min(self.clause_end(e, self.breaks), e + self.neg_window), s)

    def _neg_answer(self, s: int, e: int) -> None:
        # "Asked directly about X, mum said no": the answer negates the question
        # asked earlier in its sentence; otherwise "said no ..." negates forward
        k = bisect_left(self.asks, s) - 1
        if k >= 0 and self.asks[k] >= self.sent_bounds(s)[0] and self.ends_clause(e):
            self.mark(self.neg, self.asks[k], s, s)
        elif self.lowers[e - 1] in self.w.negators:
            self.mark(self.neg, e, self.neg_forward(e - 1, e), e - 1)

    def _neg_post_final(self, s: int, e: int) -> None:
        # "X denied.", "X denied by both parents": the clause before; else forward
        if self.ends_clause(e) or self.lowers[e] == self.w.by:
            self.mark(self.neg, max(self.clause_start(s), s - self.neg_window), s, s)
        else:
            # forward, from the cue's last word ("checked - no bruising"): a match
            # that starts with that word ("no concerns") contains its own cue
            self.mark(self.neg, e, self.neg_forward(e - 1, e), e - 1)

    def _hedge(self, s: int, e: int) -> None:
        if self.lowers[s] == self.w.question:
            if self.words(self.clause_start(s), s) == 0:
                # "?drugs", "? NAI": a leading query mark hedges what follows
                self.mark(
                    self.hedge, e, min(self.clause_end(e, self.breaks), e + self.hedge_window), s
                )
            elif (
                e < self.n
                and self.space_before(s)
                and not self.space_before(e)
                and not self.is_punct[e]
            ):
                # "Mum ?psychosis, sole carer": a query mark written onto a word
                # after the clause's subject queries neither the sentence before it
                # nor (as the writer's shorthand for a working concern) what follows
                pass
            else:
                self.mark(self.hedge, self.sent_bounds(s)[0], s, s)
        else:
            self.mark(self.hedge, self.clause_start(s), s, s)
            self.hedge_forward(s, e)

    def _third(self, s: int, e: int) -> None:
        self.mark(self.third, self.clause_start(s), s, s)
        self.mark(self.third, e, self.strong_end(e), s)

    def _hist(self, s: int, e: int) -> None:
        end = self.strong_end(e)
        k = bisect_left(self.forward_resets, e)
        if k < len(self.forward_resets):
            end = min(end, self.forward_resets[k])
        cs = self.clause_start(s)
        self.mark(self.hist, self.splice_start(cs, s), s, s)
        self.mark(self.hist, s, end, s)
        if self.refers_back(cs, s) and not any(
            self.lowers[k] in self.w.status for k in range(s, e)
        ):
            # "..., but this was in 2015", "- that was back in 2019": the clause
            # before is dated too (a status, "this was resolved by the teacher",
            # says how a worry was handled, and reaches back only clause-finally)
            self.mark(self.hist, self.hist_back_from(s, e), s, s)


def _longest_first(cues: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The cues kept where cues overlap: the longest wins ("no longer" over "no", "not
    sure" over "not"); a different kind on the same words ("rumoured": hedge and
    third-hand), or starting inside and running on, is kept too; a cue inside a longer one
    ("ruled out" in "cannot be ruled out") is dropped."""
    cues.sort(key=lambda c: (c[1], c[1] - c[2]))
    kept: list[tuple[str, int, int]] = []
    last_end = -1
    for cue in cues:
        if (
            cue[1] >= last_end
            or cue[0] != kept[-1][0]
            and (cue[2] > last_end or (cue[1], cue[2]) == (kept[-1][1], kept[-1][2]))
        ):
            kept.append(cue)
            last_end = cue[2]
    return kept


ScopeReading._APPLY = {
    kind: getattr(ScopeReading, "_" + kind)
    for kind in (
        "neg_pre", "neg_back", "neg_back_final", "hedge_back", "hedge_back_final",
        "hist_back", "hist_back_final", "neg_post", "neg_post_clause", "neg_answer",
        "neg_post_final", "hedge", "third", "hist",
    )
}  # fmt: skip
