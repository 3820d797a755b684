"""The referrer self-check: the checklist file a council edits loads and a broken one is
refused with the file and the entry named; each question is found answered or missing on
hand-written cases (``cases/referrer_checklist.jsonl``, written for these tests, none taken
from the drafts); the safety line comes with every result and nothing shown to a referrer
suggests not referring; nothing of a draft reaches a log or the result; and on the
development drafts (data/drafts/dev.jsonl) recall and precision of each missing question
stay at least at the floors below, a little under those measured, so that a change that
loses ground fails here. The test drafts are reported by bench/bench_checklist.py only.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from training.text.checklist import (
    SAFETY_LINE,
    ChecklistDetector,
    ChecklistError,
    SelfCheck,
    check_draft,
    default_checklist,
    load_checklist,
)
from training.text.checklist.measure import MissingScore, read_drafts, score_missing

ROOT = Path(__file__).resolve().parents[3]
PACKAGED = ROOT / "training" / "configs" / "checklist.toml"
DEV = ROOT / "data" / "drafts" / "dev.jsonl"
CASES = [
    json.loads(line)
    for line in (Path(__file__).with_name("cases") / "referrer_checklist.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]
QUESTIONS = (
    "age",
    "household",
    "seen_or_said",
    "child_words",
    "tried",
    "parents_aware",
    "immediate_safety",
)

#: question -> (recall, precision) of "missing" the development drafts must keep (measured
#: 0.98/1.00 for age, seen_or_said and child_words, 1.00/1.00 for the rest).
FLOORS: dict[str, tuple[float, float]] = {
    "age": (0.93, 0.95),
    "household": (0.95, 0.95),
    "seen_or_said": (0.90, 0.95),
    "child_words": (0.93, 0.95),
    "tried": (0.95, 0.95),
    "parents_aware": (0.95, 0.95),
    "immediate_safety": (0.95, 0.95),
}

#: Wording that would tell a referrer not to refer, or to hold a concern back.
DISCOURAGING = re.compile(
    r"\b(do not|don't|no need to|need not|should not|shouldn't|never) (refer|report|send|share)"
    r"|\bnot (worth|necessary|needed)\b|\binstead of referring\b",
    re.IGNORECASE,
)


def _result(check: SelfCheck, question: str) -> Any:
    return next(q for q in check.questions if q.id == question)


# -- the checklist file ----------------------------------------------------------------------


def test_the_packaged_checklist_loads_with_the_seven_questions_in_order() -> None:
    checklist = load_checklist(PACKAGED)
    assert checklist.ids() == QUESTIONS
    assert checklist.version
    assert all(q.ask.endswith(("?", ".")) for q in checklist.question)
    assert default_checklist().ids() == QUESTIONS


BROKEN = [
    ("version = ", "version = = ", "not valid TOML"),
    ('version = "2026.1"', 'version = "2026.1"\ncolour = "blue"', "colour"),
    ('id = "household"', 'id = "age"', "question 2 ('age'): the id is used twice"),
    ('"lodger|lodgers",', '"lodger|@lodgers",', "question 2 ('household'), phrases"),
    ('pii = ["dob"]', 'pii = ["shoe_size"]', "question 1 ('age'), pii"),
    (
        "How old is the child?",
        "No need to refer unless you know how old the child is?",
        "question 1 ('age'), ask",
    ),
    ('"pre birth",', '"pre-birth",', "'pre-birth' is not a word"),
    ('"due date",', '"due $ date",', "may only end a phrase"),
    ('mash_phone = ""', 'mash_phone = "call us"', "mash_phone"),
    ('speech = "child"', 'speech = "parent"', "question 4 ('child_words'), speech"),
    ('ignore_when = ["negated", "hedged"]', 'ignore_when = ["sarcastic"]', "ignore_when"),
]


@pytest.mark.parametrize(("old", "new", "says"), BROKEN, ids=[b[2] for b in BROKEN])
def test_a_broken_checklist_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    text = PACKAGED.read_text("utf-8")
    assert old in text
    path = tmp_path / "council_checklist.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert says in message


def test_a_question_with_no_way_to_be_answered_is_refused(tmp_path: Path) -> None:
    text = PACKAGED.read_text("utf-8")
    block = text[
        text.index('[[question]]\nid = "child_words"') : text.index('[[question]]\nid = "tried"')
    ]
    bare = "\n".join(
        line
        for line in block.splitlines()
        if line.startswith(("[[question]]", "id", "ask", "answered"))
    )
    path = tmp_path / "checklist.toml"
    path.write_text(text.replace(block, bare + "\n\n"), "utf-8")
    with pytest.raises(
        ChecklistError, match=r"question 4 \('child_words'\): needs phrases, pii or speech"
    ):
        load_checklist(path)


def test_an_unreadable_checklist_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(ChecklistError, match="missing.toml: cannot be read"):
        load_checklist(path)


def test_a_council_edit_changes_what_is_asked_and_what_counts(tmp_path: Path) -> None:
    text = (
        PACKAGED.read_text("utf-8")
        .replace('"lodger|lodgers",', '"lodger|lodgers",\n  "bedsit",')
        .replace('version = "2026.1"', 'version = "council-7"')
    )
    detector = ChecklistDetector(load_checklist(text=text))
    check = check_draft("Dev shares a bedsit with his uncle.", detector=detector)
    assert check.checklist_version == "council-7"
    assert _result(check, "household").answered
    assert not _result(check_draft("Dev shares a bedsit with his uncle."), "household").answered


# -- each question, answered or missing --------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[
        f"{c['question']}-{'answered' if c['answered'] else 'missing'}-{i}"
        for i, c in enumerate(CASES)
    ],
)
def test_each_question_is_found_answered_or_missing(case: dict[str, Any]) -> None:
    text = case["text"]
    result = _result(check_draft(text), case["question"])
    assert result.answered is case["answered"]
    if case["answered"]:
        assert result.evidence is not None
        start, end = result.evidence
        assert 0 <= start < end <= len(text)
        if "evidence" in case:
            assert case["evidence"] in text[start:end]
    else:
        assert result.evidence is None


def test_every_question_has_cases_both_ways() -> None:
    for question in QUESTIONS:
        kinds = {c["answered"] for c in CASES if c["question"] == question}
        assert kinds == {True, False}, question


def test_a_draft_saying_everything_answers_every_question() -> None:
    draft = (
        "Referral for Ayo Bello, DOB 04/05/2015. Ayo lives with his mum, her partner and his "
        'baby sister. This morning I saw a bruise on his cheek and he told me "Dan hit me '
        'with the remote". We have offered mum a place on the parenting course. Mum knows '
        "I am referring and agrees. He is safe in school until 3pm; I am worried about tonight."
    )
    check = check_draft(draft)
    assert check.missing == ()
    assert check.answered == frozenset(QUESTIONS)


def test_an_empty_or_vague_draft_misses_every_question_but_keeps_the_safety_line() -> None:
    for draft in ("", "   \n", "I am worried about a family and would like some advice please."):
        check = check_draft(draft)
        assert check.missing == QUESTIONS
        assert check.safety == SAFETY_LINE


# -- never tell anyone not to refer --------------------------------------------------------------


@pytest.mark.parametrize(
    "draft",
    [
        "",
        "Routine notification, no concerns, child safe and well, nothing further.",
        'Ayo (7) lives with mum; he said "Dan hit me"; mum is aware; safe tonight.',
        "x" * 20_000,
        "\u0000 [NAME] \"\"\" ' 07700 900123 ''' ???",
    ],
    ids=["empty", "no-concern", "complete", "long", "odd"],
)
def test_the_safety_line_is_always_returned(draft: str) -> None:
    check = check_draft(draft)
    assert check.safety == SAFETY_LINE
    assert "999" in check.safety and "MASH" in check.safety and "refer" in check.safety


def test_nothing_shown_to_a_referrer_suggests_not_referring() -> None:
    check = check_draft("Routine notification, no concerns, child safe and well.")
    shown = [check.intro, check.safety, *(q.ask for q in check.questions)]
    assert not any(DISCOURAGING.search(text) for text in shown)
    assert "in doubt, refer" in SAFETY_LINE


def test_a_council_phone_number_follows_the_safety_line() -> None:
    text = PACKAGED.read_text("utf-8").replace('mash_phone = ""', 'mash_phone = "0300 126 1000"')
    check = check_draft("Mum is aware.", detector=ChecklistDetector(load_checklist(text=text)))
    assert check.safety.startswith(SAFETY_LINE)
    assert check.safety.endswith("The MASH: 0300 126 1000.")


# -- nothing of the draft kept -------------------------------------------------------------------

SECRET = 'Quentin Zebedee-Marchbanks, aged 7, told me "the lodger hurts me"; he is unsafe tonight.'


def test_a_draft_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        check_draft(SECRET)
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for word in ("Quentin", "Zebedee", "Marchbanks", "lodger", "hurts"):
        assert word not in logged


def test_a_self_check_holds_offsets_and_counts_never_the_text() -> None:
    check = check_draft(SECRET)
    held = repr(check) + json.dumps(check.audit_counts())
    for word in ("Quentin", "Zebedee", "lodger", "hurts"):
        assert word not in held
    assert check.audit_counts() == {"questions": 7, "answered": 4, "missing": 3}
    assert set(check.audit_counts()) == {"questions", "answered", "missing"}


# -- measured on the development drafts ------------------------------------------------------


@pytest.fixture(scope="module")
def dev_score() -> MissingScore:
    return score_missing(
        read_drafts(DEV), lambda text: check_draft(text).answered, questions=QUESTIONS
    )


@pytest.mark.parametrize("question", QUESTIONS)
def test_dev_drafts_recall_and_precision_of_each_missing_question(
    dev_score: MissingScore, question: str
) -> None:
    recall_floor, precision_floor = FLOORS[question]
    assert dev_score.marked[question] >= 30
    assert dev_score.recall(question) >= recall_floor
    assert dev_score.precision(question) >= precision_floor
