"""Sessions and cross-site request forgery checks of the screener pages.

Sessions. The screener types their API key once into the sign-in form (POST, never a URL).
The server answers with an HttpOnly, SameSite=Strict cookie (Secure over https) holding a
signed token: the key's public id, its role, a random nonce and an expiry (8 hours),
signed with HMAC-SHA256 under a secret generated once and kept in the audit database's
``settings`` table. Every worker and restart therefore accepts it (no server-side session
store to share), and each page request looks the key up again, so a revoked key signs its
sessions out at once. The plaintext key is never stored in the cookie.

Cross-site request forgery. Every form carries a token: after sign-in it is an HMAC of the
session's nonce (a synchronizer token bound to the session, nothing to store); the sign-in
form itself uses a double-submit cookie. POSTs whose ``Origin`` names another site are
refused as well, and SameSite=Strict keeps the session cookie off cross-site requests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import weakref
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from serving.api.deps import ServiceState, State
from serving.audit import store
from serving.security import Principal

__all__ = [
    "PAGE_HOMES",
    "PAGE_ROLE",
    "REFERRER_ROLE",
    "SESSION_COOKIE",
    "SIGNIN_COOKIE",
    "PageSession",
    "Session",
    "end_session",
    "form_ok",
    "get_page_session",
    "make_session_token",
    "new_signin_token",
    "read_session_token",
    "set_signin_cookie",
    "signin_form_ok",
    "start_session",
]

SESSION_COOKIE: Final = "cs_session"
SIGNIN_COOKIE: Final = "cs_signin"
SESSION_SECONDS: Final = 8 * 3600
SIGNIN_SECONDS: Final = 3600
SECRET_SETTING: Final = "page_session_key"
#: The role of the screener pages; auditors and admins use the API.
PAGE_ROLE: Final = "screener"
#: The role of the referrer's self-check page (``/check``), which opens no other page.
REFERRER_ROLE: Final = "referrer"
#: Where each role that may sign in lands.
PAGE_HOMES: Final[dict[str, str]] = {PAGE_ROLE: "/", REFERRER_ROLE: "/check"}


@dataclass(frozen=True, slots=True)
class PageSession:
    """A signed-in screener or referrer: the key's public id and role, and the form token."""

    key_id: str
    role: str
    csrf: str

    @property
    def principal(self) -> Principal:
        return Principal(key_id=self.key_id, role=self.role)


_secrets: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()


async def _secret(state: ServiceState) -> bytes:
    """The session signing secret, made once per audit database and shared by workers."""
    cached = _secrets.get(state.engine)
    if cached is None:
        value = await run_in_threadpool(
            store.get_or_create_setting,
            SECRET_SETTING,
            engine=state.engine,
            make_value=lambda: secrets.token_hex(32),
        )
        cached = _secrets[state.engine] = value.encode("utf-8")
    return cached


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())


def _csrf_for(secret: bytes, nonce: str) -> str:
    return _sign(secret, f"csrf|{nonce}")


def make_session_token(secret: bytes, *, key_id: str, role: str, now: float) -> str:
    """``payload.signature``; the payload names the key, never contains it."""
    payload = _b64(
        json.dumps(
            {"k": key_id, "r": role, "n": secrets.token_hex(16), "e": int(now) + SESSION_SECONDS},
            separators=(",", ":"),
        ).encode()
    )
    return f"{payload}.{_sign(secret, payload)}"


def read_session_token(secret: bytes, token: str, *, now: float) -> dict[str, Any] | None:
    """The token's claims when its signature is good and it has not expired, else None."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        return None
    if not hmac.compare_digest(_sign(secret, payload), signature):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or int(claims.get("e", 0)) < now:
        return None
    return claims


async def get_page_session(request: Request, state: State) -> PageSession | None:
    """The signed-in screener, or None: no cookie, a bad or expired token, or a key that
    has since been revoked (checked against the keys table on every page request)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    secret = await _secret(state)
    claims = read_session_token(secret, token, now=time.time())
    if claims is None:
        return None
    row = await run_in_threadpool(store.get_key, str(claims.get("k", "")), engine=state.engine)
    if row is None or row.revoked_at is not None or row.role != claims.get("r"):
        return None
    return PageSession(key_id=row.key_id, role=row.role, csrf=_csrf_for(secret, claims["n"]))


Session = Annotated[PageSession | None, Depends(get_page_session)]


def _cross_site(request: Request) -> bool:
    """True when the browser says the form was posted from another origin. ``null`` is
    let through (Referrer-Policy: no-referrer makes Chromium send it on our own forms);
    the CSRF token is the real check, this is defence in depth."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return False
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] != host


def form_ok(request: Request, session: PageSession, submitted: str) -> bool:
    """A signed-in form post may proceed: same origin, and the session's form token."""
    if _cross_site(request):
        return False
    return bool(submitted) and hmac.compare_digest(session.csrf, submitted)


def signin_form_ok(request: Request, submitted: str) -> bool:
    """The sign-in form may proceed: same origin, and the token matches its cookie."""
    cookie = request.cookies.get(SIGNIN_COOKIE, "")
    return not _cross_site(request) and bool(cookie) and hmac.compare_digest(cookie, submitted)


def _set_cookie(
    response: Response, request: Request, name: str, value: str, *, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def new_signin_token() -> str:
    """A fresh double-submit token for the sign-in form (``set_signin_cookie`` sends it)."""
    return secrets.token_urlsafe(24)


def set_signin_cookie(response: Response, request: Request, token: str) -> None:
    """Send the sign-in form's token as its cookie too."""
    _set_cookie(response, request, SIGNIN_COOKIE, token, max_age=SIGNIN_SECONDS)


async def start_session(
    response: Response, request: Request, state: ServiceState, principal: Principal
) -> None:
    """Set the session cookie of a verified key on ``response``; drop the sign-in one."""
    token = make_session_token(
        await _secret(state), key_id=principal.key_id, role=principal.role, now=time.time()
    )
    _set_cookie(response, request, SESSION_COOKIE, token, max_age=SESSION_SECONDS)
    response.delete_cookie(SIGNIN_COOKIE, path="/")


def end_session(response: Response) -> None:
    """Clear the session cookie (the key itself stays valid)."""
    response.delete_cookie(SESSION_COOKIE, path="/")
