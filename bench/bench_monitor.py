"""Benchmark: what `screener monitor` reports on an undrifted and a drifted month, how often
an undrifted month raises a flag, and how long a report takes.

Trains a model on generated contacts of the default span (``--train-rows``; the
logistic-regression candidate alone, as the integration test does), registers it as
@champion in a temporary MLflow store, then writes months of generated contacts to a
temporary audit trail: each scored by the model and turned into its audit row as the
service does, stamped on the day it arrived, and decided by a simulated screener who
follows the generator's outcome (``serving.monitoring.simulate_trail``).
Month 1 is undrifted, month 2 drifted (``--drift``, as `screener data generate --drift`),
and ``--null-months`` more undrifted months (other seeds) count the false alarms.
``--scale N`` copies the trail N times over (new ids) to time a larger report.

    python bench/bench_monitor.py
    python bench/bench_monitor.py --null-months 10 --scale 20
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("SCREENER_SCORING_PROCESSES", "1")

DRIFT = "severity=8,practice=1.0,source=anonymous:4,source=individual:2,no_source=0.1"


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month(first: date, seed: int, rows: int, drift: str) -> pd.DataFrame:
    from training.data.generate import generate_frame, load_lexicon, parse_drift

    last = _next_month(first) - timedelta(days=1)
    specs = [s for s in drift.split(",") if s]
    labels = [i.label for i in load_lexicon().indicators]
    return generate_frame(
        rows, seed=seed, span=(first, last), drift=parse_drift(specs, indicator_labels=labels)
    )


def _record(engine: Any, model: Any, version: str, contacts: pd.DataFrame) -> float:
    """Score ``contacts`` into the audit trail on the days they arrived and decide each
    (``serving.monitoring.simulate_trail``); returns the seconds it took."""
    from serving.loaded_model import LoadedModel
    from serving.monitoring import simulate_trail

    loaded = LoadedModel(name="concern-screener", version=version, run_id=None, scorer=model)
    t0 = time.perf_counter()
    simulate_trail(contacts, engine=engine, model=loaded)
    return time.perf_counter() - t0


def _figures(name: str, result: Any, seconds: float) -> None:
    from training.audit.render.formats import num, pct

    period = result.score_period
    print(f"\n{name}: {result.contacts} contacts, {result.decided} decided; report {seconds:.2f} s")
    print(
        f"  score PSI: period {num(period.psi)}; weeks "
        + ", ".join(num(w.psi) for w in result.score_weeks)
    )
    over = result.overrides["period"]
    print(
        f"  override rate {pct(over.rate, 1)} (training time {pct(over.reference, 1)}); by band: "
        + "; ".join(
            f"{r['group']} {pct(r['rate'].rate, 1)} (training {pct(r['rate'].reference, 1)})"
            for r in result.overrides["by_band"]
        )
    )
    print(f"  no source {pct(result.no_source['period'].rate, 1)}")
    calibration = result.calibration["overall"]
    print(
        f"  calibration: decided met {pct(calibration.observed, 1)} against a mean score "
        f"{pct(calibration.mean_score, 1)} (gap {num(calibration.gap)})"
    )
    moved = [r for r in result.indicators if r["period"].z is not None][:4]
    print(
        "  largest indicator moves: "
        + "; ".join(
            f"{r['label']} {pct(r['period'].rate, 1)} (training {pct(r['period'].reference, 1)}, z {num(r['period'].z, 1)})"
            for r in moved
        )
    )
    kinds: dict[str, int] = {}
    for flag in result.flags:
        kinds[flag.kind] = kinds.get(flag.kind, 0) + 1
    print(f"  flags: {len(result.flags)} " + (str(kinds) if kinds else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-rows", type=int, default=4000)
    parser.add_argument("--month-rows", type=int, default=1500)
    parser.add_argument("--drift", default=DRIFT, help="comma-separated --drift values")
    parser.add_argument("--null-months", type=int, default=0)
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-monitor-"))
    os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{work}/mlflow.db"
    os.environ["MLFLOW_ARTIFACT_ROOT"] = str(work / "mlruns")

    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.monitoring import run_monitor
    from training.config import load_config
    from training.data.generate import generate_frame
    from training.lifecycle import registry
    from training.lifecycle.workflows import train_and_register
    from training.model.embedding import EmbeddingError

    frame = generate_frame(args.train_rows, seed=31)
    frame["received_at"] = pd.to_datetime(frame["received_at"])
    data = work / "train.parquet"
    frame.to_parquet(data)
    overrides: dict[str, Any] = {"candidates.names": ["logreg_words_chars"], "evaluation.n_boot": 5}
    config = load_config().with_overrides(overrides)
    try:
        t0 = time.perf_counter()
        trained = train_and_register(frame, data_path=data, config=config)
    except (EmbeddingError, ValueError) as exc:
        print(f"(no usable embedding table: {exc}; training without it)")
        config = load_config().with_overrides({**overrides, "features.embedding_dir": ""})
        t0 = time.perf_counter()
        trained = train_and_register(frame, data_path=data, config=config)
    print(
        f"trained version {trained.version} on {args.train_rows:,} contacts in "
        f"{time.perf_counter() - t0:.0f} s (test AUC {trained.result.test.roc_auc:.3f})"
    )
    registry.set_alias(trained.version)
    model = trained.result.model

    engine = make_engine(f"sqlite:///{work}/audit.db", timeout=10.0)
    upgrade_to_head(engine)
    months = [
        ("undrifted month", date(2026, 7, 1), 32, ""),
        ("drifted month", date(2026, 8, 1), 33, args.drift),
    ]
    start = date(2026, 9, 1)
    for k in range(args.null_months):
        months.append((f"undrifted month {k + 2}", start, 40 + k, ""))
        start = _next_month(start)
    monitor = load_config().monitor
    false_alarms = 0
    for name, start, seed, drift in months:
        contacts = _month(start, seed, args.month_rows, drift)
        scoring = _record(engine, model, trained.version, contacts)
        end = _next_month(start)
        t0 = time.perf_counter()
        outcome = run_monitor(
            engine=engine,
            since=datetime.combine(start, clock(0), tzinfo=UTC),
            until=datetime.combine(end, clock(0), tzinfo=UTC),
            out_dir=work / f"report-{start.isoformat()}",
            model_uri="models:/concern-screener@champion",
            config=monitor,
        )
        seconds = time.perf_counter() - t0
        if name.startswith("undrifted") and outcome.result.flags:
            false_alarms += 1
        print(f"\n(scored and decided {len(contacts):,} contacts in {scoring:.1f} s)")
        _figures(name, outcome.result, seconds)
    undrifted = sum(1 for m in months if m[0].startswith("undrifted"))
    print(f"\nundrifted months with any flag: {false_alarms} of {undrifted}")
    if args.scale:
        _scaled(engine, args.scale, monitor, work)
    print(f"\nreports and stores in {work}")


def _scaled(engine: Any, copies: int, monitor: Any, work: Path) -> None:
    """The undrifted month copied ``copies`` times over (new ids, new contact ids), to
    time a report over a larger trail."""
    from sqlalchemy import insert, select

    from serving.audit.tables import decisions, score_events
    from serving.monitoring import run_monitor

    since = datetime(2026, 7, 1, tzinfo=UTC)
    until = datetime(2026, 8, 1, tzinfo=UTC)
    with engine.begin() as conn:
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                select(score_events).where(
                    score_events.c.created_at >= since, score_events.c.created_at < until
                )
            )
        ]
        outcomes = {
            r.contact_id: r.outcome
            for r in conn.execute(select(decisions.c.contact_id, decisions.c.outcome))
        }
        for k in range(copies):
            copied = [
                {
                    **{c: v for c, v in r.items() if c != "id"},
                    "contact_id": f"{r['contact_id']}-x{k}",
                }
                for r in rows
            ]
            conn.execute(insert(score_events), copied)
            ids = dict(
                conn.execute(
                    select(score_events.c.contact_id, score_events.c.id).where(
                        score_events.c.contact_id.like(f"%-x{k}")
                    )
                ).all()
            )
            conn.execute(
                insert(decisions),
                [
                    {
                        "request_id": "bench",
                        "created_at": datetime.now(UTC),
                        "contact_id": c,
                        "outcome": outcomes[c.rsplit("-x", 1)[0]],
                        "key_id": "bench",
                        "role": "screener",
                        "note_redacted": None,
                        "score_event_id": i,
                    }
                    for c, i in ids.items()
                ],
            )
    t0 = time.perf_counter()
    outcome = run_monitor(
        engine=engine,
        since=since,
        until=until,
        out_dir=work / "report-scaled",
        model_uri="models:/concern-screener@champion",
        config=monitor,
    )
    print(
        f"\nscaled: {outcome.result.contacts} contacts in the month; report with MLflow logging {time.perf_counter() - t0:.2f} s"
    )


if __name__ == "__main__":
    main()
