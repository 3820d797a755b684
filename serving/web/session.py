"""Sessions and cross-site request forgery checks of the screener pages.

Sessions. The screener types their API key once into the sign-in form (POST, never a URL).
The server records a session (``page_sessions``: the SHA-256 of a random nonce, the key's
public id, when it started and was last used) and answers with an HttpOnly,
SameSite=Strict cookie (``Secure`` when the request's scheme is https, which behind a
proxy trusted by ``FORWARDED_ALLOW_IPS`` is what the proxy says) holding a signed token:
the key's public id, its role, the nonce and an expiry (8 hours), signed with
HMAC-SHA256 under the first key of the deployment's session ring
(``SCREENER_SESSION_KEYS`` or the secrets file; every key of the ring verifies, so a
rotation signs nobody out). Nothing secret is in the database: reading it forges no
cookie (decision 0025).

Each page request checks the cookie's signature, then its session record and its key:
signing out ends the record, so every copy of the cookie stops working at once; so does a
session left unused for ``SESSION_IDLE_MINUTES`` and a revoked key. The plaintext key is
never stored in the cookie.

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
import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Final

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import SQLAlchemyError

from serving.api.deps import ServiceState, State
from serving.audit import store
from serving.errors import ApiError
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
    "session_id",
    "set_signin_cookie",
    "signin_form_ok",
    "start_session",
]

SESSION_COOKIE: Final = "cs_session"
SIGNIN_COOKIE: Final = "cs_signin"
SESSION_SECONDS: Final = 8 * 3600
SIGNIN_SECONDS: Final = 3600
#: A session's last use is written at most this often (and at least ten times per idle
#: timeout), so a page request is not a database write each time.
TOUCH_SECONDS: Final = 30.0
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
    #: the SHA-256 of the session's nonce, the id of its record
    session_id: str

    @property
    def principal(self) -> Principal:
        return Principal(key_id=self.key_id, role=self.role)


log = logging.getLogger("serving")


def session_id(nonce: str) -> str:
    """The id of a session's record: the SHA-256 of its nonce, so that the table alone
    names no cookie."""
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()


def _keys(secret: bytes | Sequence[bytes]) -> Sequence[bytes]:
    return (secret,) if isinstance(secret, bytes) else secret


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


def _sign(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())


def _csrf_for(secret: bytes, nonce: str) -> str:
    return _sign(secret, f"csrf|{nonce}")


def make_session_token(
    secret: bytes, *, key_id: str, role: str, now: float, nonce: str | None = None
) -> str:
    """``payload.signature``; the payload names the key, never contains it. ``nonce``
    (fresh when None) names the session's record."""
    claims = {
        "k": key_id,
        "r": role,
        "n": nonce or secrets.token_hex(16),
        "e": int(now) + SESSION_SECONDS,
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_sign(secret, payload)}"


def _verify(
    keys: Sequence[bytes], token: str, *, now: float
) -> tuple[dict[str, Any], bytes] | None:
    """The claims and the key that signed them, when one of ``keys`` did and the token
    has not expired."""
    payload, _, signature = token.partition(".")
    if not payload or not signature:
        return None
    if not (payload.isascii() and signature.isascii()):
        return None  # compare_digest refuses non-ASCII text (a TypeError, so a 500)
    key = next((k for k in keys if hmac.compare_digest(_sign(k, payload), signature)), None)
    if key is None:
        return None
    try:
        claims = json.loads(_unb64(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("n"), str):
        return None
    try:
        if int(claims.get("e", 0)) < now:
            return None
    except (TypeError, ValueError):
        return None
    return claims, key


def read_session_token(
    secret: bytes | Sequence[bytes], token: str, *, now: float
) -> dict[str, Any] | None:
    """The token's claims when one of the keys signed it and it has not expired, else
    None. ``secret`` is one key or a ring's keys (the first signs, every one verifies)."""
    verified = _verify(_keys(secret), token, now=now)
    return None if verified is None else verified[0]


async def get_page_session(request: Request, state: State) -> PageSession | None:
    """The signed-in screener, or None: no cookie, a token no key of the session ring
    signed or expired, a session that was signed out or left idle for longer than
    ``SESSION_IDLE_MINUTES``, or a key that has since been revoked (checked against the
    keys table on every page request). 503 when the audit database cannot be read."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    verified = _verify(state.session_keys.keys, token, now=time.time())
    if verified is None:
        return None
    claims, key = verified
    sid = session_id(claims["n"])
    try:
        record = await run_in_threadpool(store.get_page_session, sid, engine=state.engine)
        row = await run_in_threadpool(store.get_key, str(claims.get("k", "")), engine=state.engine)
    except SQLAlchemyError:
        raise ApiError(503, "audit_unavailable", "Sessions cannot be checked now.") from None
    if record is None or record.ended_at is not None or record.key_id != claims.get("k"):
        return None
    now = datetime.now(UTC)
    idle = (now - record.last_seen_at).total_seconds()
    idle_limit = state.settings.session_idle_minutes * 60
    if idle > idle_limit:
        await _write_quietly(store.end_page_session, sid, state=state, at=now)
        return None
    if row is None or row.revoked_at is not None or row.role != claims.get("r"):
        return None
    if idle > min(TOUCH_SECONDS, idle_limit / 10):
        await _write_quietly(store.touch_page_session, sid, state=state, at=now)
    return PageSession(
        key_id=row.key_id, role=row.role, csrf=_csrf_for(key, claims["n"]), session_id=sid
    )


async def _write_quietly(fn: Any, sid: str, *, state: ServiceState, at: datetime) -> None:
    """A session's last use or idle end: when the audit database refuses the write the
    page goes on (the session's record is unchanged, so it ends no later than it would
    have); scoring and decisions fail closed on their own."""
    try:
        await run_in_threadpool(fn, sid, engine=state.engine, at=at)
    except SQLAlchemyError as exc:
        log.warning("page session not updated", extra={"error_type": type(exc).__name__})


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
    """Record a session of a verified key and set its cookie on ``response``; drop the
    sign-in one. ApiError 503 when the session cannot be recorded."""
    nonce = secrets.token_hex(16)
    now = time.time()
    try:
        await run_in_threadpool(
            lambda: store.insert_page_session(
                engine=state.engine,
                session_id=session_id(nonce),
                key_id=principal.key_id,
                created_at=datetime.fromtimestamp(now, UTC),
            )
        )
    except SQLAlchemyError:
        raise ApiError(
            503, "audit_unavailable", "Signing in is unavailable just now; try again shortly."
        ) from None
    token = make_session_token(
        state.session_keys.current,
        key_id=principal.key_id,
        role=principal.role,
        now=now,
        nonce=nonce,
    )
    _set_cookie(response, request, SESSION_COOKIE, token, max_age=SESSION_SECONDS)
    response.delete_cookie(SIGNIN_COOKIE, path="/")


async def end_session(response: Response, state: ServiceState, session: PageSession | None) -> None:
    """End the session for every copy of its cookie and clear this browser's cookie (the
    key itself stays valid). ApiError 503, after clearing the cookie, when the record
    could not be ended."""
    response.delete_cookie(SESSION_COOKIE, path="/")
    if session is None:
        return
    try:
        await run_in_threadpool(
            store.end_page_session, session.session_id, engine=state.engine, at=datetime.now(UTC)
        )
    except SQLAlchemyError:
        raise ApiError(
            503,
            "audit_unavailable",
            "Signed out in this browser, but the session could not be ended everywhere; "
            "sign in and out again shortly.",
        ) from None
