"""Structured personal data: e-mail addresses (also spelt out), phone numbers, NHS numbers
(modulus-11 checked), dates of birth, postcodes, IP addresses, social-media handles and
reference numbers (National Insurance numbers among them). Each finder reports ``(start, end, kind)`` spans of the text it is given.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

__all__ = [
    "Add",
    "find_emails",
    "find_handles",
    "find_ipv6",
    "ni_number_at",
    "reference_at",
    "nhs_number_valid",
    "number_at",
]

#: ``add(start, end, kind) -> bool``: record a span unless it overlaps one already taken
Add = Callable[[int, int, str], bool]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
    r"|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
    r"|SEP(?:T(?:EMBER)?)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_EMAIL = re.compile(
    r"(?<![\w.+-])\w[\w.%+'-]*(?:@|\s?[\[(]at[\])]\s?)[\w-]+"
    r"(?:(?:\.|\s?[\[(]dot[\])]\s?)[\w-]+)+",
    re.IGNORECASE,
)
_EMAIL_TAIL = re.compile(r"[\w.%+'@-]*")
_SEP = r"[ .-]?"
_PHONE_UK = re.compile(rf"\(?0\d{{1,4}}\)?{_SEP}\d{{2,6}}(?:{_SEP}\d{{2,6}}){{0,3}}(?![\w/])")
_PHONE_INTL = re.compile(
    rf"(?:\+|00)\d{{1,3}}(?:{_SEP}\(0\))?(?:{_SEP}\(?\d{{1,5}}\)?){{2,6}}(?![\w/])"
)
_NHS = re.compile(
    r"(?<![\w/+.])(?:\d{3}([ -]?)\d{3}\1\d{4}|\d{3}([ -]?)\d{4}\2\d{3}|\d{4}([ -]?)\d{3}\3\d{3})"
    r"(?![\w/]|[.,]\d)"
)
_DOB = re.compile(
    rf"(?<![\w/.-]){_DAY}[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)?\d{{2}}(?![\w/]|[.-]\d)"
    rf"|(?<![\w]){_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\.?,?\s+(?:19|20)\d{{2}}(?!\d)"
    rf"|(?<![\w]){_MONTH}\.?\s+{_DAY}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}(?!\d)"
    r"|(?<![\w/.-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w/-])"
)
#: a date of birth's label right before: then a month's name with a two-digit year counts
_DOB_CUE = re.compile(r"(?i:\b(?:dob|d\.o\.b\.?|born(?:\s+on)?|date\s+of\s+birth)\s*[:=-]?\s*)$")
_DOB_SHORT_YEAR = re.compile(rf"{_DAY}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{2}}(?![\w/])")
#: a date of birth's digits parted by spaces, after its label ("dob 12 06 2014")
_DOB_SPACED = re.compile(rf"{_DAY}\s(?:0?[1-9]|1[0-2])\s(?:19|20)?\d{{2}}(?![\w/]|\s\d)")
#: a National Insurance number ("AB 12 34 56 C", "QQ123456C")
_NI_NUMBER = re.compile(
    r"(?<![\w/])(?i:[A-CEGHJ-PR-TW-Z]{2})\s?\d{2}\s?\d{2}\s?\d{2}\s?(?i:[A-D])(?![\w/])"
)
#: any two letters and six digits right after an NI cue ("NI QQ 12 34 56 C")
_NI_ANY = re.compile(r"(?<![\w/])(?i:[A-Z]{2})\s?\d{2}\s?\d{2}\s?\d{2}\s?(?i:[A-Z])?(?![\w/])")
_NI_CUE = re.compile(
    r"(?i:\b(?:ni|nino|ni\s+no\.?|ni\s+number|national\s+insurance(?:\s+(?:no\.?|number))?))"
    r"\s*[:.=-]?\s*$"
)
#: an e-mail address spelt out after "email": "kerry.smith at example dot com"
_EMAIL_SPELT = re.compile(
    r"(?i:\be-?mail(?:ed)?(?:\s+(?:is|address|addr))?\s*[:=-]?\s*)"
    r"([\w.+'-]+(?:\s+dot\s+[\w+'-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)+)\b",
    re.IGNORECASE,
)
#: an e-mail address spelt out anywhere, known by its spelt-out ending and a user part with
#: a digit, "." or "dot": "leannebirch82 at example dot org", "scout dot mike at example dot com"
_EMAIL_SPELT_TLD = re.compile(
    r"(?<![\w.+'-])[\w.+'-]+(?:\s+dot\s+[\w+'-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*"
    r"\s+dot\s+(?:com|org|net|co\s+dot\s+uk|org\s+dot\s+uk|gov\s+dot\s+uk|nhs\s+dot\s+net"
    r"|ac\s+dot\s+uk|uk|edu|info|io|me)\b",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(rf"{_MONTH}\.?\s+$")
_POSTCODE = re.compile(
    r"(?<![\w])(?:[A-Za-z]{1,2}\d[A-Za-z\d]?|GIR)\s?\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![\w])"
)
_IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"(?![\w]|\.\d)"
)
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_AT_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?")
#: a token shaped like a user name: letters with digits, "_", "#" or inner dots or capitals
_HANDLE_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.#-]{1,38}[A-Za-z0-9]")
_DOTTED = re.compile(r"[A-Za-z]\.[A-Za-z]")
#: user names known by their shape anywhere: dotted words ending in digits ("yonas.tes.77",
#: "Hung.Tran.9988") and joined capitalised words with digits ("GoodDad1982")
_SHAPED_HANDLE = re.compile(
    r"(?<![\w@./-])(?:[A-Za-z]{2,}(?:\.[A-Za-z]+)+\.\d{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)+\d{2,4})"
    r"(?![\w@/]|\.\w)"
)
#: between the user names of a list after one cue ("Logins 10ANDERSONK and 10BIBIM")
_HANDLE_LIST_GAP = re.compile(r"\s*(?:,|and|&|/)\s*")
_CAMEL = re.compile(r"[a-z][A-Z]")
_NOT_HANDLE = re.compile(
    r"(?i:e\.g|i\.e|a\.m|p\.m|d\.o\.b|etc|n\.b|w/c|r/v|\d+(?:st|nd|rd|th)|[a-z]?\d+[a-z]?"
    r"|\d+(?:am|pm|yrs?|kg|cm|mg|ml|km|mph)|y\d+|x\d+|\d+x|[a-z]\d{1,2}[a-z]\d?|covid-19)"
)
#: a number of seven digits or more, or a code of capitals and digits of eight characters or
#: more with five digits or more: no phone, NHS number or date reads so (they are found first)
_LONG_ID = re.compile(r"\d{7,}|(?=[A-Z0-9]{8,}$)(?=(?:[A-Z]*\d){5})[A-Z0-9]*[A-Z][A-Z0-9]*")
_YEARS = re.compile(r"(?:19|20)\d\d[/-](?:19|20)?\d\d")
_CODE = re.compile(
    r"(?<![\w/@.#-])(?:"
    r"[A-Z]{1,6}\d*(?:[/-][A-Z0-9]+)*[/-]\d{2,}(?:[/-][A-Z0-9]+)*"  # DPP/24/22981, CL-0098123
    r"|\d{2,4}[A-Z]{1,3}/\d{4,}(?:/\d{2,4})?"  # 20UE/118834/24
    r"|[A-Z]{1,4}\d{5,}[A-Z]{0,2}|[A-Z]\d{4}[A-Z]{2}"  # RBH7721045, A1234BC
    r"|\d{2,4}/\d{4,}(?:/\d{2,4})?[A-Z]?|\d{2}-\d{6,}"  # 41/22345/24, 19/123456X, 22-0145778
    r")(?![\w/@-]|\.\w)"
)


def find_emails(text: str, add: Add) -> None:
    """E-mail addresses (also ``name [at] domain [dot] com``); addresses run together
    ("a@b.coa@b.co") are one span, so that a second pass finds nothing."""
    n = len(text)
    at = text.find("@")
    while at >= 0:
        word_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        m = _EMAIL.search(text, word_start, min(n, at + 160))
        if m is not None and m.start() <= at < m.end():
            tail = _EMAIL_TAIL.match(text, m.end())  # always matches (maybe empty)
            end = tail.end() if tail is not None else m.end()
            while end > m.end() and text[end - 1] in ".-'":
                end -= 1
            add(m.start(), end, "email")
            at = text.find("@", end)
            continue
        at = text.find("@", at + 1)
    if "at]" in text or "at)" in text:
        for m in _EMAIL.finditer(text):
            if "@" not in m.group():
                add(m.start(), m.end(), "email")
    if " dot " in text:
        for m in _EMAIL_SPELT_TLD.finditer(text):
            local = m.group().split(" at ")[0]
            if " dot " in local or any(c.isdigit() or c in "._" for c in local):
                add(m.start(), m.end(), "email")  # never "looked at school dot com"
        for m in _EMAIL_SPELT.finditer(text):
            add(m.start(1), m.end(1), "email")


def _dob_cue_before(text: str, s: int) -> bool:
    """ "DOB", "born" or "date of birth" right before ``s`` (a cheap look first)."""
    window = text[max(0, s - 20) : s]
    low = window.lower()
    if "ob" not in low and "born" not in low and "birth" not in low:
        return False
    return _DOB_CUE.search(window) is not None


def ni_number_at(text: str, s: int, e: int) -> tuple[int, int, str] | None:
    """The National Insurance number ("AB 12 34 56 C", "QQ123456C") whose first digits are
    the digit run ``text[s:e]``, as a reference."""
    if e - s not in (2, 6) or s < 2 or not text[s - 1 if text[s - 1] != " " else s - 2].isalpha():
        return None
    at = s - 3 if text[s - 1] == " " and s >= 3 else s - 2
    m = _NI_NUMBER.match(text, at)
    if m is None and _NI_CUE.search(text, max(0, at - 32), at) is not None:
        m = _NI_ANY.match(text, at)
    return (m.start(), m.end(), "reference") if m is not None else None


def nhs_number_valid(digits: str) -> bool:
    """The NHS number modulus-11 check on ten digits (weights 10..2; a check of 10 is
    never issued, 11 reads as 0)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _phone_at(text: str, s: int) -> tuple[int, int] | None:
    before = text[s - 1] if s > 0 else " "
    if before == "+" or (before == "0" and s >= 2 and text[s - 2] == "0"):
        m = _PHONE_INTL.match(text, s - 1 if before == "+" else s - 2)
        if m is not None and 8 <= sum(c.isdigit() for c in m.group()) <= 15:
            return m.start(), m.end()
        return None
    start = s - 1 if before == "(" else s
    if text[s] != "0" or (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "/+")):
        return None
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return None  # "CR-0047-24-1102": the digits of a code
    m = _PHONE_UK.match(text, start)
    if m is None:
        return None
    # Take the longest prefix of digit groups holding 10 or 11 digits.
    digits = 0
    end = None
    for g in re.finditer(r"\d+|[^\d]+", m.group()):
        if g.group()[0].isdigit():
            digits += len(g.group())
            if digits in (10, 11):
                end = m.start() + g.end()
            elif digits > 11:
                break
    if end is None:
        return None
    if text[start] == "(" and ")" not in text[start:end]:
        start = s  # "(07123 456789)": the number in brackets starts at its digits
    return start, end


def number_at(text: str, s: int, e: int, kinds: frozenset[str]) -> tuple[int, int, str] | None:
    """The structured PII starting at (or just before) the digit run ``text[s:e]``:
    an IP address, phone number, NHS number, date of birth or postcode."""
    n_digits = e - s
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if "ip" in kinds and after == "." and n_digits <= 3:
        m = _IPV4.match(text, s)
        if m is not None:
            return m.start(), m.end(), "ip"
    if (
        "nhs_number" in kinds
        and n_digits in (3, 4, 10)
        and before != "+"
        and not (before == "(" and text[s] == "0")
    ):
        m = _NHS.match(text, s)
        if m is not None and nhs_number_valid(re.sub(r"\D", "", m.group())):
            return m.start(), m.end(), "nhs_number"
    if "phone" in kinds and (text[s] == "0" or before in "+("):
        found = _phone_at(text, s)
        if found is not None:
            return found[0], found[1], "phone"
    if "dob" in kinds and (n_digits <= 2 or n_digits == 4):
        m = None
        if before == " " and s >= 4 and text[s - 2] in "hlrytnebv.":  # "March 3rd, 2019"
            month = _MONTH_BEFORE.search(text, max(0, s - 12), s)
            if month is not None:
                m = _DOB.match(text, month.start())
        if m is None and (after in "/.-" or after in "snrt " or after == ","):
            m = _DOB.match(text, s)
            if m is None and after == " " and _dob_cue_before(text, s):
                m = _DOB_SHORT_YEAR.match(text, s) or _DOB_SPACED.match(text, s)  # "DOB 14 Feb 11"
        if m is not None:
            return m.start(), m.end(), "dob"
    if "postcode" in kinds and before.isalpha() and n_digits <= 2:
        for p in (s - 2, s - 1):
            if p >= 0 and text[p].isalpha():
                m = _POSTCODE.match(text, p)
                if m is not None:
                    code = m.group()
                    if code[-2:].lower() in ("st", "nd", "rd", "th") and not code[-2:].isupper():
                        break  # "Y10 1st" is an ordinal, not a postcode
                    return m.start(), m.end(), "postcode"
    return None


def find_ipv6(text: str, add: Add) -> None:
    """IPv6 addresses (checked by :mod:`ipaddress`; times such as 10:14:30 are not)."""
    for m in _IPV6.finditer(text):
        value = m.group()
        if len(value) < 3 or not any(
            len(g) >= 3 or any(c.isalpha() for c in g) for g in value.split(":")
        ):
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        add(m.start(), m.end(), "ip")


def _handle_shaped(token: str) -> bool:
    """Letters with a digit, "_" or "#", or dotted words, or inner capitals; not "e.g".."""
    if not any(c.isalpha() for c in token) or _NOT_HANDLE.fullmatch(token) is not None:
        return False
    if any(c.isdigit() or c in "_#" for c in token):
        return True
    return _DOTTED.search(token) is not None or _CAMEL.search(token) is not None


def find_handles(
    text: str,
    add: Add,
    cues: list[tuple[str, re.Pattern[str]]],
    cues_after: re.Pattern[str] | None,
) -> None:
    """Social-media handles and user names: ``@name`` anywhere; a token with an inner
    underscore anywhere; a handle-shaped token (digits, dots, "#", inner capitals) after a
    platform or account word ("snap:", "insta", "user", "gamertag") or before one
    ("(Insta)", "on Snapchat")."""
    if "@" in text:
        for m in _AT_HANDLE.finditer(text):
            add(m.start(), m.end(), "handle")
    if "_" in text:
        for m in _HANDLE_TOKEN.finditer(text):
            if "_" in m.group() and not _placeholder(text, m.start(), m.end()):
                add(*_trim(text, m.start(), m.end()), "handle")
    for m in _SHAPED_HANDLE.finditer(text):
        add(m.start(), m.end(), "handle")
    for word, tail in cues:
        for found in re.finditer(rf"\b{word}\b", text, re.IGNORECASE):
            cue = tail.match(text, found.end())
            t = _HANDLE_TOKEN.match(text, cue.end()) if cue is not None else None
            while t is not None and _handle_shaped(t.group()):
                add(*_trim(text, t.start(), t.end()), "handle")
                gap = _HANDLE_LIST_GAP.match(text, t.end())
                t = _HANDLE_TOKEN.match(text, gap.end()) if gap is not None else None
    for m in cues_after.finditer(text) if cues_after is not None else ():
        token = m.group(1)
        if _handle_shaped(token):
            add(*_trim(text, m.start(1), m.end(1)), "handle")


def _placeholder(text: str, start: int, end: int) -> bool:
    """The token is the inside of a placeholder such as "[NHS_NUMBER]"."""
    return start > 0 and text[start - 1] == "[" and text[end : end + 1] == "]"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in ".-#":
        end -= 1
    return start, end


_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/-*")
#: a number after a reference word, with the date a force writes after it ("0812 OF
#: 14/03/24", "2211 24/06", "456 of 12 Oct")
_CODE_AT = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9/*-]*\d[A-Za-z0-9/*-]*"
    rf"(?:(?:\s+(?i:of))?\s+(?:\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s*(?i:{_MONTH})(?:\s+\d{{2,4}})?))?"
    r"(?![\w/-])"
)
_CUE_TAIL = re.compile(r"(?:\s*\([A-Za-z]{2,6}\))?[\s:#.]*$")
_CUE_WORDS = re.compile(r"[a-z]+")
_FILLERS = frozenset(("no", "number", "ref", "id", "is", "was"))


def reference_at(text: str, s: int, e: int, cues: frozenset[str]) -> tuple[int, int, str] | None:
    """A reference number holding the digit run ``text[s:e]``: a code-shaped token
    ("DPP/24/22981", "RBH7721045", "41/22345/24") or a number after a reference word
    ("CAD 1187", "Mosaic ID 5521908", "log 0312 of 14/05/24")."""
    if (
        e - s < 3
        and (s == 0 or text[s - 1] not in _TOKEN_CHARS)
        and (e == len(text) or text[e] not in _TOKEN_CHARS)
    ):
        return None  # "7", "23:40", "Year 9": too short to be a reference
    start, end = s, e
    while start > 0 and text[start - 1] in _TOKEN_CHARS:
        start -= 1
    while end < len(text) and text[end] in _TOKEN_CHARS:
        end += 1
    while end > start and text[end - 1] in "/-":
        end -= 1
    token = text[start:end]
    digits = sum(c.isdigit() for c in token)
    if start > 0 and text[start - 1] in "@.#_":
        return None
    if digits >= 4 and _CODE.fullmatch(token) is not None and _YEARS.fullmatch(token) is None:
        return start, end, "reference"
    if _LONG_ID.fullmatch(token) is not None and (not token.isdigit() or digits >= 7):
        return start, end, "reference"  # "43240156238", "OKAFO856152CA9XK", "LV24C00231"
    if digits < 3 or not _cue_before(text, start, cues):
        return None
    m = _CODE_AT.match(text, start)
    if m is None:
        return None
    return m.start(), m.end(), "reference"


def _cue_before(text: str, start: int, cues: frozenset[str]) -> bool:
    """A reference word ("crime ref", "CAD", "Patient ID (MRN)") right before ``start``."""
    window = text[max(0, start - 48) : start]
    tail = _CUE_TAIL.search(window)
    head = window[: tail.start()] if tail is not None else window
    if not head[-1:].isalpha():
        return False
    words = _CUE_WORDS.findall(head[-40:].lower())
    for _ in range(2):
        if not words:
            return False
        if words[-1] in cues or (len(words) >= 2 and f"{words[-2]} {words[-1]}" in cues):
            return True
        if words[-1] not in _FILLERS:
            return False
        words.pop()
    return False
