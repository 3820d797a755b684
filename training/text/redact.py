"""Personal-data redaction: find names, addresses, postcodes, phone numbers, emails, NHS
numbers, dates of birth and school names, and replace them with typed placeholders.

The finder is rule-based and data-driven (``patterns/redaction.json``,
``patterns/first_names.txt``, ``patterns/ambiguous_names.txt``): compiled regular
expressions for the structured kinds, and for names a small set of cues (title,
relationship word, "called"/"named", given-name lexicon, "Name (7)", "Name said", surname
after a known given name, repeats of a name already found in the same text). It works on the
raw string, so :func:`redact` needs no spaCy; the ``cs_redactor`` component runs the same
finder on a Doc and makes each PII span one placeholder for the later components.

Invariants: spans are sorted, non-overlapping, inside the text; ``redact`` is idempotent
(placeholders are never detected as PII); no finder output or error ever quotes the text.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from training.text.normalise import norm_word, normalise_text
from training.text.rules import ARRAYS_KEY, TEXT_KEY, doc_arrays, set_ext
from training.text.types import PII_KINDS, PiiSpan

__all__ = [
    "PiiFinder",
    "Redactor",
    "apply_redaction",
    "cs_redactor",
    "find_pii",
    "get_finder",
    "redact",
]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_EMAIL = re.compile(r"(?<![\w.+-])\w[\w.%+'-]*@[\w-]+(?:\.[\w-]+)+")
_EMAIL_TAIL = re.compile(r"[\w.%+'@-]*")
_PHONE = re.compile(
    r"(?<![\w/+])(?:"
    r"(?:\+44|0044)[\s-]?(?:\(0\)[\s-]?)?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|\(0\d{2,4}\)[\s-]?\d{3,4}[\s-]?\d{3,4}"
    r"|0\d{4}[\s-]?\d{3}[\s-]?\d{3}"
    r"|0\d{4}[\s-]?\d{6}"
    r"|0\d{3}[\s-]?\d{3}[\s-]?\d{4}"
    r"|0\d{2}[\s-]?\d{4}[\s-]?\d{4}"
    r"|0\d{9,10}"
    r")(?![\w/])"
)
_NHS = re.compile(r"(?<![\w/+])(?:\d{3}[ -]\d{3}[ -]\d{4}|[1-9]\d{9})(?![\w/])")
_HOUSE_BEFORE = re.compile(r"\b(?:at|from)\s+(?:number|no\.?|house)\s+$", re.IGNORECASE)
_HOUSE_NO = re.compile(r"\d{1,4}[A-Za-z]?\b")
_DIGIT_RUN = re.compile(r"\d+")
_MONTH_BEFORE = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+$"
)
_FLAT_BEFORE = re.compile(r"\b(?:Flat|Apartment|Apt|Unit|Room)\s+$")
_STREET_WORDS = (
    "Road",
    "Street",
    "Avenue",
    "Lane",
    "Close",
    "Drive",
    "Crescent",
    "Gardens",
    "Grove",
    "Terrace",
    "Way",
    "Mews",
)
_SCHOOL_SET = frozenset(
    (
        "School",
        "Academy",
        "College",
        "Nursery",
        "Primary",
        "Infants",
        "Juniors",
        "Preschool",
        "Pre-School",
    )
)
_SCHOOL_KEEP = frozenset(("Our", "St", "Saint", "The"))
_SCHOOL_GAP = re.compile(r"(?:'s)?[ \t]+(?:(?:de|of|la|le|the|and|&|C[ \t]+of)[ \t]+)?|\.[ \t]+")
_SCHOOL_TAIL = re.compile(r"\s+for\s+(?:Boys|Girls)\b")
_POSTCODE = re.compile(
    r"(?<![\w])(?:[A-Za-z]{1,2}\d[A-Za-z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![\w])"
)
_DOB = re.compile(
    rf"(?<![\w/.-]){_DAY}[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)?\d{{2}}(?![\w/])"
    rf"|(?<![\w]){_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}(?!\d)"
    rf"|(?<![\w]){_MONTH}\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}(?!\d)"
)
# A capitalised word: a name candidate (accented Latin letters included).
_CAPWORD = re.compile(
    r"[A-ZÀ-ÖØ-ÞĀ-Ž](?<![A-ZÀ-Þ0-9_'\-\[][A-ZÀ-ÖØ-ÞĀ-Ž])(?:(?<=M)c[A-Z]|(?<=M)ac[A-Z]|(?<=O)'[A-Z])?"
    r"[^\W\d_A-Z]*(?:'[A-ZÀ-Þ][^\W\d_A-Z]*|-[A-Za-zÀ-ž][^\W\d_A-Z]*)*"
)
_TOWN_TAIL = re.compile(
    r",\s*([A-Z][a-z]+)(?:[ -][A-Z][a-z]+(?=\s*(?:[,.;:)\n]|$|[A-Z]{1,2}\d)))?\b"
)
_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*(?:y(?:ea)?rs?|yo|y/o|m(?:on)?ths?)?\s*\)|,?\s+aged?\s+\d)"
)
_VERB_AFTER = re.compile(
    r"(?:'s\b|\s+(?:said|says|told|tells|disclosed|discloses|reported|reports|stated|states|"
    r"was|is|has|had|who|and\s+(?:her|his)\s|attended|attends|lives|lived|aged?|\(\d))"
)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    first_names: frozenset[str]
    ambiguous: frozenset[str]
    never: frozenset[str]
    before_name: re.Pattern[str]
    relation_after: re.Pattern[str]
    address: re.Pattern[str]
    street_only: re.Pattern[str]
    school: re.Pattern[str]
    school_fillers: frozenset[str]
    #: lower-case titles and relationship words that precede a name ("mrs", "mum", "called")
    cue_words: frozenset[str]
    titles: frozenset[str]
    surname_ok: frozenset[str]
    tail_stop: frozenset[str]
    #: stems of ordinary words (pattern files and never-names): not names when capitalised
    known_stems: frozenset[str]


def _read(name: str) -> str:
    return resources.files("training.text").joinpath(f"patterns/{name}").read_text("utf-8")


def _lines(name: str) -> frozenset[str]:
    return frozenset(
        line.strip().lower()
        for line in _read(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def _alt(words: Sequence[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True)
    )


@cache
def _lexicon() -> _Lexicon:
    raw: dict[str, Any] = json.loads(_read("redaction.json"))
    rel = _alt(raw["relationship_words"])
    titles = _alt(raw["titles"])
    before = re.compile(
        rf"(?:\b(?:{titles})\.?\s+|\b(?:{rel})(?:\s*[,:(]\s*|\s+(?:is\s+|was\s+|=\s*)?))$",
        re.IGNORECASE,
    )
    relation_after = re.compile(
        rf"\s*[(,]\s*(?:her\s+|his\s+|their\s+|the\s+)?(?:{rel})\b", re.IGNORECASE
    )
    suffixes = _alt(raw["street_suffixes"])
    word = r"[A-Z][A-Za-z'\-]+(?:\s+(?:de|of|la|le|von|van|the))?"
    address = re.compile(
        rf"(?:(?:Flat|Apartment|Apt|Unit|Room)\s+\d+[A-Za-z]?,?\s+)?"
        rf"(?:\d{{1,4}}[A-Za-z]?,?\s+)"
        rf"(?:{word}\s+){{0,3}}(?:{suffixes})\b"
        rf"|(?:Flat|Apartment|Apt|Unit)\s+\d+[A-Za-z]?,?\s+(?:{word}\s+){{1,3}}(?:{suffixes})\b"
    )
    street_only = re.compile(
        rf"\b(?:on|at|of|off|from|near|in|to)\s+((?:{word}\s+){{1,2}}"
        r"(?:Road|Street|Avenue|Lane|Close|Drive|Crescent|Gardens|Grove|Terrace|Way|Mews))\b"
    )
    qual = _alt(raw["school_qualifiers"])
    school = re.compile(
        rf"(?:(?:St\.?|Saint)\s+)?(?:{word}\s+){{1,3}}(?:(?:{qual})\s+){{0,3}}"
        rf"(?:{_alt(raw['school_suffixes'])})\b(?:\s+for\s+(?:Boys|Girls))?"
    )
    fillers = frozenset(w.lower() for w in raw["school_qualifiers"] + raw["school_suffixes"])
    return _Lexicon(
        first_names=_lines("first_names.txt"),
        ambiguous=_lines("ambiguous_names.txt"),
        never=frozenset(raw["never_names"]),
        before_name=before,
        relation_after=relation_after,
        address=address,
        street_only=street_only,
        school=school,
        school_fillers=fillers,
        cue_words=frozenset(w.lower() for w in raw["titles"] + raw["relationship_words"]),
        titles=frozenset(w.lower() for w in raw["titles"]),
        surname_ok=frozenset(raw["surname_ok"]),
        tail_stop=frozenset(raw["address_tail_stop"]),
        known_stems=_known_stems(raw["never_names"]),
    )


def _known_stems(never: Sequence[str]) -> frozenset[str]:
    """Stems of every word the pattern files use: ordinary vocabulary, not names."""
    words: set[str] = {w.lower() for w in never}
    for name in ("indicators.jsonl", "cues.json", "norms.json"):
        words.update(re.findall(r"[a-z]+", _read(name).lower()))
    words.update(STOP_WORDS)
    first = _lines("first_names.txt")
    return frozenset(norm_word(w) for w in words if len(w) > 2 and w not in first)


def _sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t\"'(":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;-*•"


class PiiFinder:
    """Finds PII spans in a string; build it through :func:`get_finder` (cached)."""

    def __init__(self, *, kinds: Sequence[str] = PII_KINDS) -> None:
        unknown = set(kinds) - set(PII_KINDS)
        if unknown:
            raise ValueError(f"unknown PII kinds: {sorted(unknown)}")
        self.kinds = frozenset(kinds)
        self._lex = _lexicon()

    def find(self, text: str) -> tuple[PiiSpan, ...]:
        """PII spans of ``text`` (already normalised or raw: offsets are the same).

        Pieces of personal data glued to another ("O'Neil-Smith07700 900123") can hide
        each other: the word boundary one needs is only there once the other is replaced
        by its placeholder. So when a span touches a letter, digit, "+" or "(" outside it,
        the text is searched again with the spans replaced, and what turns up is mapped
        back and merged, until nothing new does (at most three passes): redaction is then
        idempotent, and no later component sees the hidden piece.
        """
        spans = self._find_once(text)
        for _ in range(2):
            if not any(_glued(text, sp) for sp in spans):
                break
            more = _found_beside_placeholders(text, spans, self._find_once)
            if not more:
                break
            spans = _merge(spans, more)
        return spans

    def _find_once(self, text: str) -> tuple[PiiSpan, ...]:
        """One pass of the search (see :meth:`find`).

        Speed: structured kinds are tried only where they can start (at an ``@``, at a run
        of digits) and schools and names work on one list of capitalised words, so a
        contact costs tens of microseconds rather than one full regex scan per kind.
        """
        taken: list[tuple[int, int]] = []
        out: list[PiiSpan] = []

        def add(start: int, end: int, kind: str) -> bool:
            while end > start and text[end - 1] in " ,.;:":
                end -= 1
            if end <= start:
                return False
            for s, e in taken:
                if s < end and start < e:
                    return False
            taken.append((start, end))
            out.append(PiiSpan(start, end, kind))
            return True

        k = self.kinds
        n = len(text)
        if "email" in k:
            at = text.find("@")
            while at >= 0:
                word_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
                m = _EMAIL.search(text, word_start, min(n, at + 160))
                if m is not None and m.start() <= at < m.end():
                    # Addresses run together ("a@b.coa@b.co") are one span: redacting the
                    # first alone would leave the rest behind, and a second pass would differ.
                    tail = _EMAIL_TAIL.match(text, m.end())  # always matches (maybe empty)
                    end = tail.end() if tail is not None else m.end()
                    while end > m.end() and text[end - 1] in ".-'":
                        end -= 1
                    add(m.start(), end, "email")
                    at = text.find("@", end)
                    continue
                at = text.find("@", at + 1)
        covered = -1
        for run in _DIGIT_RUN.finditer(text):
            s = run.start()
            if s < covered:
                continue
            found = self._numeric_at(text, s, run.end())
            if found is not None and add(*found):
                covered = found[1]
        lex = self._lex
        if "address" in k and any(w in text for w in _STREET_WORDS):
            for m in lex.street_only.finditer(text):
                add(m.start(1), m.end(1), "address")
        caps = [(m.start(), m.end(), m.group()) for m in _CAPWORD.finditer(text)]
        if "school" in k:
            self._schools(text, caps, add)
        if "name" in k:
            self._names(text, caps, add)
        out.sort(key=lambda p: p.start)
        return tuple(out)

    def _numeric_at(self, text: str, s: int, e: int) -> tuple[int, int, str] | None:
        """The structured PII starting at (or just before) the digit run ``text[s:e]``."""
        k = self.kinds
        n_digits = e - s
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else " "
        if "phone" in k and (text[s] == "0" or before in "+(") and n_digits >= 2:
            # "+44 ..." and "(01604) ..." start before the digits; a whole number in
            # brackets, "(07123 456789)", starts at them.
            m = _PHONE.match(text, s - 1) if before in "+(" else None
            if m is None and text[s] == "0":
                m = _PHONE.match(text, s)
            if m is not None:
                return m.start(), m.end(), "phone"
        if "nhs_number" in k and n_digits in (3, 10):
            m = _NHS.match(text, s)
            if m is not None:
                return m.start(), m.end(), "nhs_number"
        if "dob" in k and n_digits <= 2:
            m = None
            if before == " " and s >= 4 and text[s - 2] in "hlrytnebv.":  # "March 3rd, 2019"
                month = _MONTH_BEFORE.search(text, max(0, s - 12), s)
                if month is not None:
                    m = _DOB.match(text, month.start())
            if m is None and (after in "/.-" or after in "snrt " or after == ","):
                m = _DOB.match(text, s)
            if m is not None:
                return m.start(), m.end(), "dob"
        if "postcode" in k and before.isalpha() and n_digits <= 2:
            for p in (s - 2, s - 1):
                if p >= 0 and text[p].isalpha():
                    m = _POSTCODE.match(text, p)
                    if m is not None:
                        code = m.group()
                        if (
                            code[-2:].lower() in ("st", "nd", "rd", "th")
                            and not code[-2:].isupper()
                        ):
                            break  # "Y10 1st" is an ordinal, not a postcode
                        return m.start(), m.end(), "postcode"
        if "address" in k and n_digits <= 4:
            start = s
            if before == " " and s >= 3 and text[s - 2].isalpha():
                prefix = _FLAT_BEFORE.search(text, max(0, s - 12), s)
                if prefix is not None:
                    start = prefix.start()
            if start != s or (after in " ," or after.isalpha()):
                m = self._lex.address.match(text, start)
                if m is not None:
                    end = m.end()
                    tail = _TOWN_TAIL.match(text, end)
                    if (
                        tail is not None
                        and tail.group(1).lower() not in self._lex.tail_stop
                        and tail.group(1).lower() not in self._lex.first_names
                    ):
                        end = tail.end()
                    return m.start(), end, "address"
            if before == " " and _HOUSE_BEFORE.search(text, max(0, s - 24), s) is not None:
                m = _HOUSE_NO.match(text, s)
                if m is not None:
                    return m.start(), m.end(), "address"
        return None

    def _schools(self, text: str, caps: list[tuple[int, int, str]], add: Any) -> None:
        """School names: capitalised words ending in School/Academy/Primary/Nursery..."""
        lex = self._lex
        fillers = lex.school_fillers
        n = len(caps)
        for i in range(n):
            if caps[i][2] not in _SCHOOL_SET:
                continue
            if (
                i + 1 < n
                and caps[i + 1][2].lower() in fillers
                and _SCHOOL_GAP.fullmatch(text, caps[i][1], caps[i + 1][0])
            ):
                continue  # not the last word of the name ("Primary" in "Primary School")
            j = i
            while (
                j > 0
                and i - j < 6
                and _SCHOOL_GAP.fullmatch(text, caps[j - 1][1], caps[j][0])
                and (text[caps[j - 1][1]] != "." or caps[j - 1][2] == "St")  # "St. Mary's"
            ):
                j -= 1
            # Drop leading ordinary words: "Attends Oakfield Primary" -> "Oakfield Primary".
            while j < i:
                word = caps[j][2]
                if word in _SCHOOL_KEEP or word.lower() in fillers:
                    break
                content = sum(1 for c in caps[j : i + 1] if c[2].lower() not in fillers)
                if word in lex.never or (
                    content > 1
                    and norm_word(word) in lex.known_stems
                    and word.lower() not in lex.first_names
                    and _sentence_start(text, caps[j][0])
                ):
                    j += 1
                else:
                    break
            if any(c[2].lower() not in fillers for c in caps[j : i + 1]):
                end = caps[i][1]
                tail = _SCHOOL_TAIL.match(text, end)
                add(caps[j][0], tail.end() if tail is not None else end, "school")

    def _cue_before(self, text: str, start: int) -> bool:
        """A title, relationship word or "called"/"named" right before ``start``."""
        pre = text[max(0, start - 32) : start].rstrip()
        if pre[-1:] in ("(", ",", ":", "=", "-"):
            pre = pre[:-1].rstrip()
        words = pre.lower().rsplit(None, 3)
        if not words:
            return False
        last = words[-1]
        if last[-1] in ".!?;":
            # "Dr. Patel" yes; "... given by Mum. Cannot" no: a sentence ended there.
            return last[-1] == "." and last[:-1] in self._lex.titles
        cues = self._lex.cue_words
        if last in cues:
            return True
        if len(words) >= 2:
            if f"{words[-2]} {last}" in cues:
                return True
            if last in ("is", "was") and words[-2].rstrip(",") in cues:
                return True
        return False

    def _names(self, text: str, caps: list[tuple[int, int, str]], add: Any) -> None:
        lex = self._lex
        never = lex.never
        surname_ok = lex.surname_ok
        words: list[tuple[int, int, str]] = []
        weak: list[bool] = []  # a surname-like ordinary word ("Ward", "Green"): needs a cue
        for c in caps:
            word = c[2]
            if len(word) < 2 or word.isupper():
                continue
            if word in never:
                if word not in surname_ok:
                    continue
                weak.append(True)
            else:
                weak.append(False)
            words.append(c)
        is_name = [False] * len(words)
        first_names = lex.first_names
        ambiguous = lex.ambiguous
        for i, (start, end, word) in enumerate(words):
            low = word.lower()
            if not weak[i] and low in first_names and low not in ambiguous:
                is_name[i] = True
            elif self._cue_before(text, start):
                is_name[i] = True  # "Mrs Ward", "mum Sarah", "her partner, Tomasz"
            elif weak[i]:
                continue
            elif lex.relation_after.match(text, end) is not None or _AGE_AFTER.match(text, end):
                is_name[i] = True  # "Sarah (mum)", "Kyle (7)", "Kyle, aged 7"
            elif not _sentence_start(text, start):
                # Mid-sentence capitals: a name unless an ordinary word ("called the Police").
                is_name[i] = low in ambiguous or norm_word(word) not in lex.known_stems
            elif text.startswith("'s", end) or (
                i + 1 < len(words)
                and not weak[i + 1]
                and low in ambiguous
                and text[end : words[i + 1][0]] == " "
            ):
                is_name[i] = True  # "Megan's number", "Grace Okafor said"
            elif _VERB_AFTER.match(text, end) and norm_word(word) not in lex.known_stems:
                is_name[i] = True  # "Liban said", "Antoni was arrested"
        # A capitalised word right after a name is its surname ("Tomasz Nowak", "Paige Ward").
        for i in range(1, len(words)):
            if (
                is_name[i - 1]
                and not is_name[i]
                and text[words[i - 1][1] : words[i][0]] in (" ", "-")
            ):
                is_name[i] = True
        known = {w for (_, _, w), nm, wk in zip(words, is_name, weak, strict=True) if nm and not wk}
        i = 0
        while i < len(words):
            if not (is_name[i] or words[i][2] in known):
                i += 1
                continue
            j = i
            while (
                j + 1 < len(words)
                and (is_name[j + 1] or words[j + 1][2] in known)
                and text[words[j][1] : words[j + 1][0]] in (" ", "-")
            ):
                j += 1
            add(words[i][0], words[j][1], "name")
            i = j + 1


@cache
def get_finder() -> PiiFinder:
    """The process-wide finder for all PII kinds (lexicons read on first use)."""
    return PiiFinder()


def _glued(text: str, span: PiiSpan) -> bool:
    before = text[span.start - 1] if span.start > 0 else " "
    after = text[span.end] if span.end < len(text) else " "
    return any(c.isalnum() or c in "+(" for c in (before, after))


def _found_beside_placeholders(
    text: str, spans: Sequence[PiiSpan], find_once: Any
) -> list[PiiSpan]:
    """Spans found in the redacted text that are not placeholders, in ``text``'s offsets
    (a position inside a placeholder maps to the edge of the span it replaced)."""
    redacted = apply_redaction(text, spans)
    # Segments: (redacted start, redacted end, original start, original end, is placeholder)
    segments: list[tuple[int, int, int, int, bool]] = []
    r = o = 0
    for sp in spans:
        if sp.start > o:
            segments.append((r, r + sp.start - o, o, sp.start, False))
            r += sp.start - o
        ph = len(sp.placeholder)
        segments.append((r, r + ph, sp.start, sp.end, True))
        r, o = r + ph, sp.end
    segments.append((r, r + len(text) - o, o, len(text), False))

    def to_original(pos: int, *, end: bool) -> int:
        for rs, re_, os_, oe, placeholder in segments:
            if rs <= pos < re_ or (end and pos == re_):
                if placeholder:
                    return oe if end else os_
                return os_ + (pos - rs)
        return len(text)

    out: list[PiiSpan] = []
    for sp in find_once(redacted):
        if redacted[sp.start : sp.end] == f"[{sp.kind.upper()}]":
            continue
        start, stop = to_original(sp.start, end=False), to_original(sp.end, end=True)
        if stop > start:
            out.append(PiiSpan(start, stop, sp.kind))
    return out


def _merge(spans: Sequence[PiiSpan], more: Sequence[PiiSpan]) -> tuple[PiiSpan, ...]:
    """Sorted, non-overlapping union; overlapping spans become one, of the newer kind."""
    merged: list[PiiSpan] = []
    for sp in sorted([*spans, *more], key=lambda p: (p.start, -p.end)):
        if merged and sp.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = PiiSpan(last.start, max(last.end, sp.end), sp.kind if sp.end > last.end else last.kind)
        else:
            merged.append(sp)
    return tuple(merged)


def find_pii(text: str) -> tuple[PiiSpan, ...]:
    """PII spans in ``text``: sorted, non-overlapping, offsets into ``text``."""
    return get_finder().find(normalise_text(text))


def apply_redaction(text: str, spans: Sequence[PiiSpan]) -> str:
    """``text`` with each span replaced by its placeholder (spans sorted, non-overlapping)."""
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos : span.start])
        parts.append(span.placeholder)
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def redact(text: str) -> tuple[str, tuple[PiiSpan, ...]]:
    """Redact ``text``: the text with placeholders, and the PII spans found in the original.

    Idempotent: ``redact(redact(t)[0])[0] == redact(t)[0]``.
    """
    spans = find_pii(text)
    return apply_redaction(text, spans), spans


class Redactor:
    """Pipeline component: finds PII in the Doc, stores it, and gives its tokens placeholder norms.

    Sets ``doc._.cs_pii`` (the spans) and ``doc._.cs_pii_tokens`` (per span, the token
    range ``(first, end)`` it covers). Every token of a span gets the NORM ``"[kind]"``, so
    no later component or feature can see the personal data.
    """

    def __init__(self, nlp: Language, name: str, *, kinds: Sequence[str]) -> None:
        self.name = name
        self.finder = PiiFinder(kinds=kinds)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(TEXT_KEY)
        # doc.text joins every token in Python; the tokenizer left us the string instead.
        spans = self.finder.find(text if isinstance(text, str) else doc.text)
        arrays = doc_arrays(doc)
        starts = arrays.idx
        norms = arrays.cols[0]
        strings = doc.vocab.strings
        ranges: list[tuple[int, int]] = []
        for span in spans:
            # Tokens overlapping the span: from the one containing its start to the last
            # one starting before its end.
            a = max(0, bisect_right(starts, span.start) - 1)
            if a < len(starts) and starts[a] + arrays.length[a] <= span.start:
                a += 1
            b = bisect_left(starts, span.end)
            norm = f"[{span.kind}]"
            h = strings.add(norm)
            for i in range(a, b):
                doc[i].norm_ = norm
                norms[i] = h
            ranges.append((a, max(a, b)))
        set_ext(doc, "cs_pii", spans)
        set_ext(doc, "cs_pii_tokens", tuple(ranges))
        doc.user_data[ARRAYS_KEY] = arrays  # shared with later components, dropped at the end
        return doc


@Language.factory("cs_redactor", default_config={"kinds": list(PII_KINDS)})
def cs_redactor(nlp: Language, name: str, kinds: list[str]) -> Redactor:
    """Factory of the redaction component; ``kinds`` selects which PII kinds to find."""
    return Redactor(nlp, name, kinds=kinds)
