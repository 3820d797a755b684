"""The referrer's page at ``/check``: sign in with a referrer key, paste a draft concern,
and see what the MASH will ask that it does not answer yet, the guidance examples it reads
like, and, always, the safety line. Role: referrer (and no other page opens to it).

The check goes through the same function as ``POST /v1/check`` (``serving.checking``), so
it is audited alike: counts, question ids and the keyed hash of the draft, never the draft.
The draft is shown again only in the form of the page that checked it
(``Cache-Control: no-store``), so it can be edited and checked again; it is never put in
a URL, a log line or an error message. Sign-in, sessions and form tokens are the screener
pages' own (``serving.web.session``).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from serving.api.deps import RequestId, State
from serving.checking import Checked, check_and_audit
from serving.errors import ApiError
from serving.schemas import CheckRequest
from serving.web.routes import _expired, _message_page, _render, _signin_page
from serving.web.session import REFERRER_ROLE, PageSession, Session, form_ok
from training.data.contract import MAX_TEXT_CHARS
from training.text.checklist import SAFETY_LINE, ChecklistError, get_detector

__all__ = ["REFERRER_ADVISORY", "router"]

router = APIRouter(tags=["referrer page"], include_in_schema=False)

#: The page's notice, in place of the screener pages' advisory about scores.
REFERRER_ADVISORY: Final = (
    "This check only helps you write a fuller referral. It gives no score and decides "
    "nothing, and it is never a reason not to refer: send your concern whether or not your "
    "draft answers every question."
)


def _safety() -> str:
    """The safety line as the checklist gives it (with the MASH's number when the file
    has one); the fixed line when the file cannot be used."""
    try:
        return get_detector().safety
    except ChecklistError:
        return SAFETY_LINE


async def _page(
    request: Request,
    session: PageSession,
    *,
    draft: str = "",
    checked: Checked | None = None,
    request_id: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    safety = checked.safety if checked is not None else await run_in_threadpool(_safety)
    context: dict[str, Any] = {
        "session": session,
        "advisory": REFERRER_ADVISORY,
        "safety": safety,
        "draft": draft,
        "checked": checked,
        "request_id": request_id,
        "error": error,
    }
    return _render(request, "check.html", context, status_code=status_code)


def _signin(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    return _signin_page(
        request, error=error, status_code=status_code, context={"signin_for": REFERRER_ROLE}
    )


def _not_a_referrer(request: Request, role: str) -> HTMLResponse:
    return _message_page(
        request,
        title="This page is for referrers",
        message=f"Your key has the {role} role. The draft check needs a referrer key.",
        status_code=403,
    )


def _form_error(text: str) -> str | None:
    """A message for a draft the API would refuse; it never quotes the draft."""
    if not text.strip():
        return "Paste or type your draft: the text box is empty or holds only spaces."
    if len(text) > MAX_TEXT_CHARS:
        return (
            f"Your draft is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}. "
            "Shorten it and check again, or send it as it is."
        )
    return None


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request, session: Session) -> HTMLResponse:
    """The draft form with the safety line, or the sign-in form without a session."""
    if session is None:
        return _signin(request)
    if session.role != REFERRER_ROLE:
        return _not_a_referrer(request, session.role)
    return await _page(request, session)


@router.post("/check", response_class=HTMLResponse)
async def check_submit(
    request: Request,
    state: State,
    session: Session,
    request_id: RequestId,
    text: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Check the draft, audited like ``POST /v1/check``, and show what the MASH will ask."""
    if session is None:
        return _signin(request, error="Your session has ended; sign in again.", status_code=401)
    if session.role != REFERRER_ROLE:
        return _not_a_referrer(request, session.role)
    if not form_ok(request, session, csrf_token):
        return _expired(request)
    # Browsers send textarea line breaks as CRLF; check the draft as typed.
    text = text.replace("\r\n", "\n")
    error = _form_error(text)
    if error is None:
        try:
            body = CheckRequest.model_validate({"text": text})
        except ValidationError:
            error = "The draft holds a character that cannot be checked (such as a NUL); remove it."
    if error is not None:
        return await _page(request, session, error=error, status_code=422)
    context = state.check_context(principal=session.principal, request_id=request_id)
    try:
        checked = await check_and_audit(body.text, context, channel="page")
    except ApiError as exc:
        return await _page(request, session, error=exc.message, status_code=exc.status_code)
    return await _page(request, session, draft=text, checked=checked, request_id=request_id)
