"""Page sessions that end (issue 18, decision 0025): signing out, an idle timeout and a
revoked key end every copy of a session cookie at once, through the page's real routes;
the cookie is Secure when the request's scheme is https, also behind a trusted proxy."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from serving.audit.tables import decisions, score_events
from serving.keys import revoke_key
from serving.web.session import SESSION_COOKIE, SIGNIN_COOKIE
from tests.integration.serving.test_web_pages import sign_in
from tests.utils.serving import TEXT, MakeService, Service


def _count(service: Service, table) -> int:  # type: ignore[no-untyped-def]
    with service.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _replay(service: Service, cookie: str, csrf: str) -> tuple[int, int]:
    """What a saved copy of the cookie gets: the status of a page score and a decision."""
    thief = TestClient(service.app, client=("127.0.0.1", 50001))
    thief.cookies.set(SESSION_COOKIE, cookie)
    score = thief.post("/score", data={"text": TEXT, "source": "school", "csrf_token": csrf})
    decision = thief.post(
        "/decision", data={"contact_id": "c-1", "decision": "nfa", "csrf_token": csrf}
    )
    for r in (score, decision):
        assert "Your session has ended" in r.text or r.status_code == 200
    return score.status_code, decision.status_code


def test_a_cookie_saved_before_sign_out_no_longer_scores_or_records_decisions(
    service: Service,
) -> None:
    csrf = sign_in(service)
    saved = service.client.cookies[SESSION_COOKIE]
    assert _replay(service, saved, csrf) == (200, 200), "the copy works while signed in"
    written = (_count(service, score_events), _count(service, decisions))
    assert written == (1, 1)
    r = service.client.post("/signout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert _replay(service, saved, csrf) == (401, 401)
    assert (_count(service, score_events), _count(service, decisions)) == written


def test_revoking_the_key_ends_every_copy_of_its_sessions(service: Service) -> None:
    csrf = sign_in(service)
    saved = service.client.cookies[SESSION_COOKIE]
    assert revoke_key(service.key_ids["screener"], engine=service.engine)
    assert _replay(service, saved, csrf) == (401, 401)


def test_a_session_left_idle_ends_and_one_in_use_does_not(make_service: MakeService) -> None:
    service = make_service(session_idle_minutes=0.03)  # 1.8 s
    csrf = sign_in(service)
    for _ in range(5):  # 2.5 s of use, never idle for long
        time.sleep(0.5)
        assert "Sign out" in service.client.get("/").text
    saved = service.client.cookies[SESSION_COOKIE]
    time.sleep(2.2)
    assert "Sign in" in service.client.get("/").text
    assert _replay(service, saved, csrf) == (401, 401)


def _set_cookie_of_sign_in(client: TestClient, key: str, **headers: str) -> str:
    """The session cookie's Set-Cookie line after signing in with ``key``. The sign-in
    form's cookie is sent by hand: httpx keeps a Secure cookie off plain http, which is
    what the client speaks to a proxy-fronted app here."""
    page = client.get("/", headers=headers)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.cookies.clear()
    r = client.post(
        "/signin",
        data={"api_key": key, "csrf_token": token},
        headers={**headers, "cookie": f"{SIGNIN_COOKIE}={token}"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return next(v for v in r.headers.get_list("set-cookie") if v.startswith(SESSION_COOKIE))


def test_the_session_cookie_is_secure_over_https_and_behind_a_trusted_proxy(
    service: Service,
) -> None:
    key = service.keys["screener"]

    def client(app, host: str, base: str = "http://testserver") -> TestClient:  # type: ignore[no-untyped-def]
        return TestClient(app, client=(host, 50002), base_url=base)

    https = _set_cookie_of_sign_in(client(service.app, "127.0.0.1", "https://testserver"), key)
    plain = _set_cookie_of_sign_in(client(service.app, "127.0.0.1"), key)
    assert "secure" in https.lower() and "secure" not in plain.lower()
    assert "httponly" in https.lower() and "samesite=strict" in https.lower()
    proxied = ProxyHeadersMiddleware(service.app, trusted_hosts="127.0.0.1")
    forwarded = {"x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9"}
    trusted = _set_cookie_of_sign_in(client(proxied, "127.0.0.1"), key, **forwarded)
    stranger = _set_cookie_of_sign_in(client(proxied, "198.51.100.4"), key, **forwarded)
    assert "secure" in trusted.lower() and "secure" not in stranger.lower()
