"""Scoring with an audit record: the model's records become response models, and each
score is written to the audit trail before it is returned (fail closed).

A request's scoring needs are gathered once, in a ``ScoringContext`` (the model read for
this request, who asks, the request id, and the worker's audit machinery), which the score
routes and the screener page hand to ``score_and_audit`` alike.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import queue
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Engine

from serving.audit import store
from serving.errors import ApiError
from serving.loaded_model import LoadedModel
from serving.metrics import get_metrics
from serving.schemas import (
    ExplanationPublic,
    FloorPublic,
    IndicatorPublic,
    ModelPublic,
    ScoredContact,
    ScoreRequest,
    SimilarExamplePublic,
)
from serving.security import Principal
from training.data.contract import Outcome
from training.model.floors import live_labels
from training.model.outputs import ScoreRecord, SimilarCase

__all__ = [
    "AuditHealth",
    "AuditWriter",
    "Redactor",
    "Scored",
    "ScoringContext",
    "load_redactor",
    "model_public",
    "score_and_audit",
    "score_items",
    "shown_similar",
    "text_hmac",
    "to_public",
]

log = logging.getLogger(__name__)

#: ``redact(text) -> redacted text`` (the spans of ``training.text.redact`` are dropped).
Redactor = Callable[[str], str]


@dataclass
class AuditHealth:
    """The last audit write failure this worker saw (for /readyz), cleared on success."""

    failed_at: datetime | None = None
    error_type: str | None = None

    def failed(self, exc: BaseException) -> None:
        self.failed_at = datetime.now(UTC)
        self.error_type = type(exc).__name__

    def ok(self) -> None:
        if self.failed_at is not None:
            self.failed_at = None
            self.error_type = None


def load_redactor() -> Redactor:
    """``training.text.redact`` as a text -> text function. Raise ImportError if missing."""
    from training.text import redact  # type: ignore[attr-defined]

    def _redact(text: str) -> str:
        redacted, _spans = redact(text)
        return str(redacted)

    return _redact


def text_hmac(text: str, *, key: bytes) -> str:
    """Keyed hash (HMAC-SHA256, hex) of the text as sent: equal texts give equal hashes,
    and without the key nobody can test a guess of the text against the audit trail."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def model_public(model: LoadedModel) -> ModelPublic:
    """Which model this is, as every response names it."""
    return ModelPublic(name=model.name, version=model.version)


def shown_similar(record: ScoreRecord, *, past_contacts: bool) -> tuple[SimilarCase, ...]:
    """The similar examples of ``record`` the service shows (and audits): the guidance
    examples, and the past contacts only with ``past_contacts`` (``SIMILAR_PAST_CONTACTS=on``;
    a version that indexed none gives none)."""
    return tuple(c for c in record.similar if past_contacts or c.kind != "past_contact")


def _similar_public(case: SimilarCase) -> SimilarExamplePublic:
    guidance = case.kind == "guidance"
    return SimilarExamplePublic.model_construct(
        kind=case.kind,
        id=str(case.id),
        similarity=float(case.similarity),
        reason=str(case.reason),
        indicators=[str(i) for i in case.indicators],
        level=None if case.level is None else int(case.level),
        level_reason=str(case.level_reason) if guidance else None,
        text=None if guidance else str(case.text),
        # The export's outcome, validated against the contract when the index was built.
        outcome=None if guidance else cast(Outcome | None, case.outcome),
        date_band=None if guidance else str(case.date_band),
    )


def to_public(
    record: ScoreRecord, *, contact_id: str | None, past_contacts: bool = False
) -> ScoredContact:
    """The response form of one model record. A model without a level estimate (its
    records have level None) gives a null level, no probabilities and no differ flag; a
    model without a similar-cases index, no similar examples. Past contacts are shown only
    with ``past_contacts``."""
    return ScoredContact.model_construct(
        score=float(record.score),
        priority=int(record.priority),
        band=record.band,
        level=None if record.level is None else int(record.level),
        level_probabilities=[float(p) for p in record.level_probabilities],
        practice_and_guidance_differ=bool(record.differs),
        floor=None if not record.floor else FloorPublic.model_construct(says=str(record.floor)),
        contact_id=contact_id,
        explanation=[
            ExplanationPublic.model_construct(
                feature=p.feature,
                weight=float(p.weight),
                spans=[(int(s[0]), int(s[1])) for s in p.spans],
            )
            for p in record.explanation
        ],
        indicators=[
            IndicatorPublic.model_construct(
                label=i.label,
                level=int(i.level),
                span=(int(i.start), int(i.end)),
                negated=bool(i.negated),
                hedged=bool(i.hedged),
                historical=bool(i.historical),
                third_party=bool(i.third_party),
            )
            for i in record.indicators
        ],
        similar=[_similar_public(c) for c in shown_similar(record, past_contacts=past_contacts)],
    )


@dataclass(frozen=True)
class Scored:
    """Scores computed but not yet returned: the audit rows to write first."""

    rows: list[dict[str, Any]]
    results: list[ScoredContact]
    bands: list[str]


_STOP = object()


class AuditWriter:
    """Group commit of score events: one thread per worker writes every pending request's
    rows in one transaction, and each request waits for the commit of its rows.

    Under load this turns hundreds of small transactions a second into a few dozen,
    which is what lets SQLite keep up with several workers; with no load a request's rows
    are written alone, at once. A failed transaction fails every request in it, and none
    of their scores is returned (fail closed).
    """

    def __init__(self, engine: Engine, *, max_rows: int = 5_000) -> None:
        self._engine = engine
        self._max_rows = max_rows
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Write what is pending, then end the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout=30)
            self._thread = None

    def submit(self, rows: list[dict[str, Any]]) -> Future[None]:
        """Queue ``rows`` for writing; the future resolves when they are committed."""
        future: Future[None] = Future()
        if self._thread is None:
            future.set_exception(RuntimeError("audit writer is not running"))
            return future
        self._queue.put((rows, future))
        return future

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is _STOP:
                break
            pending = [first]
            count = len(first[0])
            while count < self._max_rows:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                pending.append(item)
                count += len(item[0])
            # A request that stopped waiting (its audit timeout) cancelled its future: its
            # rows are not written, since its score was never returned.
            pending = [item for item in pending if item[1].set_running_or_notify_cancel()]
            if not pending:
                continue
            rows = [row for item_rows, _ in pending for row in item_rows]
            try:
                store.insert_score_events(rows, engine=self._engine)
            except BaseException as exc:  # every waiter must hear about it
                for _, future in pending:
                    future.set_exception(exc)
            else:
                for _, future in pending:
                    future.set_result(None)


class AuditWriteTimeout(TimeoutError):
    """The audit write did not commit within ``AUDIT_TIMEOUT_SECONDS``."""


async def _committed(future: Future[None], *, timeout: float) -> None:
    """Wait for the writer to commit ``future``'s rows, at most ``timeout`` seconds; past
    it cancel them (unless already being written) and raise :class:`AuditWriteTimeout`."""
    waiting = asyncio.wrap_future(future)
    try:
        await asyncio.wait_for(asyncio.shield(waiting), timeout)
    except TimeoutError:
        future.cancel()
        # Nobody awaits it any more: read its outcome so asyncio does not log it.
        waiting.add_done_callback(lambda f: f.cancelled() or f.exception())
        raise AuditWriteTimeout(f"no audit commit within {timeout} s") from None


@dataclass(frozen=True, slots=True)
class ScoringContext:
    """Everything scoring one request needs besides its items, built once per request.

    ``model`` is the model read for this request (a reload meanwhile does not change it);
    ``principal`` and ``request_id`` go into every audit row; ``hash_key`` keys the text
    hash and ``redactor``, when set, gives the stored redacted text; ``writer`` commits the
    rows, ``health`` remembers the last audit failure for /readyz, ``run`` runs the
    model on the worker's scoring threads, and ``past_contacts`` lets past contacts be
    shown among the similar examples. ``timeout`` bounds the wait for the audit write, in
    seconds (``AUDIT_TIMEOUT_SECONDS``).
    """

    model: LoadedModel
    principal: Principal
    request_id: str
    hash_key: bytes
    redactor: Redactor | None
    health: AuditHealth
    writer: AuditWriter
    run: Callable[..., Awaitable[Scored]]
    #: Show past contacts among the similar examples (``SIMILAR_PAST_CONTACTS=on``).
    past_contacts: bool = False
    timeout: float = 1.5


def score_items(items: Sequence[ScoreRequest], context: ScoringContext, *, batch: bool) -> Scored:
    """Score ``items`` with the context's model and build their audit rows (CPU only, no
    I/O). ``batch`` numbers the rows by item."""
    model, principal, request_id = context.model, context.principal, context.request_id
    hash_key, redactor = context.hash_key, context.redactor
    started = time.perf_counter()
    records = model.scorer.score_records([i.text for i in items], [i.source for i in items])
    get_metrics().score_latency.observe(time.perf_counter() - started)
    if len(records) != len(items):
        raise RuntimeError("the model returned a different number of records than texts")
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for index, (item, rec) in enumerate(zip(items, records, strict=True)):
        rows.append(
            {
                "request_id": request_id,
                "item_index": index if batch else None,
                "created_at": now,
                "key_id": principal.key_id,
                "role": principal.role,
                "model_name": model.name,
                "model_version": model.version,
                "score": float(rec.score),
                "priority": int(rec.priority),
                "band": rec.band,
                "level": None if rec.level is None else int(rec.level),
                "practice_and_guidance_differ": bool(rec.differs),
                # Policy text ("injury ... to a baby not yet mobile"), never concern text.
                "floor": rec.floor or None,
                # The ids of the examples shown, in order; never their text.
                "similar_ids": " ".join(
                    c.id for c in shown_similar(rec, past_contacts=context.past_contacts)
                ),
                # Pattern-file labels of the live indicators (the monitor's shares), never
                # the words they were found in.
                "indicators": " ".join(sorted(live_labels(rec.indicators))),
                "source": item.source,
                "contact_id": item.contact_id,
                "text_hmac": text_hmac(item.text, key=hash_key),
                "redacted_text": redactor(item.text) if redactor is not None else None,
            }
        )
    return Scored(
        rows=rows,
        results=[
            to_public(rec, contact_id=item.contact_id, past_contacts=context.past_contacts)
            for item, rec in zip(items, records, strict=True)
        ],
        bands=[rec.band for rec in records],
    )


async def score_and_audit(
    items: Sequence[ScoreRequest], context: ScoringContext, *, batch: bool
) -> list[ScoredContact]:
    """Score ``items`` (on the scoring threads, via ``context.run``) and record every
    score; return them only once the audit write committed (all or nothing), else raise
    ApiError 503."""
    scored = await context.run(score_items, items, context, batch=batch)
    try:
        await _committed(context.writer.submit(scored.rows), timeout=context.timeout)
    except Exception as exc:
        context.health.failed(exc)
        get_metrics().audit_failures.inc()
        log.error(
            "audit write failed; score withheld",
            extra={"request_id": context.request_id, "error_type": type(exc).__name__},
        )
        raise ApiError(
            503,
            "audit_unavailable",
            "The audit record could not be written, so no score is returned. Try again later.",
        ) from None
    context.health.ok()
    metrics = get_metrics()
    for band in scored.bands:
        metrics.scores.labels(band).inc()
    return scored.results
