"""The monitor's read of the audit trail, on SQLite and PostgreSQL: the period's score events
with the latest decision on each, and a trail from before indicators were recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, column, insert, table

import serving.audit.migrations as migrations
from serving.audit import store
from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head

JULY = datetime(2026, 7, 1, tzinfo=UTC)


def _score(contact: str, at: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "request_id": f"r-{contact}-{at.isoformat()}",
        "item_index": None,
        "created_at": at,
        "key_id": "k",
        "role": "screener",
        "model_name": "concern-screener",
        "model_version": "2",
        "score": 0.4,
        "priority": 6,
        "band": "medium",
        "source": "police",
        "contact_id": contact,
        "text_hmac": "0" * 64,
        # Every row names every column, as the service's rows do (one executemany).
        "indicators": None,
        **extra,
    }


def _decide(engine: Engine, contact: str, outcome: str) -> None:
    store.insert_decision(
        engine=engine,
        request_id=f"d-{contact}-{outcome}",
        created_at=datetime.now(UTC),
        contact_id=contact,
        outcome=outcome,
        key_id="k",
        role="screener",
        note_redacted=None,
    )


def _check_period_rows(engine: Engine) -> None:
    upgrade_to_head(engine)
    store.insert_score_events(
        [
            _score("before", JULY - timedelta(seconds=1)),
            _score("first", JULY, indicators="domestic_abuse self_harm"),
            _score("second", JULY + timedelta(days=3), indicators="", source=None),
            _score("last", JULY + timedelta(days=31) - timedelta(seconds=1)),
            _score("after", JULY + timedelta(days=31)),
        ],
        engine=engine,
    )
    _decide(engine, "first", "advice")
    _decide(engine, "first", "referral")  # a correction: the latest decision counts
    _decide(engine, "after", "nfa")
    rows = store.scores_with_decisions(engine=engine, since=JULY, until=JULY + timedelta(days=31))
    assert [r["contact_id"] for r in rows] == ["first", "second", "last"]
    first, second, last = rows
    assert (first["decision"], first["indicators"]) == ("referral", "domestic_abuse self_harm")
    assert first["created_at"] == JULY and first["created_at"].tzinfo is not None
    assert (second["decision"], second["indicators"], second["source"]) == (None, "", None)
    assert last["decision"] is None and last["decision_id"] is None
    assert "text_hmac" not in first and "redacted_text" not in first


def test_the_period_rows_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        _check_period_rows(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_period_rows_on_postgres(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    try:
        _check_period_rows(engine)
    finally:
        engine.dispose()


def test_a_trail_from_before_indicators_reads_them_as_not_recorded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
        cfg.attributes["engine"] = engine
        command.upgrade(cfg, "0006_page_sessions")
        row = _score("old", JULY + timedelta(days=1))
        del row["indicators"]  # the table as it was at 0006

        with engine.begin() as conn:
            conn.execute(insert(table("score_events", *(column(k) for k in row))).values(**row))
        rows = store.scores_with_decisions(
            engine=engine, since=JULY, until=JULY + timedelta(days=31)
        )
        assert [(r["contact_id"], r["indicators"]) for r in rows] == [("old", None)]
    finally:
        engine.dispose()


def test_a_simulated_trail_is_stamped_on_the_days_contacts_arrived_and_decided_as_generated(
    tmp_path: Path,
) -> None:
    from serving.monitoring import served_frame, simulate_trail
    from serving.testing import fake_loaded_model
    from training.data.generate import generate_frame

    contacts = generate_frame(60, seed=3, span=(JULY.date(), JULY.date() + timedelta(days=9)))
    engine = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    try:
        upgrade_to_head(engine)
        model = fake_loaded_model()
        simulate_trail(contacts, engine=engine, model=model)
        rows = store.scores_with_decisions(
            engine=engine, since=JULY, until=JULY + timedelta(days=10)
        )
    finally:
        engine.dispose()
    assert [r["contact_id"] for r in rows] == contacts["contact_id"].tolist()
    days = [datetime.fromisoformat(t).date() for t in contacts["received_at"]]
    assert [(r["created_at"].date(), r["created_at"].hour) for r in rows] == [(d, 12) for d in days]
    assert [r["decision"] for r in rows] == contacts["outcome"].tolist()
    frame, others = served_frame(rows, version=model.version)
    assert len(frame) == len(contacts) and others == {}
