"""The screener page at ``/``: sign in with a key, score a contact, read why, record the
decision; and ``/queue``, today's scored contacts by priority. Role: screener.

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

Page scores and decisions go through the same functions as ``POST /v1/score`` and
``POST /v1/contacts/{id}/decision``, so they are audited alike (fail closed). Concern text
is shown only on the page that scored it (``Cache-Control: no-store``); it is never put in
a URL, a log line or an error message, and the queue shows ids and scores only.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Final, get_args

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serving.api.deps import RequestId, ServiceState, State
from serving.api.routes.decisions import record_decision
from serving.audit import store
from serving.errors import ApiError
from serving.schemas import (
    ADVISORY_NOTICE,
    MAX_CONTACT_ID_CHARS,
    MAX_NOTE_CHARS,
    DecisionRequest,
    ExplanationPublic,
    IndicatorPublic,
    ScoredContact,
    ScoreRequest,
)
from serving.scoring import score_and_audit
from serving.security import Principal
from training.data.contract import MAX_TEXT_CHARS, Outcome, Source

__all__ = [
    "SESSION_COOKIE",
    "STATIC_DIR",
    "SecurityHeadersMiddleware",
    "Segment",
    "highlight",
    "router",
]

router = APIRouter(tags=["screener page"], include_in_schema=False)

SESSION_COOKIE: Final = "cs_session"
SIGNIN_COOKIE: Final = "cs_signin"
SESSION_SECONDS: Final = 8 * 3600
SECRET_SETTING: Final = "page_session_key"
PAGE_ROLE: Final = "screener"

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"

SOURCE_LABELS: Final[dict[str, str]] = {
    "police": "Police",
    "school": "School",
    "health": "Health",
    "la_services": "Local authority services",
    "individual": "Individual (family, neighbour, friend)",
    "anonymous": "Anonymous",
    "other": "Other",
}
OUTCOME_LABELS: Final[dict[str, str]] = {
    "nfa": "No further action",
    "advice": "Advice and information",
    "early_help": "Early help",
    "referral": "Referral to children's social care",
    "child_protection": "Child protection enquiry (section 47)",
}
BAND_LABELS: Final[dict[str, str]] = {"low": "Low", "medium": "Medium", "high": "High"}

# Scripts and styles come from /static only: no inline code can run even if escaping
# failed somewhere. The API docs pages load Swagger/ReDoc from a CDN with an inline
# bootstrap script, so they get the other headers but not this policy.
CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_DOCS_PATHS: Final = ("/docs", "/redoc")


# -- security headers -------------------------------------------------------------------


class SecurityHeadersMiddleware:
    """Adds security headers to every response: CSP (not on the API docs pages),
    nosniff, no framing, no referrer, and ``Cache-Control: no-store`` unless the response
    set its own (scores and concern text must not linger in caches)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        with_csp = not path.startswith(_DOCS_PATHS)
        static = path.startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra: list[tuple[bytes, bytes]] = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                ]
                if with_csp:
                    extra.append((b"content-security-policy", CSP.encode()))
                if not static and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = headers + [h for h in extra if h[0] not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- sessions and CSRF ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSession:
    """A signed-in screener: the key's public id and role, and the form token."""

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


def _csrf_ok(session: PageSession, submitted: str) -> bool:
    return bool(submitted) and hmac.compare_digest(session.csrf, submitted)


# -- rendering --------------------------------------------------------------------------


@functools.cache
def _templates() -> Jinja2Templates:
    # Built on first use, not at import; Jinja2Templates autoescapes HTML.
    return Jinja2Templates(directory=str(TEMPLATES_DIR))


def _render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    base = {
        "advisory": ADVISORY_NOTICE,
        "source_labels": SOURCE_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "band_labels": BAND_LABELS,
        "max_text_chars": MAX_TEXT_CHARS,
        "max_note_chars": MAX_NOTE_CHARS,
        "max_contact_id_chars": MAX_CONTACT_ID_CHARS,
        "session": None,
        "error": None,
    }
    base.update(context)
    return _templates().TemplateResponse(request, name, base, status_code=status_code)


def _signin_page(
    request: Request, *, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _render(
        request, "signin.html", {"signin_csrf": token, "error": error}, status_code=status_code
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def _message_page(request: Request, *, title: str, message: str, status_code: int) -> HTMLResponse:
    return _render(
        request, "message.html", {"title": title, "message": message}, status_code=status_code
    )


def _expired(request: Request) -> HTMLResponse:
    return _message_page(
        request,
        title="The form has expired",
        message="The form could not be checked (it may be from an old page). "
        "Go back to the screener page, reload it, and try again.",
        status_code=403,
    )


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the contact text; ``kind`` is ``raise``/``lower`` when phrases covering
    it together raised or lowered the score, with ``title`` naming them."""

    text: str
    kind: str | None = None
    title: str = ""


def feature_label(feature: str) -> str:
    """A model feature name in words: ``word:bruise`` -> ``bruise``, ``neg:mark`` ->
    ``not: mark``, ``indicator:domestic_abuse`` -> ``indicator: domestic abuse``."""
    kind, _, name = feature.partition(":")
    if not name:
        return feature.replace("_", " ")
    name = name.replace("_", " ")
    if kind == "neg":
        return f"not: {name}"
    if kind in ("word", "phrase", "ngram", "token", "text"):
        return name
    return f"{kind.replace('_', ' ')}: {name}"


def highlight(text: str, explanation: list[ExplanationPublic]) -> list[Segment]:
    """Cut ``text`` at every span boundary of the explanation; each piece is marked by the
    sign of the summed weights of the phrases covering it (overlapping n-grams add up)."""
    n = len(text)
    covers: list[tuple[int, int, ExplanationPublic]] = []
    bounds = {0, n}
    for phrase in explanation:
        if phrase.weight == 0:
            continue
        for start, end in phrase.spans:
            s, e = max(0, min(int(start), n)), max(0, min(int(end), n))
            if e > s:
                covers.append((s, e, phrase))
                bounds.update((s, e))
    segments: list[Segment] = []
    last_key: tuple[str | None, tuple[str, ...]] | None = None
    for a, b in pairwise(sorted(bounds)):
        phrases = [p for s, e, p in covers if s <= a and b <= e]
        total = sum(p.weight for p in phrases)
        kind = "raise" if total > 0 else "lower" if total < 0 else None
        names = tuple(sorted({p.feature for p in phrases}))
        key = (kind, names)
        if segments and key == last_key:
            prev = segments[-1]
            segments[-1] = Segment(prev.text + text[a:b], prev.kind, prev.title)
            continue
        title = ""
        if kind is not None:
            parts = {p.feature: p.weight for p in phrases}
            verb = "raised" if kind == "raise" else "lowered"
            title = f"{verb} the score: " + ", ".join(
                f"{feature_label(f)} ({w:+.2f})" for f, w in sorted(parts.items())
            )
        segments.append(Segment(text[a:b], kind, title))
        last_key = key
    return segments


def _phrase_rows(result: ScoredContact, text: str, *, sign: int) -> list[dict[str, Any]]:
    rows = [p for p in result.explanation if p.weight * sign > 0]
    rows.sort(key=lambda p: -abs(p.weight))
    return [
        {
            "label": feature_label(p.feature),
            "weight": p.weight,
            "examples": sorted({text[s:e] for s, e in p.spans[:3] if 0 <= s < e <= len(text)}),
        }
        for p in rows[:12]
    ]


def _indicator_rows(indicators: list[IndicatorPublic], text: str) -> list[dict[str, Any]]:
    rows = []
    for ind in sorted(indicators, key=lambda i: (i.negated, -i.level, i.span[0])):
        flags = [
            name
            for name, on in (
                ("hedged", ind.hedged),
                ("historical", ind.historical),
                ("third party", ind.third_party),
            )
            if on
        ]
        s, e = ind.span
        rows.append(
            {
                "label": ind.label.replace("_", " ").strip().capitalize(),
                "level": ind.level,
                "quote": text[s:e] if 0 <= s < e <= len(text) else "",
                "negated": ind.negated,
                "flags": flags,
            }
        )
    return rows


def _percent(score: float) -> str:
    if score < 0.01:
        return "less than 1%"
    if score > 0.99:
        return "more than 99%"
    return f"{round(score * 100)}%"


# -- routes -----------------------------------------------------------------------------


def _forbidden_role(request: Request, role: str) -> HTMLResponse:
    return _message_page(
        request,
        title="This page is for screeners",
        message=f"Your key has the {role} role. The screener page needs a screener key; "
        "auditors and admins use the API (see /docs).",
        status_code=403,
    )


@router.get("/", response_class=HTMLResponse)
async def screener_page(request: Request, session: Session) -> HTMLResponse:
    """The scoring form, or the sign-in form without a session."""
    if session is None:
        return _signin_page(request)
    return _render(request, "screener.html", {"session": session, "form": {}})


@router.post("/signin", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    state: State,
    api_key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Exchange a screener key for a session cookie."""
    cookie = request.cookies.get(SIGNIN_COOKIE, "")
    if _cross_site(request) or not cookie or not hmac.compare_digest(cookie, csrf_token):
        return _expired(request)
    principal = await run_in_threadpool(state.keys.verify, api_key.strip())
    if principal is None:
        return _signin_page(
            request, error="That key is not valid or has been revoked.", status_code=401
        )
    if principal.role != PAGE_ROLE:
        return _forbidden_role(request, principal.role)
    token = make_session_token(
        await _secret(state), key_id=principal.key_id, role=principal.role, now=time.time()
    )
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
async def sign_out(
    request: Request, session: Session, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """End the session (the cookie is cleared; the key itself stays valid)."""
    if session is not None and (_cross_site(request) or not _csrf_ok(session, csrf_token)):
        return _expired(request)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _score_form_error(text: str, source: str, contact_id: str) -> str | None:
    """A message for a form the API would refuse; it never quotes the text."""
    stripped = text.strip()
    if not stripped:
        return "Enter the contact's text: the text box is empty or holds only spaces."
    if len(stripped) > MAX_TEXT_CHARS:
        return (
            f"The contact's text is {len(stripped):,} characters long; the limit is "
            f"{MAX_TEXT_CHARS:,}. Shorten it and score again."
        )
    if source not in get_args(Source):
        return "Choose who raised the concern from the source list."
    if len(contact_id.strip()) > MAX_CONTACT_ID_CHARS:
        return f"The contact id is longer than {MAX_CONTACT_ID_CHARS} characters."
    return None


@router.post("/score", response_class=HTMLResponse)
async def score_page(
    request: Request,
    state: State,
    session: Session,
    request_id: RequestId,
    text: Annotated[str, Form()] = "",
    source: Annotated[str, Form(max_length=64)] = "",
    contact_id: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Score the contact, audited like ``POST /v1/score``, and show why."""
    if session is None:
        return _signin_page(
            request, error="Your session has ended; sign in again.", status_code=401
        )
    if session.role != PAGE_ROLE:
        return _forbidden_role(request, session.role)
    if _cross_site(request) or not _csrf_ok(session, csrf_token):
        return _expired(request)
    # Browsers send textarea line breaks as CRLF; score (and show spans of) the text as typed.
    text = text.replace("\r\n", "\n")
    form = {"source": source, "contact_id": contact_id.strip()}
    error = _score_form_error(text, source, contact_id)
    if error is not None:
        return _render(
            request,
            "screener.html",
            {"session": session, "form": form, "error": error},
            status_code=422,
        )
    model = state.models.current
    if model is None:
        return _render(
            request,
            "screener.html",
            {
                "session": session,
                "form": form,
                "error": "No model is loaded, so nothing can be "
                "scored now. Try again shortly or tell your administrator.",
            },
            status_code=503,
        )
    try:
        item = ScoreRequest.model_validate(
            {"text": text, "source": source, "contact_id": contact_id.strip() or None}
        )
    except ValidationError:
        return _render(
            request,
            "screener.html",
            {
                "session": session,
                "form": form,
                "error": "The form could not be scored; check the text, source and contact id.",
            },
            status_code=422,
        )
    try:
        [result] = await score_and_audit(
            [item],
            model=model,
            principal=session.principal,
            request_id=request_id,
            hash_key=state.hash_key,
            redactor=state.redactor,
            health=state.audit_health,
            writer=state.audit_writer,
            run=state.run_scoring,
            batch=False,
        )
    except ApiError as exc:
        return _render(
            request,
            "screener.html",
            {"session": session, "form": form, "error": exc.message},
            status_code=exc.status_code,
        )
    return _render(
        request,
        "screener.html",
        {
            "session": session,
            "form": form,
            "result": result,
            "percent": _percent(result.score),
            "segments": highlight(text, result.explanation),
            "raised": _phrase_rows(result, text, sign=1),
            "lowered": _phrase_rows(result, text, sign=-1),
            "indicators": _indicator_rows(result.indicators, text),
            "model": {"name": model.name, "version": model.version},
            "request_id": request_id,
        },
    )


@router.post("/decision", response_class=HTMLResponse)
async def decision_page(
    request: Request,
    state: State,
    session: Session,
    request_id: RequestId,
    contact_id: Annotated[str, Form(max_length=1000)] = "",
    decision: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Record the decision through the API's own route function, then show the queue."""
    if session is None:
        return _signin_page(
            request, error="Your session has ended; sign in again.", status_code=401
        )
    if session.role != PAGE_ROLE:
        return _forbidden_role(request, session.role)
    if _cross_site(request) or not _csrf_ok(session, csrf_token):
        return _expired(request)
    contact = contact_id.strip()
    error = None
    if not contact or len(contact) > MAX_CONTACT_ID_CHARS:
        error = (
            f"Enter the contact id (1 to {MAX_CONTACT_ID_CHARS} characters) to record a decision."
        )
    elif decision not in get_args(Outcome):
        error = "Choose the decision from the list."
    elif len(note) > MAX_NOTE_CHARS:
        error = f"The note is longer than {MAX_NOTE_CHARS:,} characters."
    if error is not None:
        return _render(
            request,
            "screener.html",
            {
                "session": session,
                "form": {"contact_id": contact[:MAX_CONTACT_ID_CHARS]},
                "error": error,
            },
            status_code=422,
        )
    try:
        body = DecisionRequest(decision=decision, note=note.replace("\r\n", "\n") or None)  # type: ignore[arg-type]
        recorded = await record_decision(contact, body, session.principal, state, request_id)
    except ValidationError:
        return _render(
            request,
            "screener.html",
            {
                "session": session,
                "form": {},
                "error": "The decision could not be recorded; check the form.",
            },
            status_code=422,
        )
    except ApiError as exc:
        return _render(
            request,
            "screener.html",
            {"session": session, "form": {}, "error": exc.message},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/queue?recorded={recorded.id}", status_code=303)


@router.get("/queue", response_class=HTMLResponse)
async def queue_page(
    request: Request, state: State, session: Session, recorded: int | None = None
) -> HTMLResponse:
    """Today's scored contacts (UTC day), highest priority first; ids and scores only."""
    if session is None:
        return _signin_page(request)
    if session.role != PAGE_ROLE:
        return _forbidden_role(request, session.role)
    now = datetime.now(UTC)
    since = now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = await run_in_threadpool(
        lambda: store.list_scores_for_queue(engine=state.engine, since=since)
    )
    return _render(
        request,
        "queue.html",
        {"session": session, "rows": rows, "recorded": recorded, "day": since.date()},
    )
