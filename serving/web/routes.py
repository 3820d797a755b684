"""The screener page at ``/``: sign in with a key, score a contact, read why, record the
decision; and ``/queue``, today's scored contacts by priority. Role: screener.

Page scores and decisions go through the same functions as ``POST /v1/score`` and
``POST /v1/contacts/{id}/decision``, so they are audited alike (fail closed). Concern text
is shown only on the page that scored it (``Cache-Control: no-store``); it is never put in
a URL, a log line or an error message, and the queue shows ids and scores only.
Sessions and form tokens are ``serving.web.session``'s; what a result shows is
``serving.web.presenters``'.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, get_args

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from serving.api.deps import RequestId, State
from serving.api.routes.decisions import record_decision
from serving.audit import store
from serving.errors import ApiError
from serving.schemas import (
    ADVISORY_NOTICE,
    MAX_CONTACT_ID_CHARS,
    MAX_NOTE_CHARS,
    DecisionRequest,
    ScoreRequest,
    is_valid_id,
)
from serving.scoring import model_public, score_and_audit
from serving.web.presenters import (
    BAND_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    bidi_plain,
    bidi_visible,
    result_view,
)
from serving.web.session import (
    PAGE_HOMES,
    PAGE_ROLE,
    REFERRER_ROLE,
    SESSION_COOKIE,
    PageSession,
    Session,
    end_session,
    form_ok,
    new_signin_token,
    set_signin_cookie,
    signin_form_ok,
    start_session,
)
from training.data.contract import MAX_TEXT_CHARS, Outcome, Source

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "router"]

router = APIRouter(tags=["screener page"], include_in_schema=False)

TEMPLATES_DIR: Final = Path(__file__).resolve().parent / "templates"
STATIC_DIR: Final = Path(__file__).resolve().parent / "static"

_NO_MODEL: Final = (
    "No model is loaded, so nothing can be scored now. Try again shortly or tell your "
    "administrator."
)


# -- rendering --------------------------------------------------------------------------


@functools.cache
def _templates() -> Jinja2Templates:
    # Built on first use, not at import; Jinja2Templates autoescapes HTML.
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters.update(bidi=bidi_visible, bidi_plain=bidi_plain)
    return templates


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


def _screener_error(
    request: Request, session: PageSession, form: dict[str, str], error: str, status_code: int
) -> HTMLResponse:
    """The screener page again, with ``error`` above the form."""
    return _render(
        request,
        "screener.html",
        {"session": session, "form": form, "error": error},
        status_code=status_code,
    )


def _signin_page(
    request: Request,
    *,
    error: str | None = None,
    status_code: int = 200,
    context: dict[str, Any] | None = None,
) -> HTMLResponse:
    token = new_signin_token()
    response = _render(
        request,
        "signin.html",
        {"signin_csrf": token, "error": error, **(context or {})},
        status_code=status_code,
    )
    set_signin_cookie(response, request, token)
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


def _forbidden_role(request: Request, role: str) -> HTMLResponse:
    return _message_page(
        request,
        title="This page is for screeners",
        message=f"Your key has the {role} role. The screener page needs a screener key; "
        + (
            "referrers check a draft at /check."
            if role == REFERRER_ROLE
            else "auditors and admins use the API (see /docs)."
        ),
        status_code=403,
    )


def _session_ended(request: Request) -> HTMLResponse:
    return _signin_page(request, error="Your session has ended; sign in again.", status_code=401)


def _refuse_form(request: Request, session: PageSession, csrf_token: str) -> HTMLResponse | None:
    """The page to answer instead of acting on a signed-in form: another role, or a form
    that fails the origin and token checks; None when the form may proceed."""
    if session.role != PAGE_ROLE:
        return _forbidden_role(request, session.role)
    if not form_ok(request, session, csrf_token):
        return _expired(request)
    return None


# -- form checks ------------------------------------------------------------------------


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


def _decision_form_error(contact: str, decision: str, note: str) -> str | None:
    """A message for a decision form the API would refuse; it never quotes the note."""
    if not contact or len(contact) > MAX_CONTACT_ID_CHARS:
        return (
            f"Enter the contact id (1 to {MAX_CONTACT_ID_CHARS} characters) to record a decision."
        )
    if not is_valid_id(contact):
        return "The contact id holds a control or text-direction character; retype it."
    if decision not in get_args(Outcome):
        return "Choose the decision from the list."
    if len(note) > MAX_NOTE_CHARS:
        return f"The note is longer than {MAX_NOTE_CHARS:,} characters."
    return None


# -- routes -----------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def screener_page(request: Request, session: Session) -> Response:
    """The scoring form, or the sign-in form without a session (a referrer's session
    lands on its own page)."""
    if session is None:
        return _signin_page(request)
    if session.role == REFERRER_ROLE:
        return RedirectResponse(PAGE_HOMES[REFERRER_ROLE], status_code=303)
    return _render(request, "screener.html", {"session": session, "form": {}})


@router.post("/signin", response_class=HTMLResponse)
async def sign_in(
    request: Request,
    state: State,
    api_key: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    page: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Exchange a screener or referrer key for a session cookie; each lands on its page
    (``page``: which sign-in form was used, to show the same one again on a bad key)."""
    if not signin_form_ok(request, csrf_token):
        return _expired(request)
    principal = await run_in_threadpool(state.keys.verify, api_key.strip())
    if principal is None:
        return _signin_page(
            request,
            error="That key is not valid or has been revoked.",
            status_code=401,
            context={"signin_for": REFERRER_ROLE} if page == REFERRER_ROLE else None,
        )
    if principal.role not in PAGE_HOMES:
        return _forbidden_role(request, principal.role)
    response = RedirectResponse(PAGE_HOMES[principal.role], status_code=303)
    try:
        await start_session(response, request, state, principal)
    except ApiError as exc:
        return _signin_page(request, error=exc.message, status_code=exc.status_code)
    return response


@router.post("/signout")
async def sign_out(
    request: Request,
    state: State,
    session: Session,
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """End the session for every copy of its cookie (this one is cleared too; the key
    itself stays valid)."""
    if session is not None and not form_ok(request, session, csrf_token):
        return _expired(request)
    home = PAGE_HOMES.get(session.role, "/") if session is not None else "/"
    response: Response = RedirectResponse(home, status_code=303)
    try:
        await end_session(response, state, session)
    except ApiError as exc:
        response = _signin_page(request, error=exc.message, status_code=exc.status_code)
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


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
        return _session_ended(request)
    if (refused := _refuse_form(request, session, csrf_token)) is not None:
        return refused
    # Browsers send textarea line breaks as CRLF; score (and show spans of) the text as typed.
    text = text.replace("\r\n", "\n")
    form = {"source": source, "contact_id": contact_id.strip()}
    error = _score_form_error(text, source, contact_id)
    if error is not None:
        return _screener_error(request, session, form, error, 422)
    model = state.models.current
    if model is None:
        return _screener_error(request, session, form, _NO_MODEL, 503)
    try:
        item = ScoreRequest.model_validate(
            {"text": text, "source": source, "contact_id": contact_id.strip() or None}
        )
    except ValidationError:
        error = "The form could not be scored; check the text, source and contact id."
        return _screener_error(request, session, form, error, 422)
    scoring = state.scoring_context(model=model, principal=session.principal, request_id=request_id)
    try:
        [result] = await score_and_audit([item], scoring, batch=False)
    except ApiError as exc:
        return _screener_error(request, session, form, exc.message, exc.status_code)
    return _render(
        request,
        "screener.html",
        {
            "session": session,
            "form": form,
            **result_view(result, text),
            "model": model_public(model),
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
        return _session_ended(request)
    if (refused := _refuse_form(request, session, csrf_token)) is not None:
        return refused
    contact = contact_id.strip()
    error = _decision_form_error(contact, decision, note)
    if error is not None:
        form = {"contact_id": contact[:MAX_CONTACT_ID_CHARS]}
        return _screener_error(request, session, form, error, 422)
    try:
        body = DecisionRequest(decision=decision, note=note.replace("\r\n", "\n") or None)  # type: ignore[arg-type]
        recorded = await record_decision(contact, body, session.principal, state, request_id)
    except ValidationError:
        error = "The decision could not be recorded; check the form."
        return _screener_error(request, session, {}, error, 422)
    except ApiError as exc:
        return _screener_error(request, session, {}, exc.message, exc.status_code)
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
