"""The referrer self-check of a draft concern. Role: referrer."""

from __future__ import annotations

from fastapi import APIRouter

from serving.api.deps import Checking
from serving.api.routes._responses import errors
from serving.checking import check_and_audit
from serving.schemas import CheckRequest, CheckResponse, ErrorResponse

__all__ = ["router"]

router = APIRouter(prefix="/v1/check", tags=["check"])


@router.post(
    "",
    response_model=CheckResponse,
    summary="Check a draft concern before sending it (role: referrer)",
    responses={
        **errors(400, 401, 403, 413, 422),
        503: {
            "model": ErrorResponse,
            "description": "The audit record could not be written (fail closed), or the "
            "checklist file cannot be used. A check needs no model.",
        },
    },
)
async def check_draft(body: CheckRequest, checking: Checking) -> CheckResponse:
    """What the MASH will ask that the draft does not answer yet (each question with a
    short hint), the published guidance's examples the draft reads like with their levels
    of need, and always the safety line: a child at immediate risk needs the police or the
    MASH by phone now; in doubt, refer.

    Never a score, and never advice not to refer: every question is optional. Nothing
    typed is kept: the audit trail records counts, the missing questions' ids and a keyed
    hash of the draft, before the answer is returned (503 if it cannot be written).
    Without a model loaded, or with a model without a similar-cases index, the questions
    and the safety line come with no examples.
    """
    checked = await check_and_audit(body.text, checking, channel="api")
    return CheckResponse(
        safety=checked.safety,
        intro=checked.intro,
        missing=checked.missing,
        answered=checked.answered,
        resembling=checked.resembling,
        checklist_version=checked.checklist_version,
        model=checked.model,
        request_id=checking.request_id,
    )
