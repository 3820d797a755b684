"""The referrer self-check with an audit record: what the MASH will ask that a draft does
not answer (``training.text.checklist``), the guidance examples it reads like (the served
model's similar-cases index), and always the safety line. ``POST /v1/check`` and the page
at ``/check`` both call ``check_and_audit``.

Nothing typed is kept: the audit event holds counts, the missing questions' ids and the
keyed hash of the draft. The answer never carries a score and never advises against a
referral; past contacts of the index (other families' records, even redacted) are never
shown to a referrer, only the hand-written guidance examples.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine

from serving.audit import store
from serving.errors import ApiError
from serving.loaded_model import LoadedModel
from serving.metrics import get_metrics
from serving.schemas import MissingQuestion, ModelPublic, ResemblingExample
from serving.scoring import AuditHealth, model_public, text_hmac
from serving.security import Principal
from training.model.outputs import SimilarCase
from training.text.checklist import ChecklistError, SelfCheck, check_draft, get_detector

__all__ = [
    "GUIDANCE_SHOWN",
    "LEVEL_LABELS",
    "CheckContext",
    "Checked",
    "check_and_audit",
    "split_ask",
]

log = logging.getLogger(__name__)

#: Guidance examples shown at most (the index may hold a different ``k``).
GUIDANCE_SHOWN = 3
#: The published levels of need, as a guidance example's level is named.
LEVEL_LABELS: dict[int, str] = {
    1: "universal",
    2: "early help",
    3: "child in need",
    4: "protection",
}


def split_ask(ask: str) -> tuple[str, str]:
    """A checklist question as ``(question, hint)``: the text up to its first question
    mark, and what follows it ("How old is the child?", "A date of birth, ... is enough.");
    the whole text and "" when it has no question mark before its end."""
    cut = ask.find("?")
    if cut < 0 or cut == len(ask.rstrip()) - 1:
        return ask.strip(), ""
    return ask[: cut + 1].strip(), ask[cut + 1 :].strip()


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What checking one draft needs besides the text, built once per request: the model
    read for this request (None: no examples), who asks, the request id, the hash key,
    the audit database and its health, and the worker's scoring threads (``run``)."""

    model: LoadedModel | None
    principal: Principal
    request_id: str
    hash_key: bytes
    engine: Engine
    health: AuditHealth
    run: Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Checked:
    """A self-check ready to show: the missing questions, the ids answered, the guidance
    examples and the model they came from, the checklist's intro, version and safety line."""

    safety: str
    intro: str
    missing: list[MissingQuestion]
    answered: list[str]
    resembling: list[ResemblingExample]
    checklist_version: str
    model: ModelPublic | None


def _similar_cases(scorer: Any) -> Any:
    """The model's ``similar_cases(texts, *, k, past_k)``: on the scorer itself, or on the
    screener model a registered pyfunc wraps; None for a model without one (the fake)."""
    found = getattr(scorer, "similar_cases", None)
    if found is None:
        found = getattr(getattr(scorer, "screener", None), "similar_cases", None)
    return found if callable(found) else None


def _resembling(model: LoadedModel | None, text: str) -> list[ResemblingExample]:
    """The guidance examples ``text`` reads like, nearest first; [] without a model, an
    index, or when the index fails (the questions matter more than the examples)."""
    find = None if model is None else _similar_cases(model.scorer)
    if find is None:
        return []
    try:
        [cases] = find([text], k=GUIDANCE_SHOWN, past_k=0)
    except Exception as exc:  # never the text: only the type
        log.error("similar cases failed; none shown", extra={"error_type": type(exc).__name__})
        return []
    return [_example(c) for c in _guidance_only(cases)][:GUIDANCE_SHOWN]


def _guidance_only(cases: Sequence[SimilarCase]) -> list[SimilarCase]:
    return [c for c in cases if c.kind == "guidance" and c.level is not None]


def _example(case: SimilarCase) -> ResemblingExample:
    level = int(case.level or 0)
    return ResemblingExample(
        id=case.id,
        level=level,
        level_label=LEVEL_LABELS.get(level, f"level {level}"),
        reason=case.reason,
        similarity=max(-1.0, min(1.0, float(case.similarity))),
    )


def _checked(text: str, model: LoadedModel | None) -> tuple[SelfCheck, Checked]:
    """The self-check of ``text`` and what is shown of it (CPU only, no I/O)."""
    check = check_draft(text)
    asks = {q.id: q.ask for q in get_detector().checklist.question}
    missing = []
    for qid in check.missing:
        question, hint = split_ask(asks.get(qid, ""))
        missing.append(MissingQuestion(id=qid, question=question, hint=hint))
    resembling = _resembling(model, text)
    return check, Checked(
        safety=check.safety,
        intro=check.intro,
        missing=missing,
        answered=[q.id for q in check.questions if q.answered],
        resembling=resembling,
        checklist_version=check.checklist_version,
        model=model_public(model) if model is not None and resembling else None,
    )


async def check_and_audit(
    text: str, context: CheckContext, *, channel: Literal["api", "page"]
) -> Checked:
    """Check ``text`` (on the scoring threads) and record the check; return it only once
    the audit row is committed, else raise ApiError 503 (fail closed, as scores). A
    checklist file that cannot be used is a 503 too. The model is optional: without one
    the questions and the safety line are still given, with no examples."""
    principal, request_id = context.principal, context.request_id
    try:
        check, checked = await context.run(_checked, text, context.model)
    except ChecklistError:
        log.error("the checklist file cannot be used; no self-check")
        raise ApiError(
            503,
            "checklist_unavailable",
            "The checklist could not be loaded, so no self-check is given. If a child is at "
            "immediate risk, phone the police on 999 or the MASH now.",
        ) from None
    row = {
        "request_id": request_id,
        "created_at": datetime.now(UTC),
        "key_id": principal.key_id,
        "role": principal.role,
        "channel": channel,
        "checklist_version": check.checklist_version,
        "questions": len(check.questions),
        "questions_missing": len(check.missing),
        "missing_questions": ",".join(check.missing),
        "resembling": len(checked.resembling),
        "model_name": checked.model.name if checked.model else None,
        "model_version": checked.model.version if checked.model else None,
        "text_hmac": text_hmac(text, key=context.hash_key),
    }
    try:
        await run_in_threadpool(store.insert_check_event, row, engine=context.engine)
    except Exception as exc:
        context.health.failed(exc)
        get_metrics().audit_failures.inc()
        log.error(
            "audit write failed; self-check withheld",
            extra={"request_id": request_id, "error_type": type(exc).__name__},
        )
        raise ApiError(
            503,
            "audit_unavailable",
            "The audit record could not be written, so no self-check is returned. Try again "
            "later. If a child is at immediate risk, phone the police on 999 or the MASH now.",
        ) from None
    context.health.ok()
    return checked
