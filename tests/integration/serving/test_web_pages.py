from __future__ import annotations

import re

import pytest

from serving.keys import revoke_key
from serving.testing import FLOOR_SAYS, FLOORED_EXAMPLE, fake_loaded_model
from tests.utils.serving import TEXT, MakeService, Service

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def sign_in(service: Service, role: str = "screener") -> str:
    """Sign in through the form; the page's form token."""
    token = _csrf(service.client.get("/").text)
    r = service.client.post(
        "/signin", data={"api_key": service.keys[role], "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/"
    return _csrf(service.client.get("/").text)


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/", "default-src 'self'"),
        ("/static/screener.css", "default-src 'self'"),
        ("/healthz", "default-src 'none'"),
        ("/openapi.json", "default-src 'none'"),
        ("/docs", "default-src 'none'; script-src 'self';"),
        ("/docs/assets/swagger-ui-bundle.js", "default-src 'none'; script-src 'self';"),
    ],
)
def test_pages_static_files_json_and_docs_each_get_one_set_of_security_headers(
    service: Service, path: str, policy: str
) -> None:
    r = service.client.get(path)
    assert r.status_code == 200
    names = [k.lower() for k, _ in r.headers.multi_items()]
    assert len(names) == len(set(names)), names  # nothing added twice
    assert {k: r.headers[k] for k in SECURITY} == SECURITY
    assert r.headers["content-security-policy"].startswith(policy)
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_a_contact_scored_and_decided_on_the_page_is_audited_like_the_api(
    service: Service,
) -> None:
    csrf = sign_in(service)
    r = service.client.post(
        "/score",
        data={"text": TEXT, "source": "school", "contact_id": " CT-7 ", "csrf_token": csrf},
        headers={"X-Request-ID": "page-score-1"},
    )
    assert r.status_code == 200
    assert 'id="result-heading"' in r.text and '<mark class="raise"' in r.text
    request_id = r.headers["x-request-id"]  # the server's own, not the caller's
    assert request_id != "page-score-1" and r.headers["x-client-request-id"] == "page-score-1"
    assert request_id in r.text and 'value="CT-7"' in r.text

    r = service.client.post(
        "/decision",
        data={"contact_id": "CT-7", "decision": "referral", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303
    recorded = int(r.headers["location"].removeprefix("/queue?recorded="))
    queue = service.client.get(r.headers["location"])
    assert f"audit record {recorded}" in queue.text and "CT-7" in queue.text
    assert "bruise" not in queue.text

    auditor = service.h("auditor")
    [score] = service.client.get(
        "/v1/audit/events", params={"contact_id": "CT-7"}, headers=auditor
    ).json()["events"]
    assert score["request_id"] == request_id
    assert score["key_id"] == service.key_ids["screener"] and score["source"] == "school"
    [decision] = service.client.get(
        "/v1/audit/events", params={"type": "decision", "contact_id": "CT-7"}, headers=auditor
    ).json()["events"]
    assert decision["id"] == recorded and decision["score_event_id"] == score["id"]


def test_forms_without_their_token_or_from_another_site_are_refused(service: Service) -> None:
    assert (
        service.client.post("/signin", data={"api_key": service.keys["screener"]}).status_code
        == 403
    )
    csrf = sign_in(service)
    for data, headers in (
        ({"text": TEXT, "source": "school"}, {}),
        ({"text": TEXT, "source": "school", "csrf_token": csrf + "x"}, {}),
        ({"text": TEXT, "source": "school", "csrf_token": csrf}, {"origin": "https://evil.test"}),
    ):
        r = service.client.post("/score", data=data, headers=headers)
        assert r.status_code == 403 and "The form has expired" in r.text
    events = service.client.get("/v1/audit/events", headers=service.h("auditor")).json()
    assert events["events"] == []


def test_a_revoked_key_is_signed_out_of_its_page_session(service: Service) -> None:
    csrf = sign_in(service)
    assert revoke_key(service.key_ids["screener"], engine=service.engine)
    r = service.client.post("/score", data={"text": TEXT, "source": "school", "csrf_token": csrf})
    assert r.status_code == 401 and "Your session has ended" in r.text


def test_sign_out_clears_the_session(service: Service) -> None:
    csrf = sign_in(service)
    r = service.client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert 'cs_session=""' in r.headers["set-cookie"]
    assert "Sign in" in service.client.get("/").text


def test_the_page_shows_the_guidance_level_the_differ_note_and_the_floor(
    service: Service,
) -> None:
    csrf = sign_in(service)
    r = service.client.post(
        "/score",
        data={
            "text": FLOORED_EXAMPLE,
            "source": "health",
            "contact_id": "CT-9",
            "csrf_token": csrf,
        },
    )
    assert r.status_code == 200
    page = re.sub(r"\s+", " ", r.text)
    assert "Guidance level" in page
    level = r'id="guidance-level">4, protection <span class="level-chance">\(probability \d+%\)'
    assert re.search(level, page)
    assert "Practice and guidance differ." in page
    floor = f"<strong>Floor:</strong> {FLOOR_SAYS} — shown in the high band whatever the score"
    assert floor in page
    queue = service.client.get("/queue").text
    assert f"Floor: {FLOOR_SAYS}" in queue and "bruise on" not in queue

    # A contact where practice and guidance agree and no floor applies: neither note.
    r = service.client.post("/score", data={"text": TEXT, "source": "school", "csrf_token": csrf})
    assert 'id="guidance-level">3, child in need' in r.text
    assert "Practice and guidance differ" not in r.text and "Floor:" not in r.text


def test_the_page_of_a_model_without_a_level_estimate_shows_the_score_alone(
    make_service: MakeService,
) -> None:
    svc = make_service(model=fake_loaded_model(guidance=False))
    csrf = sign_in(svc)
    r = svc.client.post(
        "/score", data={"text": FLOORED_EXAMPLE, "source": "health", "csrf_token": csrf}
    )
    assert r.status_code == 200 and 'id="score-band"' in r.text
    assert "Guidance level" not in r.text and "Floor:" not in r.text
    assert "Practice and guidance differ" not in r.text
