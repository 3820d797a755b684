"""The only SQL in the project: reads and writes of the audit trail.

Every function takes keyword-only ``engine`` (or ``conn``) and opens its own short
transaction. Callers import from here; the modules are by job: :mod:`.health` (the
readiness probe and heartbeat), :mod:`.service_settings`, :mod:`.sessions` (page
sessions), :mod:`.keys`, :mod:`.events` (writing scores, self-checks and promotion
decisions), :mod:`.decisions` (recorded decisions, and each contact's latest) and
:mod:`.trail` (reading: the auditor's pages, the queue, the monitor's rows).
"""

from __future__ import annotations

from serving.audit.store.decisions import (
    DecidedContact,
    DecisionRow,
    insert_decision,
    list_decided_contacts,
)
from serving.audit.store.events import (
    insert_check_event,
    insert_model_event,
    insert_score_events,
)
from serving.audit.store.health import HEARTBEAT_SETTING, probe, write_heartbeat
from serving.audit.store.keys import KeyRow, get_key, insert_key, list_keys, revoke_key
from serving.audit.store.service_settings import (
    delete_settings,
    get_setting,
    get_settings_present,
    increment_setting,
)
from serving.audit.store.sessions import (
    PageSessionRow,
    end_page_session,
    get_page_session,
    insert_page_session,
    touch_page_session,
)
from serving.audit.store.trail import (
    AuditTrailMissing,
    EventType,
    list_events,
    list_scores_for_queue,
    scores_with_decisions,
)

__all__ = [
    "HEARTBEAT_SETTING",
    "AuditTrailMissing",
    "DecidedContact",
    "DecisionRow",
    "EventType",
    "KeyRow",
    "PageSessionRow",
    "delete_settings",
    "end_page_session",
    "get_key",
    "get_page_session",
    "get_setting",
    "get_settings_present",
    "increment_setting",
    "insert_check_event",
    "insert_decision",
    "insert_key",
    "insert_model_event",
    "insert_page_session",
    "insert_score_events",
    "list_decided_contacts",
    "list_events",
    "list_keys",
    "list_scores_for_queue",
    "probe",
    "revoke_key",
    "scores_with_decisions",
    "touch_page_session",
    "write_heartbeat",
]
