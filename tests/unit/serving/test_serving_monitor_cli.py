"""`screener monitor` refuses bad input with exit 2 and one line saying what and where, and
reads the audit trail's contacts the way the report counts them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from serving.cli import app
from serving.monitoring import served_frame


@pytest.fixture
def audit_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL at a migrated, empty audit trail (the settings re-read)."""
    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.settings import get_settings

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _monitor(
    *args: str, url: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, list[str]]:
    from serving.settings import get_settings

    if url is not None and monkeypatch is not None:
        monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["monitor", *args])
    finally:
        get_settings.cache_clear()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, [line for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--since", "2026-13-01"], "error: --since 2026-13-01: expected a date YYYY-MM-DD"),
        (["--since", "last week"], "error: --since last week: expected a date YYYY-MM-DD"),
        (["--since", "2026-07-01", "--until", "1 Aug"], "error: --until 1 Aug: expected a date"),
        (
            ["--since", "2026-08-01", "--until", "2026-07-01"],
            "error: --since 2026-08-01: the period must start before it ends",
        ),
        (
            ["--since", "2024-01-01", "--until", "2026-01-01"],
            "error: --since 2024-01-01: a report covers at most 53 weeks",
        ),
    ],
)
def test_a_bad_period_is_exit_2_and_one_line(audit_url: str, args: list[str], says: str) -> None:
    code, lines = _monitor(*args)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(says), lines


def test_a_bad_config_file_is_exit_2_and_one_line(audit_url: str, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[monitor]\npsi_threshold = -1\n", encoding="utf-8")
    code, lines = _monitor(
        "--since", "2026-07-01", "--until", "2026-08-01", "--config", str(config)
    )
    assert code == 2 and lines == [
        f"error: --config {config}: monitor.psi_threshold: Input should be greater than 0"
    ]
    config.write_text("[monitor\n", encoding="utf-8")
    code, lines = _monitor("--since", "2026-07-01", "--config", str(config))
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"error: --config {config}: ")


def test_an_unreachable_database_is_exit_2_and_one_line_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "postgresql://monitor:s3cret@127.0.0.1:1/audit"
    code, lines = _monitor(
        "--since", "2026-07-01", "--until", "2026-08-01", url=url, monkeypatch=monkeypatch
    )
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(
        "error: DATABASE_URL postgresql+psycopg://monitor:***@127.0.0.1:1/audit"
    )
    assert "the audit trail cannot be read (OperationalError)" in lines[0]
    assert "s3cret" not in lines[0]


def test_a_missing_sqlite_file_is_not_created_but_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "audit.db"
    code, lines = _monitor(
        "--since", "2026-07-01", url=f"sqlite:///{missing}", monkeypatch=monkeypatch
    )
    assert code == 2 and lines == [
        f"error: DATABASE_URL sqlite:///{missing}: no audit database at {missing}"
    ]
    assert not missing.exists()


def test_a_database_that_is_no_audit_trail_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x INTEGER)").connection.commit()
    code, lines = _monitor(
        "--since", "2026-07-01", url=f"sqlite:///{other}", monkeypatch=monkeypatch
    )
    assert code == 2 and len(lines) == 1
    assert lines[0].endswith("it holds no audit trail (no score_events or decisions table)")


def test_a_url_that_is_no_database_url_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines = _monitor("--since", "2026-07-01", url="not a url", monkeypatch=monkeypatch)
    assert code == 2 and lines == ["error: DATABASE_URL: not a database URL (ArgumentError)"]


def test_no_champion_is_exit_2_naming_the_model(
    audit_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from training.settings import get_settings

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    monkeypatch.setenv("MLFLOW_ARTIFACT_ROOT", str(tmp_path / "mlruns"))
    get_settings.cache_clear()
    try:
        from training.lifecycle.registry import configure

        configure()  # an existing, empty store (MLflow says so when it creates one)
        code, lines = _monitor("--since", "2026-07-01", "--until", "2026-08-01")
    finally:
        get_settings.cache_clear()
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("error: --model models:/concern-screener@champion: ")


def _row(
    id_: int,
    contact: str | None,
    *,
    version: str = "4",
    decision_id: int | None = None,
    decision: str | None = None,
    score: float = 0.3,
) -> dict[str, object]:
    return {
        "id": id_,
        "created_at": datetime(2026, 7, 2, tzinfo=UTC),
        "model_name": "concern-screener",
        "model_version": version,
        "score": score,
        "band": "medium",
        "source": "school" if contact else None,
        "contact_id": contact,
        "indicators": "self_harm domestic_abuse" if id_ % 2 else None,
        "decision_id": decision_id,
        "decision": decision,
    }


def test_a_contact_scored_twice_counts_once_with_the_score_that_was_decided() -> None:
    rows = [
        _row(1, "A", score=0.1),
        _row(2, "A", decision_id=7, decision="referral", score=0.2),
        _row(3, "A", score=0.3),  # scored again after the decision
        _row(4, "B", score=0.4),
        _row(5, "B", score=0.5),  # no decision on B: its latest score
        _row(6, None, score=0.6),
        _row(7, None, score=0.7),  # no contact id: each counts
        _row(8, "C", version="3"),
        _row(9, "D", version="3"),
    ]
    frame, others = served_frame(rows, version="4")
    assert sorted(frame["score"]) == [0.2, 0.5, 0.6, 0.7]
    assert others == {"3": 2}
    by_score = {row["score"]: row for row in frame.to_dict("records")}
    assert by_score[0.2]["decision"] == "referral"
    assert by_score[0.7]["indicators"] == ["self_harm", "domestic_abuse"]
    assert by_score[0.6]["indicators"] is None  # not recorded
    assert pd.isna(by_score[0.6]["source"])
