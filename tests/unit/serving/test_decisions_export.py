from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from serving.audit.db import make_engine
from serving.audit.migrations import upgrade_to_head
from serving.audit.store import insert_decision, insert_score_events, list_decided_contacts
from serving.export import export_decisions, parse_since
from training.data.validate import load_contacts

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
#: Stored as the service stores it: already redacted, with one name an older redactor missed.
TEXTS = {
    "c-1": "Teacher saw a bruise on [NAME]'s arm; the child said dad hit her.",
    "c-2": "Neighbour heard shouting late at night, no injuries seen.",
    "c-3": "Health visitor: baby of 8 weeks has a mark on the cheek, mother Jane Doe unsure how.",
    "c-4": "Police attended a domestic incident; children were asleep upstairs.",
}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    upgrade_to_head(eng)
    yield eng
    eng.dispose()


def score(
    engine: Engine,
    contact_id: str,
    *,
    at: datetime,
    text: str | None,
    source: str | None = "school",
) -> None:
    insert_score_events(
        [
            {
                "request_id": f"r-{contact_id}-{at.timestamp()}",
                "item_index": None,
                "created_at": at,
                "key_id": "k1",
                "role": "screener",
                "model_name": "concern-screener",
                "model_version": "7",
                "score": 0.25,
                "priority": 4,
                "band": "medium",
                "source": source,
                "contact_id": contact_id,
                "text_hmac": "0" * 64,
                "redacted_text": text,
            }
        ],
        engine=engine,
    )


def decide(engine: Engine, contact_id: str, outcome: str, *, at: datetime) -> None:
    insert_decision(
        engine=engine,
        request_id=f"d-{contact_id}-{at.timestamp()}",
        created_at=at,
        contact_id=contact_id,
        outcome=outcome,
        key_id="k1",
        role="screener",
        note_redacted=None,
    )


def test_the_latest_decision_of_a_contact_is_its_outcome(engine: Engine) -> None:
    score(engine, "c-1", at=T0, text=TEXTS["c-1"])
    decide(engine, "c-1", "nfa", at=T0 + timedelta(hours=1))
    decide(engine, "c-1", "child_protection", at=T0 + timedelta(hours=2))
    decide(engine, "c-1", "referral", at=T0 + timedelta(hours=3))
    score(engine, "c-2", at=T0, text=TEXTS["c-2"])
    decide(engine, "c-2", "advice", at=T0 + timedelta(hours=1))
    rows = {r.contact_id: r for r in list_decided_contacts(engine=engine)}
    assert (rows["c-1"].outcome, rows["c-1"].decisions) == ("referral", 3)
    assert (rows["c-2"].outcome, rows["c-2"].decisions) == ("advice", 1)


def test_since_filters_on_the_latest_decision(engine: Engine, tmp_path: Path) -> None:
    since = T0 + timedelta(days=10)
    for cid in TEXTS:
        score(engine, cid, at=T0, text=TEXTS[cid])
    decide(engine, "c-1", "referral", at=since - timedelta(days=1))  # before: left out
    decide(engine, "c-2", "nfa", at=since - timedelta(days=1))
    decide(engine, "c-2", "early_help", at=since + timedelta(minutes=1))  # decided again after
    decide(engine, "c-3", "child_protection", at=since)  # on the boundary: in
    decide(engine, "c-4", "nfa", at=since + timedelta(days=5))
    decide(engine, "c-4", "advice", at=since - timedelta(days=2))  # recorded last, dated before
    out = tmp_path / "decisions.parquet"
    result = export_decisions(engine=engine, since=since, out=out, redactor=lambda t: t)
    frame = pd.read_parquet(out)
    assert dict(zip(frame["contact_id"], frame["outcome"], strict=True)) == {
        "c-2": "early_help",
        "c-3": "child_protection",
    }
    assert (result.decided, result.exported, result.superseded) == (2, 2, 1)


def test_export_is_a_valid_contact_export_with_score_and_model_beside(
    engine: Engine, tmp_path: Path
) -> None:
    for k, cid in enumerate(TEXTS):
        score(engine, cid, at=T0 + timedelta(minutes=k), text=TEXTS[cid], source="police")
        decide(
            engine,
            cid,
            ("nfa", "referral", "child_protection", "advice")[k],
            at=T0 + timedelta(days=1),
        )
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"decisions{suffix}"
        export_decisions(engine=engine, since=T0, out=out)
        frame, report = load_contacts(out)
        assert report.ok and report.warnings == ()
        assert frame["contact_id"].tolist() == list(TEXTS)
        assert frame["received_at"].iloc[1] == pd.Timestamp("2026-03-01 09:01:00")
        assert set(frame["source"]) == {"police"}
        raw = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
        assert list(raw.columns[-5:]) == [
            "score",
            "band",
            "model_name",
            "model_version",
            "decided_at",
        ]
        assert raw["score"].tolist() == [0.25] * 4
        assert raw["model_version"].astype(str).tolist() == ["7"] * 4
    # The current redactor runs again over the stored text: it catches what was missed.
    assert "Jane Doe" not in frame["text"].iloc[2] and "[NAME]" in frame["text"].iloc[2]
    assert frame["text"].iloc[0] == TEXTS["c-1"]


def test_contacts_without_text_source_or_score_are_counted_not_written(
    engine: Engine, tmp_path: Path
) -> None:
    score(engine, "kept", at=T0, text=TEXTS["c-1"])
    score(engine, "no-text", at=T0, text=None)  # AUDIT_STORE_REDACTED_TEXT was off
    score(engine, "no-source", at=T0, text=TEXTS["c-2"], source=None)
    score(engine, "blank", at=T0, text="   ")  # the contract refuses an empty text
    for cid in ("kept", "no-text", "no-source", "blank", "never-scored"):
        decide(engine, cid, "referral", at=T0 + timedelta(hours=1))
    out = tmp_path / "d.csv"
    result = export_decisions(engine=engine, since=T0, out=out, redactor=lambda t: t)
    assert pd.read_csv(out)["contact_id"].tolist() == ["kept"]
    assert (
        result.exported,
        result.no_text,
        result.no_source,
        result.not_scored,
        result.refused,
    ) == (1, 1, 1, 1, 1)
    assert result.reasons == {"text: text is only whitespace": 1}


def run_cli(monkeypatch: pytest.MonkeyPatch, url: str, *args: str):  # type: ignore[no-untyped-def]
    from serving.cli import app
    from serving.settings import get_settings

    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, ["data", "export-decisions", *args])
    finally:
        get_settings.cache_clear()


def test_cli_exports_and_no_text_reaches_logs_or_output(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for cid, text in TEXTS.items():
        score(engine, cid, at=T0, text=text)
        decide(engine, cid, "referral", at=T0 + timedelta(hours=1))
    score(engine, "no-text", at=T0, text=None)
    decide(engine, "no-text", "nfa", at=T0 + timedelta(hours=1))
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "x.parquet"
    result = run_cli(monkeypatch, str(engine.url), "--since", "2026-03-01", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "wrote 4 of 5 contacts decided since 2026-03-01T00:00:00" in result.output
    assert "left out 1: scored while the service kept no redacted text" in result.output
    assert len(pd.read_parquet(out)) == 4
    said = result.output + result.stderr + caplog.text
    for text in TEXTS.values():
        for words in (text[:25], text[-25:], "Jane Doe"):
            assert words not in said


def test_cli_exits_1_when_nothing_is_exportable(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    score(engine, "no-text", at=T0, text=None)
    decide(engine, "no-text", "nfa", at=T0 + timedelta(hours=1))
    out = tmp_path / "x.csv"
    result = run_cli(monkeypatch, str(engine.url), "--since", "2026-01-01", "--out", str(out))
    assert result.exit_code == 1
    assert "nothing exportable among 1 contacts" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "url", "says"),
    [
        (("--since", "last tuesday"), None, "error: --since 'last tuesday': not a date"),
        (("--since", "2026-02-30"), None, "error: --since '2026-02-30': not a date"),
        (("--out", "x.json"), None, "error: --out x.json: the extension must be .parquet or .csv"),
        ((), "sqlite:///{tmp}/missing/audit.db", "no such file"),
        (
            (),
            "postgresql://reader:s3cret@127.0.0.1:1/audit",
            "cannot be reached or read (OperationalError)",
        ),
        ((), "sqlite:///{tmp}/empty.db", "holds no audit trail"),
    ],
)
def test_bad_input_is_exit_2_with_one_line(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    url: str | None,
    says: str,
) -> None:
    (tmp_path / "empty.db").touch()
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [
        "--since",
        given.get("--since", "2026-01-01"),
        "--out",
        given.get("--out", str(tmp_path / "o.csv")),
    ]
    result = run_cli(monkeypatch, (url or str(engine.url)).format(tmp=tmp_path), *argv)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], result.stderr
    assert "Traceback" not in result.output and "s3cret" not in result.stderr


def test_parse_since_reads_dates_and_zones_as_utc() -> None:
    assert parse_since("2026-01-31") == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_since("2026-01-31T09:30") == datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert parse_since("2026-01-31T09:30+01:00") == datetime(2026, 1, 31, 8, 30, tzinfo=UTC)
