"""Benchmark: `screener data export-decisions` on an audit trail of N decided contacts.

Fills a fresh SQLite audit database with N score events (generated contacts' texts, redacted
as the service stores them with ``AUDIT_STORE_REDACTED_TEXT`` on) and one decision each (a
tenth decided twice), then times the export to Parquet: reading the trail, redacting the
stored text again, validating, writing. Prints rows, seconds and contacts per second.

    python bench/bench_export_decisions.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()

    from sqlalchemy import insert

    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.audit.tables import decisions, score_events
    from serving.export import export_decisions
    from training.data.generate import generate_frame
    from training.text import redact

    frame = generate_frame(args.rows, seed=21)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/audit.db", timeout=30)
        upgrade_to_head(engine)
        scores, decided = [], []
        for k, row in enumerate(frame.itertuples()):
            at = start + timedelta(minutes=k)
            scores.append(
                {
                    "request_id": f"r{k}", "item_index": None, "created_at": at, "key_id": "k",
                    "role": "screener", "model_name": "concern-screener", "model_version": "1",
                    "score": 0.5, "priority": 5, "band": "medium", "source": row.source,
                    "contact_id": row.contact_id, "text_hmac": "0" * 64,
                    "redacted_text": redact(row.text)[0],
                }
            )  # fmt: skip
            for again in range(2 if k % 10 == 0 else 1):
                decided.append(
                    {
                        "request_id": f"d{k}-{again}", "created_at": at + timedelta(hours=1 + again),
                        "contact_id": row.contact_id, "outcome": row.outcome, "key_id": "k",
                        "role": "screener", "score_event_id": k + 1,
                    }
                )  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(score_events), scores)
            conn.execute(insert(decisions), decided)
        t0 = time.perf_counter()
        result = export_decisions(engine=engine, since=start, out=Path(tmp) / "decisions.parquet")
        seconds = time.perf_counter() - t0
        engine.dispose()
    print(
        f"bench_export_decisions: {result.exported:,} of {result.decided:,} contacts exported "
        f"({result.superseded:,} decided twice) in {seconds:.1f} s, "
        f"{result.exported / seconds:,.0f} contacts/s (SQLite, redacted again, validated, Parquet)"
    )


if __name__ == "__main__":
    main()
