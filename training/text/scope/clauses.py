"""The clause geometry of one Doc that the scope rules share: :class:`Clauses`.

Where a token's sentence and clause start and end, whether a token opens a new clause,
how far back a backward cue reaches and how far forward a negation or a hedge runs
(through "any", a negated list, a reported clause). :class:`~training.text.scope.reading.
ScopeReading` fills in the Doc's columns, breaks and quotations and applies one rule per
cue kind on top of these questions.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from training.text.rules import DocArrays
from training.text.scope.words import ScopeWords

__all__ = ["NO_CUE", "Clauses"]

#: the value of a cue index where no cue applies
NO_CUE = -1
#: how many tokens into its sentence an anaphor may come and still link it to the one before
ANAPHOR_REACH = 6


class Clauses:
    """The questions the cue rules ask of one Doc. :class:`ScopeReading` sets every
    attribute below before any rule runs."""

    n: int
    w: ScopeWords
    arrays: DocArrays
    neg_window: int
    hedge_window: int
    back_window: int
    sent: list[int]
    lowers: list[int]
    orths: list[int]
    is_punct: list[int]
    is_space: list[int]
    idx: list[int]
    length: list[int]
    neg: list[int]
    hedge: list[int]
    hist: list[int]
    third: list[int]
    sent_starts: list[int]
    sent_ends: list[int]
    breaks: list[int]
    strong: list[int]
    resets: list[int]
    forward_resets: list[int]
    asks: list[int]
    quoted: list[tuple[int, int]]
    reports: list[int]

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

    def pronoun_object(self, e: int) -> bool:
        """True when all that is left of the clause after a cue ending at ``e`` is a
        pronoun referring back ("no suspicion of it", "no evidence of this")."""
        end = self.clause_end(e, self.breaks)
        words = [
            self.lowers[k] for k in range(e, end) if not (self.is_punct[k] or self.is_space[k])
        ]
        while len(words) > 1 and words[0] in self.w.objects and words[0] not in self.w.pronouns:
            words.pop(0)  # "of", "about", "regarding"
        return len(words) == 1 and words[0] in self.w.pronouns

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
            elif k == end and nominal and end < self.n and self.lowers[end] == self.w.comma:
                # a list of short items closed by "and"/"or" ("no other bruises, marks,
                # or petechiae"); a comma before anything else ends the negation
                end = self.list_end(end)
                k = max(k, end)
        return end

    def list_end(self, comma: int) -> int:
        """After a negated item and the ``comma`` following it: the end of a list of
        short items (at most three words each, the first not opening a clause) that an
        "and"/"or" closes, or ``comma`` when no such list follows."""
        w, lowers = self.w, self.lowers
        if self.opens_clause(comma + 1, aux=False):
            return comma
        stop = self.sent_bounds(comma)[1]
        closed, words, items = False, 0, 0
        for k in range(comma + 1, stop):
            h = lowers[k]
            if h == w.comma or h in w.and_or:
                if h in w.and_or and words == 0 and lowers[k - 1] == w.comma:
                    closed = True  # ", or petechiae"
                    continue
                if words == 0 or closed or items >= 6:
                    return k if closed and words else comma
                closed, words, items = h in w.and_or, 0, items + 1
                continue
            if self.is_punct[k] or self.is_space[k]:
                return k if closed and words else comma
            words += 1
            if words > 3:
                return comma
        return stop if closed and words else comma

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
