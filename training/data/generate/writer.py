"""Pieces of text and the personal data in them: the builder that appends pieces and records
the character span of every piece of personal data, the writer that resolves a template's
slots for one contact, and the writing style of one referrer.

A piece is ``(text, kind)``: ``kind`` None is the referrer's own prose, styled when flushed
(abbreviations, typos, casing); ``FIXED`` ("") is text of a form or header, appended as it
is; any other kind is personal data of that kind, appended verbatim with its
``[start, end, kind]`` recorded at that moment, so spans are exact by construction and
never found by searching afterwards.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Final

from training.data.generate.lexicon import Lexicon
from training.data.generate.people import MONTHS, Family, format_dob

__all__ = [
    "FIXED",
    "Builder",
    "Piece",
    "Style",
    "Writer",
    "capitalise",
    "draw_style",
    "fixed",
    "join",
    "text_of",
]

Piece = tuple[str, str | None]
#: The kind of a piece of form or header text: neither styled nor personal data.
FIXED: Final = ""

_SLOT = re.compile(r"\{(\w+)\}")
_TOKENS: dict[str, list[tuple[bool, str]]] = {}
_TOWNS2: Final = ("Leicester", "Coventry", "London", "Birmingham", "Luton", "Kettering", "Corby", "Bedford", "Milton Keynes", "Peterborough")  # fmt: skip
_KEYS_NEAR: Final = "qwertyuiopasdfghjklzxcvbnm"
_ENDS: Final = ("?", ".", "'", "!", ":")

_MASH_DOMAINS: Final = ("westnorthants.gov.uk", "northnorthants.gov.uk", "mash.nhs.net", "secure.gov.uk")  # fmt: skip
_REF_PREFIXES: Final = ("NP", "CT", "MA", "SG", "CP", "IR")


@cache
def _abbreviation_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all abbreviated phrases; the first alternative that matches wins."""
    return re.compile(r"\b(" + "|".join(re.escape(k) for k in phrases) + r")\b")


def _tokens(template: str) -> list[tuple[bool, str]]:
    """A template split into (is_slot, text) tokens; "|" is a line break. Cached: templates
    are few."""
    tokens = _TOKENS.get(template)
    if tokens is None:
        tokens = []
        last = 0
        source = template.replace("|", "\n")
        for match in _SLOT.finditer(source):
            if match.start() > last:
                tokens.append((False, source[last : match.start()]))
            tokens.append((True, match.group(1)))
            last = match.end()
        if last < len(source):
            tokens.append((False, source[last:]))
        _TOKENS[template] = tokens
    return tokens


@dataclass(frozen=True, slots=True)
class Style:
    """How one practitioner writes: typo rate per character, abbreviations, casing, run-ons,
    and the share of sentences ended with exclamation marks (an alarmed writer)."""

    typo_rate: float
    abbreviate: bool
    lower: bool
    run_on: float
    exclaim: float = 0.0


def draw_style(r: random.Random, *, alarmed: bool = False) -> Style:
    """The writing style of one contact: most write cleanly, some with typos, abbreviations,
    all lower case or run-on sentences; an alarmed writer ends some sentences with "!"."""
    roll = r.random()
    return Style(
        typo_rate=0.0 if roll < 0.35 else (0.003 if roll < 0.8 else 0.01),
        abbreviate=r.random() < 0.55,
        lower=r.random() < 0.07,
        run_on=0.0 if r.random() < 0.6 else 0.35,
        exclaim=0.3 if alarmed else 0.0,
    )


def _typos(text: str, r: random.Random, rate: float) -> str:
    expected = len(text) * rate
    count = int(expected) + (1 if r.random() < expected - int(expected) else 0)
    if not count:
        return text
    chars = list(text)
    for _ in range(count):
        i = r.randrange(2, len(chars) - 2) if len(chars) > 5 else -1
        # Only inside words of four letters or more, so "no" never becomes "on".
        if i < 0 or not "".join(chars[i - 2 : i + 2]).isalpha():
            continue
        op = r.random()
        if op < 0.35:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op < 0.65:
            del chars[i]
        elif op < 0.8:
            chars.insert(i, chars[i])
        else:
            chars[i] = r.choice(_KEYS_NEAR)
    return "".join(chars)


class Builder:
    """Appends pieces, styling the referrer's prose, and records personal-data spans."""

    def __init__(
        self, r: random.Random, style: Style, abbreviations: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.r = r
        self.style = style
        self.abbreviations = abbreviations
        self.abbreviation_re = _abbreviation_re(tuple(abbreviations)) if style.abbreviate else None
        self.out: list[str] = []
        self.buf: list[str] = []
        self.pos = 0
        self.spans: list[list[int | str]] = []

    def _style(self, text: str) -> str:
        r, style = self.r, self.style
        if self.abbreviation_re is not None:
            forms = self.abbreviations
            text = self.abbreviation_re.sub(lambda m: r.choice(forms[m.group(1)]), text)
        if style.typo_rate:
            text = _typos(text, r, style.typo_rate)
        if style.lower:
            text = text.lower()
        return text

    def flush(self) -> None:
        if self.buf:
            text = self._style("".join(self.buf))
            self.out.append(text)
            self.pos += len(text)
            self.buf.clear()

    def add(self, pieces: list[Piece]) -> None:
        for text, kind in pieces:
            if kind is None:
                self.buf.append(text)
                continue
            self.flush()
            self.out.append(text)
            if kind:
                self.spans.append([self.pos, self.pos + len(text), kind])
            self.pos += len(text)

    def line(self, pieces: list[Piece] | str = "") -> None:
        """Append ``pieces`` (or fixed text) and end the line."""
        self.add([(pieces, FIXED)] if isinstance(pieces, str) else pieces)
        self.add([("\n", FIXED)])

    def result(self) -> tuple[str, list[list[int | str]]]:
        self.flush()
        text = "".join(self.out)
        # Trailing whitespace never ends inside a span; strip only the end.
        return text.rstrip(), self.spans


def fixed(pieces: list[Piece]) -> list[Piece]:
    """The pieces as form text: the prose among them is neither styled nor a span."""
    return [(text, FIXED if kind is None else kind) for text, kind in pieces]


def text_of(pieces: list[Piece]) -> str:
    return "".join(text for text, _ in pieces)


def capitalise(pieces: list[Piece]) -> list[Piece]:
    if pieces and pieces[0][1] is None and pieces[0][0]:
        text = pieces[0][0]
        return [(text[0].upper() + text[1:], None), *pieces[1:]]
    return pieces


def join(builder: Builder, sentences: list[list[Piece]], style: Style) -> None:
    """Append sentences with their punctuation; some writers run them together, an alarmed
    one ends some with exclamation marks."""
    r = builder.r
    n = len(sentences)
    if style.run_on:
        run_on = [i > 0 and r.random() < style.run_on for i in range(n + 1)]
        run_on[n] = False
    else:
        run_on = [False] * (n + 1)
    out: list[Piece] = []
    for i, sentence in enumerate(sentences):
        if not sentence:
            continue
        if run_on[i]:
            out.append((r.choice((", ", " and ", " - ", ", and ", " ")), None))
            out += sentence
        else:
            if i > 0:
                out.append((" ", None))
            out += capitalise(sentence)
        if not sentence[-1][0].endswith(_ENDS) and not run_on[i + 1]:
            if style.exclaim and r.random() < style.exclaim:
                out.append(("!" if r.random() < 0.5 else "!!", None))
            elif r.random() < 0.93:
                out.append((".", None))
    builder.add(out)


def _school_year(age: int) -> str:
    if age < 4:
        return "nursery"
    if age == 4:
        return "Reception"
    return f"Year {min(13, age - 4)}"


def _baby_age(received: date, dob: date) -> str:
    days = max((received - dob).days, 10)
    if days < 84:
        return f"{days // 7} weeks"
    return f"{days // 30} months"


def _format_date(r: random.Random, day: date) -> str:
    """A date as a form or log writes it: 12/05/2025, 12 May 2025, 12.05.25 or 12/05/25."""
    roll = r.random()
    if roll < 0.5:
        return day.strftime("%d/%m/%Y")
    if roll < 0.8:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if roll < 0.9:
        return f"{day.day:02d}.{day.month:02d}.{day.year % 100:02d}"
    return f"{day.day:02d}/{day.month:02d}/{day.year % 100:02d}"


def _reference(r: random.Random, received: date) -> str:
    """A reference number (an occurrence, crime, hospital or log number)."""
    roll = r.random()
    yy = received.year % 100
    if roll < 0.35:
        return f"{r.choice(_REF_PREFIXES)}-{yy:02d}{received.month:02d}-{r.randint(10000, 99999)}"
    if roll < 0.6:
        return f"{r.randint(10, 99)}/{r.randint(10000, 99999)}/{yy:02d}"
    if roll < 0.8:
        letters = "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
        return f"{letters}{r.randint(1000000, 9999999)}"
    return f"{r.choice(_REF_PREFIXES)}{r.randint(100000, 999999)}"


class Writer:
    """Resolves template slots for one contact and renders templates into pieces.

    ``role`` is the referrer's role as forms and sign-offs name it; ``blanks``,
    ``categories``, ``alerted`` and ``subjects`` are the values a blank field, a log
    category, a log's alerted list and an e-mail subject are drawn from.
    """

    def __init__(
        self,
        r: random.Random,
        family: Family,
        *,
        sex: str,
        age: int,
        received: date,
        lex: Lexicon,
        role: str = "Referrer",
        subjects: tuple[str, ...] = ("Safeguarding concern",),
    ) -> None:
        self.r = r
        self.f = family
        self.lex = lex
        self.age = age
        self.received = received
        pronouns = {"female": ("she", "her", "her"), "male": ("he", "his", "him")}
        self.he, self.his, self.him = pronouns.get(sex, ("they", "their", "them"))
        self.child_named = False
        common = lex.boilerplate["common"]
        school_log = lex.boilerplate["school_log"]
        worker = family.worker
        self.slots: dict[str, Callable[[], list[Piece]]] = {
            "child": self._child,
            "child_full": lambda: [(family.child.full, "name")],
            "speaker": self._speaker,
            "mum": self._mum,
            "mum_full": lambda: [(family.mother.full, "name")],
            "dad": self._dad,
            "dad_full": lambda: [(family.father.full, "name")],
            "partner": self._partner,
            "partner_full": lambda: [(family.partner.full, "name")],
            "sib": lambda: (
                [(family.sibling.first, "name")]
                if r.random() < 0.6
                else [(f"{self.his} sibling ", None), (family.sibling.first, "name")]
            ),
            "rel": self._rel,
            "rel_full": lambda: [(family.relative.full, "name")],
            "referrer": lambda: [(family.referrer.full, "name")],
            "referrer_last": lambda: [(family.referrer.last, "name")],
            "referrer_phone": lambda: [(family.phone2, "phone")],
            "referrer_email": lambda: [(family.work_email, "email")],
            "worker": lambda: [(worker.full, "name")],
            "worker_email": lambda: [(family.worker_email, "email")],
            "mash_email": lambda: [(family.mash_email, "email")],
            "phone": lambda: [(family.phone, "phone")],
            "email": lambda: [(family.email, "email")],
            "address_full": self._address,
            "address_ref": lambda: [("the address", None)] if r.random() < 0.5 else self._address(),
            "house_no": lambda: [(family.address.split(" ")[0], "address")],
            "school": lambda: [(family.school, "school")],
            "dob": lambda: [(format_dob(r, family.dob), "dob")],
            "nhs": lambda: [(family.nhs_number, "nhs_number")],
            "date": lambda: [(_format_date(r, received - timedelta(days=r.randint(0, 9))), "date")],
            "ref": lambda: [(_reference(r, received), "reference")],
            "time": lambda: [(f"{r.randint(7, 22):02d}:{r.randint(0, 59):02d}", None)],
            "collar": lambda: [(str(r.randint(1000, 9999)), None)],
            "role": lambda: [(role, None)],
            "blank": lambda: [(r.choice(common["blanks"]), None)],
            "category": lambda: [(r.choice(school_log["categories"]), None)],
            "alerted": lambda: [(r.choice(school_log["alerted"]), None)],
            "subject": lambda: [(r.choice(subjects), None)],
            "he": lambda: [(self.he, None)],
            "his": lambda: [(self.his, None)],
            "him": lambda: [(self.him, None)],
            "when": lambda: [(r.choice(lex.when), None)],
            "baby_age": lambda: [(_baby_age(received, family.dob), None)],
            "age": lambda: [(str(age), None)],
            "town2": lambda: [(r.choice(_TOWNS2), None)],
            "year": lambda: [(str(received.year - r.randint(2, 9)), None)],
            "school_year": lambda: [(_school_year(age), None)],
        }

    def _child(self) -> list[Piece]:
        r, child = self.r, self.f.child
        roll = r.random()
        if self.age == 0 and roll < 0.25:
            role = r.choice(("baby", "the baby", "baby"))
            if r.random() < 0.5:
                return [(f"{role} ", None), (child.first, "name")]
            return [(role, None)]
        if not self.child_named:
            self.child_named = True
            if roll < 0.3:
                return [(child.full, "name")]
            if roll < 0.45:
                age = _baby_age(self.received, self.f.dob) if self.age == 0 else str(self.age)
                return [(child.first, "name"), (f" ({age})", None)]
        if roll < 0.78:
            return [(child.first, "name")]
        return [(r.choice(("the child", "CYP", "the young person", "the child")), None)]

    def _speaker(self) -> list[Piece]:
        """Who says a child's own words: the child from the age of four, else a sibling."""
        if self.age >= 4:
            return self._child()
        sibling = self.r.choice(("older brother", "older sister", "big sister", "big brother"))
        return [(f"{self.his} {sibling} ", None), (self.f.sibling.first, "name")]

    def _mum(self) -> list[Piece]:
        r, m = self.r, self.f.mother
        roll = r.random()
        if roll < 0.4:
            return [(r.choice(("mum", "mum", "Mum", "mother")), None)]
        if roll < 0.55:
            return [("Mum (", None), (m.first, "name"), (")", None)]
        if roll < 0.75:
            return [(m.first, "name")]
        if roll < 0.85:
            return [("Ms ", None), (m.last, "name")]
        if roll < 0.93:
            return [(m.full, "name")]
        return [("the mother", None)]

    def _dad(self) -> list[Piece]:
        r, d = self.r, self.f.father
        roll = r.random()
        if roll < 0.45:
            return [(r.choice(("dad", "Dad", "father", "birth father")), None)]
        if roll < 0.6:
            return [("Dad (", None), (d.first, "name"), (")", None)]
        if roll < 0.85:
            return [(d.first, "name")]
        return [("Mr ", None), (d.last, "name")]

    def _partner(self) -> list[Piece]:
        r, p = self.r, self.f.partner
        roll = r.random()
        if roll < 0.25:
            return [("her partner ", None), (p.first, "name")]
        if roll < 0.5:
            return [(p.first, "name")]
        if roll < 0.65:
            return [(r.choice(("mum's partner", "the boyfriend", "mums new partner")), None)]
        if roll < 0.8:
            return [("Mr ", None), (p.last, "name")]
        if roll < 0.9:
            return [(p.full, "name")]
        return [("the partner (", None), (p.first, "name"), (")", None)]

    def _rel(self) -> list[Piece]:
        r, rel = self.r, self.f.relative
        roll = r.random()
        if roll < 0.45:
            return [
                (r.choice(("maternal grandmother", "nan", "an aunt", "grandma", "the aunt")), None)
            ]
        if roll < 0.75:
            return [(rel.first, "name")]
        return [(r.choice(("nan ", "aunt ", "grandmother ")), None), (rel.full, "name")]

    def _address(self) -> list[Piece]:
        pieces: list[Piece] = [(self.f.address, "address")]
        if self.r.random() < 0.75:
            pieces += [
                (", " if self.r.random() < 0.7 else " ", None),
                (self.f.postcode, "postcode"),
            ]
        return pieces

    def render(self, template: str, extra: dict[str, list[Piece]] | None = None) -> list[Piece]:
        """Render a template into pieces, resolving each slot afresh."""
        pieces: list[Piece] = []
        for is_slot, text in _tokens(template):
            if not is_slot:
                pieces.append((text, None))
            elif extra is not None and text in extra:
                pieces.extend(extra[text])
            else:
                pieces.extend(self.slots[text]())
        return pieces
