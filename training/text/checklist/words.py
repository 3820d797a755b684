"""A draft's words as the self-check reads them: the text pipeline's tokens (normalised,
PII as placeholders, punctuation left out, scope flags, sentence index), with what the
checklist rules need beside them: each word as written in lower case, whether it lies
inside a quotation, and which names are of adults.

Built from an :class:`~training.text.types.Analysis` and the draft, in memory only: a
:class:`DraftWords` holds the lower-case words of the draft and is never stored or logged.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from training.text.normalise import normalise_text
from training.text.types import Analysis

__all__ = ["PRONOUN_SEX", "WORD_SEX", "DraftWords", "draft_words", "is_group", "quotations"]

#: A number written onto its unit ("7yo", "3yrs", "6wks"): read as the number and the unit.
_NUMBER_UNIT = re.compile(r"^(\d{1,2})(yrs?|yo|years?|mths?|months?|wks?|weeks?|m)$")
#: A number the tokenizer left with its bracket ("(8)." gives "8)"): read as the number.
_BRACKETED = re.compile(r"^\(?(\d{1,3})\)?$")
#: Pronouns and words for a person of one sex, as written in lower case (grammar, not
#: policy, so not in the council's file): what links "he" or "she" to whoever said it.
PRONOUN_SEX: dict[str, str] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip
WORD_SEX: dict[str, str] = {
    **dict.fromkeys([
        "mum", "mummy", "mom", "mother", "mam", "aunt", "aunty", "auntie", "nan", "nana", "gran",
        "grandma", "grandmother", "girlfriend", "wife", "stepmum", "stepmother", "woman",
        "female", "sister", "stepsister", "daughter", "girl", "mrs", "ms", "miss", "lady",
        "niece",
    ], "f"),
    **dict.fromkeys([
        "dad", "daddy", "father", "uncle", "grandad", "grandpa", "grandfather", "boyfriend",
        "husband", "stepdad", "stepfather", "man", "male", "brother", "stepbrother", "son",
        "boy", "mr", "nephew",
    ], "m"),
}  # fmt: skip
#: Subject pronouns that give the sex of a name they follow closely ("Reggie said he");
#: "him", "her" and "his" may be someone else's ("Hannah took him aside", "Hannah checked
#: his arms"), except after "with" ("Reggie lives with his mum").
_SUBJECT_SEX = {"he": "m", "she": "f"}
_WITH_SEX = {"his": "m", "her": "f"}
_KIN = frozenset({"parent", "partner", "sibling", "grandparent", "carer", "family", "offspring"})

#: An opening single quote: at the start or after a space or bracket, before a letter.
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))'(?=[A-Za-z])")
#: A closing single quote: after a letter or punctuation, before a space, punctuation or
#: the end (an apostrophe inside a word, "don't", is neither).
_SINGLE_CLOSE = re.compile(r"(?<=[A-Za-z.!?,])'(?=[\s.,;:!?)\]-]|$)")


@dataclass(frozen=True, slots=True)
class DraftWords:
    """Parallel per-word columns of one draft (see the module docstring).

    ``norm`` is the pipeline's norm ("[name]" for a name); ``lower`` the word as written in
    lower case; ``start``/``end`` character offsets into the draft; ``sent`` the sentence
    index; ``negated``... the scope flags; ``quoted`` whether the word lies inside a
    quotation; ``adult_name`` whether a name is an adult's (False for other words).
    ``name_sex`` is "m" or "f" for a name whose sex the draft shows ("her son Finn",
    "Reggie lives with his mum", "Mrs Patel"), else "". ``quotes`` are the quotations as
    ``(first word, last word + 1, start char, end char)``.
    """

    norm: list[str]
    lower: list[str]
    start: list[int]
    end: list[int]
    sent: list[int]
    negated: list[bool]
    hedged: list[bool]
    historical: list[bool]
    third_party: list[bool]
    quoted: list[bool]
    adult_name: list[bool]
    name_sex: list[str]
    quotes: list[tuple[int, int, int, int]]

    def __len__(self) -> int:
        return len(self.norm)


def quotations(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character spans of quotations in ``text``, quote marks included:
    double quotes paired in order, single quotes where they open before a word and close
    after one (so that apostrophes are not taken for quotes)."""
    plain = normalise_text(text)
    spans: list[tuple[int, int]] = []
    doubles = [i for i, ch in enumerate(plain) if ch == '"']
    spans.extend((a, b + 1) for a, b in zip(doubles[0::2], doubles[1::2], strict=False))
    opens = [m.start() for m in _SINGLE_OPEN.finditer(plain)]
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(plain)]
    k = 0
    last_end = -1
    for a in opens:
        if a < last_end:
            continue
        while k < len(closes) and closes[k] <= a:
            k += 1
        if k == len(closes):
            break
        b = closes[k]
        # A quotation stays within a line and is short: an unpaired apostrophe otherwise.
        if "\n" not in plain[a:b] and b - a <= 400:
            spans.append((a, b + 1))
            last_end = b + 1
            k += 1
    spans.sort()
    return [s for i, s in enumerate(spans) if i == 0 or s[0] >= spans[i - 1][1]]


def draft_words(
    text: str,
    analysis: Analysis,
    *,
    adult_titles: Collection[str],
    adult_norms: Collection[str],
) -> DraftWords:
    """The words of ``text`` (analysed as ``analysis``) with quotations and adults' names.

    A name is an adult's when a title (``adult_titles``: "Mrs", "PC") or an adult word
    (``adult_norms``, as norms: "mum", "partner", "officer") stands just before it, or an
    age of 18 or more just after it ("Ryan Coyle (33)"); every later name sharing its first
    word is taken for the same adult.
    """
    norm: list[str] = []
    lower: list[str] = []
    start: list[int] = []
    end: list[int] = []
    sent: list[int] = []
    flags: list[tuple[bool, bool, bool, bool]] = []
    for t in analysis.tokens:
        written = text[t.start : t.end].lower()
        parts = _NUMBER_UNIT.match(t.norm)
        bracketed = _BRACKETED.match(t.norm)
        if parts:
            pieces = [parts.group(1, 1), parts.group(2, 2)]
        elif bracketed:
            pieces = [bracketed.group(1, 1)]
        elif written in PRONOUN_SEX:
            # the tokenizer's exceptions leave "he" of "he's" unnormalised: one norm for all
            pieces = [("pron", written)]
        else:
            pieces = [(t.norm, written)]
        for n, w in pieces:
            norm.append(n)
            lower.append(w)
            start.append(t.start)
            end.append(t.end)
            sent.append(t.sent)
            flags.append((t.negated, t.hedged, t.historical, t.third_party))
    quotes: list[tuple[int, int, int, int]] = []
    quoted = [False] * len(norm)
    k = 0
    for a, b in quotations(text):
        while k < len(norm) and start[k] < a:
            k += 1
        first = k
        while k < len(norm) and end[k] <= b:
            quoted[k] = True
            k += 1
        if k > first:
            quotes.append((first, k, a, b))
    adult_name = _adult_names(norm, lower, sent, text, start, end, adult_titles, adult_norms)
    name_sex = _name_sexes(norm, lower, sent, text, start, end)
    columns = [list(col) for col in zip(*flags, strict=True)] if flags else [[], [], [], []]
    neg, hedge, hist, third = columns
    return DraftWords(
        norm,
        lower,
        start,
        end,
        sent,
        neg,
        hedge,
        hist,
        third,
        quoted,
        adult_name,
        name_sex,
        quotes,
    )


def _adult_names(
    norm: list[str],
    lower: list[str],
    sent: list[int],
    text: str,
    start: list[int],
    end: list[int],
    titles: Collection[str],
    adults: Collection[str],
) -> list[bool]:
    """Per word, whether it is a name of an adult (see :func:`draft_words`)."""
    n = len(norm)
    adult = [False] * n
    given: set[str] = set()
    for i in range(n):
        if norm[i] != "[name]":
            continue
        before = text[max(0, start[i] - 6) : start[i]].lower().split()
        titled = bool(before) and before[-1].rstrip(".") in titles
        after_adult = (
            i > 0
            and sent[i - 1] == sent[i]
            and (norm[i - 1] in adults or lower[i - 1] in titles)
            and not is_group(norm[i - 1], lower[i - 1])
        )
        aged = (
            i + 1 < n
            and norm[i + 1].isdigit()
            and int(norm[i + 1]) >= 18
            and "(" in text[end[i] : start[i + 1]]
        )
        if titled or after_adult or aged:
            adult[i] = True
            first = _first_word(text[start[i] : end[i]])
            if first:
                given.add(first)
    if given:
        for i in range(n):
            if norm[i] == "[name]" and _first_word(text[start[i] : end[i]]) in given:
                adult[i] = True
    return adult


def _name_sexes(
    norm: list[str], lower: list[str], sent: list[int], text: str, start: list[int], end: list[int]
) -> list[str]:
    """Per word, the sex a name's context shows ("m", "f"), or "" (see :class:`DraftWords`)."""
    n = len(norm)
    sex = [""] * n
    given: dict[str, str] = {}
    for i in range(n):
        if norm[i] != "[name]":
            continue
        before = text[max(0, start[i] - 6) : start[i]].lower().split()
        found = WORD_SEX.get(before[-1].rstrip(".")) if before else None
        if not found and i > 0 and sent[i - 1] == sent[i]:
            found = WORD_SEX.get(lower[i - 1])
        if not found:
            for j in range(i + 1, min(n, i + 10)):
                if sent[j] != sent[i] or norm[j] == "[name]" or lower[j] in WORD_SEX:
                    break
                if lower[j] in PRONOUN_SEX:
                    found = _SUBJECT_SEX.get(lower[j])
                    # "lives with his mum", not "lives with her and ...": a possessive
                    if (
                        not found
                        and lower[j - 1] == "with"
                        and j + 1 < n
                        and (lower[j + 1] in WORD_SEX or norm[j + 1] in _KIN)
                    ):
                        found = _WITH_SEX.get(lower[j])
                    break
        first = _first_word(text[start[i] : end[i]])
        if found:
            sex[i] = found
            given.setdefault(first, found)
    for i in range(n):
        if norm[i] == "[name]" and not sex[i]:
            sex[i] = given.get(_first_word(text[start[i] : end[i]]), "")
    return sex


#: Words for people in the plural or for bodies rather than one person: never the one a
#: "he" or "she" refers to, nor a title before an adult's name.
_GROUPS = frozenset({
    "officers", "police", "staff", "parents", "neighbours", "school", "family", "they", "we",
    "children", "grandparents", "carers", "services", "team", "nursery", "college", "people",
    "adults",
})  # fmt: skip


def is_group(norm: str, lower: str) -> bool:
    """Whether a word names a group or a body, not one person ("officers", "school")."""
    return lower in _GROUPS or (
        lower.endswith("s") and not lower.endswith("ss") and norm != lower and norm != "[name]"
    )


def _first_word(name: str) -> str:
    words = name.lower().split()
    return words[0].strip(".,'") if words else ""
