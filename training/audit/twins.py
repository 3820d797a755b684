"""Twins: pairs of contacts that differ in one decisive fact, one twin at level 1-2 and the
other at level 3-4 (``data/twins/``, its datasheet in ``data/twins/README.md``).

The line a screener decides is often one fact: how often, how bad, who the person is and
whether they can reach the child, how old the child is, what the parent did, now or years
ago. A model that ranks contacts well overall can still score both twins alike. Per pair:
does the twin that meets the threshold score higher (``ordered``, a tie counts half), and do
the two fall on either side of the threshold (``across``); per decisive fact as well.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from training.data.guidance import graded_lines

__all__ = ["TwinFigures", "fact_kind", "read_twins", "twin_figures", "twins_dir"]

#: The kinds of decisive fact the authors were asked to spread their pairs over, each with
#: the words of an author's own description ("frequency of missing episodes (first vs
#: third in six weeks)") that name it; the first kind that matches wins.
FACT_KINDS: tuple[tuple[str, str], ...] = (
    (
        "child's words",
        r"child'?s (own )?(words|account)|what the child|child said|in the child|disclos",
    ),
    ("now or then", r"now or then|now and|years ago|resolved"),
    ("early help", r"early help"),
    ("escalation", r"escalat"),
    ("one fact in a long contact", r"sentence|inside|buried|passage"),
    ("age", r"\bage\b|mobil"),
    ("who and access", r"\bwho\b|access|partner|boyfriend|adult|lodger|offender"),
    ("the parent's response", r"respon|parent|capacity|follow|support|carer|caring"),
    (
        "how often or how much",
        r"frequen|quantit|how often|how much|duration|length|times|number|attendance|missed"
        r"|persist|repeated",
    ),
    (
        "how bad",
        r"sever|injur|how bad|pattern|burn|bruis|state of|conditions|basic|going without"
        r"|needs|hoard|impact|shook|assault|overdose|swallow|what .* (did|found|hears)",
    ),
)

#: The columns of the frame ``read_twins`` returns.
COLUMNS: tuple[str, ...] = ("id", "pair", "decisive", "source", "level", "text")


def twins_dir() -> Path:
    """``data/twins`` of the evaluation data folder (``EVALUATION_DATA_DIR``)."""
    from training.settings import get_settings

    return get_settings().data_dir() / "twins"


def read_twins(directory: Path | None = None) -> pd.DataFrame:
    """Every twin as ``id``, ``pair``, ``decisive``, ``source``, ``level`` and ``text``; an
    empty frame when the folder holds none. A pair that is not one twin at level 1-2 and
    one at level 3-4 is an error, named with its file and line."""
    folder = twins_dir() if directory is None else Path(directory)
    rows: list[dict[str, object]] = []
    where: dict[str, str] = {}
    for place, raw, level in graded_lines(folder, "a twin"):
        where.setdefault(str(raw["pair"]), place)
        rows.append({k: raw.get(k) for k in COLUMNS} | {"level": level})
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for pair, part in frame.groupby("pair", sort=False):
        met = sorted(part["level"] >= 3)
        if met != [False, True]:
            raise ValueError(
                f"{where[str(pair)]}: pair {pair} needs one twin at level 1-2 and one at 3-4"
            )
    return frame


@dataclass(frozen=True)
class TwinFigures:
    """How a scorer separates the twins: over all ``pairs``, the share ``ordered`` (the
    twin that meets the threshold scores higher) and ``across`` (they fall on either side
    of ``threshold``), and both per kind of decisive fact (``by_fact``: kind -> (pairs,
    ordered, across); :func:`fact_kind`)."""

    pairs: int
    ordered: float
    across: float
    threshold: float
    by_fact: dict[str, tuple[int, float, float]]


def fact_kind(decisive: str) -> str:
    """The kind of decisive fact an author's description names ("other" for none)."""
    text = decisive.lower()
    return next((kind for kind, words in FACT_KINDS if re.search(words, text)), "other")


def twin_figures(frame: pd.DataFrame, scores: np.ndarray, threshold: float) -> TwinFigures:
    """The figures of ``scores`` (one per row of ``frame``, as ``read_twins`` gives it)."""
    scores = np.asarray(scores, dtype=np.float64)
    if len(scores) != len(frame):
        raise ValueError(f"{len(scores)} scores for {len(frame)} twins")
    high: dict[str, float] = {}
    low: dict[str, float] = {}
    fact: dict[str, str] = {}
    for pair, level, score, decisive in zip(
        frame["pair"], frame["level"], scores, frame["decisive"], strict=True
    ):
        (high if level >= 3 else low)[pair] = float(score)
        fact[pair] = fact_kind(str(decisive or ""))
    sums: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for pair in high:
        h, lo = high[pair], low[pair]
        ordered = 1.0 if h > lo else 0.5 if h == lo else 0.0
        across = float(h >= threshold > lo)
        for key in ("", fact[pair]):
            sums[key][0] += 1
            sums[key][1] += ordered
            sums[key][2] += across
    total = sums.get("", [0, 0.0, 0.0])
    n = int(total[0])
    return TwinFigures(
        pairs=n,
        ordered=total[1] / n if n else math.nan,
        across=total[2] / n if n else math.nan,
        threshold=float(threshold),
        by_fact={k: (int(v[0]), v[1] / v[0], v[2] / v[0]) for k, v in sorted(sums.items()) if k},
    )
