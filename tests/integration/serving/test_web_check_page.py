"""The referrer page at /check: a referrer key signs in (the screener pages' sessions and
form tokens), a draft is checked and audited like POST /v1/check, the safety line is on
the page before and after a check; a referrer opens no other page, and no other role opens
this one."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from serving.audit.tables import check_events
from tests.utils.serving import DRAFT, DRAFT_MISSING, Service
from training.text.checklist import SAFETY_LINE

SAFETY_HTML = SAFETY_LINE.replace("'", "&#39;")


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def _sign_in(service: Service, role: str, *, lands: str | None = "/check") -> str:
    """Sign in through the /check page's form; the landing page's form token."""
    page = service.client.get("/check").text
    assert 'name="page" value="referrer"' in page
    r = service.client.post(
        "/signin",
        data={"api_key": service.keys[role], "csrf_token": _csrf(page), "page": "referrer"},
        follow_redirects=False,
    )
    if lands is None:
        assert r.status_code == 403
        return ""
    assert r.status_code == 303 and r.headers["location"] == lands
    return _csrf(service.client.get(lands).text)


def _rows(service: Service) -> list[dict[str, object]]:
    with service.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(check_events))]


def test_the_sign_in_form_and_the_empty_form_show_the_safety_line(service: Service) -> None:
    r = service.client.get("/check")
    assert r.status_code == 200
    assert "referrer key" in r.text and "/signin" in r.text
    csrf = _sign_in(service, "referrer")
    page = service.client.get("/check")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["cache-control"] == "no-store"
    html = page.text
    assert SAFETY_HTML in html and 'id="safety-line"' in html
    assert '<label for="text">Your draft concern</label>' in html
    assert f'value="{csrf}"' in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None  # no inline script
    assert re.search(r'\son[a-z]+="', html) is None  # no inline handler
    assert 'href="/check"' in html and 'href="/queue"' not in html  # the referrer's menu


def test_a_checked_draft_shows_the_missing_questions_and_the_safety_line_twice_and_is_audited(
    service: Service,
) -> None:
    csrf = _sign_in(service, "referrer")
    r = service.client.post(
        "/check", data={"text": DRAFT.replace(". ", ".\r\n"), "csrf_token": csrf}
    )
    assert r.status_code == 200, r.text
    html = r.text
    assert 'id="result-heading"' in html
    missing = re.findall(r'<li id="missing-([a-z_]+)">', html)
    assert missing == DRAFT_MISSING
    assert "How old is the child?" in html
    assert html.count(SAFETY_HTML) == 2
    assert 'id="resembling-none"' in html  # the fake model has no index
    assert (
        re.search(r"\b(score|priority)\b", html.split('id="result"')[1].split("</section>")[0])
        is None
    )
    # the draft is back in the form to edit, on this page only
    assert "He has had bruises on his arms" in html
    [row] = _rows(service)
    assert row["channel"] == "page" and row["role"] == "referrer"
    assert row["missing_questions"] == ",".join(missing)
    assert "bruises" not in str(row)


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "text box is empty"), ("a" * 20_001, "the limit is 20,000"), ("Sam\x00 is 7", "NUL")],
    ids=["blank", "too-long", "nul"],
)
def test_a_draft_the_api_would_refuse_gets_a_message_and_the_safety_line(
    service: Service, text: str, message: str
) -> None:
    csrf = _sign_in(service, "referrer")
    r = service.client.post("/check", data={"text": text, "csrf_token": csrf})
    assert r.status_code == 422
    assert message in r.text and 'role="alert"' in r.text
    assert SAFETY_HTML in r.text
    [typed] = re.findall(r"<textarea[^>]*>(.*?)</textarea>", r.text, flags=re.S)
    assert typed == ""  # an error page never echoes the draft
    assert _rows(service) == []


def test_a_form_without_its_token_or_a_session_is_refused(service: Service) -> None:
    r = service.client.post("/check", data={"text": DRAFT})
    assert r.status_code == 401 and "sign in" in r.text.lower()
    _sign_in(service, "referrer")
    r = service.client.post("/check", data={"text": DRAFT, "csrf_token": "forged"})
    assert r.status_code == 403
    r = service.client.post(
        "/check",
        data={"text": DRAFT, "csrf_token": _csrf(service.client.get("/check").text)},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403
    assert _rows(service) == []


def test_a_referrer_session_opens_no_screener_page(service: Service) -> None:
    csrf = _sign_in(service, "referrer")
    r = service.client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/check"
    assert service.client.get("/queue").status_code == 403
    r = service.client.post("/score", data={"text": DRAFT, "source": "school", "csrf_token": csrf})
    assert r.status_code == 403 and "referrers check a draft at /check" in r.text
    r = service.client.post(
        "/decision", data={"contact_id": "c-1", "decision": "nfa", "csrf_token": csrf}
    )
    assert r.status_code == 403
    r = service.client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/check"


def test_a_screener_session_cannot_use_the_referrer_page(service: Service) -> None:
    csrf = _sign_in(service, "screener", lands="/")
    r = service.client.get("/check")
    assert r.status_code == 403 and "This page is for referrers" in r.text
    r = service.client.post("/check", data={"text": DRAFT, "csrf_token": csrf})
    assert r.status_code == 403
    assert _rows(service) == []


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditor_and_admin_keys_sign_in_to_no_page(service: Service, role: str) -> None:
    _sign_in(service, role, lands=None)


def test_a_bad_key_shows_the_referrer_sign_in_again(service: Service) -> None:
    page = service.client.get("/check").text
    r = service.client.post(
        "/signin",
        data={
            "api_key": "cs_000000000000_" + "x" * 43,
            "csrf_token": _csrf(page),
            "page": "referrer",
        },
    )
    assert r.status_code == 401
    assert "not valid" in r.text and 'name="page" value="referrer"' in r.text
