"""The referrer self-check: for each question of the checklist, whether a draft concern
answers it, with the evidence span where it does, and always the safety line.

The draft goes through the text pipeline (normalised words, PII as placeholders, sentences,
negation / hedging / historical / third-hand scope); each question is answered by

* a PII kind the redactor found (a date of birth answers the child's age);
* a phrase of the question in one sentence, not vetoed by an overlapping ``exclude``
  phrase, and not under a scope flag the question ignores (a hedged "might have seen" is
  no observation);
* reported speech (:mod:`training.text.checklist.speech`): "child" asks for words the
  child said; "concrete" for anyone's words (the referrer's own excepted) whose content is
  more than a worry, a label or the referral itself.

Nothing here stores, logs or returns the draft: a :class:`SelfCheck` holds the question
ids, whether each is answered, and character offsets into the draft, which the caller
already has. The self-check never tells anyone not to refer; a question it calls missing
is something the MASH will ask, not a reason to hold a concern back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.lang.en.lex_attrs import like_num
from spacy.strings import get_string_id  # type: ignore[attr-defined]
from spacy.tokens import Doc
from spacy.vocab import Vocab

from training.text import analyse
from training.text.checklist.questions import (
    Checklist,
    Question,
    Slot,
    default_checklist,
    parse_phrase,
)
from training.text.checklist.speech import SpeechReader
from training.text.checklist.words import DraftWords, draft_words
from training.text.normalise import norm_word
from training.text.rules import DocArrays, TokenRules
from training.text.types import Analysis

__all__ = [
    "SAFETY_LINE",
    "ChecklistDetector",
    "QuestionResult",
    "SelfCheck",
    "check_analysis",
    "check_draft",
    "get_detector",
]

#: Shown with every self-check, whatever the draft says and whatever the checklist file
#: holds: the one thing a referrer must not miss.
SAFETY_LINE = (
    "If a child is at immediate risk, phone the police on 999 or the MASH now, as well as "
    "writing. If you are in doubt, refer: it is always right to share a worry about a child."
)

_EXCLUDE = "::exclude"
_AT_END = "::end"


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """One question for one draft: its id, the question as a referrer sees it, whether the
    draft answers it, and where (``evidence``: ``(start, end)`` character offsets into the
    draft, None when it does not)."""

    id: str
    ask: str
    answered: bool
    evidence: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class SelfCheck:
    """The self-check of one draft: the checklist's version and intro, each question's
    result in the checklist's order, and the safety line (always present)."""

    checklist_version: str
    intro: str
    questions: tuple[QuestionResult, ...]
    safety: str

    @property
    def missing(self) -> tuple[str, ...]:
        """Ids of the questions the draft does not answer yet, in the checklist's order."""
        return tuple(q.id for q in self.questions if not q.answered)

    @property
    def answered(self) -> frozenset[str]:
        """Ids of the questions the draft answers."""
        return frozenset(q.id for q in self.questions if q.answered)

    def audit_counts(self) -> dict[str, int]:
        """What an audit event may keep of a self-check: counts, never text or offsets."""
        n = len(self.questions)
        return {"questions": n, "answered": n - len(self.missing), "missing": len(self.missing)}


def _norm(word: str) -> str:
    return word if word.startswith("[") else norm_word(word)


def _token_pattern(slots: Sequence[Slot]) -> list[dict[str, Any]]:
    """A compiled phrase as a token pattern of the matcher ``training.text.rules`` runs."""
    pattern: list[dict[str, Any]] = []
    for slot in slots:
        spec: dict[str, Any]
        if slot.end:
            continue
        if slot.words:
            spec = {"NORM": {"IN": list(slot.words)}}
        elif slot.number:
            spec = {"LIKE_NUM": True}
        else:
            spec = {}
        if (slot.lo, slot.hi) == (0, 1):
            spec["OP"] = "?"
        elif (slot.lo, slot.hi) != (1, 1):
            spec["OP"] = f"{{{slot.lo},{slot.hi}}}"
        pattern.append(spec)
    return pattern


class ChecklistDetector:
    """A checklist compiled for detection: one matcher for every question's phrases and
    the reported-speech reader. Read-only once built, so one instance serves every thread."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        patterns: dict[str, list[list[dict[str, Any]]]] = {}
        for q in checklist.question:
            for key, phrases in ((q.id, q.phrases), (q.id + _EXCLUDE, q.exclude)):
                for phrase in phrases:
                    slots = parse_phrase(phrase, checklist.words)
                    # a phrase anchored at the sentence end is checked after matching
                    anchored = key + _AT_END if slots[-1].end else key
                    patterns.setdefault(anchored, []).append(_token_pattern(slots))
        # Pattern words go into a vocabulary of the detector's own (bounded by the file);
        # draft words are compared by their string ids (spaCy's symbol id for the words it
        # reserves, such as "number" and "mark", else the hash) and never added to any
        # vocabulary, so a long-running service does not grow with what it reads.
        vocab = Vocab()
        self._rules = TokenRules(vocab, patterns, norm=_norm)
        # The matcher reads a Doc only for REGEX specs, which phrases never compile to.
        self._empty = Doc(vocab, words=[])
        self._ignore = {q.id: q.ignore_when for q in checklist.question}
        words = checklist.words
        self._speech = SpeechReader(words) if any(q.speech for q in checklist.question) else None
        self._titles = frozenset(w.lower() for w in words.get("adult_titles", ()))
        self._adults = frozenset(norm_word(w) for w in words.get("adult_words", ()))
        self._vague = frozenset(norm_word(w) for w in words.get("vague_words", ()))
        self.safety = (
            f"{SAFETY_LINE} The MASH: {checklist.mash_phone}."
            if checklist.mash_phone
            else SAFETY_LINE
        )

    def check(self, text: str, analysis: Analysis) -> SelfCheck:
        """The self-check of ``text``, analysed by the text pipeline as ``analysis``."""
        w = draft_words(text, analysis, adult_titles=self._titles, adult_norms=self._adults)
        found = self._phrases(w)
        pii: dict[str, tuple[int, int]] = {}
        for span in analysis.pii:
            pii.setdefault(span.kind, (span.start, span.end))
        speech = self._speech_evidence(w) if self._speech is not None else {}
        results = tuple(
            self._answer(q, found.get(q.id), pii, speech) for q in self.checklist.question
        )
        return SelfCheck(self.checklist.version, self.checklist.intro, results, self.safety)

    def _answer(
        self,
        q: Question,
        phrase: tuple[int, int] | None,
        pii: Mapping[str, tuple[int, int]],
        speech: Mapping[str, tuple[int, int]],
    ) -> QuestionResult:
        spans = [pii[k] for k in q.pii if k in pii]
        if phrase is not None:
            spans.append(phrase)
        if q.speech and q.speech in speech:
            spans.append(speech[q.speech])
        evidence = min(spans) if spans else None
        return QuestionResult(q.id, q.ask, evidence is not None, evidence)

    def _phrases(self, w: DraftWords) -> dict[str, tuple[int, int]]:
        """Per question id, the character span of its first phrase match that counts."""
        if not len(w):
            return {}
        norms = [get_string_id(x) for x in w.norm]
        arrays = DocArrays(
            (norms, norms, norms),
            [int(like_num(x)) for x in w.norm],
            [0] * len(w),
            [0] * len(w),
            w.start,
            [b - a for a, b in zip(w.start, w.end, strict=True)],
            self._empty,
        )
        matches: list[tuple[str, int, int]] = []
        vetoes: dict[str, list[tuple[int, int]]] = {}
        for key, s, e in self._rules(arrays):
            if w.sent[s] != w.sent[e - 1]:
                continue
            if key.endswith(_AT_END):
                if e < len(w) and w.sent[e] == w.sent[s]:
                    continue
                key = key[: -len(_AT_END)]
            if key.endswith(_EXCLUDE):
                vetoes.setdefault(key[: -len(_EXCLUDE)], []).append((s, e))
            else:
                matches.append((key, s, e))
        out: dict[str, tuple[int, int]] = {}
        for key, s, e in matches:
            if key in out:
                continue
            if any(s < b and a < e for a, b in vetoes.get(key, ())):
                continue
            if any(_flagged(w, flag, s, e) for flag in self._ignore[key]):
                continue
            out[key] = (w.start[s], w.end[e - 1])
        return out

    def _speech_evidence(self, w: DraftWords) -> dict[str, tuple[int, int]]:
        """The first speech event of the child (``"child"``) and the first with concrete
        content (``"concrete"``), as character spans."""
        assert self._speech is not None
        out: dict[str, tuple[int, int]] = {}
        for event in self._speech.events(w):
            if event.speaker == "child":
                out.setdefault("child", event.span)
            if event.speaker == "child" or (
                event.speaker != "referrer" and not self._is_vague(w, event.content)
            ):
                out.setdefault("concrete", event.span)
            if len(out) == 2:
                break
        return out

    def _is_vague(self, w: DraftWords, content: tuple[int, int]) -> bool:
        """Whether reported content is a worry, a label or the referral itself (a vague
        word among its first ten), or a request ("asked school to help")."""
        a, b = content
        return w.norm[a] == "to" or any(w.norm[k] in self._vague for k in range(a, min(b, a + 10)))


def _flagged(w: DraftWords, flag: str, s: int, e: int) -> bool:
    column: list[bool] = getattr(w, flag)
    return any(column[s:e])


@cache
def get_detector() -> ChecklistDetector:
    """The detector of the packaged checklist, built once per process."""
    return ChecklistDetector(default_checklist())


def check_analysis(
    text: str, analysis: Analysis, *, detector: ChecklistDetector | None = None
) -> SelfCheck:
    """The self-check of a draft already analysed by the text pipeline (``analysis`` of
    ``text``), e.g. by a caller that also looks for similar cases."""
    return (detector or get_detector()).check(text, analysis)


def check_draft(text: str, *, detector: ChecklistDetector | None = None) -> SelfCheck:
    """The self-check of one draft concern: for each question of the checklist (the
    packaged one unless ``detector`` holds another), whether the draft answers it and
    where; and the safety line. An empty draft answers nothing. A few milliseconds per
    draft of 250 words; nothing is stored or logged."""
    det = detector or get_detector()
    if not text.strip():
        empty = tuple(QuestionResult(q.id, q.ask, False, None) for q in det.checklist.question)
        return SelfCheck(det.checklist.version, det.checklist.intro, empty, det.safety)
    return det.check(text, analyse(text))
