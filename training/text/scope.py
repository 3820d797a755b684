"""Scope of negation, hedging, historical/resolved and third-hand statements.

Cues are spaCy Matcher patterns in ``patterns/cues.json``. Each cue casts a scope over
nearby tokens of its sentence:

* negation ("no", "denies", "ruled out", "no evidence of") covers the following tokens up
  to the clause end (",", ";", "but", "and", sentence end) or ``neg_window`` tokens;
  post-cues ("... were not seen", "... denied.", "... ruled out.") cover the clause before;
* hedging ("possibly", "may", "query", "worried that") covers the rest of the clause, at
  most ``hedge_window`` tokens; a "?" hedges its whole sentence up to it;
* historical/resolved ("in 2019", "previously", "used to", "no longer", "in the past") covers
  the clause start before it and the rest of the sentence until a "but"-like break or a
  reset word ("now", "today", "again", "currently");
* third-hand ("neighbour thinks", "was told", "reportedly", "apparently") covers the clause
  start before it and the rest of the sentence;
* backward cues that follow what they qualify, often after a comma, "but" or ";":
  ``neg_back`` ("..., but this turned out to be a misunderstanding", "...; officers found
  this to be unfounded", "... was ruled out"), ``hedge_back`` ("..., nothing has been
  confirmed", "... but nothing specific") and ``hist_back`` ("... in her own childhood")
  cover their sentence back to its start; when the sentence follows a ";" or opens by
  referring back ("This was ...", "On checking, it was ..."), the previous sentence too.

* ``*_back_final`` cues act backward like the ``*_back`` kinds only when they end their clause
  or have just a pronoun/anaphor object left ("..., officers found nothing", "police have no
  record of this", "possible X, unclear", "we just don't know yet", "..., nothing since");
  otherwise ``neg_back_final`` / ``hedge_back_final`` act forward ("nothing to suggest X",
  "unclear if X") and ``hist_back_final`` not at all;
* ``not_cue`` spans are cue look-alikes that cancel the cues they overlap ("being used to").
* ``neg_post_clause`` ("... is not a feature", "... has never been a concern") negates its
  whole clause before it; ``neg_answer`` ("said no", "flatly denied it", "shook her head")
  negates back to an ``ask_frame`` ("asked (directly) about", "questioned whether") earlier
  in its sentence when it ends its clause, and otherwise acts forward from its negator;
  ``hist_reset_adj`` words ("new", "ongoing", "recent") end forward historical scopes only.

A historical cue ending a clause that only refers back ("..., but this was in 2015", "- that
was a while ago", ", which was in 2013") dates the clause before it as a backward cue would;
a status cue ("this was resolved by the teacher") does so only clause-finally. Backward
scopes of a sentence linked to the one before (";", "This was ...") reach three times
``back_window``; a "but"-clause whose subject refers back just before the cue ("but the
referrer has since confirmed it was a mix-up", "; the family have since moved on") does not
stop them. Forward report, date and preface scopes run to the first "but"-like break opening
a clause of its own: not one inside a quotation, a temporal "while", or a "but" before a
predicate without a subject ("... were offered help but refused it"). A preface hedge covers
the rest of its sentence to such a break or a dash (not a hyphen: "step-dad"), unless it asks
"why"/"how" ("Not sure why, but she has bruises"); a clause-taking hedge opening its sentence
("Unclear if ...") covers up to four times ``hedge_window``, across parentheses ("(15)").

Backward scopes reach three times ``back_window`` when a pronoun near the cue refers back
("... - this was checked and is not the case"), and do not cross a "but"-like break whose
clause has a subject and content of its own ("X, but the claim about Y was unfounded"
retracts Y only); backward historical scopes stop at a reset word. Forward negation runs on
after "any"/"ever" ("never had any worries about X") and, after a negated noun phrase, past
"and"/"or" unless a new clause starts there ("no evidence of shouting and belittling", but
"no bruising and she has a black eye"). A hedge ending in "that"/"if"/"whether"/"about" covers
the reported clause across commas up to a break opening a new clause ("wonder if Lily, who
is 9, has ..."); a short preface hedge opening a sentence ("I might be wrong, but", "Can't
say for sure but", "Not confirmed:") hedges the clause after it; a leading "?" ("?NAI")
hedges what follows. "X denied." and "X denied by both parents" negate the clause before.

A negating "no" that opens a longer cue ("no disclosures of", "no evidence of") also
negates the cue's own later words, so "No disclosures of X were made" is not a disclosure.

A negation ending in (or followed by) "that"/"whether"/"of"/"about" covers its reported
clause or list like a clause-taking hedge ("no evidence that X has been hitting them or
locking them in", "no concerns about X, Y or Z"), though not a relative clause after a
noun phrase ("no concerns about the baby, who ..."); a backward negation followed by
"that" ("it is not true that X", "not the case that X", "untrue to say that X") negates
X forward instead. A sentence opening with a claim noun taking a clause ("Concerns that
X were raised and looked into, nothing found", "The allegation that X was unfounded") is
negated whole by a backward negation in it, and a backward negation is scoped by its last
word, so a match running into it ("... bail conditions, but this turned") does not hold
it. "According to" names a source and does not limit backward scopes; "yet" after a
negator ("not yet rolling") or before "to" is no break; an opening "Unclear if A and B"
hedges both unless a comma comes before the "and". ``not_cue`` also keeps house numbers
("at no 4", "No. 12") and "nobody noticed/realised X" (X is there) from negating, and the
historical "has since" does not date a report of what was since said ("has since
confirmed").

For each token the component records the index of the cue that scopes it (or -1), so a
match that contains its own cue ("no food in the house", "did not attend") is not flagged
by it. Results live in ``doc._.cs_scope``; token getters ``cs_neg``, ``cs_hedge``,
``cs_hist``, ``cs_third`` and ``cs_sent`` read them.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from training.text.normalise import norm_word
from training.text.rules import DocArrays, TokenRules, cached_arrays

__all__ = [
    "NO_CUE",
    "SENT_KEY",
    "ScopeFlags",
    "ScopeMarker",
    "Sentencizer",
    "cs_scope",
    "cs_sentences",
    "register_extensions",
]

#: the value of a cue index where no cue applies
NO_CUE = -1
#: ``doc.user_data`` key of the per-token sentence index left by ``cs_sentences``
SENT_KEY = "cs_sent"

_STRONG_BREAKS = frozenset(
    {";", "but", "however", "although", "though", "yet", "whereas", "except", "whilst", "while"}
)
_CUE_KINDS = (
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
#: words that make a sentence refer back to the one before ("This was unfounded.")
_ANAPHORS = frozenset(
    {
        "this",
        "that",
        "it",
        "these",
        "those",
        "which",
        "allegation",
        "allegations",
        "claim",
        "claims",
        "report",
        "reports",
        "rumour",
        "rumours",
        "concern",
        "concerns",
        "referral",
        "information",
        "story",
    }
)
#: how many tokens into its sentence an anaphor may come and still link it to the one before
_ANAPHOR_REACH = 6
#: pronouns that make a clause refer back to what came before ("..., but this was untrue")
_PRONOUNS = frozenset({"this", "that", "it", "these", "those", "them", "which", "all"})
#: words opening a clause with its own subject: a coordinated "and ..." starting with one is
#: a new clause, not more of a negated list ("no bruising and she has a black eye")
_OPENERS = frozenset(
    {
        "i",
        "we",
        "he",
        "she",
        "they",
        "it",
        "there",
        "the",
        "this",
        "that",
        "his",
        "her",
        "their",
        "my",
        "our",
        "a",
        "an",
        "mum",
        "dad",
        "mother",
        "father",
        "police",
        "officers",
        "staff",
        "school",
        "nursery",
        "parents",
        "both",
        "child",
        "baby",
        "then",
        "now",
        "also",
        "was",
        "is",
        "were",
        "has",
        "had",
        "have",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "advised",
        "agreed",
    }
)
#: words between a backward-final cue and the pronoun or anaphor it takes ("no record of
#: this", "withdrew the allegation", "found no evidence of it")
_OBJECTS = frozenset(
    {
        "of",
        "about",
        "for",
        "regarding",
        "re",
        "to",
        "the",
        "her",
        "his",
        "their",
        "any",
        "all",
        "evidence",
        "record",
        "records",
        "trace",
        "sign",
        "signs",
        "indication",
        "statement",
        "account",
        "complaint",
        "disclosure",
        "whatsoever",
    }
)
#: words that open a clause continuing the subject before it ("..., but was later retracted")
_AUX = frozenset(
    {
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "been",
        "later",
        "then",
        "subsequently",
        "since",
        "when",
        "on",
        "after",
        "which",
    }
)
#: the only words that may come before the hedge of a preface clause ("I might be wrong,
#: but ...", "Staff are not sure, but ...", "Can't say for sure but ...")
_PREFACE_WORDS = frozenset(
    {
        "i",
        "we",
        "staff",
        "they",
        "school",
        "it",
        "i'm",
        "'m",
        "am",
        "are",
        "is",
        "was",
        "be",
        "just",
        "really",
        "honestly",
        "you",
        "to",
        "and",
        "but",
        "so",
        "though",
        "still",
    }
)
#: negative-polarity words that carry a negation further ("never had any worries about X")
_NPI = frozenset({"any", "anything", "anyone", "anybody", "whatsoever", "ever"})
#: first words of negation cues that negate noun phrases, so that "X and Y" after them is one
#: negated list ("no evidence of shouting and belittling")
_NOMINAL_NEG = frozenset(
    {"no", "without", "absence", "free", "denies", "deny", "denied", "denying", "negative"}
)
#: words of a clause that only refers back to what came before it ("but this was", "that
#: was all", "which was"): a historical cue ending such a clause ("..., but this was in
#: 2015") dates the clause before it
_BACK_COPULA = frozenset(
    {
        "was",
        "were",
        "is",
        "are",
        "had",
        "has",
        "been",
        "all",
        "of",
        "the",
        "only",
        "happened",
        "occurred",
        "took",
        "place",
        "also",
        "mostly",
        "mainly",
        "incident",
        "incidents",
    }
)
#: last words of negation cues taking a noun-phrase object ("nobody has raised X and Y")
_RAISE_VERBS = frozenset(
    {
        "raised",
        "reported",
        "mentioned",
        "flagged",
        "voiced",
        "suggested",
        "expressed",
        "highlighted",
        "alleged",
        "identified",
        "disclosed",
        "described",
        "shared",
    }
)
#: last words of hedge cues that take a clause ("wonder if", "suspicion that"): the hedge
#: covers the reported clause to its "but"-like break, commas and "and" included
_COMPLEMENT = frozenset({"that", "if", "whether", "about"})
#: last (or next) words of negation cues that take a clause or a list ("no evidence that",
#: "no concerns about", "no sign of"): the negation covers it like a clause-taking hedge
_NEG_COMPLEMENT = frozenset({"that", "whether", "about", "of"})
#: nouns of a claim that a sentence may open with ("Concerns that X were raised and looked
#: into, nothing found", "The allegation that X was unfounded"): a backward negation later in
#: the sentence covers the whole claim
_CLAIM_NOUNS = frozenset(
    {
        "concern",
        "concerns",
        "allegation",
        "allegations",
        "claim",
        "claims",
        "report",
        "reports",
        "suggestion",
        "suggestions",
        "rumour",
        "rumours",
        "worry",
        "worries",
        "suspicion",
        "suspicions",
        "referral",
        "information",
    }
)
#: words that may come before a claim noun opening its sentence ("The initial concern that")
_CLAIM_DETS = frozenset(
    {
        "the",
        "a",
        "an",
        "these",
        "those",
        "this",
        "that",
        "any",
        "some",
        "earlier",
        "initial",
        "original",
        "previous",
        "recent",
        "school's",
        "police",
        "his",
        "her",
        "their",
    }
)
#: words after which "yet" is an adverb, not a "but"-like break ("not yet rolling")
_YET_ADVERB = frozenset({"not", "n't", "nt", "never", "no", "none", "nothing", "as", "has", "have"})


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
    return {kind: raw.get(kind, []) for kind in _CUE_KINDS}


class ScopeMarker:
    """Pipeline component computing :class:`ScopeFlags` for each Doc (needs sentence starts)."""

    def __init__(
        self, nlp: Language, name: str, *, neg_window: int, hedge_window: int, back_window: int = 24
    ) -> None:
        self.name = name
        self.neg_window = neg_window
        self.hedge_window = hedge_window
        self.back_window = back_window
        register_extensions()
        self.rules = TokenRules(nlp.vocab, load_cues(), norm=norm_word)
        self._strong = frozenset(nlp.vocab.strings.add(w) for w in _STRONG_BREAKS)
        self._question = nlp.vocab.strings.add("?")
        self._no = nlp.vocab.strings.add("no")
        self._semicolon = nlp.vocab.strings.add(";")
        self._anaphors = frozenset(nlp.vocab.strings.add(w) for w in _ANAPHORS)
        add = nlp.vocab.strings.add
        self._pronouns = frozenset(add(w) for w in _PRONOUNS)
        self._openers = frozenset(add(w) for w in _OPENERS)
        self._npi = frozenset(add(w) for w in _NPI)
        self._nominal = frozenset(add(w) for w in _NOMINAL_NEG)
        self._complement = frozenset(add(w) for w in _COMPLEMENT)
        self._and_or = frozenset({add("and"), add("&"), add("or")})
        self._by = add("by")
        self._preface_ends = frozenset({add("but"), add(":"), add(","), add("-")})
        self._that = add("that")
        self._comma = add(",")
        self._colon = add(":")
        self._objects = frozenset(add(w) for w in _OBJECTS) | self._pronouns | self._anaphors
        self._negators = frozenset(add(w) for w in ("no", "nothing", "none", "nil", "not", "n't"))
        self._dashes = frozenset({add("-"), add("–"), add("—")})
        self._preface_words = frozenset(add(w) for w in _PREFACE_WORDS)
        self._soft = frozenset({add(","), add("and"), add("&"), add("("), add(")"), add(":")})
        self._aux = frozenset(add(w) for w in _AUX)
        self._content_links = frozenset(add(w) for w in ("of", "that", "about", "re", "regarding"))
        self._introducers = frozenset(add(w) for w in ("that", "if", "whether", "of"))
        self._back_copula = frozenset(add(w) for w in _BACK_COPULA)
        self._it = add("it")
        self._it_clauses = frozenset(add(w) for w in ("that", "though", "if", "like"))
        self._that_preps = frozenset(
            add(w) for w in ("after", "about", "of", "on", "all", "and", "but", "since", "before")
        )
        self._raise_verbs = frozenset(add(w) for w in _RAISE_VERBS)
        self._parens = frozenset({add("("), add(")")})
        self._which = add("which")
        self._the = add("the")
        self._status = frozenset({add("resolved"), add("closed")})
        self._temporal = frozenset({add("while"), add("whilst")})
        self._quotes = frozenset(add(q) for q in ("'", '"', "\u2018", "\u2019", "\u201c", "\u201d"))
        self._reach_objects = frozenset({add("anything"), add("any")})
        self._resolved_subjects = frozenset(
            add(w) for w in ("family", "case", "matter", "situation", "file", "household")
        )
        self._wh = frozenset(add(w) for w in ("why", "how", "what", "when", "where", "who"))
        self._neg_complement = frozenset(add(w) for w in _NEG_COMPLEMENT)
        self._claim_nouns = frozenset(add(w) for w in _CLAIM_NOUNS)
        self._claim_dets = frozenset(add(w) for w in _CLAIM_DETS)
        self._yet = add("yet")
        self._though = add("though")
        self._clause_links = frozenset({add("that"), add("whether")})
        self._relatives = frozenset(add(w) for w in ("who", "whom", "whose", "where", "which"))
        self._yet_adverb = frozenset(add(w) for w in _YET_ADVERB)
        self._to = add("to")
        self._according = add("according")
        self._say_verbs = frozenset(add(w) for w in ("say", "suggest", "claim", "think", "state"))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        neg = [NO_CUE] * n
        hedge = [NO_CUE] * n
        hist = [NO_CUE] * n
        third = [NO_CUE] * n
        if n == 0:
            doc._.cs_scope = ScopeFlags(neg, hedge, hist, third, [], 0)
            return doc
        arrays: DocArrays = cached_arrays(doc)
        sent: list[int] = doc.user_data.get(SENT_KEY) or [0] * n
        sent_starts = [0] + [i for i in range(1, n) if sent[i] != sent[i - 1]]
        sent_ends = sent_starts[1:] + [n]
        cues: list[tuple[str, int, int]] = []
        breaks: list[int] = []  # clause terminators (token index)
        strong: list[int] = []  # "but"-like breaks
        resets: list[int] = []  # end forward and backward historical scopes
        adj_resets: list[int] = []  # end forward historical scopes only ("new", "ongoing")
        asks: list[int] = []  # "asked about", "questioned whether": questions answered later
        voids: list[tuple[int, int]] = []
        strong_hashes = self._strong
        lowers = arrays.cols[1]
        for kind, s, e in self.rules(arrays):
            if kind == "terminators":
                if (
                    lowers[s] == self._yet
                    and s > 0
                    and (
                        lowers[s - 1] in self._yet_adverb
                        or (s + 1 < n and lowers[s + 1] == self._to)
                    )
                ):
                    continue  # "not yet rolling", "has yet to engage": an adverb
                breaks.append(s)
                if lowers[s] in strong_hashes:
                    strong.append(s)
            elif kind == "hist_reset":
                resets.append(s)
            elif kind == "hist_reset_adj":
                adj_resets.append(s)
            elif kind == "ask_frame":
                asks.append(s)
            elif kind == "not_cue":
                voids.append((s, e))
            else:
                cues.append((kind, s, e))
        if voids:
            # "not_cue" spans are look-alikes of cues ("being used to" is not "used to",
            # "other children" is not "a different child"): cues overlapping them go.
            cues = [c for c in cues if not any(c[1] < b and a < c[2] for a, b in voids)]
        breaks.sort()
        strong.sort()
        resets.sort()
        asks.sort()
        forward_resets = sorted(resets + adj_resets) if adj_resets else resets
        # Longest cue wins where cues overlap ("no longer" over "no", "not sure" over "not").
        cues.sort(key=lambda c: (c[1], c[1] - c[2]))
        kept: list[tuple[str, int, int]] = []
        last_end = -1
        for cue in cues:
            if cue[1] >= last_end:
                kept.append(cue)
                last_end = cue[2]
            elif cue[0] != kept[-1][0] and (
                cue[2] > last_end or (cue[1], cue[2]) == (kept[-1][1], kept[-1][2])
            ):
                # A different kind on the same words ("rumoured": hedge and third-hand), or
                # starting inside and running on: keep both. A cue inside a longer one
                # ("ruled out" in "cannot be ruled out") is dropped.
                kept.append(cue)
                last_end = cue[2]

        def sent_bounds(i: int) -> tuple[int, int]:
            k = bisect_right(sent_starts, i) - 1
            return sent_starts[k], sent_ends[k]

        def clause_end(i: int, marks: list[int]) -> int:
            _, end = sent_bounds(i)
            k = bisect_left(marks, i)
            return min(end, marks[k]) if k < len(marks) else end

        def clause_start(i: int) -> int:
            start, _ = sent_bounds(i)
            k = bisect_left(breaks, i) - 1
            return max(start, breaks[k] + 1) if k >= 0 else start

        idx = arrays.idx
        length = arrays.length

        def space_before(i: int) -> bool:
            return i == 0 or idx[i - 1] + length[i - 1] < idx[i]

        def is_dash(k: int) -> bool:
            """A dash between words ("X - but"), not a hyphen inside one ("maggot-infested")."""
            return lowers[k] in self._dashes and space_before(k)

        quoted: list[tuple[int, int]] = []  # (open, close) token pairs of quotation marks
        if any(h in self._quotes for h in lowers):
            opened = -1
            for k in range(n):
                if lowers[k] not in self._quotes:
                    continue
                before = space_before(k)
                after = k + 1 >= n or idx[k] + length[k] < idx[k + 1]
                if opened >= 0 and not before and sent[k] == sent[opened]:
                    quoted.append((opened, k))
                    opened = -1
                elif before and not after:
                    opened = k

        def in_quote(k: int) -> bool:
            return any(a < k < b for a, b in quoted)

        def strong_end(j: int) -> int:
            """End of a forward report, date or preface scope from ``j``: its sentence, to
            the first "but"-like break that opens a clause of its own ("..., but the
            child has bruises"); a break in a quotation ("said 'don't tell but he hits
            me'"), a temporal "while", and "but" before a predicate without a subject
            ("... have been offered help but have not engaged") run on."""
            _, end = sent_bounds(j)
            k = bisect_left(strong, j)
            while k < len(strong) and strong[k] < end:
                b = strong[k]
                if not (
                    lowers[b] in self._temporal
                    or in_quote(b)
                    or (lowers[b] != self._semicolon and not opens_clause(b + 1, aux=False))
                ):
                    return b
                k += 1
            return end

        def back_start(i: int) -> int:
            """Where a backward cue's scope starts: its sentence, and the one before when
            the two are joined by ";" or the cue's sentence opens by referring back."""
            start, _ = sent_bounds(i)
            if start == 0:
                return start
            linked = False
            j = start - 1
            while j > 0 and arrays.is_space[j]:
                j -= 1
            if lowers[j] == self._semicolon:
                linked = True
            else:
                reach = min(i, start + _ANAPHOR_REACH)
                linked = any(
                    lowers[k] in self._anaphors and not introduces(k, start)
                    for k in range(start, reach)
                )
            return sent_bounds(start - 1)[0] if linked else start

        def introduces(k: int, start: int) -> bool:
            """Whether an anaphor word at ``k`` only introduces its own sentence's content:
            "that" after a word ("Kayla mentioned that", "Poppy claimed that"; not "That
            was", "after that"), "it" with a "that", "though", "if" or "like" after it ("It
            was first reported that ...", "At first it looked as though ..."). Such a
            sentence does not refer back to the one before."""
            h = lowers[k]
            p = k - 1
            while p >= start and is_space[p]:
                p -= 1
            if p > start and (is_dash(p) or lowers[p] == self._colon):
                # "Aggression - this was checked and is not the case": the topic before
                # the dash is what the anaphor refers to
                return True
            if h == self._that:
                while p >= start and (is_punct[p] or is_space[p]):
                    p -= 1
                return p >= start and lowers[p] not in self._that_preps
            if h == self._it:
                return any(lowers[q] in self._it_clauses for q in range(k + 1, min(n, k + 6)))
            return False

        is_punct = arrays.is_punct
        is_space = arrays.is_space
        orths = arrays.cols[2]
        complement = self._complement
        pronouns = self._pronouns
        openers = self._openers
        hedge_window = self.hedge_window

        def words(a: int, b: int) -> int:
            """How many tokens of ``[a, b)`` are not punctuation."""
            return sum(1 for k in range(a, b) if not (is_punct[k] or is_space[k]))

        def ends_clause(e: int) -> bool:
            """True when nothing but punctuation is left of the clause at ``e``."""
            return e >= n or words(e, clause_end(e, breaks)) == 0

        def opens_clause(j: int, aux: bool = True) -> bool:
            """True when token ``j`` looks like the subject of a new clause (a pronoun,
            determiner, role word or capitalised name) or, with ``aux``, a new predicate."""
            while j < n and (is_punct[j] or is_space[j]):
                j += 1
            if j >= n:
                return True
            h = lowers[j]
            if h in openers:
                return aux or h not in self._aux
            return orths[j] != h and arrays.doc[j].is_title

        def object_back(e: int) -> bool:
            """True when a cue ends its clause, or has only a pronoun object left
            ("officers found nothing", "police have no record of this")."""
            if ends_clause(e):
                return True
            # skip "of", "the", "evidence", "allegation", ... to the pronoun or anaphor noun
            end = clause_end(e, breaks)
            j = e
            refer = that_only = False
            while j < end and j < e + 4 and (lowers[j] in self._objects or is_punct[j]):
                if lowers[j] in pronouns or lowers[j] in self._anaphors:
                    that_only = lowers[j] == self._that and not refer
                    refer = True
                j += 1
            if not refer:
                return False
            rest = words(j, end)
            return rest == 0 if that_only else rest <= 2

        def links_back(a: int, i: int, e: int) -> bool:
            """Whether the clause ``[a, i)`` before a backward cue at ``i`` continues what
            came before it ("but this was unfounded", "but was later retracted", "but
            ruled out") rather than stating something of its own ("but the claim about
            drinking was unfounded" retracts the drinking only)."""
            toks = [k for k in range(a, i) if not (is_punct[k] or is_space[k])]
            if len(toks) <= 1 or (not ends_clause(e) and object_back(e)):
                return True
            if lowers[toks[0]] in self._aux:
                return True
            if lowers[toks[0]] == self._the and lowers[toks[1]] in self._resolved_subjects:
                # "; the family have since moved on", "but the case was closed"
                return True
            if any(lowers[k] in pronouns for k in toks[-3:]):
                # the cue's own subject refers back: "but police say this never happened",
                # "but the referrer has since confirmed it was a mix-up"
                return True
            for j, k in enumerate(toks[:4]):
                if lowers[k] in pronouns:
                    return True
                if lowers[k] in self._anaphors:
                    nxt = toks[j + 1] if j + 1 < len(toks) else i
                    return lowers[nxt] not in self._content_links
            return False

        # Hedge and report cues that introduce a reported clause ("it was alleged that",
        # "neighbour says"): a backward cue after them reaches back no further than them.
        reports = [
            c[1]
            for c in kept
            if (c[0] == "third" and lowers[c[1]] != self._according)
            or (
                c[0] == "hedge"
                and (
                    lowers[c[2] - 1] in self._introducers
                    or (c[2] < n and lowers[c[2]] in self._introducers)
                )
            )
        ]

        def back_from(i: int, e: int) -> int:
            """Start of a backward cue's scope: ``back_start``, at most ``back_window`` tokens
            back (three times that when a pronoun in the 8 tokens before it or right after
            it refers back: "... - this was checked and is not the case"), no earlier
            than a report or hedge cue in between ("..., and it was alleged that X, but
            this is not true" covers "alleged that X", not what came before it), and not
            across a "but"-like break whose clause has a subject of its own."""
            reach = self.back_window
            own = sent_bounds(i)[0]
            if claim_opening(own, i):
                # "Concerns that X were raised and looked into, nothing found": the claim
                # the sentence opens with, all of it
                return own
            c0 = max(own, i - 8)
            start = back_start(i)
            if (
                start < own
                or any(lowers[k] in pronouns for k in range(c0, min(n, e + 1)))
                or (e < n and lowers[e] in self._reach_objects)
            ):
                reach *= 3
            a = max(start, i - reach)
            k = bisect_left(reports, i) - 1
            if k >= 0 and reports[k] >= a:
                a = reports[k]
            k = bisect_left(strong, i) - 1
            if k >= 0 and strong[k] >= a and not links_back(strong[k] + 1, i, e):
                a = strong[k] + 1
            return a

        def claim_opening(own: int, i: int) -> bool:
            """Whether the sentence starting at ``own`` opens with a claim noun taking a
            clause ("Concerns that", "The allegation that", "Reports of") well before ``i``."""
            j = own
            while j < i and (is_punct[j] or is_space[j]):
                j += 1
            if j < i and lowers[j] in self._claim_dets:
                j += 1
            return (
                j + 2 < i
                and lowers[j] in self._claim_nouns
                and lowers[j + 1] in self._neg_complement
            )

        def neg_reach(s: int, e: int) -> int:
            """End of a forward negation from a cue at ``[s, e)``; a negation taking a clause
            or list ("no evidence that", "no concerns about", "not true that") covers it to
            its "but"-like break, commas and "and" included, like a clause-taking hedge."""
            end = neg_forward(s, e)
            last = (
                lowers[e - 1]
                if lowers[e - 1] in self._neg_complement
                else (lowers[e] if e < n and lowers[e] in self._neg_complement else 0)
            )
            if last:
                far = complement_end(e)
                if last not in self._clause_links:
                    # a noun phrase ("no concerns about the baby, who is feeding well"): a
                    # relative clause describing it is not negated
                    for k in range(e, far - 1):
                        if lowers[k] == self._comma and lowers[k + 1] in self._relatives:
                            far = k
                            break
                end = max(end, far)
            return end

        def takes_that(e: int) -> int:
            """Where the clause of a backward negation cue taking one starts ("it is not true
            that X", "not the case that X", "untrue to say that X"), or -1."""
            j = e
            if j + 1 < n and lowers[j] == self._to and lowers[j + 1] in self._say_verbs:
                j += 2
            return j + 1 if j < n and lowers[j] == self._that else -1

        def neg_forward(s: int, e: int) -> int:
            """End of a forward negation: the clause, at most ``neg_window`` tokens; an
            "any"/"ever" carries it on ("never had any worries about X"), and after a
            negated noun phrase so does "and"/"or" before more of the list ("no evidence
            of shouting and belittling", not "no bruising and she has a black eye")."""
            w = self.neg_window
            end = min(clause_end(e, breaks), e + w)
            nominal = lowers[s] in self._nominal or lowers[e - 1] in self._raise_verbs
            k = e
            while k < end:
                if lowers[k] in self._npi:
                    nominal = True
                    end = max(end, min(clause_end(k, breaks), k + 1 + w))
                k += 1
                if (
                    k == end
                    and nominal
                    and end + 1 < n
                    and lowers[end] in self._and_or
                    and not opens_clause(end + 1)
                ):
                    end = min(clause_end(end + 1, breaks), end + 1 + w)
                    k += 1
            return end

        def complement_end(e: int, window: int = 2) -> int:
            """End of a hedge over a reported clause ("wonder if X, aged 8, told me ..."):
            the next "but"-like break, or a comma/"and" opening a clause with a subject of
            its own (a parenthesis does not: "wonder if Lily (9) has ..."); at most
            ``window`` times ``hedge_window`` tokens."""
            limit = min(strong_end(e), e + window * hedge_window)
            for j in range(e, limit):
                if is_dash(j):
                    limit = j
                    break
            k = bisect_left(breaks, e)
            while k < len(breaks) and breaks[k] < limit:
                b = breaks[k]
                if lowers[b] in self._parens or lowers[b] in strong_hashes:
                    # a parenthesis, or a "but" that ``strong_end`` ran past ("... but
                    # refused it"), opens no clause of its own
                    k += 1
                    continue
                if window >= 4 and lowers[b] in self._and_or and lowers[b - 1] != self._comma:
                    # an opening "Unclear if A and B ..." queries both
                    k += 1
                    continue
                if lowers[b] not in self._soft or opens_clause(b + 1, aux=lowers[b] != self._comma):
                    return b
                k += 1
            return limit

        def preface_end(j: int) -> int:
            """End of what a preface hedge covers: its sentence, up to the next "but"-like
            break or dash ("I might be wrong, but I think X and Y - school say Z")."""
            end = strong_end(j)
            for k in range(j, end):
                if is_dash(k):
                    return k
            return end

        def hedge_forward(s: int, e: int) -> None:
            cs = clause_start(s)
            opening = cs == sent_bounds(s)[0] and all(
                lowers[k] in self._preface_words for k in range(cs, s) if not is_punct[k]
            )
            if (
                lowers[e - 1] in complement
                or lowers[e - 1] == self._though
                or (e < n and lowers[e] in complement)
            ):
                # a clause-taking hedge opening its sentence ("Unclear if ...", "We wonder
                # whether ...") covers a longer reported clause
                end = complement_end(e, 4 if opening else 2)
            else:
                end = min(clause_end(e, breaks), e + hedge_window)
            mark(hedge, e, end, s)
            # A short hedge clause opening its sentence ("I might be wrong, but ...",
            # "Can't say for sure but ...", "Not confirmed: ...") hedges the rest of the
            # sentence after it, to a "but"-like break of its own.
            ce = clause_end(e, breaks)
            if (
                ce < n
                and opening
                and lowers[ce] in self._preface_ends
                and words(e, ce) <= 2
                and not any(lowers[k] in self._wh for k in range(e, ce))
            ):
                # ("Not sure why, but she has bruises" is no preface: the bruises are
                # certain, the reason is not)
                j = ce + 1
                while j < n and (lowers[j] in self._preface_ends or is_punct[j] or is_space[j]):
                    j += 1
                mark(hedge, ce + 1, preface_end(j), s)

        def mark(flags: list[int], a: int, b: int, cue: int) -> None:
            for i in range(max(0, a), min(n, b)):
                if flags[i] == NO_CUE:
                    flags[i] = cue

        def splice_start(cs: int, s: int) -> int:
            """Where a historical cue's clause starts looking back from ``s``: after the
            last comma before it that a new clause follows ("... said it was their secret,
            Mum said that years ago ...": the comma splice ends the disclosure), else
            ``cs``."""
            for k in range(s - 1, cs, -1):
                if lowers[k] == self._comma and opens_clause(k + 1, aux=False):
                    return k + 1
            return cs

        def refers_back(cs: int, s: int) -> bool:
            """Whether the clause ``[cs, s)`` before a cue only refers back to what came
            before it ("but this was", "that was all", "these incidents were", ", which
            was"): a pronoun subject and copula words, nothing of its own."""
            toks = [k for k in range(cs, s) if not (is_punct[k] or is_space[k])]
            if cs > 0 and lowers[cs - 1] == self._which:
                return all(lowers[k] in self._back_copula for k in toks)
            if not toks or lowers[toks[0]] not in pronouns and lowers[toks[0]] != self._the:
                return False
            refer = False
            for k in toks:
                h = lowers[k]
                if h in pronouns or h in self._anaphors:
                    refer = True
                elif h not in self._back_copula:
                    return False
            return refer

        def hist_back_from(s: int, e: int) -> int:
            """A backward historical cue does not reach back past "now", "today", ..., nor
            past a comma splice ("X, Mum said that years ago, before moving here, Y")."""
            a = back_from(s, e)
            k = bisect_left(resets, s) - 1
            if k >= 0 and resets[k] >= a:
                a = resets[k] + 1
            return splice_start(a, s)

        for kind, s, e in kept:
            if kind == "neg_pre":
                if e - s > 1 and lowers[s] == self._no:
                    mark(neg, s + 1, e, s)  # "no disclosures of": the noun is negated too
                mark(neg, e, neg_reach(s, e), s)
            elif kind == "neg_back":
                t = takes_that(e)
                if t >= 0:
                    # "it is not true that X", "it is untrue that X": X, forward
                    mark(neg, e, complement_end(t), s)
                else:
                    # scoped by the cue's last word: a match running into the cue ("...
                    # bail conditions, but this turned") does not contain it
                    mark(neg, back_from(s, e), s, e - 1)
            elif kind == "neg_back_final":
                if object_back(e):
                    mark(neg, back_from(s, e), s, e - 1)
                else:
                    # forward; from the cue's last word when that is the negator, which a
                    # match may contain ("found no organic cause for ...")
                    c = e - 1 if lowers[e - 1] in self._negators else s
                    mark(neg, e, neg_reach(c, e), c)
            elif kind == "hedge_back":
                mark(hedge, back_from(s, e), s, s)
            elif kind == "hedge_back_final":
                if object_back(e):
                    mark(hedge, back_from(s, e), s, s)
                else:
                    hedge_forward(s, e)
            elif kind == "hist_back":
                mark(hist, hist_back_from(s, e), s, s)
            elif kind == "hist_back_final":
                if object_back(e):
                    mark(hist, hist_back_from(s, e), s, s)
            elif kind == "neg_post":
                mark(neg, max(clause_start(s), s - self.neg_window), s, s)
                mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), s)
            elif kind == "neg_post_clause":
                # "bruising in a non-mobile baby is not a feature": the whole clause before
                mark(neg, max(clause_start(s), s - 3 * self.neg_window), s, s)
                mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), s)
            elif kind == "neg_answer":
                # "Asked directly about X, mum said no": the answer negates the question
                # asked earlier in its sentence; otherwise "said no ..." negates forward
                k = bisect_left(asks, s) - 1
                if k >= 0 and asks[k] >= sent_bounds(s)[0] and ends_clause(e):
                    mark(neg, asks[k], s, s)
                elif lowers[e - 1] in self._negators:
                    mark(neg, e, neg_forward(e - 1, e), e - 1)
            elif kind == "neg_post_final":
                # "X denied.", "X denied by both parents": the clause before; else forward
                if ends_clause(e) or lowers[e] == self._by:
                    mark(neg, max(clause_start(s), s - self.neg_window), s, s)
                else:
                    # forward, from the cue's last word ("checked - no bruising"): a match
                    # that starts with that word ("no concerns") contains its own cue
                    mark(neg, e, min(clause_end(e, breaks), e + self.neg_window), e - 1)
            elif kind == "hedge":
                if lowers[s] == self._question:
                    if words(clause_start(s), s) == 0:
                        # "?drugs", "? NAI": a leading query mark hedges what follows
                        mark(hedge, e, min(clause_end(e, breaks), e + hedge_window), s)
                    elif e < n and space_before(s) and not space_before(e) and not is_punct[e]:
                        # "Mum ?psychosis, sole carer": a query mark written onto a word
                        # after the clause's subject queries neither the sentence before it
                        # nor (as the writer's shorthand for a working concern) what follows
                        pass
                    else:
                        mark(hedge, sent_bounds(s)[0], s, s)
                else:
                    mark(hedge, clause_start(s), s, s)
                    hedge_forward(s, e)
            elif kind == "third":
                mark(third, clause_start(s), s, s)
                mark(third, e, strong_end(e), s)
            elif kind == "hist":
                end = strong_end(e)
                k = bisect_left(forward_resets, e)
                if k < len(forward_resets):
                    end = min(end, forward_resets[k])
                cs = clause_start(s)
                mark(hist, splice_start(cs, s), s, s)
                mark(hist, s, end, s)
                if refers_back(cs, s) and not any(lowers[k] in self._status for k in range(s, e)):
                    # "..., but this was in 2015", "- that was back in 2019": the clause
                    # before is dated too (a status, "this was resolved by the teacher",
                    # says how a worry was handled, and reaches back only clause-finally)
                    mark(hist, hist_back_from(s, e), s, s)
        doc._.cs_scope = ScopeFlags(neg, hedge, hist, third, sent, len(sent_starts))
        return doc


#: Words that, written with a capital straight after a word or a number ("... there have
#: been no further concerns Police stopped her on a train"), start a sentence whose full
#: stop the writer left out: without the boundary, the "no further concerns" before it
#: reached into the new sentence. Names, "Mum", "Dad", "School" and the like are left out:
#: writers capitalise them mid-sentence ("told Mum"). Measured at 100k contacts: +0.001 of
#: the oracle AUC; hand-written sets unchanged.
RUN_ON_OPENERS: tuple[str, ...] = (
    "the", "this", "that", "these", "those", "there", "it", "he", "she", "they", "we",
    "his", "her", "their", "our", "no", "nothing", "police", "officers", "when", "while",
    "following", "today", "yesterday", "on", "at", "in", "after", "before", "during", "a",
    "an", "both", "previously", "referrer", "consent", "information",
)


class Sentencizer:
    """Pipeline component: sentence boundaries after ``punct`` tokens and line breaks, and
    before a capitalised ``openers`` word straight after a word or a number.

    Like spaCy's ``sentencizer`` (a sentence starts at the first non-punctuation token
    after a sentence-final token; a "?" written onto the next word, "Mum ?psychosis", is a
    query mark, not a sentence end) but computed on the token hashes and written back in one
    ``Doc.from_array`` call; also leaves each token's sentence index for ``cs_scope``.
    """

    def __init__(
        self, nlp: Language, name: str, *, punct: list[str], openers: list[str] | None = None
    ) -> None:
        self.name = name
        self._final = frozenset(nlp.vocab.strings.add(p) for p in punct)
        self._query = nlp.vocab.strings.add("?")
        words = RUN_ON_OPENERS if openers is None else openers
        self._openers = frozenset(nlp.vocab.strings.add(w.lower()) for w in words)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc.user_data[SENT_KEY] = []
            return doc
        arrays = cached_arrays(doc)
        orth = arrays.cols[1]  # LOWER: the same as ORTH for punctuation
        is_punct = arrays.is_punct
        is_space = arrays.is_space
        final = self._final
        query = self._query
        idx = arrays.idx
        length = arrays.length
        starts = [1] + [-1] * (n - 1)
        sent = [0] * n
        k = 0
        seen = False
        openers = self._openers
        cased = arrays.cols[2]  # ORTH: the token as written
        strings = doc.vocab.strings
        for i in range(n):
            h = orth[i]
            if seen and not is_punct[i] and not is_space[i] and h not in final:
                starts[i] = 1
                k += 1
                seen = False
            elif (
                h in openers
                and i > 1
                and cased[i] != h
                and strings[cased[i]][:1].isupper()
                and idx[i - 1] + length[i - 1] < idx[i]
                and _run_on_end(
                    strings[cased[i - 1]],
                    strings[cased[i - 2]] if idx[i - 2] + length[i - 2] == idx[i - 1] else "",
                )
            ):
                # "... no further concerns Police stopped her": a full stop left out
                starts[i] = 1
                k += 1
            elif (h in final or (is_space[i] and "\n" in doc.vocab.strings[h])) and not (
                # a query mark written onto the next word after a space ("Mum ?psychosis,
                # sole carer") marks that word as queried, and ends no sentence
                h == query
                and 0 < i < n - 1
                and idx[i - 1] + length[i - 1] < idx[i]
                and idx[i] + length[i] == idx[i + 1]
                and not is_punct[i + 1]
            ):
                seen = True
            sent[i] = k
        column: Any = np.asarray(starts, dtype="int64").astype("uint64").reshape(n, 1)
        doc.from_array([SENT_START], column)
        doc.user_data[SENT_KEY] = sent
        return doc


#: Closing quotes and brackets: a full stop left out after one ends the sentence too.
_CLOSERS = frozenset({"'", '"', ")", "\u2019", "\u201d"})


def _run_on_end(before: str, attached: str) -> bool:
    """Whether the token ``before`` a capitalised opener can end a sentence whose full stop
    was left out: a word ("concerns", "School") or a number, or a closing quote or bracket
    written straight onto one (``attached``, "" when there is a space: "... is 'hurting mum'
    In 2024"); not an acronym or an initial ("DSL", "J"), nor other punctuation. (Token
    texts come from the vocabulary: ``Doc.text`` walks every token in Python.)"""
    if before in _CLOSERS:
        before = attached
    last = before[-1:]
    return last.islower() or last.isdigit()


@Language.factory(
    "cs_sentences",
    default_config={"punct": [".", "!", "?", "...", ";", "!!", "??", "?!"], "openers": None},
)
def cs_sentences(
    nlp: Language, name: str, punct: list[str], openers: list[str] | None
) -> Sentencizer:
    """Factory of the sentence-boundary component (line breaks always end a sentence;
    ``openers`` None means :data:`RUN_ON_OPENERS`, [] turns run-on splitting off)."""
    return Sentencizer(nlp, name, punct=punct, openers=openers)


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
