"""The layouts a contact arrives in: a free note, a referral form with field labels and blank
fields, a police notification, a health record, a school safeguarding log, an e-mail chain
with the concern in a quoted message, and call notes.

A layout only arranges what :mod:`training.data.generate.text` wrote (the sentences of
each section of a :class:`Content`) among boilerplate from ``boilerplate.toml``: titles,
fields, section labels, sign-offs, consent and contact lines, e-mail headers and
disclaimers. Every choice here is drawn from the contact's own random stream
independently of what the contact says, and no sentence of the content is ever dropped: a
section a form leaves out hands its sentences to another. Form text is appended as fixed
pieces (never styled), the referrer's prose is styled, personal data keeps its spans.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from training.data.generate.lexicon import Templates
from training.data.generate.writer import FIXED, Builder, Piece, Style, Writer, fixed, join

__all__ = ["Content", "lay_out"]

Sentence = list[Piece]


@dataclass(slots=True)
class Content:
    """What one contact says, by section, before it is laid out.

    ``opening`` is the voice's first sentence (empty for a bare one-liner); ``concern`` the
    concerns and the sentences that go with them; ``early_help`` the early help history;
    ``strengths`` protective factors; ``background`` historical mentions and ordinary
    detail; ``routine`` routine events (log entries in a chronology); ``actions`` what the
    referrer did; ``hedges`` threshold hedges; ``closing`` consent and contact lines;
    ``tone_open`` and ``tone_close`` an alarmed or calm opener and closer (empty when none).
    ``long`` says the contact is long, so its concern sits among ordinary detail.
    """

    opening: Sentence
    concern: list[Sentence] = field(default_factory=list)
    early_help: list[Sentence] = field(default_factory=list)
    strengths: list[Sentence] = field(default_factory=list)
    background: list[Sentence] = field(default_factory=list)
    routine: list[Sentence] = field(default_factory=list)
    actions: list[Sentence] = field(default_factory=list)
    hedges: list[Sentence] = field(default_factory=list)
    closing: list[Sentence] = field(default_factory=list)
    tone_open: Sentence = field(default_factory=list)
    tone_close: Sentence = field(default_factory=list)
    long: bool = False


class _Layout:
    """The state one layout needs: the stream, builder, writer, style and boilerplate."""

    def __init__(self, b: Builder, w: Writer, c: Content, *, style: Style, anonymous: bool) -> None:
        self.r: random.Random = b.r
        self.b = b
        self.w = w
        self.c = c
        self.style = style
        self.anonymous = anonymous
        self.common = w.lex.boilerplate["common"]

    # -- boilerplate -----------------------------------------------------------------------

    def pick(self, templates: Templates) -> str:
        return self.r.choice(templates)

    def fixed_line(self, template: str) -> None:
        self.b.line(fixed(self.w.render(template)))

    def labelled(self, label: str, templates: Templates) -> None:
        """A line of a label and a value drawn from ``templates``, both form text."""
        self.b.line([(label + " ", FIXED), *fixed(self.w.render(self.pick(templates)))])

    def blank_line(self) -> None:
        self.b.add([("\n", FIXED)])

    def fields(self, pool: Templates, low: int, high: int) -> None:
        """Between ``low`` and ``high`` of the field lines of ``pool``, in its order; a value
        is left blank at random (fields of a {blank} slot always are)."""
        r = self.r
        pool = tuple(t for t in pool if not (self.anonymous and "{referrer" in t))
        chosen = sorted(r.sample(range(len(pool)), min(len(pool), r.randint(low, high))))
        for k in chosen:
            label, sep, value = pool[k].partition(": ")
            if not sep:
                label, sep, value = pool[k].partition("? ")
            if value == "{blank}" or r.random() < 0.12:
                blank = r.choice(self.common["blanks"]) if r.random() < 0.6 else ""
                self.b.line(f"{label}{sep}{blank}".rstrip())
            else:
                self.b.line([(label + sep, FIXED), *fixed(self.w.render(value))])

    def marking(self, rate: float) -> None:
        if self.r.random() < rate:
            self.b.line(self.pick(self.common["markings"]))

    # -- prose -----------------------------------------------------------------------------

    def prose(self, sentences: list[Sentence], *, quote: str = "") -> None:
        """One paragraph of the referrer's prose, then a line break."""
        if not sentences:
            return
        if quote:
            self.b.add([(quote, FIXED)])
        join(self.b, sentences, self.style)
        self.blank_line()

    def section(
        self, labels: Templates, sentences: list[Sentence], *, blank_ok: bool = True
    ) -> None:
        """A labelled section of a form: the label inline or on a line of its own, then the
        prose, or a blank value when there is none."""
        r = self.r
        label = self.pick(labels)
        if not sentences:
            if blank_ok:
                blank = r.choice(self.common["blanks"]) if r.random() < 0.6 else ""
                self.b.line(f"{label} {blank}".rstrip())
            return
        if r.random() < 0.45:
            self.b.add([(label + " ", FIXED)])
        else:
            self.b.line(label)
        self.prose(sentences)

    def mixed(self, *groups: list[Sentence]) -> list[Sentence]:
        """The sentences of ``groups`` in a random order."""
        out = [s for g in groups for s in g]
        self.r.shuffle(out)
        return out

    def narrative(self, *, with_opening: bool) -> list[Sentence]:
        """The body of the concern as one run of prose: for a long contact the concern sits
        among the ordinary detail, otherwise everything is mixed."""
        c = self.c
        head = [c.opening] if with_opening and c.opening else []
        return head + c.hedges + self.mixed(c.concern, c.background, c.routine)

    def signoff(self, rate: float) -> None:
        if not self.anonymous and self.r.random() < rate:
            self.fixed_line(self.pick(self.common["signoffs"]))

    def tone_open(self) -> None:
        if self.c.tone_open:
            self.prose([self.c.tone_open])

    def tone_close(self) -> None:
        if self.c.tone_close:
            self.prose([self.c.tone_close])


def _free(x: _Layout) -> None:
    """A note in the referrer's words: opening, body, consent and contact lines."""
    c, r = x.c, x.r
    x.tone_open()
    if c.opening:
        join(x.b, [c.opening], x.style)
        x.b.add([("\n" if r.random() < 0.85 else " ", FIXED)])
    if c.long:
        first = x.mixed(c.background[: len(c.background) // 2], c.routine)
        second = x.mixed(c.concern, c.background[len(c.background) // 2 :])
        third = c.strengths + c.early_help + c.actions
        for k, paragraph in enumerate((c.hedges + first, second, third)):
            if paragraph:
                x.prose(paragraph)
                if k < 2 and r.random() < 0.7:
                    x.blank_line()
    else:
        middle = x.mixed(c.concern, c.background, c.routine, c.strengths, c.early_help, c.actions)
        x.prose(c.hedges + middle)
    x.prose(c.closing)
    x.tone_close()
    x.signoff(0.3)


def _form(x: _Layout) -> None:
    """A multi-agency referral form: title, fields (some blank) and labelled sections."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["form"]
    x.marking(0.25)
    x.b.line(x.pick(parts["titles"]))
    x.fields(parts["fields"], 3, 9)
    if r.random() < 0.6:
        x.blank_line()
    x.tone_open()
    # A form without a section for strengths, early help or actions has them written in
    # its background instead.
    background = c.background + c.routine
    kept: dict[str, list[Sentence]] = {}
    for name, sentences, rate in (
        ("strengths", c.strengths, 0.7),
        ("early_help", c.early_help, 0.7),
        ("actions", c.actions, 0.6),
    ):
        kept[name] = sentences if r.random() < rate else []
        if not kept[name]:
            background = background + sentences
    concern = [c.opening] if c.opening and r.random() < 0.5 else []
    concern += c.hedges + (x.mixed(c.concern, background) if c.long else c.concern)
    x.section(parts["concern"], concern)
    if not c.long:
        x.section(parts["background"], x.mixed(background), blank_ok=r.random() < 0.5)
    x.section(parts["strengths"], kept["strengths"], blank_ok=r.random() < 0.7)
    x.section(parts["early_help"], kept["early_help"], blank_ok=r.random() < 0.7)
    x.section(parts["actions"], kept["actions"], blank_ok=r.random() < 0.5)
    if r.random() < 0.6:
        x.labelled(x.pick(parts["consent_labels"]), parts["consent_values"])
    x.prose(c.closing)
    x.tone_close()
    x.signoff(0.3)


def _record_head(x: _Layout, parts: Mapping[str, Templates], *, marking: float) -> None:
    """The head of a police or health record: marking, title, fields, a blank line at times,
    and the tone's opening."""
    x.marking(marking)
    x.b.line(x.pick(parts["titles"]))
    x.fields(parts["fields"], 4, 9)
    if x.r.random() < 0.5:
        x.blank_line()
    x.tone_open()


def _record_concern(x: _Layout, parts: Mapping[str, Templates], *, opening: float) -> bool:
    """The concern section of a record, told whole as a narrative for a long contact (True)
    or as its opening (with chance ``opening``), hedges and concern sentences (False)."""
    c = x.c
    with_opening = x.r.random() < opening
    if c.long:
        x.section(parts["concern"], x.narrative(with_opening=with_opening))
        return True
    head = [c.opening] if with_opening and c.opening else []
    x.section(parts["concern"], head + c.hedges + c.concern)
    return False


def _police(x: _Layout) -> None:
    """A police notification: marking, title, occurrence fields, circumstances, the voice of
    the child, observations, history, actions and a risk line that grades nothing."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["police"]
    _record_head(x, parts, marking=0.4)
    as_narrative = _record_concern(x, parts, opening=0.6)
    history: list[Sentence] = [] if as_narrative else x.mixed(c.background, c.routine)
    if r.random() < 0.7:
        x.labelled(x.pick(parts["child_voice"]), parts["child_voice_values"])
    x.section(parts["observations"], c.strengths, blank_ok=r.random() < 0.4)
    x.section(parts["background"], history + c.early_help, blank_ok=r.random() < 0.5)
    x.section(parts["actions"], c.actions, blank_ok=r.random() < 0.5)
    if r.random() < 0.6:
        x.b.line(f"{x.pick(parts['risk_labels'])} {x.pick(parts['risk_values'])}")
    x.prose(c.closing)
    x.tone_close()


def _health(x: _Layout) -> None:
    """A health record: title, patient fields, reason, history, observations and plan."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["health"]
    _record_head(x, parts, marking=0.15)
    if _record_concern(x, parts, opening=0.5):
        history = c.early_help
    else:
        history = x.mixed(c.background, c.routine, c.early_help)
    x.section(parts["background"], history, blank_ok=r.random() < 0.5)
    x.section(parts["observations"], c.strengths, blank_ok=r.random() < 0.5)
    x.section(parts["actions"], c.actions, blank_ok=r.random() < 0.6)
    x.prose(c.closing)
    x.tone_close()
    x.signoff(0.2)


def _school_log(x: _Layout) -> None:
    """A school safeguarding log (CPOMS-like): header fields, the entry, actions, and for a
    long contact earlier routine entries of the chronology."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["school_log"]
    if r.random() < 0.6:
        x.b.line(x.pick(parts["titles"]))
    x.fields(parts["fields"], 3, 8)
    x.tone_open()
    head = [c.opening] if c.opening and r.random() < 0.5 else []
    entry = head + c.hedges + x.mixed(c.concern, c.background, c.strengths, c.early_help)
    if r.random() < 0.5:
        x.section(parts["concern"], entry)
    else:
        x.prose(entry)
    x.section(parts["actions"], c.actions, blank_ok=r.random() < 0.6)
    x.prose(c.closing)
    x.tone_close()
    for sentence in c.routine:
        x.blank_line()
        x.fixed_line(x.pick(parts["entry_heads"]))
        x.prose([sentence])


def _email(x: _Layout) -> None:
    """An e-mail chain: headers, a short forwarding note and sign-off, then the concern in
    the quoted original message."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["email"]
    w, b = x.w, x.b
    b.line([("From: ", FIXED), *w.slots["referrer"](), (" <", FIXED), *w.slots["referrer_email"](), (">", FIXED)])  # fmt: skip
    b.line([("Sent: ", FIXED), *fixed(w.render("{date} {time}"))])
    x.fixed_line(x.pick(parts["to"]))
    if r.random() < 0.3:
        b.line(f"Cc: {r.choice(x.common['blanks'])}".rstrip())
    subject = fixed(w.render("{subject}"))
    b.line([("Subject: ", FIXED), *subject])
    x.blank_line()
    if r.random() < 0.7:
        b.line(x.pick(x.common["greetings"]) + ",")
    x.tone_open()
    x.prose([w.render(x.pick(parts["forwards"]))])
    x.signoff(0.8)
    x.blank_line()
    head = w.render(x.pick(parts["quote_heads"]), {"subject": subject})
    b.line(fixed(head))
    quote = "> " if r.random() < 0.5 else ""
    if c.opening:
        x.prose([c.opening], quote=quote)
    if c.long:
        x.prose(c.hedges + x.mixed(c.background, c.routine), quote=quote)
        x.prose(x.mixed(c.concern, c.strengths), quote=quote)
    else:
        x.prose(c.hedges + x.mixed(c.concern, c.background, c.routine, c.strengths), quote=quote)
    x.prose(c.early_help + c.actions, quote=quote)
    x.prose(c.closing, quote=quote)
    x.tone_close()
    if r.random() < 0.5:
        b.line([(quote, FIXED), *w.slots["worker"]()])
    if r.random() < 0.5:
        x.blank_line()
        b.line(x.pick(x.common["disclaimers"]))
    x.marking(0.15)


def _call(x: _Layout) -> None:
    """Call notes: title, call fields (an anonymous caller's withheld), the details of the
    call, what the caller wants and the advice given."""
    c, r, parts = x.c, x.r, x.w.lex.boilerplate["call"]
    x.b.line(x.pick(parts["titles"]))
    if x.anonymous:
        x.b.line(x.pick(parts["anonymous_fields"]))
    x.fields(parts["fields"], 3, 8)
    x.tone_open()
    details = x.narrative(with_opening=r.random() < 0.5) + x.mixed(
        c.strengths, c.early_help, c.actions
    )
    x.section(parts["concern"], details)
    if r.random() < 0.5:
        x.b.line(f"{x.pick(parts['wishes'])} {x.pick(parts['wishes_values'])}")
    if r.random() < 0.6:
        x.b.line(x.pick(parts["advice"]))
    x.prose(c.closing)
    x.tone_close()


_LAYOUTS: Final[dict[str, Callable[[_Layout], None]]] = {
    "free": _free,
    "form": _form,
    "police": _police,
    "health": _health,
    "school_log": _school_log,
    "email": _email,
    "call": _call,
}


def lay_out(
    layout: str,
    builder: Builder,
    writer: Writer,
    content: Content,
    *,
    style: Style,
    anonymous: bool = False,
) -> None:
    """Append ``content`` to ``builder`` in ``layout`` (one of ``lexicon.LAYOUTS``);
    ``anonymous`` leaves out every field and sign-off that would name the referrer."""
    _LAYOUTS[layout](_Layout(builder, writer, content, style=style, anonymous=anonymous))
