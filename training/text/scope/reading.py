"""One Doc's scope, read cue by cue: :class:`ScopeReading`.

The marker (``training.text.scope.marker``) finds the cues and clause breaks of a Doc
with its token rules; a ``ScopeReading`` holds what the rules share for that one Doc (the
token columns, sentence bounds, breaks, the cues kept, quotations) and applies each cue's
rule, one method per cue kind (``_neg_pre``, ``_hedge_back``...), marking each token with
the index of the cue that scopes it. The module docstring of ``training.text.scope`` says
what each kind of cue covers.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from training.text.rules import DocArrays
from training.text.scope.words import ScopeWords

__all__ = ["ANAPHOR_REACH", "NO_CUE", "ScopeFlags", "ScopeReading"]

#: the value of a cue index where no cue applies
NO_CUE = -1
#: how many tokens into its sentence an anaphor may come and still link it to the one before
ANAPHOR_REACH = 6
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


class ScopeReading:
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

    # -- the rules' shared questions --------------------------------------------------------

    def sent_bounds(self, i: int) -> tuple[int, int]:
        k = bisect_right(self.sent_starts, i) - 1
        return self.sent_starts[k], self.sent_ends[k]

    def clause_end(self, i: int, marks: list[int]) -> int:
        _, end = self.sent_bounds(i)
        k = bisect_left(marks, i)
        return min(end, marks[k]) if k < len(marks) else end

    def clause_start(self, i: int) -> int:
        start, _ = self.sent_bounds(i)
        k = bisect_left(self.breaks, i) - 1
        return max(start, self.breaks[k] + 1) if k >= 0 else start

    def space_before(self, i: int) -> bool:
        return i == 0 or self.idx[i - 1] + self.length[i - 1] < self.idx[i]

    def is_dash(self, k: int) -> bool:
        """A dash between words ("X - but"), not a hyphen inside one ("maggot-infested")."""
        return self.lowers[k] in self.w.dashes and self.space_before(k)

    def in_quote(self, k: int) -> bool:
        return any(a < k < b for a, b in self.quoted)

    def strong_end(self, j: int) -> int:
        """End of a forward report, date or preface scope from ``j``: its sentence, to
        the first "but"-like break that opens a clause of its own ("..., but the
        child has bruises"); a break in a quotation ("said 'don't tell but he hits
        me'"), a temporal "while", and "but" before a predicate without a subject
        ("... have been offered help but have not engaged") run on."""
        _, end = self.sent_bounds(j)
        k = bisect_left(self.strong, j)
        while k < len(self.strong) and self.strong[k] < end:
            b = self.strong[k]
            if not (
                self.lowers[b] in self.w.temporal
                or self.in_quote(b)
                or (self.lowers[b] != self.w.semicolon and not self.opens_clause(b + 1, aux=False))
            ):
                return b
            k += 1
        return end

    def back_start(self, i: int) -> int:
        """Where a backward cue's scope starts: its sentence, and the one before when
        the two are joined by ";" or the cue's sentence opens by referring back."""
        start, _ = self.sent_bounds(i)
        if start == 0:
            return start
        linked = False
        j = start - 1
        while j > 0 and self.is_space[j]:
            j -= 1
        if self.lowers[j] == self.w.semicolon:
            linked = True
        else:
            reach = min(i, start + ANAPHOR_REACH)
            linked = any(
                self.lowers[k] in self.w.anaphors and not self.introduces(k, start)
                for k in range(start, reach)
            )
        return self.sent_bounds(start - 1)[0] if linked else start

    def introduces(self, k: int, start: int) -> bool:
        """Whether an anaphor word at ``k`` only introduces its own sentence's content:
        "that" after a word ("Kayla mentioned that", "Poppy claimed that"; not "That
        was", "after that"), "it" with a "that", "though", "if" or "like" after it ("It
        was first reported that ...", "At first it looked as though ..."). Such a
        sentence does not refer back to the one before."""
        h = self.lowers[k]
        p = k - 1
        while p >= start and self.is_space[p]:
            p -= 1
        if p > start and (self.is_dash(p) or self.lowers[p] == self.w.colon):
            # "Aggression - this was checked and is not the case": the topic before
            # the dash is what the anaphor refers to
            return True
        if h == self.w.that:
            while p >= start and (self.is_punct[p] or self.is_space[p]):
                p -= 1
            return p >= start and self.lowers[p] not in self.w.that_preps
        if h == self.w.it:
            return any(
                self.lowers[q] in self.w.it_clauses for q in range(k + 1, min(self.n, k + 6))
            )
        return False

    def words(self, a: int, b: int) -> int:
        """How many tokens of ``[a, b)`` are not punctuation."""
        return sum(1 for k in range(a, b) if not (self.is_punct[k] or self.is_space[k]))

    def ends_clause(self, e: int) -> bool:
        """True when nothing but punctuation is left of the clause at ``e``."""
        return e >= self.n or self.words(e, self.clause_end(e, self.breaks)) == 0

    def opens_clause(self, j: int, aux: bool = True) -> bool:
        """True when token ``j`` looks like the subject of a new clause (a pronoun,
        determiner, role word or capitalised name) or, with ``aux``, a new predicate."""
        while j < self.n and (self.is_punct[j] or self.is_space[j]):
            j += 1
        if j >= self.n:
            return True
        h = self.lowers[j]
        if h in self.w.openers:
            return aux or h not in self.w.aux
        return self.orths[j] != h and self.arrays.doc[j].is_title

    def object_back(self, e: int) -> bool:
        """True when a cue ends its clause, or has only a pronoun object left
        ("officers found nothing", "police have no record of this")."""
        if self.ends_clause(e):
            return True
        # skip "of", "the", "evidence", "allegation", ... to the pronoun or anaphor noun
        end = self.clause_end(e, self.breaks)
        j = e
        refer = that_only = False
        while j < end and j < e + 4 and (self.lowers[j] in self.w.objects or self.is_punct[j]):
            if self.lowers[j] in self.w.pronouns or self.lowers[j] in self.w.anaphors:
                that_only = self.lowers[j] == self.w.that and not refer
                refer = True
            j += 1
        if not refer:
            return False
        rest = self.words(j, end)
        return rest == 0 if that_only else rest <= 2

    def links_back(self, a: int, i: int, e: int) -> bool:
        """Whether the clause ``[a, i)`` before a backward cue at ``i`` continues what
        came before it ("but this was unfounded", "but was later retracted", "but
        ruled out") rather than stating something of its own ("but the claim about
        drinking was unfounded" retracts the drinking only)."""
        toks = [k for k in range(a, i) if not (self.is_punct[k] or self.is_space[k])]
        if len(toks) <= 1 or (not self.ends_clause(e) and self.object_back(e)):
            return True
        if self.lowers[toks[0]] in self.w.aux:
            return True
        if self.lowers[toks[0]] == self.w.the and self.lowers[toks[1]] in self.w.resolved_subjects:
            # "; the family have since moved on", "but the case was closed"
            return True
        if any(self.lowers[k] in self.w.pronouns for k in toks[-3:]):
            # the cue's own subject refers back: "but police say this never happened",
            # "but the referrer has since confirmed it was a mix-up"
            return True
        for j, k in enumerate(toks[:4]):
            if self.lowers[k] in self.w.pronouns:
                return True
            if self.lowers[k] in self.w.anaphors:
                nxt = toks[j + 1] if j + 1 < len(toks) else i
                return self.lowers[nxt] not in self.w.content_links
        return False

    def back_from(self, i: int, e: int) -> int:
        """Start of a backward cue's scope: ``back_start``, at most ``back_window`` tokens
        back (three times that when a pronoun in the 8 tokens before it or right after
        it refers back: "... - this was checked and is not the case"), no earlier
        than a report or hedge cue in between ("..., and it was alleged that X, but
        this is not true" covers "alleged that X", not what came before it), and not
        across a "but"-like break whose clause has a subject of its own."""
        reach = self.back_window
        own = self.sent_bounds(i)[0]
        if self.claim_opening(own, i):
            # "Concerns that X were raised and looked into, nothing found": the claim
            # the sentence opens with, all of it
            return own
        c0 = max(own, i - 8)
        start = self.back_start(i)
        if (
            start < own
            or any(self.lowers[k] in self.w.pronouns for k in range(c0, min(self.n, e + 1)))
            or (e < self.n and self.lowers[e] in self.w.reach_objects)
        ):
            reach *= 3
        a = max(start, i - reach)
        k = bisect_left(self.reports, i) - 1
        if k >= 0 and self.reports[k] >= a:
            a = self.reports[k]
        k = bisect_left(self.strong, i) - 1
        if k >= 0 and self.strong[k] >= a and not self.links_back(self.strong[k] + 1, i, e):
            a = self.strong[k] + 1
        return a

    def claim_opening(self, own: int, i: int) -> bool:
        """Whether the sentence starting at ``own`` opens with a claim noun taking a
        clause ("Concerns that", "The allegation that", "Reports of") well before ``i``."""
        j = own
        while j < i and (self.is_punct[j] or self.is_space[j]):
            j += 1
        if j < i and self.lowers[j] in self.w.claim_dets:
            j += 1
        return (
            j + 2 < i
            and self.lowers[j] in self.w.claim_nouns
            and self.lowers[j + 1] in self.w.neg_complement
        )

    def neg_reach(self, s: int, e: int) -> int:
        """End of a forward negation from a cue at ``[s, e)``; a negation taking a clause
        or list ("no evidence that", "no concerns about", "not true that") covers it to
        its "but"-like break, commas and "and" included, like a clause-taking hedge."""
        end = self.neg_forward(s, e)
        last = (
            self.lowers[e - 1]
            if self.lowers[e - 1] in self.w.neg_complement
            else (self.lowers[e] if e < self.n and self.lowers[e] in self.w.neg_complement else 0)
        )
        if last:
            far = self.complement_end(e)
            if last not in self.w.clause_links:
                # a noun phrase ("no concerns about the baby, who is feeding well"): a
                # relative clause describing it is not negated
                for k in range(e, far - 1):
                    if self.lowers[k] == self.w.comma and self.lowers[k + 1] in self.w.relatives:
                        far = k
                        break
            end = max(end, far)
        return end

    def takes_that(self, e: int) -> int:
        """Where the clause of a backward negation cue taking one starts ("it is not true
        that X", "not the case that X", "untrue to say that X"), or -1."""
        j = e
        if (
            j + 1 < self.n
            and self.lowers[j] == self.w.to
            and self.lowers[j + 1] in self.w.say_verbs
        ):
            j += 2
        return j + 1 if j < self.n and self.lowers[j] == self.w.that else -1

    def neg_forward(self, s: int, e: int) -> int:
        """End of a forward negation: the clause, at most ``neg_window`` tokens; an
        "any"/"ever" carries it on ("never had any worries about X"), and after a
        negated noun phrase so does "and"/"or" before more of the list ("no evidence
        of shouting and belittling", not "no bruising and she has a black eye")."""
        w = self.neg_window
        end = min(self.clause_end(e, self.breaks), e + w)
        nominal = self.lowers[s] in self.w.nominal or self.lowers[e - 1] in self.w.raise_verbs
        k = e
        while k < end:
            if self.lowers[k] in self.w.npi:
                nominal = True
                end = max(end, min(self.clause_end(k, self.breaks), k + 1 + w))
            k += 1
            if (
                k == end
                and nominal
                and end + 1 < self.n
                and self.lowers[end] in self.w.and_or
                and not self.opens_clause(end + 1)
            ):
                end = min(self.clause_end(end + 1, self.breaks), end + 1 + w)
                k += 1
        return end

    def complement_end(self, e: int, window: int = 2) -> int:
        """End of a hedge over a reported clause ("wonder if X, aged 8, told me ..."):
        the next "but"-like break, or a comma/"and" opening a clause with a subject of
        its own (a parenthesis does not: "wonder if Lily (9) has ..."); at most
        ``window`` times ``hedge_window`` tokens."""
        limit = min(self.strong_end(e), e + window * self.hedge_window)
        for j in range(e, limit):
            if self.is_dash(j):
                limit = j
                break
        k = bisect_left(self.breaks, e)
        while k < len(self.breaks) and self.breaks[k] < limit:
            b = self.breaks[k]
            if self.lowers[b] in self.w.parens or self.lowers[b] in self.w.strong:
                # a parenthesis, or a "but" that ``strong_end`` ran past ("... but
                # refused it"), opens no clause of its own
                k += 1
                continue
            if (
                window >= 4
                and self.lowers[b] in self.w.and_or
                and self.lowers[b - 1] != self.w.comma
            ):
                # an opening "Unclear if A and B ..." queries both
                k += 1
                continue
            if self.lowers[b] not in self.w.soft or self.opens_clause(
                b + 1, aux=self.lowers[b] != self.w.comma
            ):
                return b
            k += 1
        return limit

    def preface_end(self, j: int) -> int:
        """End of what a preface hedge covers: its sentence, up to the next "but"-like
        break or dash ("I might be wrong, but I think X and Y - school say Z")."""
        end = self.strong_end(j)
        for k in range(j, end):
            if self.is_dash(k):
                return k
        return end

    def hedge_forward(self, s: int, e: int) -> None:
        cs = self.clause_start(s)
        opening = cs == self.sent_bounds(s)[0] and all(
            self.lowers[k] in self.w.preface_words for k in range(cs, s) if not self.is_punct[k]
        )
        if (
            self.lowers[e - 1] in self.w.complement
            or self.lowers[e - 1] == self.w.though
            or (e < self.n and self.lowers[e] in self.w.complement)
        ):
            # a clause-taking hedge opening its sentence ("Unclear if ...", "We wonder
            # whether ...") covers a longer reported clause
            end = self.complement_end(e, 4 if opening else 2)
        else:
            end = min(self.clause_end(e, self.breaks), e + self.hedge_window)
        self.mark(self.hedge, e, end, s)
        # A short hedge clause opening its sentence ("I might be wrong, but ...",
        # "Can't say for sure but ...", "Not confirmed: ...") hedges the rest of the
        # sentence after it, to a "but"-like break of its own.
        ce = self.clause_end(e, self.breaks)
        if (
            ce < self.n
            and opening
            and self.lowers[ce] in self.w.preface_ends
            and self.words(e, ce) <= 2
            and not any(self.lowers[k] in self.w.wh for k in range(e, ce))
        ):
            # ("Not sure why, but she has bruises" is no preface: the bruises are
            # certain, the reason is not)
            j = ce + 1
            while j < self.n and (
                self.lowers[j] in self.w.preface_ends or self.is_punct[j] or self.is_space[j]
            ):
                j += 1
            self.mark(self.hedge, ce + 1, self.preface_end(j), s)

    def mark(self, flags: list[int], a: int, b: int, cue: int) -> None:
        for i in range(max(0, a), min(self.n, b)):
            if flags[i] == NO_CUE:
                flags[i] = cue

    def splice_start(self, cs: int, s: int) -> int:
        """Where a historical cue's clause starts looking back from ``s``: after the
        last comma before it that a new clause follows ("... said it was their secret,
        Mum said that years ago ...": the comma splice ends the disclosure), else
        ``cs``."""
        for k in range(s - 1, cs, -1):
            if self.lowers[k] == self.w.comma and self.opens_clause(k + 1, aux=False):
                return k + 1
        return cs

    def refers_back(self, cs: int, s: int) -> bool:
        """Whether the clause ``[cs, s)`` before a cue only refers back to what came
        before it ("but this was", "that was all", "these incidents were", ", which
        was"): a pronoun subject and copula words, nothing of its own."""
        toks = [k for k in range(cs, s) if not (self.is_punct[k] or self.is_space[k])]
        if cs > 0 and self.lowers[cs - 1] == self.w.which:
            return all(self.lowers[k] in self.w.back_copula for k in toks)
        if (
            not toks
            or self.lowers[toks[0]] not in self.w.pronouns
            and self.lowers[toks[0]] != self.w.the
        ):
            return False
        refer = False
        for k in toks:
            h = self.lowers[k]
            if h in self.w.pronouns or h in self.w.anaphors:
                refer = True
            elif h not in self.w.back_copula:
                return False
        return refer

    def hist_back_from(self, s: int, e: int) -> int:
        """A backward historical cue does not reach back past "now", "today", ..., nor
        past a comma splice ("X, Mum said that years ago, before moving here, Y")."""
        a = self.back_from(s, e)
        k = bisect_left(self.resets, s) - 1
        if k >= 0 and self.resets[k] >= a:
            a = self.resets[k] + 1
        return self.splice_start(a, s)

    # -- one rule per cue kind ------------------------------------------------------------

    def _neg_pre(self, s: int, e: int) -> None:
        if e - s > 1 and self.lowers[s] == self.w.no:
            self.mark(self.neg, s + 1, e, s)  # "no disclosures of": the noun is negated too
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
            self.mark(self.neg, e, min(self.clause_end(e, self.breaks), e + self.neg_window), e - 1)

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
