"""The checklist of the referrer self-check: a versioned data file a council can edit
(``training/configs/checklist.toml``), read and checked here.

Each question has an id, the question as a referrer sees it (``ask``), what counts as an
answer (``answered``, for the people who edit the file) and what the detector looks for:
``phrases`` in a small phrase language (the file's header describes it), ``exclude``
phrases that veto an overlapping match, PII kinds (``pii``) that answer it wherever the
redactor finds them, the scope flags under which a match does not count (``ignore_when``)
and ``speech`` for reported speech ("child": words the child said; "concrete": anyone's
words with their content). Everything is checked on load: a broken entry is refused with
the file and the entry named, never half-loaded.

A question never tells anyone not to refer: an ``ask`` or ``intro`` that discourages a
referral is refused.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from training.text.types import PII_KINDS

__all__ = [
    "SCOPE_FLAGS",
    "SPEECH_LISTS",
    "Checklist",
    "ChecklistError",
    "Question",
    "Slot",
    "default_checklist",
    "load_checklist",
    "parse_phrase",
]

#: Where the packaged checklist lives (inside the ``training.configs`` package).
_PACKAGED = "checklist.toml"

#: Scope flags a question may ignore matches under (the text pipeline's token flags).
SCOPE_FLAGS = ("negated", "hedged", "historical", "third_party")

#: Word lists the reported-speech rules read; a checklist that asks for ``speech`` has them.
SPEECH_LISTS = ("child_words", "adult_words", "adult_titles", "speech_verbs", "vague_words")

#: Wording that would tell a referrer not to refer: refused in ``ask`` and ``intro``.
_DISCOURAGING = re.compile(
    r"\b(do not|don't|dont|no need to|need not|needn't|should not|shouldn't|never|not)\s+"
    r"(refer|report|send|share|contact|call|phone)\b|\binstead of (referring|reporting)\b"
    r"|\bbefore (referring|reporting|you refer)\b",
    re.IGNORECASE,
)

#: A word of a phrase: letters, digits and "&", a clitic the tokenizer splits off ("'s" of
#: "she's"), or a placeholder such as "[name]".
_WORD = re.compile(r"^(\[[a-z_]+\]|[a-z0-9&]+|'[a-z]+)$")
_GAP = re.compile(r"^~([1-9])$")


class ChecklistError(ValueError):
    """A checklist file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One position of a compiled phrase: ``words`` to match (raw, normalised by the
    detector), or a number (``number``), or a gap of ``lo`` to ``hi`` words of any kind, or
    the end of the sentence (``end``)."""

    words: tuple[str, ...] = ()
    number: bool = False
    lo: int = 1
    hi: int = 1
    #: the end of a sentence ("$", last in a phrase): matches no word
    end: bool = False


def parse_phrase(phrase: str, words: dict[str, list[str]]) -> tuple[Slot, ...]:
    """The slots of one phrase (syntax in the checklist file's header), or ValueError
    saying what is wrong with it."""
    parts = phrase.split()
    at_end = bool(parts) and parts[-1] == "$"
    if at_end:
        parts = parts[:-1]
    if not parts:
        raise ValueError("an empty phrase")
    slots: list[Slot] = []
    for part in parts:
        if part == "$":
            raise ValueError("'$' (the end of the sentence) may only end a phrase")
        optional = part.endswith("?") and len(part) > 1
        body = part[:-1] if optional else part
        lo = 0 if optional else 1
        gap = _GAP.match(body)
        if gap:
            if optional:
                raise ValueError(f"{part!r}: a gap is already optional")
            slots.append(Slot(lo=0, hi=int(gap.group(1))))
            continue
        if body == "*":
            slots.append(Slot(lo=lo))
            continue
        if body == "#":
            slots.append(Slot(number=True, lo=lo))
            continue
        alternatives: list[str] = []
        for alt in body.split("|"):
            if alt.startswith("@"):
                if alt[1:] not in words:
                    raise ValueError(f"{part!r}: no word list {alt!r} in [words]")
                alternatives.extend(words[alt[1:]])
            elif _WORD.match(alt.lower()):
                alternatives.append(alt.lower())
            else:
                raise ValueError(
                    f"{alt!r} is not a word (letters, digits, '&', a clitic such as 's or a "
                    "placeholder such as [name]; write a hyphenated word as separate words)"
                )
        slots.append(Slot(words=tuple(alternatives), lo=lo))
    if all(s.lo == 0 for s in slots):
        raise ValueError("every word of the phrase is optional: it would match anywhere")
    if slots[0].lo == 0 and not slots[0].words and not slots[0].number:
        raise ValueError("a phrase cannot open with a gap")
    if at_end:
        slots.append(Slot(lo=0, hi=0, end=True))
    return tuple(slots)


def _never_discourages(value: str) -> str:
    if _DISCOURAGING.search(value):
        raise ValueError("text shown to a referrer must never suggest not referring")
    return value


#: Text a referrer reads: plain length, and never a suggestion not to refer.
ShownText = Annotated[str, Field(min_length=10, max_length=400), AfterValidator(_never_discourages)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_Strict):
    """One question of the checklist (see the module docstring)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    ask: ShownText
    answered: str = Field(min_length=10, max_length=400)
    phrases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    pii: tuple[str, ...] = ()
    ignore_when: tuple[Literal["negated", "hedged", "historical", "third_party"], ...] = ()
    speech: Literal["child", "concrete"] | None = None

    @field_validator("pii")
    @classmethod
    def _known_kinds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(PII_KINDS))
        if unknown:
            raise ValueError(f"unknown PII kinds {unknown}; known: {list(PII_KINDS)}")
        return value


class Checklist(_Strict):
    """The checklist file: its version, the line shown above the questions, an optional
    MASH phone number, named word lists and the questions in the order shown."""

    version: str = Field(min_length=1, max_length=40)
    intro: ShownText
    mash_phone: str = Field("", pattern=r"^[0-9 +()]{0,24}$")
    words: dict[str, list[str]] = Field(default_factory=dict)
    question: tuple[Question, ...] = Field(min_length=1, max_length=20)

    def ids(self) -> tuple[str, ...]:
        """The question ids, in the order shown."""
        return tuple(q.id for q in self.question)


def _entry(raw: dict[str, Any], loc: tuple[Any, ...]) -> str:
    """Where a validation error lies, as a person editing the file would look for it."""
    if len(loc) >= 2 and loc[0] == "question" and isinstance(loc[1], int):
        entries = raw.get("question")
        qid = None
        if (
            isinstance(entries, list)
            and loc[1] < len(entries)
            and isinstance(entries[loc[1]], dict)
        ):
            qid = entries[loc[1]].get("id")
        field = ".".join(str(x) for x in loc[2:]) or "entry"
        return f"question {loc[1] + 1} ({qid!r}), {field}"
    return ".".join(str(x) for x in loc) or "top level"


def _check_entries(checklist: Checklist, source: str) -> None:
    """What pydantic cannot see: unique ids, every phrase parses, each question has a way to
    be answered, and the word lists reported speech needs are there."""
    seen: set[str] = set()
    for n, q in enumerate(checklist.question, start=1):
        where = f"{source}: question {n} ({q.id!r})"
        if q.id in seen:
            raise ChecklistError(f"{where}: the id is used twice")
        seen.add(q.id)
        if not (q.phrases or q.pii or q.speech):
            raise ChecklistError(f"{where}: needs phrases, pii or speech to be answered")
        for field in ("phrases", "exclude"):
            for k, phrase in enumerate(getattr(q, field)):
                try:
                    parse_phrase(phrase, checklist.words)
                except ValueError as err:
                    raise ChecklistError(f"{where}, {field}[{k}] {phrase!r}: {err}") from None
        if q.speech:
            absent = [name for name in SPEECH_LISTS if not checklist.words.get(name)]
            if absent:
                raise ChecklistError(f"{where}: speech needs the word lists {absent} in [words]")
    for name, values in checklist.words.items():
        bad = [v for v in values if not _WORD.match(v.lower())]
        if bad:
            raise ChecklistError(f"{source}: words.{name}: not single words: {bad[:3]}")


def load_checklist(path: Path | None = None, *, text: str | None = None) -> Checklist:
    """The checklist of ``path`` (or TOML ``text``; by default the packaged file), checked
    whole. Raises :class:`ChecklistError` naming the file and the entry at fault."""
    if text is not None:
        source = str(path) if path is not None else "<checklist text>"
    elif path is not None:
        source = str(path)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ChecklistError(f"{source}: cannot be read ({err.__class__.__name__})") from None
    else:
        source = f"training/configs/{_PACKAGED}"
        text = resources.files("training.configs").joinpath(_PACKAGED).read_text("utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ChecklistError(f"{source}: not valid TOML ({err})") from None
    try:
        checklist = Checklist.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = _entry(raw, tuple(first["loc"]))
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        raise ChecklistError(f"{source}: {where}: {first['msg']}{more}") from None
    _check_entries(checklist, source)
    return checklist


@cache
def default_checklist() -> Checklist:
    """The packaged checklist, read and checked once per process."""
    return load_checklist()
