"""POST /v1/check, the referrer self-check served: the questions a draft leaves unanswered,
the guidance examples it reads like (guidance only, from the served model's index), the
safety line always, never a score; /v1/score's input rules; one audit event of counts and
a keyed hash, with the draft nowhere in the database or the logs; fail closed."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from serving.audit.tables import check_events
from serving.checking import split_ask
from serving.loaded_model import LoadedModel, ModelLoadError
from serving.testing import FakeScorer
from tests.utils.deployment import HASH_KEY
from tests.utils.serving import DRAFT, DRAFT_MISSING, MakeService, Service
from training.model.outputs import SimilarCase
from training.text.checklist import SAFETY_LINE, default_checklist
from training.text.checklist.questions import _DISCOURAGING

#: A full draft: it answers every question of the packaged checklist.
FULL = (
    "Sam (7, Year 2) lives with his mum and her partner. Today I saw a bruise on his left "
    'arm. Sam told me "Dad hit me with a belt". We offered early help last term. Mum knows '
    "I am making this referral and agrees. Sam is safe at school today and goes home at 3pm."
)
QUESTIONS = default_checklist().ids()
NOT_IN_A_CHECK = {"score", "priority", "band", "level", "level_probabilities", "explanation"}


def _check(service: Service, body: Any) -> Any:
    return service.client.post("/v1/check", json=body, headers=service.h("referrer"))


def _rows(service: Service) -> list[dict[str, Any]]:
    with service.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(check_events))]


def test_a_short_draft_gets_the_questions_it_leaves_open_the_safety_line_and_no_score(
    service: Service,
) -> None:
    r = _check(service, {"text": DRAFT})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["safety"] == SAFETY_LINE
    assert "999" in body["safety"] and "in doubt, refer" in body["safety"]
    assert not NOT_IN_A_CHECK & set(body)
    missing = [q["id"] for q in body["missing"]]
    assert missing == DRAFT_MISSING
    assert body["answered"] == ["seen_or_said"]
    age = body["missing"][0]
    assert age["question"] == "How old is the child?"
    assert age["hint"] == "A date of birth, an age or a school year is enough."
    assert all(q["question"].endswith("?") for q in body["missing"])
    assert body["resembling"] == [] and body["model"] is None  # the fake model has no index
    assert body["checklist_version"] == default_checklist().version
    assert body["request_id"] == r.headers["x-request-id"]
    assert DRAFT not in r.text and "bruises" not in r.text


def test_a_full_draft_answers_every_question_and_still_gets_the_safety_line(
    service: Service,
) -> None:
    body = _check(service, {"text": FULL}).json()
    assert body["missing"] == []
    assert sorted(body["answered"]) == sorted(QUESTIONS)
    assert body["safety"] == SAFETY_LINE


@pytest.mark.parametrize("draft", [DRAFT, FULL, "x", "Nothing to worry about, all fine."])
def test_nothing_in_an_answer_tells_anyone_not_to_refer(service: Service, draft: str) -> None:
    body = _check(service, {"text": draft}).json()
    shown = [body["intro"], body["safety"]] + [
        f"{q['question']} {q['hint']}" for q in body["missing"]
    ]
    for line in shown:
        assert _DISCOURAGING.search(line) is None, line


def test_a_question_splits_at_its_question_mark_into_question_and_hint() -> None:
    assert split_ask("How old is the child? A school year is enough.") == (
        "How old is the child?",
        "A school year is enough.",
    )
    assert split_ask("Who lives in the home?") == ("Who lives in the home?", "")
    assert split_ask("Say who lives there.") == ("Say who lives there.", "")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"text": ""}, "text"),
        ({"text": " \n\t "}, "text"),
        ({"text": "a" * 20_001}, "text"),
        ({"text": "Sam said\u0000 dad hit him"}, "text"),
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "Sam is 7.", "source": "school"}, "source"),
    ],
    ids=["empty", "blank", "too-long", "nul", "missing", "not-a-string", "unknown-field"],
)
def test_input_rules_are_those_of_a_score_and_a_refusal_never_quotes_the_draft(
    service: Service, body: dict[str, Any], where: str
) -> None:
    r = _check(service, body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_request"
    assert any(where in [str(p) for p in f["loc"]] for f in error["fields"]), error
    assert "dad hit him" not in r.text
    assert _rows(service) == []


def test_a_lone_surrogate_is_a_422_naming_the_field_never_a_500(service: Service) -> None:
    r = service.client.post(
        "/v1/check",
        content=b'{"text": "Sam said \\ud800 dad hit him"}',
        headers={**service.h("referrer"), "content-type": "application/json"},
    )
    assert r.status_code == 422, r.text
    assert "surrogate" in r.text and "dad hit him" not in r.text


def test_the_longest_draft_allowed_is_checked(service: Service) -> None:
    draft = ("Sam is 7 and lives with his mum. " * 700)[:20_000]
    assert _check(service, {"text": draft}).status_code == 200


def test_one_audit_event_keeps_counts_question_ids_and_the_keyed_hash_never_the_draft(
    service: Service, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_word = "Zebulonquist"
    draft = f"{secret_word} (aged 6) said her stepdad locked her in the shed."
    r = _check(service, {"text": draft})
    assert r.status_code == 200
    body = r.json()
    [row] = _rows(service)
    assert row["key_id"] == service.key_ids["referrer"] and row["role"] == "referrer"
    assert row["channel"] == "api" and row["request_id"] == r.headers["x-request-id"]
    assert row["questions"] == len(QUESTIONS)
    assert row["questions_missing"] == len(body["missing"])
    assert row["missing_questions"] == ",".join(q["id"] for q in body["missing"])
    assert row["resembling"] == 0 and row["model_version"] is None
    expected = hmac.new(HASH_KEY.encode(), draft.encode("utf-8"), hashlib.sha256).hexdigest()
    assert row["text_hmac"] == expected
    assert not any(secret_word in str(v) for v in row.values())

    events = service.client.get(
        "/v1/audit/events", params={"type": "check"}, headers=service.h("auditor")
    ).json()["events"]
    [event] = events
    assert event["type"] == "check" and event["missing_questions"] == [
        q["id"] for q in body["missing"]
    ]
    assert event["questions_missing"] == len(body["missing"]) and event["text_hmac"] == expected
    assert event["questions"] == len(QUESTIONS) and event["channel"] == "api"
    assert secret_word not in str(events)
    # nowhere in the database file, and nowhere in the logs
    database = Path(service.settings.database_url.removeprefix("sqlite:///"))
    assert secret_word.encode() not in database.read_bytes()
    assert secret_word not in caplog.text and "stepdad" not in caplog.text


def test_the_check_fails_closed_when_the_audit_table_is_gone(service: Service) -> None:
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE check_events RENAME TO check_events_away"))
    r = _check(service, {"text": DRAFT})
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == "audit_unavailable" and "999" in error["message"]
    assert "missing" not in r.json() and "bruises" not in r.text
    with service.engine.begin() as conn:
        conn.execute(text("ALTER TABLE check_events_away RENAME TO check_events"))
    assert _check(service, {"text": DRAFT}).status_code == 200


def test_without_a_model_the_questions_and_the_safety_line_are_still_given(
    make_service: MakeService,
) -> None:
    def no_model() -> LoadedModel:
        raise ModelLoadError("no registry in this test")

    svc = make_service(inject_model=False, loader=no_model)
    assert (
        svc.client.post("/v1/score", json={"text": DRAFT}, headers=svc.h("screener")).status_code
        == 503
    )
    body = _check(svc, {"text": DRAFT}).json()
    assert body["missing"] and body["safety"] == SAFETY_LINE
    assert body["resembling"] == [] and body["model"] is None


# -- a served model with a similar-cases index ----------------------------------------------


def _case(kind: str, id_: str, level: int | None, similarity: float) -> SimilarCase:
    return SimilarCase(
        kind=kind,  # type: ignore[arg-type]
        id=id_,
        similarity=similarity,
        reason='Both show observed injury; shared words "bruise"',
        level=level,
        level_reason="Why the guidance puts it there." if level else "",
        text="" if kind == "guidance" else "A past contact, redacted, about [name].",
        outcome=None if kind == "guidance" else "referral",
    )


class IndexedScorer(FakeScorer):
    """The fake with a similar-cases index: two guidance examples and a past contact."""

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail
        self.asked: list[dict[str, Any]] = []

    def similar_cases(
        self, texts: Sequence[str], *, k: int | None = None, past_k: int | None = None
    ) -> list[tuple[SimilarCase, ...]]:
        self.asked.append({"n": len(texts), "k": k, "past_k": past_k})
        if self.fail:
            raise RuntimeError("index broken")
        return [
            (
                _case("guidance", "g2-0003", 4, 0.71),
                _case("guidance", "g1-0002", 2, 0.55),
                _case("past_contact", "past-0123456789ab", None, 0.9),
            )
            for _ in texts
        ]


class WrappedScorer(FakeScorer):
    """As a registered pyfunc serves it: the index is on the wrapped screener model."""

    def __init__(self) -> None:
        super().__init__()
        self.screener = IndexedScorer()


def _indexed(scorer: FakeScorer) -> LoadedModel:
    return LoadedModel(name="concern-screener", version="7", run_id=None, scorer=scorer)


@pytest.mark.parametrize("scorer", [IndexedScorer, WrappedScorer], ids=["scorer", "pyfunc"])
def test_guidance_examples_come_with_their_levels_and_past_contacts_never(
    make_service: MakeService, scorer: type[FakeScorer]
) -> None:
    model = _indexed(scorer())
    svc = make_service(model=model)
    r = _check(svc, {"text": DRAFT})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(e["id"], e["level"], e["level_label"]) for e in body["resembling"]] == [
        ("g2-0003", 4, "protection"),
        ("g1-0002", 2, "early help"),
    ]
    assert body["resembling"][0]["reason"].startswith("Both show observed injury")
    assert body["model"] == {"name": "concern-screener", "version": "7"}
    assert (
        "past-" not in r.text
        and "redacted" not in r.text
        and "referral" not in str(body["resembling"])
    )
    index = model.scorer if isinstance(model.scorer, IndexedScorer) else model.scorer.screener  # type: ignore[attr-defined]
    assert index.asked == [{"n": 1, "k": 3, "past_k": 0}]
    [row] = _rows(svc)
    assert (row["resembling"], row["model_name"], row["model_version"]) == (
        2,
        "concern-screener",
        "7",
    )


def test_a_failing_index_costs_the_examples_not_the_check(make_service: MakeService) -> None:
    svc = make_service(model=_indexed(IndexedScorer(fail=True)))
    body = _check(svc, {"text": DRAFT}).json()
    assert body["resembling"] == [] and body["missing"] and body["model"] is None


# -- the documentation ----------------------------------------------------------------------


def test_openapi_documents_the_check_with_its_role_rules_and_examples(service: Service) -> None:
    doc = service.client.get("/openapi.json").json()
    op = doc["paths"]["/v1/check"]["post"]
    assert "role: referrer" in op["summary"]
    assert {"401", "403", "422", "429", "503"} <= set(op["responses"])
    schemas = doc["components"]["schemas"]
    request = schemas["CheckRequest"]
    assert request["examples"] and request["additionalProperties"] is False
    text_rules = request["properties"]["text"]
    assert (text_rules["minLength"], text_rules["maxLength"]) == (1, 20_000)
    assert "pattern" in text_rules
    response = schemas["CheckResponse"]
    assert response["examples"][0]["safety"] == SAFETY_LINE
    assert {"safety", "missing", "resembling"} <= set(response["required"])
    assert not NOT_IN_A_CHECK & set(response["properties"])
    assert re.search(r"referrer", doc["info"]["description"])


def test_the_check_events_migration_goes_up_and_down(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    import serving.audit.migrations as migrations
    from serving.audit.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'trail.db'}")
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
    cfg.attributes["engine"] = engine
    # The revision that adds the table, found by its name (whatever its place in the chain).
    [revision] = [
        r
        for r in ScriptDirectory.from_config(cfg).walk_revisions()
        if r.revision.endswith("_check_events")
    ]
    assert isinstance(revision.down_revision, str)
    try:
        command.upgrade(cfg, revision.revision)
        columns = {c["name"] for c in inspect(engine).get_columns("check_events")}
        assert {c.name for c in check_events.columns} == columns
        command.downgrade(cfg, revision.down_revision)
        assert "check_events" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


class LeakyIndex(IndexedScorer):
    """An index whose failure message quotes the draft, as a careless library's might."""

    def similar_cases(
        self, texts: Sequence[str], *, k: int | None = None, past_k: int | None = None
    ) -> list[tuple[SimilarCase, ...]]:
        raise ValueError(f"cannot index {texts[0]!r}")


def test_a_failure_quoting_the_draft_reaches_no_log_and_no_answer(
    make_service: MakeService, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Ottoline Brackenbury-Vance says her uncle burns her"
    svc = make_service(model=_indexed(LeakyIndex()))
    r = _check(svc, {"text": secret})
    assert r.status_code == 200 and r.json()["resembling"] == []

    def broken(text: str) -> None:
        raise RuntimeError(f"checklist failed on {text!r}")

    monkeypatch.setattr("serving.checking.check_draft", broken)
    r = _check(svc, {"text": secret})
    assert r.status_code == 500 and "Brackenbury" not in r.text
    logged = caplog.text + " ".join(str(rec.__dict__) for rec in caplog.records)
    assert "Brackenbury" not in logged and "burns her" not in logged
    assert len(_rows(svc)) == 1  # the first check; the failed one recorded nothing


def test_screener_keys_create_role_referrer_makes_a_key_for_the_check_alone(
    make_service: MakeService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from serving.cli import app
    from serving.settings import get_settings

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        svc = make_service(database_url=url)
        out = CliRunner().invoke(app, ["keys", "create", "--role", "referrer", "--label", "school"])
        assert out.exit_code == 0, out.output
        assert "referrer" in CliRunner().invoke(app, ["keys", "create", "--help"]).output
    finally:
        get_settings.cache_clear()
    key = {"X-API-Key": out.output.strip().splitlines()[-1]}
    assert svc.client.post("/v1/check", json={"text": DRAFT}, headers=key).status_code == 200
    assert svc.client.get("/v1/model", headers=key).status_code == 403
    assert svc.client.post("/v1/score", json={"text": DRAFT}, headers=key).status_code == 403


def test_a_checklist_file_that_cannot_be_used_is_a_503_that_still_names_999(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from training.text.checklist import ChecklistError

    def refused(text: str) -> None:
        raise ChecklistError("checklist.toml: question 'age': bad phrase")

    monkeypatch.setattr("serving.checking.check_draft", refused)
    r = _check(service, {"text": DRAFT})
    assert r.status_code == 503
    error = r.json()["error"]
    assert error["code"] == "checklist_unavailable" and "999" in error["message"]
    assert _rows(service) == []


@pytest.mark.postgres
def test_a_check_is_audited_on_postgres(make_service: MakeService, postgres_url: str) -> None:
    svc = make_service(database_url=postgres_url)
    r = _check(svc, {"text": DRAFT})
    assert r.status_code == 200
    [row] = _rows(svc)
    assert row["missing_questions"] == ",".join(DRAFT_MISSING) and row["channel"] == "api"
    events = svc.client.get(
        "/v1/audit/events", params={"type": "check"}, headers=svc.h("auditor")
    ).json()["events"]
    assert [e["missing_questions"] for e in events] == [DRAFT_MISSING]
