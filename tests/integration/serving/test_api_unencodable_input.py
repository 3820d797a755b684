"""Input that once reached the model or the database and came back as a 500 (or a 503
that blamed the audit store): lone surrogates, NUL and control characters, numbers past a
64-bit id, times past year 9999 in UTC. Each is a clear 4xx naming the field, or an
answer; on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json

import pytest

from tests.utils.serving import MakeService, Service

SECRET = "Zelda Quartermain-Smythe said her stepfather hit her"
JSON = {"content-type": "application/json"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_service(request: pytest.FixtureRequest, make_service: MakeService) -> Service:
    if request.param == "postgres":
        return make_service(database_url=request.getfixturevalue("postgres_url"))
    return make_service()


def _post(svc: Service, path: str, raw: str) -> object:
    # raw JSON text, so that escapes such as \ud800 reach the server as sent
    return svc.client.post(path, content=raw.encode(), headers={**svc.h("screener"), **JSON})


def _refused(r: object, *loc: str | int) -> str:
    assert r.status_code == 422, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["error"]["code"] == "invalid_request"
    assert "Zelda" not in r.text and "stepfather" not in r.text  # type: ignore[attr-defined]
    [field] = [
        f for f in body["error"]["fields"] if f["loc"] == ["body", *loc] or f["loc"] == list(loc)
    ]
    return str(field["msg"])


@pytest.mark.parametrize(
    ("escape", "what"),
    [("\\ud800", "lone UTF-16 surrogate"), ("\\udfff", "lone"), ("\\u0000", "NUL")],
)
def test_unencodable_text_is_a_422_naming_the_field_and_item_never_a_500(
    db_service: Service, escape: str, what: str
) -> None:
    text = json.dumps(SECRET)[:-1] + escape + '"'
    msg = _refused(_post(db_service, "/v1/score", f'{{"text": {text}}}'), "text")
    assert what in msg and msg.startswith("Value error, text holds")
    items = f'[{{"text": {json.dumps(SECRET)}}}, {{"text": {text}}}]'
    msg = _refused(
        _post(db_service, "/v1/score/batch", f'{{"items": {items}}}'), "items", 1, "text"
    )
    assert what in msg
    # a paired surrogate is an ordinary character (U+1F600) and is scored
    r = _post(
        db_service, "/v1/score", json.dumps({"text": SECRET + " \ud83d\ude00"}, ensure_ascii=True)
    )
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["a\\u0000b", "a\\ud800", "a\\u202eb", "a\\u0007b", "a\\nb"])
def test_a_contact_id_with_nul_controls_or_bidi_overrides_is_refused_before_the_audit_store(
    db_service: Service, bad: str
) -> None:
    msg = _refused(
        _post(db_service, "/v1/score", f'{{"text": "x hit y", "contact_id": "{bad}"}}'),
        "contact_id",
    )
    assert msg.startswith("Value error, contact_id holds")
    r = db_service.client.get("/readyz")
    assert r.status_code == 200 and r.json()["reasons"] == []  # the store was never blamed


def test_nul_in_a_decision_id_note_or_audit_filter_is_a_422_not_a_503(db_service: Service) -> None:
    svc = db_service
    h = {**svc.h("screener"), **JSON}
    r = svc.client.post("/v1/contacts/a%00b/decision", json={"decision": "nfa"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["loc"] == ["path", "contact_id"]
    assert "control" in r.json()["error"]["fields"][0]["msg"]
    r = _post(svc, "/v1/contacts/c1/decision", '{"decision": "nfa", "note": "x\\u0000y"}')
    assert "NUL" in _refused(r, "note")
    for query in ("contact_id=a%00b", "model_version=%00", "contact_id=", "contact_id=%E2%80%AEx"):
        r = svc.client.get(f"/v1/audit/events?{query}", headers=svc.h("auditor"))
        assert r.status_code == 422, (query, r.text)
    assert svc.client.get("/readyz").json()["reasons"] == []


def test_the_cursor_is_bounded_to_a_64_bit_id_on_every_database(db_service: Service) -> None:
    h = db_service.h("auditor")
    last = db_service.client.get("/v1/audit/events", params={"cursor": 2**63 - 1}, headers=h)
    assert last.status_code == 200 and last.json() == {"events": [], "next_cursor": None}
    for cursor in (2**63, 9223372036854775808, 10**30, -1):
        r = db_service.client.get("/v1/audit/events", params={"cursor": cursor}, headers=h)
        assert r.status_code == 422, (cursor, r.text)
        assert r.json()["error"]["fields"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize(
    "params",
    [
        {"since": "9999-12-31T23:59:59-14:00"},  # past year 9999 in UTC
        {"until": "0001-01-01T00:00:00+14:00"},  # before year 1 in UTC
        {"since": "0001-01-01T00:00:00", "until": "9999-12-31T23:59:59.999999"},
    ],
)
def test_times_at_the_ends_of_the_calendar_are_answered_not_a_500(
    db_service: Service, params: dict[str, str]
) -> None:
    svc = db_service
    assert (
        svc.client.post(
            "/v1/score", json={"text": "x hit y"}, headers=svc.h("screener")
        ).status_code
        == 200
    )
    r = svc.client.get("/v1/audit/events", params=params, headers=svc.h("auditor"))
    assert r.status_code == 200, r.text
    whole = "since" in params and "until" in params
    assert len(r.json()["events"]) == (1 if whole else 0)


@pytest.mark.parametrize("value", ["0.5", "1700000000", "yesterday", "31/01/2025"])
def test_a_time_must_be_iso_8601_text_not_seconds_since_1970(service: Service, value: str) -> None:
    r = service.client.get(
        "/v1/audit/events", params={"until": value}, headers=service.h("auditor")
    )
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"][0]["loc"] == ["query", "until"]


def test_text_is_limited_as_sent_as_the_schema_says(service: Service) -> None:
    from training.data.contract import MAX_TEXT_CHARS

    h = service.h("screener")
    assert (
        service.client.post("/v1/score", json={"text": "a" * MAX_TEXT_CHARS}, headers=h).status_code
        == 200
    )
    r = service.client.post("/v1/score", json={"text": "a" * MAX_TEXT_CHARS + "\n"}, headers=h)
    assert r.status_code == 422 and "20000" in r.json()["error"]["fields"][0]["msg"]
    for blank in (" ", "\u3000\u2029\x1c", "\t\n"):
        r = service.client.post("/v1/score", json={"text": blank}, headers=h)
        assert (
            r.json()["error"]["fields"][0]["msg"] == "Value error, text is empty or only whitespace"
        )


def test_the_screener_page_refuses_the_same_characters_with_a_message(db_service: Service) -> None:
    from tests.integration.serving.test_web_pages import sign_in

    svc = db_service
    csrf = sign_in(svc)
    for contact in ("a\x00b", "CT\u202e7"):
        r = svc.client.post(
            "/decision", data={"contact_id": contact, "decision": "nfa", "csrf_token": csrf}
        )
        assert r.status_code == 422 and "control or text-direction character" in r.text
    r = svc.client.post(
        "/decision",
        data={"contact_id": "CT-8", "decision": "nfa", "note": "a\x00b", "csrf_token": csrf},
    )
    assert r.status_code == 422
    r = svc.client.post(
        "/score", data={"text": SECRET + "\x00", "source": "school", "csrf_token": csrf}
    )
    assert r.status_code == 422 and "Zelda" not in r.text
    ready = svc.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["reasons"] == []
