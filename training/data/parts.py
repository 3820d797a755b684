"""Training data in parts: several validated exports combined, each with a weight.

``screener train --data A --data B:2`` trains on the contacts of both exports (and the
guidance corpus, which ``training.lifecycle.train`` adds with its own share). Weights are
relative: ``B:2`` makes a contact of ``B`` count twice as much as one of ``A`` in the fit,
and the export's weights are scaled to sum to its number of training contacts (so ``A:2``
alone trains exactly as ``A``, and the guidance corpus keeps its share). Weights act on
the training split only; the time split runs over the combined contacts, and calibration,
selection and the test split read every contact once, as practice decided it.

Nothing here reads files: the caller validates each part (``training.data.validate``)
and gives the frames and their file digests.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd

from training.data.contract import GENERATOR_COLUMNS, met_threshold

__all__ = [
    "PART_COLUMN",
    "WEIGHT_COLUMN",
    "Combined",
    "DataPart",
    "PartSpec",
    "combine_parts",
    "describe_training_data",
    "parse_part",
    "parts_digest",
]

#: The training weight of each contact in a combined frame, present only when some part's
#: weight is not 1 (a single export trains exactly as it always did). Never a feature:
#: only ``contract.MODEL_INPUT_COLUMNS`` reach the model.
WEIGHT_COLUMN: Final = "part_weight"
#: Which part (1-based, in the order given) each contact of a combined frame came from.
PART_COLUMN: Final = "part"


@dataclass(frozen=True, slots=True)
class PartSpec:
    """One ``--data`` value: the file and the weight of its contacts."""

    path: Path
    weight: float


@dataclass(frozen=True, slots=True)
class DataPart:
    """One part as trained on: its file, weight, valid rows, the file's SHA-256 and
    whether it holds generated contacts (it has the generator's ``p_true``)."""

    path: Path
    weight: float
    rows: int
    digest: str
    synthetic: bool


@dataclass(frozen=True, slots=True)
class Combined:
    """The combined contacts and how many of their ids occur in more than one part (every
    row is kept: the same contact in two exports counts twice)."""

    frame: pd.DataFrame
    repeated_ids: int


def parse_part(value: str) -> PartSpec:
    """``PATH`` (weight 1) or ``PATH:WEIGHT``, WEIGHT a positive finite number.

    A value that names an existing file is a path, whatever it holds: a colon in a file
    name is never read as a weight. Raises ValueError with a message that says what is
    wrong (it quotes the value, which is a file name, never data)."""
    text = value.strip()
    if not text:
        raise ValueError("an empty --data value: expected PATH or PATH:WEIGHT")
    head, sep, tail = text.rpartition(":")
    if not sep or not head or Path(text).exists():
        return PartSpec(Path(text), 1.0)
    try:
        weight = float(tail)
    except ValueError:
        if "." in tail or "/" in tail:
            # "dir:name/file.csv": a colon inside a path, not a weight.
            return PartSpec(Path(text), 1.0)
        raise ValueError(f"{text}: the weight after ':' must be a number, got {tail!r}") from None
    if not math.isfinite(weight) or weight <= 0:
        raise ValueError(f"{text}: the weight must be a positive number, got {tail!r}")
    return PartSpec(Path(head), weight)


def combine_parts(frames: Sequence[pd.DataFrame], weights: Sequence[float]) -> Combined:
    """Validated frames (``training.data.validate.load_contacts``) as one, in the order
    given, with ``PART_COLUMN`` and, when some weight is not 1, ``WEIGHT_COLUMN``.

    A single frame of weight 1 comes back unchanged (the same object's rows, no column
    added). The generator's side columns (``p_true``...) are kept only when every part
    has them: a part without them would leave gaps the oracle comparison cannot read.
    """
    if len(frames) != len(weights) or not frames:
        raise ValueError("combine_parts needs one weight per frame, and at least one frame")
    if len(frames) == 1 and weights[0] == 1.0:
        return Combined(frames[0], 0)
    shared_side = [c for c in GENERATOR_COLUMNS if all(c in f for f in frames)]
    pieces = []
    for number, frame in enumerate(frames, start=1):
        piece = frame.drop(
            columns=[c for c in GENERATOR_COLUMNS if c in frame and c not in shared_side]
        )
        piece = piece.assign(**{PART_COLUMN: number})
        pieces.append(piece)
    combined = pd.concat(pieces, ignore_index=True)
    if any(w != 1.0 for w in weights):
        per_part = {n: float(w) for n, w in enumerate(weights, start=1)}
        combined[WEIGHT_COLUMN] = combined[PART_COLUMN].map(per_part).astype("float64")
    ids = combined["contact_id"].astype(str)
    repeated = int(ids[ids.duplicated(keep=False)].nunique())
    return Combined(combined, repeated)


def parts_digest(parts: Sequence[DataPart]) -> str:
    """The digest that names the training data: a single part's file SHA-256 as it is;
    for several, the SHA-256 of each part's digest and weight, in order (the same files
    with other weights are other training data)."""
    if len(parts) == 1:
        return parts[0].digest
    h = hashlib.sha256()
    for part in parts:
        h.update(f"{part.digest}:{part.weight!r}\n".encode())
    return h.hexdigest()


def describe_training_data(frame: pd.DataFrame, parts: Sequence[DataPart]) -> dict[str, Any]:
    """What the model card says of the training data (``ModelCardInputs.training_data``):
    rows, dates, the met-threshold rate, source shares, whether any part is synthetic,
    and each part's file name, rows, weight and digest. Holds no concern text."""
    received = pd.to_datetime(frame["received_at"])
    met = frame["outcome"].astype(str).map(met_threshold)
    shares = frame["source"].astype(str).value_counts(normalize=True).sort_index()
    described = [
        f"{p.path.name} ({p.rows:,} contacts, weight {p.weight:g}, "
        f"{'generated' if p.synthetic else 'recorded'})"
        for p in parts
    ]
    return {
        "rows": len(frame),
        "date_from": received.min().date().isoformat() if len(frame) else "unknown",
        "date_to": received.max().date().isoformat() if len(frame) else "unknown",
        "met_rate": float(met.mean()) if len(frame) else None,
        "source_shares": {str(k): float(v) for k, v in shares.items()},
        "synthetic": any(p.synthetic for p in parts),
        "description": (
            f"Trained on {len(parts)} part{'s' if len(parts) != 1 else ''}: "
            + "; ".join(described)
            + "."
        ),
        "parts": [
            {
                "name": p.path.name,
                "rows": p.rows,
                "weight": p.weight,
                "digest": p.digest,
                "synthetic": p.synthetic,
            }
            for p in parts
        ],
    }
