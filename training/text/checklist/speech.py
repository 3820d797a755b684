"""Reported speech in a draft: who said what.

A speech event is a speech verb ("said", "told", "disclosed", "signed"...) that is not
negated and not itself inside a quotation, with

* its **speaker**: the nearest person named or referred to before the verb in its sentence
  (words inside quotations skipped, so that '"...", she said' finds "she"), else just after
  it ("said Kacper"); a passive "was told" has the person after "by" or none. A name is the
  child's unless it is an adult's (:mod:`training.text.checklist.words`); a child word
  ("son", "pupil") is a child, an adult word ("mum", "officer") an adult, "I" and "we" the
  referrer; "he" or "she" is the person last named before it whose sex matches, else the
  last of unknown sex, in its sentence or the two before (:meth:`SpeechReader._resolve`);
* its **content**: a quotation opening within five words after the verb or closing just
  before it, else the reported clause after the hearer ("told me that ..."), at most twelve
  words to the end of the sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from training.text.checklist.words import PRONOUN_SEX, WORD_SEX, DraftWords, is_group
from training.text.normalise import norm_word

__all__ = ["Speaker", "Speech", "SpeechReader"]

Speaker = Literal["child", "adult", "referrer", "unknown"]

#: Words after the verb that name who was told, skipped before a reported clause.
_HEARERS = frozenset({
    "to", "me", "us", "pron", "him", "her", "them", "that", "a", "the", "my", "our", "his",
    "their",
})  # fmt: skip
#: Object and possessive pronouns: never the speaker of a verb after them ("had a burn on
#: her hand and said" is said by whoever had the burn).
_NOT_SUBJECTS = frozenset({"him", "her", "his", "their", "them", "its", "my", "our"})
_OBJECTS = frozenset({"him", "her"})
#: Words that make the verb passive ("was told"): its subject is who heard it.
_PASSIVE = frozenset({"be", "was", "were", "been", "being", "get", "got"})
#: How far the rules look (in words).
_SPEAKER_REACH = 20
_QUOTE_AFTER = 5
_QUOTE_BEFORE = 3
_CLAUSE_WORDS = 12


@dataclass(frozen=True, slots=True)
class Speech:
    """One speech event: the verb's word index, the speaker, the content as a word range
    ``[first, last)``, whether the content is a quotation, and its character span."""

    verb: int
    speaker: Speaker
    content: tuple[int, int]
    quoted: bool
    span: tuple[int, int]


class SpeechReader:
    """Finds speech events with the word lists of a checklist (``speech_verbs``,
    ``child_words``, ``adult_words``, ``adult_titles``), compared as norms."""

    def __init__(self, words: Mapping[str, Sequence[str]]) -> None:
        self.verbs = frozenset(norm_word(w) for w in words["speech_verbs"])
        self.child = frozenset(norm_word(w) for w in words["child_words"])
        self.adult = frozenset(norm_word(w) for w in words["adult_words"])
        self.titles = frozenset(w.lower() for w in words["adult_titles"])

    def events(self, w: DraftWords) -> Iterator[Speech]:
        """The speech events of a draft, in order."""
        n = len(w)
        for v in range(n):
            if w.norm[v] not in self.verbs or w.quoted[v] or w.negated[v]:
                continue
            content = self._content(w, v)
            if content is None:
                continue
            a, b, quoted = content
            span = (w.start[a], w.end[b - 1]) if quoted else (w.start[v], w.end[b - 1])
            yield Speech(v, self._speaker(w, v), (a, b), quoted, span)

    # -- who --------------------------------------------------------------------------------

    def _kind(self, w: DraftWords, j: int) -> Speaker | None:
        """What the word at ``j`` says about a person, or None when it names none."""
        norm, low = w.norm[j], w.lower[j]
        if norm == "[name]":
            return "adult" if w.adult_name[j] else "child"
        if low in ("i", "we"):
            return "referrer"
        if low in PRONOUN_SEX or norm == "pron":
            return self._resolve(w, j)
        if norm in self.child:
            return "child"
        if norm in self.adult or low in self.titles:
            return "adult"
        return None

    def _speaker(self, w: DraftWords, v: int) -> Speaker:
        sent = w.sent[v]
        if v > 0 and (w.lower[v - 1] in _PASSIVE or w.norm[v - 1] in _PASSIVE):
            for j in range(v + 1, min(len(w), v + 5)):
                if w.norm[j] == "by" and j + 1 < len(w) and w.sent[j + 1] == sent:
                    return self._kind(w, j + 1) or "unknown"
            return "unknown"
        for j in range(v - 1, max(-1, v - 1 - _SPEAKER_REACH), -1):
            if w.sent[j] != sent:
                break
            if w.quoted[j] or w.lower[j] in _NOT_SUBJECTS:
                continue
            kind = self._kind(w, j)
            if kind is not None:
                return kind
        for j in range(v + 1, min(len(w), v + 3)):
            if w.sent[j] != sent or w.quoted[j]:
                break
            kind = self._kind(w, j)
            if kind is not None:
                return kind
        return "unknown"

    def _resolve(self, w: DraftWords, j: int) -> Speaker:
        """Who a pronoun at ``j`` refers to, among the people named before it in its
        sentence and the two before (other pronouns, groups and quotations skipped): the
        nearest whose sex is known to match the pronoun's; else the nearest whose sex is
        unknown, passing over one the pronoun's sex owns ("his key worker ... he said") or
        one that, in the pronoun's sentence, acted on a "him" or "her" of that sex ("took
        him aside he said"). Unknown if none."""
        sex = PRONOUN_SEX.get(w.lower[j])
        floor = w.sent[j] - 2
        acted_on = False
        fallback: Speaker | None = None
        for k in range(j - 1, -1, -1):
            if w.sent[k] < floor:
                break
            low, norm = w.lower[k], w.norm[k]
            if low in _OBJECTS and PRONOUN_SEX.get(low) == sex and w.sent[k] == w.sent[j]:
                acted_on = True
            if w.quoted[k] or low in PRONOUN_SEX or norm == "pron" or is_group(norm, low):
                continue
            if norm == "[name]":
                kind: Speaker = "adult" if w.adult_name[k] else "child"
                other = w.name_sex[k]
            elif norm in self.child:
                kind, other = "child", WORD_SEX.get(low, "")
            elif norm in self.adult or low in self.titles:
                kind, other = "adult", WORD_SEX.get(low, "")
            else:
                continue
            if not sex or other == sex:
                return kind
            if other or fallback is not None:
                continue
            owned = any(PRONOUN_SEX.get(w.lower[m]) == sex for m in range(max(0, k - 2), k))
            if not (acted_on or owned):
                fallback = kind
        return fallback or "unknown"

    # -- what -------------------------------------------------------------------------------

    def _hearer(self, w: DraftWords, j: int) -> bool:
        """Whether the word at ``j`` names who was told ("me", "to her teacher", "officers")."""
        return w.norm[j] in _HEARERS or w.lower[j] in _HEARERS or w.norm[j] in self.adult

    def _content(self, w: DraftWords, v: int) -> tuple[int, int, bool] | None:
        sent = w.sent[v]
        for a, b, _, _ in w.quotes:
            if v < a <= v + _QUOTE_AFTER and w.sent[a] == sent:
                return a, b, True
            if b <= v and v - b < _QUOTE_BEFORE and w.sent[b - 1] == sent:
                return a, b, True
        n = len(w)
        j = v + 1
        while j < n and j <= v + 3 and w.sent[j] == sent and self._hearer(w, j):
            # "said to me", but not "said to write it down": a request, kept in the content
            if w.norm[j] == "to" and not (j + 1 < n and self._hearer(w, j + 1)):
                break
            j += 1
        end = j
        while end < n and end < j + _CLAUSE_WORDS and w.sent[end] == sent:
            end += 1
        if end - j < 2:
            return None
        return j, end, False
