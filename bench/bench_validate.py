"""Benchmark ``validate_file`` on a large CSV export: prints rows/s and seconds.

Run: ``python bench/bench_validate.py [--rows N] [--seed S] [--keep DIR]``. Uses the
synthetic generator (``training.data.generate.generate_frame``) when it is importable, otherwise
simple synthetic rows; about 0.1% of rows are made bad so the quarantine path is timed too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from training.data.contract import COLUMNS, ETHNICITIES, OUTCOMES, SEXES, SOURCES
from training.data.quarantine import validate_file

__all__ = ["BenchResult", "build_frame", "main", "run"]

_WORDS = [
    "school",
    "reports",
    "child",
    "arrived",
    "hungry",
    "with",
    "bruising",
    "on",
    "arm",
    "mother",
    "says",
    "fell",
    "from",
    "bike",
    "police",
    "attended",
    "domestic",
    "incident",
    "children",
    "present",
    "father",
    "arrested",
    "neighbour",
    "heard",
    "shouting",
    "late",
    "at",
    "night",
    "health",
    "visitor",
    "concerned",
    "about",
    "home",
    "conditions",
    "no",
    "food",
    "in",
    "fridge",
]


@dataclass(frozen=True)
class BenchResult:
    """One timed run: ``rows`` read, ``seconds`` of wall time for ``validate_file``
    (read, check, write both outputs), ``source`` of the rows ("generator" or "simple")."""

    rows: int
    seconds: float
    quarantined: int
    source: str
    file_bytes: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float("inf")


def build_frame(rows: int, *, seed: int = 0) -> tuple[pd.DataFrame, str]:
    """``rows`` contacts as strings, from the generator when importable; about 0.1% bad."""
    try:
        from training.data.generate import generate_frame

        frame, source = generate_frame(rows, seed=seed), "generator"
    except Exception:  # the generator is optional here: any failure falls back
        frame, source = _simple_frame(rows, seed=seed), "simple"
    rng = np.random.default_rng(seed)
    frame = frame.astype(object)
    bad = rng.choice(rows, size=max(1, rows // 1000), replace=False)
    frame.loc[bad, "source"] = "polise"
    return frame, source


def _simple_frame(rows: int, *, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(20, 120, size=rows)
    words = np.array(_WORDS)
    texts = [" ".join(words[rng.integers(0, len(words), size=n)]) for n in lengths]
    start = np.datetime64("2023-01-01T00:00")
    times = start + rng.integers(0, 2 * 365 * 24 * 60, size=rows).astype("timedelta64[m]")
    data = {
        "contact_id": [f"C{i:07d}" for i in range(rows)],
        "received_at": pd.Series(times).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": rng.choice(SOURCES, size=rows),
        "text": texts,
        "outcome": rng.choice(OUTCOMES, size=rows),
        "child_age_years": rng.integers(0, 18, size=rows),
        "child_sex": rng.choice(SEXES, size=rows),
        "child_ethnicity": rng.choice(ETHNICITIES, size=rows),
        "child_disability": rng.choice(("yes", "no", "unknown"), size=rows),
        "area_deprivation_decile": rng.integers(1, 11, size=rows),
        "needs_interpreter": rng.choice(("true", "false"), size=rows),
    }
    return pd.DataFrame({c.name: data[c.name] for c in COLUMNS})


def run(rows: int, *, seed: int = 0, folder: Path) -> BenchResult:
    """Write a ``rows``-row CSV into ``folder`` and time ``validate_file`` on it."""
    frame, source = build_frame(rows, seed=seed)
    path = folder / "bench_contacts.csv"
    frame.to_csv(path, index=False)
    started = time.perf_counter()
    report = validate_file(path)
    seconds = time.perf_counter() - started
    if report.file_error is not None:
        raise RuntimeError(f"benchmark file was refused: {report.file_error}")
    return BenchResult(
        rows=report.rows,
        seconds=seconds,
        quarantined=report.quarantined_rows,
        source=source,
        file_bytes=path.stat().st_size,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="Folder to keep the files in.")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.rows, seed=args.seed, folder=args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(args.rows, seed=args.seed, folder=Path(tmp))
    print(
        f"validate_file: {result.rows:,} rows ({result.file_bytes / 1e6:.1f} MB CSV, "
        f"{result.source} rows) in {result.seconds:.2f} s = {result.rows_per_second:,.0f} rows/s; "
        f"{result.quarantined:,} quarantined"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
