"""Names in any case: a given-name list and a surname list, plus context.

A word is *strong* when it is a listed name that is no ordinary word ("Jayden", "KHAN",
"shannon"); it is a name by itself. Other capitalised words are names only with context:
a title, relationship word, greeting or form label before ("Mrs Ward", "mum Sarah",
"Name: ..."), an age, role or relationship after ("Kyle (7)", "Sarah (mum)"), a verb after
at a sentence start ("Liban said"), a capitalised word mid-sentence that is no ordinary
word, or a listed name beside it ("Tayla Jones", "Grace Okafor"). Words that are names and
ordinary words ("Will", "Hope", "May") need context; lower-case words are names when
listed and no everyday word, or after a title, relationship word, "called" or a form label
when they are listed names that are also words ("her friend jade") or no English word at all
("her brother lewys"); a listed family name that is also a word follows a given name in lower
case ("deborah price"). Family names from public lists are names only beside a name or after
a cue. Adjacent name words make one span (an initial with or without its full stop, particles
such as "van der" between them); a name found once is a name wherever it recurs in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from training.text.normalise import norm_word
from training.text.redact.lexicon import Lexicon, get_lexicon, sentence_start
from training.text.redact.numbers import Add

__all__ = ["find_names"]

_UPPER = "A-ZÀ-ÖØ-Þ" + "".join(chr(c) for c in range(0x100, 0x180) if chr(c).isupper())
_U = f"[{_UPPER}]"
_L = rf"[^\W\d_{_UPPER}]"
#: a capitalised word: "Sarah", "O'Neil-Smith", "McGrath", "JAYDEN"; never the inside of a
#: CamelCase brand ("TikTok") or of a code glued to it ("SmithSW1A": "Smith" only)
_CAPWORD = re.compile(
    rf"(?<![\w@#/\[.'’-])(?:{_U}{{2,}}(?!{_L})|{_U}{_L}*"
    rf"(?:(?<=Mc){_U}{_L}+|(?<=Mac){_U}{_L}+|(?<=De){_U}{_L}+|(?<=La){_U}{_L}+|(?<=Le){_U}{_L}+)?)"
    rf"(?:['’]{_U}?{_L}+|-{_U}?{_L}+|-{_U}{{2,}}(?!{_L}))*"
)
#: without a look-behind, so that the regex engine can skip to capitals; the character
#: before a match is checked in Python
_CAPWORD_FAST = re.compile(rf"{_U}[^\W\d_]*(?:['’-][^\W\d_]+)*")
_NOT_BEFORE = frozenset("_@#/[.'’-")
_SEP = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~’“”‘"})
_GLUED_CODE = re.compile(r"[A-Z]{1,2}\d|\d")
_MIXED = re.compile(r"^(?:Mc|Mac|O'|O’|De|Di|Da|Le|La|Van|Von|Fitz|Al-|El-)?[^\W\d_][^A-Z]*$")
_MC = re.compile(r"^(?:Mc[A-Z]|Mac[A-Z]|O['’][A-Z])|^mc[b-df-hj-np-tv-z]")
_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*(?:y(?:ea)?rs?|yo|y/o|m(?:on)?ths?|m|weeks?)?\s*[,)]"
    r"|\(\s*(?:Y|Yr|Year|yr|year)\s*\d{1,2}\s*\)|,?\s+aged?\s+\d|,\s+\d{1,2}(?:\s*(?:yrs?|years?))?,)"
)
_VERB_AFTER = re.compile(
    r"(?:['’]s\b|\s+(?:said|says|told|tells|disclosed|discloses|reported|reports|stated|states|"
    r"was|is|has|had|who|attended|attends|lives|lived|aged?|came|comes|went|goes|arrived|"
    r"asked|asks|wants|wanted|ran|refused|seemed|seems|appeared|appears|cried|showed|shared|"
    r"posted|sent|explained|admitted|denied|denies|became|got|gets|left|hit|hits|can|could|"
    r"would|will|did|does|didn't|doesn't|isn't|wasn't|hasn't|won't|mentioned|recognised|"
    r"recognized|enjoys|enjoyed|fell|knows|knew|hid|likes|liked|loves|loved|plays|played|"
    r"screamed|shouted|walked|stayed|stays|sleeps|slept|missed|misses|needs|needed|felt|feels|"
    r"looked|looks|spoke|speaks|returned|uses|used|tried|tries|says|told|went|ran|"
    r"and\s+(?:her|his))\b|\s*\(\d)"
)
_REPORT_AFTER = re.compile(
    r"\s+(?:said|says|told|tells|disclosed|reported|stated|came|went|asked|asks|wants|ran|cried|"
    r"mentioned|recognised|recognized|knows|knew|hid|works|worked|lives|explained|admitted|"
    r"denied|shared|showed|ran|left|arrived|refused|(?:has|had|was|is)\s+(?:been|told|seen|"
    r"hoping|expecting|contacted|asked|said|found|taken|shouting|crying|hiding))\b"
)
_NICKNAME = re.compile(r"\s*\(\s*[\"“'‘]([^\"”'’\n()]{1,24})[\"”'’]\s*\)\s*")
_ABBREVIATED_TITLES = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "rev",
        "revd",
        "fr",
        "sr",
        "sgt",
        "insp",
        "cllr",
        "det",
        "supt",
        "pc",
        "dc",
        "ds",
        "di",
        "dci",
    ]
)
_SIGN_OFF_END = re.compile(r"[\s.!,]*$")
_CONTRACTION = re.compile(r"^[^\W\d_]+['’](?:m|ve|ll|d|re|t)$", re.IGNORECASE)


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    text: str
    low: str
    shape: str  # "title", "upper", "lower", "initial"
    strong: bool = False
    joins: bool = False
    named: bool = False
    ambiguous: bool = False
    #: a lower-case word that is a name only after a cue ("her friend jade", "brother lewys"),
    #: or, when a listed family name, right after a given name ("deborah price")
    cue_only: bool = False
    surname: bool = False


def capitalised_words(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of every word that starts with a capital letter."""
    out: list[tuple[int, int, str]] = []
    for m in _CAPWORD_FAST.finditer(text):
        s = m.start()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in _NOT_BEFORE):
            continue  # inside a word, a handle or a placeholder
        word = m.group()
        if word[1:].islower() or word.isupper() or len(word) == 1:
            out.append((s, m.end(), word))
        else:
            precise = _CAPWORD.match(text, s)  # inner capitals: "McGrath", "TikTok", "SmithSW1A"
            out.append((s, precise.end(), precise.group()) if precise else (s, s + 1, word[0]))
    return out


def find_names(
    text: str,
    add: Add,
    taken: list[tuple[int, int]],
    caps: list[tuple[int, int, str]],
) -> None:
    """Find person names in ``text`` and ``add`` them (kind ``"name"``); ``caps`` are its
    capitalised words, ``taken`` the spans already found (no name inside them)."""
    lex = get_lexicon()
    words = _candidates(text, lex, taken, caps)
    if not words:
        return
    for i, w in enumerate(words):
        if not w.named:
            w.named = _seeded(text, words, i, lex)
    runs = _runs(text, words, lex)
    for run in runs:
        if not any(w.named for w in run):
            continue
        nick = _name_nicknames(text, run[-1], words)
        if nick is not None:
            add(*nick, "name")
        for w in run:
            w.named = True
    known = {w.text for w in words if w.named and not w.ambiguous and w.shape != "initial"}
    for run in runs:
        if not any(w.named for w in run) and any(w.text in known for w in run):
            for w in run:
                w.named = True
    for run in runs:
        named = [w for w in run if w.named]
        if (
            len(named) > 1
            and not named[0].strong
            and _ordinary(named[0], lex)
            and not _cue_before(text, named[0].start, lex)
        ):
            while len(named) > 1 and not named[0].strong and _ordinary(named[0], lex):
                named.pop(0)  # "Historically Sana", "Saturdays Mia"
        if named and not _organisation(text, run, lex):
            add(named[0].start, named[-1].end, "name")


def _ordinary(w: _Word, lex: Lexicon) -> bool:
    if _is_first(w.low, lex) or _is_surname(w.low, lex) or w.text in lex.surname_ok:
        return False
    return w.text in lex.never or norm_word(w.low) in lex.known_stems


def _candidates(
    text: str,
    lex: Lexicon,
    taken: list[tuple[int, int]],
    caps: list[tuple[int, int, str]],
) -> list[_Word]:
    """Capitalised words, and lower-case words that are listed names (rarely any)."""
    spans = caps
    outside = set(_words_outside(text, taken))
    lows = set(outside & lex.cued_listed)
    lows.update(lex.lower_any.intersection(outside))
    unknown = _unknown_lower(outside, lex)
    if lows or unknown:
        spans = list(caps)
        for low in lows:
            spans.extend(_occurrences(text, low))
        for low in unknown:
            # a word in no list is a name only after a cue: look for one before the costlier
            # checks ("her brother lewys"; "Mother metioned" is a typo)
            found = [
                o for o in _occurrences(text, low) if _cue_before(text, o[0], lex, person=True)
            ]
            if found and norm_word(low) not in lex.known_stems and not _misspelt(low, lex.english):
                spans.extend(found)
        spans.sort()
    n = len(text)
    blocked = sorted(taken)
    k = 0
    out: list[_Word] = []
    classes = _CLASSES
    for s, e, word in spans:
        cls = classes.get(word)
        if cls is not None and not (cls[1] or cls[2] or cls[4]):
            # never part of a name ("The", "Police"): the test _word makes, strong, joining
            # or a name after a cue; without the cue-only class a word's second text in a
            # process lost what its first had ("was sen by" redacted, then not)
            continue
        after = text[e] if e < n else " "
        if after in "_@]" or (after == "." and e + 1 < n and text[e + 1].isalnum()):
            continue
        if after.isalnum() and (word.isupper() or _GLUED_CODE.match(text, e) is None):
            continue  # inside "TikTok", "Y10", "amz_x_2011"; "SmithSW1A" keeps "Smith"
        if "'" in word or "’" in word:
            if _CONTRACTION.match(word):
                continue  # "I'm", "I've", "You'll"
            if word[-2:] in ("'s", "’s"):
                word, e = word[:-2], e - 2
        while k < len(blocked) and blocked[k][1] <= s:
            k += 1
        if k < len(blocked) and blocked[k][0] < e:
            continue
        if len(word) == 1:
            # "E. Mackintosh", and "J Smith" without the full stop
            if (
                word.isupper()
                and word not in "IA"
                and (after == "." or _INITIAL_GAP.match(text, e))
            ):
                out.append(_Word(s, e, word, word.lower(), "initial", joins=True))
            continue
        w = _word(s, e, word, lex)
        if w is not None:
            out.append(w)
    return out


_CLASSES: dict[str, tuple[str, bool, bool, bool, bool, bool]] = {}
_INITIAL_GAP = re.compile(rf" {_U}{_L}")


def _unknown_lower(words: set[str], lex: Lexicon) -> list[str]:
    """Lower-case words of the text in no list and no dictionary ("lewys", "tayshaun"; also
    typos and abbreviations, which the caller tells apart)."""
    return [
        low for low in words - lex.not_unknown if len(low) >= 3 and low.islower() and low.isalpha()
    ]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=8192)
def _misspelt(low: str, english: frozenset[str]) -> bool:
    """One edit (a letter dropped, added, changed or two swapped) from an English word:
    a typo ("metioned", "atteends", "seyn"), not a name."""
    n = len(low)
    for i in range(n + 1):
        a, b = low[:i], low[i:]
        if b and a + b[1:] in english:
            return True
        if len(b) > 1 and a + b[1] + b[0] + b[2:] in english:
            return True
        for c in _LETTERS:
            if (b and a + c + b[1:] in english) or a + c + b in english:
                return True
    return False


def _word(s: int, e: int, word: str, lex: Lexicon) -> _Word | None:
    """A candidate word with its shape and class (memoised by the word's spelling), or None
    for a word that can never be part of a name ("The", "Police"): it only ends a run, as
    the text between two candidates does anyway."""
    cls = _CLASSES.get(word)
    if cls is None:
        w = _Word(s, e, word, word.lower(), _shape(word))
        _classify(w, lex)
        if len(_CLASSES) > 200_000:  # bounded: a service meets new words every day
            _CLASSES.clear()
        _CLASSES[word] = cls = (w.shape, w.strong, w.joins, w.ambiguous, w.cue_only, w.surname)
    shape, strong, joins, ambiguous, cue_only, surname = cls
    if not (strong or joins or cue_only):
        return None
    return _Word(
        s, e, word, word.lower(), shape, strong, joins, False, ambiguous, cue_only, surname
    )


def _words_outside(text: str, taken: list[tuple[int, int]]) -> list[str]:
    """The words of ``text`` outside the spans already taken (e-mail addresses, handles)."""
    if taken:
        parts, pos = [], 0
        for s, e in sorted(taken):
            parts.append(text[pos:s])
            pos = max(pos, e)
        parts.append(text[pos:])
        text = " ".join(parts)
    return text.translate(_SEP).split()


_LOWER_TAIL = re.compile(r"(?:-[^\W\d_]+)*(?:['’]s)?(?![\w'’-])")
_NOT_BEFORE_LOWER = frozenset("@#/[.'’-_")


def _occurrences(text: str, low: str) -> list[tuple[int, int, str]]:
    """Where the lower-case name occurs as a word, possibly hyphenated ("kerry-ann") or
    possessive (found with ``str.find``: far faster than a pattern per name)."""
    out: list[tuple[int, int, str]] = []
    at = text.find(low)
    while at >= 0:
        before = text[at - 1] if at > 0 else " "
        if not before.isalnum() and before not in _NOT_BEFORE_LOWER:
            tail = _LOWER_TAIL.match(text, at + len(low))
            if tail is not None:
                out.append((at, tail.end(), text[at : tail.end()]))
        at = text.find(low, at + len(low))
    return out


def _shape(word: str) -> str:
    if word.isupper():
        return "upper" if len(word) > 1 else "title"
    if word[0].islower():
        return "lower"
    if word[1:].islower():
        return "title"
    if _MIXED.match(word) is None and _MC.match(word) is None:
        parts = re.split(r"[-'’]", word)
        if not all(p[:1].isupper() and p[1:] == p[1:].lower() for p in parts if p):
            return "mixed"
    return "title"


def _is_first(low: str, lex: Lexicon) -> bool:
    if low in lex.first_names:
        return True
    head = low.split("-", 1)[0]
    return head != low and head in lex.first_names and head not in lex.ambiguous


def _is_surname(low: str, lex: Lexicon) -> bool:
    if low in lex.surnames:
        return True
    if "-" in low:
        return any(p in lex.surnames for p in low.split("-"))
    return False


def _classify(w: _Word, lex: Lexicon) -> None:
    low = w.low
    if w.shape == "initial":
        return
    first = _is_first(low, lex)
    sur = _is_surname(low, lex)
    mc = _MC.match(w.text) is not None
    w.ambiguous = low in lex.ambiguous
    never = w.text in lex.never or (w.shape != "title" and low in lex.never_lower)
    ordinary = norm_word(low) in lex.known_stems and not first
    listed = (
        (first and not ordinary) or (sur and not ordinary and low not in lex.name_words) or mc
    ) and len(low) > 2
    if w.shape == "title":
        w.strong = listed and not w.ambiguous and not never
        w.joins = not never or w.text in lex.surname_ok or first or sur or w.ambiguous
    elif w.shape == "upper":
        w.strong = len(low) >= 3 and listed and not w.ambiguous and not never and not ordinary
        w.joins = w.strong or (
            (not never or w.text.capitalize() in lex.surname_ok)
            and not ordinary
            and any(c in "AEIOUY" for c in w.text)
        )
    elif w.shape == "lower":
        plain = not w.ambiguous and low not in lex.name_words and not never and not ordinary
        w.strong = plain and first and len(low) >= 3
        w.joins = plain and (first or sur or mc)
        if not w.joins and len(low) >= 3 and low not in STOP_WORDS:
            w.surname = sur or low in lex.public_surnames
            # A listed name that is also a word, or a word in no list and no dictionary:
            # a name only after a cue ("her friend jade", "her brother lewys").
            w.cue_only = (
                first
                or w.surname
                or (low not in lex.english and not never and not ordinary and low.isalpha())
            )
    else:  # mixed case ("DeShawn" listed; "TikTok", "HoY" not)
        w.strong = w.joins = listed and not never


def _seeded(text: str, words: list[_Word], i: int, lex: Lexicon) -> bool:
    """Whether word ``i`` is a name by itself or by its immediate context."""
    w = words[i]
    if w.strong:
        return True
    if w.shape == "initial":
        return _cue_before(text, w.start, lex)  # "Dr E. Mackintosh", "Mum T. Price"
    if w.cue_only:
        if not _cue_before(text, w.start, lex, person=True):
            return False
        if w.low not in lex.english and w.low not in lex.name_words:
            return True  # "her brother lewys"
        # A name that is also a word ("jade", "rose"): after "called", a title or a label,
        # or set apart ("her friend jade, ..."), or before a reporting verb; never "her
        # brother rose to leave".
        after = _LOWER_WORD_AFTER.match(text, w.end)
        return (
            _strong_cue_before(text, w.start, lex)
            or _APART_AFTER.match(text, w.end) is not None
            or _REPORT_AFTER.match(text, w.end) is not None
            or (after is not None and after.group(1) in lex.surnames)  # "mum jade cope"
        )
    listed = _is_first(w.low, lex) or _is_surname(w.low, lex) or w.ambiguous
    ordinary = (not listed and norm_word(w.low) in lex.known_stems) or (
        w.text in lex.never and w.text not in lex.surname_ok
    )
    if not listed and (ordinary or not w.joins):
        return False  # "The", "Police", "Monday": no context makes them names
    if _pet_before(text, w.start, lex):
        return False  # "the dog called Frank"
    if _cue_before(text, w.start, lex):
        if w.shape == "lower":
            return listed and w.low not in lex.ambiguous
        if w.shape == "upper" and not listed:
            if text[: w.start].rstrip()[-1:] == ":":
                return True  # "Surname: OYELARAN"
            # "BROTHER LEWYS": no English word after a person cue; never "IP MUM"
            return (
                len(w.low) >= 4
                and w.low not in lex.english
                and _cue_before(text, w.start, lex, person=True)
            )
        if w.joins and not ordinary:
            return True
        return listed and not sentence_start(text, w.start)  # "her son Will"
    if not w.joins or w.shape == "lower" or ordinary:
        return False
    if lex.relation_after.match(text, w.end) is not None or _AGE_AFTER.match(text, w.end):
        return True  # "Sarah (mum)", "Kyle (7)", "Kyle, aged 7"
    if w.shape == "upper":
        return _surname_forename(text, words, i)
    if w.ambiguous:
        # "collected by Grace", "Grace said"; never "Will review", "Hope is that"
        if not sentence_start(text, w.start):
            return w.text not in lex.never
        if w.low in lex.sentence_words:
            return _REPORT_AFTER.match(text, w.end) is not None
        return _VERB_AFTER.match(text, w.end) is not None
    if not sentence_start(text, w.start):
        return not _after_place_word(text, w.start)  # "in Cork" is a place
    if _VERB_AFTER.match(text, w.end) is not None:
        return True  # "Liban said", "Megan's number"
    return _SIGN_OFF_END.fullmatch(text, w.end) is not None and _line_alone(text, w.start)


_APART_AFTER = re.compile(
    r"\s*(?:[,;:)\n]|[.!?](?:\s|$)|$|\s+and\s|\s+(?:is|was|has|had)\s+(?:at|in|with|staying|living)\b)"
)
_LOWER_WORD_AFTER = re.compile(r"[ \t]+([a-z][a-z'’-]+)\b")


def _strong_cue_before(text: str, start: int, lex: Lexicon) -> bool:
    """ "called", "named", "name is", "known as", a short title or a form label right before."""
    pre = text[max(0, start - 24) : start].rstrip(" \t(\"“'‘")
    if pre.endswith(":"):
        return True
    words = pre.lower().split()[-2:]
    if not words:
        return False
    last = words[-1].rstrip(".")
    return (
        last in ("called", "named", "aka", "miss", "master")
        or last in _ABBREVIATED_TITLES  # "mrs", "dr", "pc"; never "sister rose early"
        or " ".join(words) in ("name is", "known as")
    )


def _pet_before(text: str, start: int, lex: Lexicon) -> bool:
    words = text[max(0, start - 30) : start].lower().split()[-3:]
    return bool(words) and words[-1] in ("called", "named") and not lex.not_person.isdisjoint(words)


def _surname_forename(text: str, words: list[_Word], i: int) -> bool:
    """ "SMITH, Jayden": a capitalised surname, a comma, a listed given name."""
    if i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    return text[words[i].end : nxt.start] in (", ", ",") and nxt.strong and nxt.shape == "title"


def _after_place_word(text: str, start: int) -> bool:
    return text[max(0, start - 3) : start] == "in "


def _line_alone(text: str, start: int) -> bool:
    """A sign-off: the last words of the text, after a line break or a sentence's end."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in "\n.!,"


def _cue_before(text: str, start: int, lex: Lexicon, *, person: bool = False) -> bool:
    """A title, relationship word, greeting, "called"/"named" or form label before ``start``
    (with ``person``, greetings and sign-offs do not count)."""
    pre = text[max(0, start - 40) : start]
    if "\n" in pre[len(pre.rstrip(" \t(\"“'‘,:=-")) :] and not pre.rstrip(" \t\n").endswith(":"):
        return False  # a cue on the line before names nothing
    pre = pre.rstrip()
    label = pre[-1:] == ":"
    while pre[-1:] in ("(", ",", ":", "=", "-", '"', "“", "'", "‘"):
        pre = pre[:-1].rstrip()
    words = pre.lower().rsplit(None, 3)
    if not words:
        return False
    last = words[-1]
    if last[-1] in ".!?;":
        # "Dr. Patel" yes; "... given by Mum. Cannot" no: a sentence ended there.
        return last[-1] == "." and last[:-1] in _ABBREVIATED_TITLES
    if label and (last in lex.labels or last.rstrip("0123456789") in lex.labels):
        return True
    if label and len(words) >= 2 and f"{words[-2]} {last}" in lex.labels:
        return True
    if (
        len(words) >= 2
        and words[-2].rstrip("0123456789") in lex.labels
        and last.isdigit()
        and label
    ):
        return True  # "Subject 1:"
    cues = lex.cue_words
    if person and (
        last in lex.greetings or f"{words[-2] if len(words) > 1 else ''} {last}" in lex.greetings
    ):
        return False
    if last in cues:
        # "the dog called Frank" is no person
        return not (last in ("called", "named") and any(x in lex.not_person for x in words[:-1]))
    if len(words) >= 2:
        if f"{words[-2]} {last}" in cues:
            return True
        if last in ("is", "was") and words[-2].rstrip(",") in cues:
            return True
    return False


def _runs(text: str, words: list[_Word], lex: Lexicon) -> list[list[_Word]]:
    """Adjacent joinable words (one space or a hyphen apart; an initial and its full stop;
    a particle such as "ap", "ní", "van" between two of them)."""
    runs: list[list[_Word]] = []
    run: list[_Word] = []
    for w in words:
        if w.cue_only and not w.named:
            # "deborah price": a listed family name that is also a word, after a given name
            if (
                w.surname
                and run
                and run[-1].named
                and run[-1].shape == "lower"
                and _adjacent(text, run[-1], w, lex)
                and _VERB_AFTER.match(text, run[-1].end) is None  # never "jayden said"
            ):
                run.append(w)
                continue
            if run:
                runs.append(run)
            run = []
            continue
        if not w.joins and not w.cue_only:
            if run:
                runs.append(run)
            run = []
            continue
        if run and _adjacent(text, run[-1], w, lex):
            run.append(w)
        else:
            if run:
                runs.append(run)
            run = [w]
    if run:
        runs.append(run)
    return [r for r in runs if r[-1].shape != "initial" or len(r) > 1]


def _adjacent(text: str, a: _Word, b: _Word, lex: Lexicon) -> bool:
    gap = text[a.end : b.start]
    if gap in (" ", "-"):
        return True
    if a.shape == "initial":
        return gap == ". "
    parts = gap.split()
    # "ap Rhys", "van der Berg", "de la Cruz"
    return (
        0 < len(parts) <= 2
        and gap == f" {' '.join(parts)} "
        and all(p.lower() in lex.particles for p in parts)
    )


def _name_nicknames(text: str, last: _Word, words: list[_Word]) -> tuple[int, int] | None:
    """'Rebecca ("Bex") Hollis': the nickname (returned) and the surname after it are names."""
    m = _NICKNAME.match(text, last.end)
    if m is None:
        return None
    for w in words:
        if w.start == m.end() and w.joins and w.shape in ("title", "upper"):
            w.named = True
    return m.start(1), m.end(1)


def _organisation(text: str, run: list[_Word], lex: Lexicon) -> bool:
    """A run followed by an organisation word ("Northside Surgery", "Chelsea FC") is the
    name of a place or body, unless a listed given name or a title says otherwise."""
    end = run[-1].end
    m = re.match(r" ([A-Z][\w'’]*)", text[end : end + 24])
    if m is None or m.group(1) not in lex.org_after:
        return False
    if len(run) > 1 and any(w.strong and _is_first(w.low, lex) for w in run):
        return False  # "Jack Hall NHS no ...": a person's full name
    return not _cue_before(text, run[0].start, lex)
