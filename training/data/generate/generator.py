"""Generating contacts: blocks of rows drawn deterministically by seed, streamed to frames
and files.

Each row draws, in this order from its own stream: the plan (what the contact says: its
concerns with their modes and frequencies, protective factors, early help history), the
referrer's voice (from the source alone), the family, any bias cues, and then how the
contact is written: the layout (from the voice), the tone, the register the referrer leans
to (from the voice) and the length. Nothing after the plan reads the plan, so voice,
layout, tone, register and length are independent of the label given the source
(``bench/bench_giveaways.py`` measures what a classifier can still read from the surface).

Rows are produced in fixed internal blocks of ``BLOCK_ROWS``, each with its own random
streams derived from ``(seed, block index)``, so the data depend only on ``seed`` and
``rows``, never on ``chunk_rows`` (which only sets the size of the frames yielded and
written). ``received_at`` is stratified over the span, so the rows come out in time
order, as an export usually does, and the drift of practice is visible in time-ordered
evaluation. ``span`` moves the rows to other dates (a month after the training data, say):
the drift of practice keeps its pace on the default span's clock. ``drift``
(``training.data.generate.drift``) shifts what arrives and how it is decided, for testing
the monitor; without it the rows are exactly those of the seed.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Final, TypeVar

import numpy as np
import pandas as pd

from training.data.contract import COLUMNS, GENERATOR_COLUMNS, SOURCES, met_threshold
from training.data.generate.drift import Drift
from training.data.generate.labels import (
    BiasSpec,
    EarlyHelp,
    Frequency,
    Mention,
    Mode,
    Plan,
    bias_shift,
    decide,
    decision_logit,
    severity,
)
from training.data.generate.lexicon import IndicatorSpec, Register, Voice, load_lexicon
from training.data.generate.people import draw_audit_attributes, make_family
from training.data.generate.text import Length, Tone, Written, bias_cue_templates, write_contact

__all__ = [
    "BLOCK_ROWS",
    "DESIGN_COLUMNS",
    "OUTPUT_COLUMNS",
    "SOURCE_SHARES",
    "SPAN_END",
    "SPAN_START",
    "GenerateSummary",
    "Span",
    "generate_frame",
    "generate_frames",
    "oracle_auc",
    "write_contacts",
]

T = TypeVar("T")
BLOCK_ROWS: Final = 5_000
#: Contacts by source, after the DfE referral-source shares (Characteristics of children in need, England).
SOURCE_SHARES: Final[dict[str, float]] = {
    "police": 0.29,
    "school": 0.195,
    "health": 0.15,
    "la_services": 0.13,
    "individual": 0.08,
    "anonymous": 0.015,
    "other": 0.14,
}
SPAN_START: Final = np.datetime64("2023-07-01T00:00:00", "s")
SPAN_END: Final = np.datetime64("2026-06-30T23:59:59", "s")
OUTPUT_COLUMNS: Final[tuple[str, ...]] = tuple(c.name for c in COLUMNS) + GENERATOR_COLUMNS
#: How each contact was written, added after OUTPUT_COLUMNS by ``design=True`` (for tests and
#: benchmarks; outside the contract, never written to a file).
DESIGN_COLUMNS: Final = ("voice", "layout", "tone", "register", "length_kind", "early_help")

# Shapes of a contact: how many concerns are asserted, how many other mentions (negated,
# historical, hedged), protective factors and length.
_N_ASSERTED: Final = ((0, 1, 2, 3, 4), (0.12, 0.45, 0.28, 0.11, 0.04))
_N_OTHER: Final = ((0, 1, 2, 3), (0.3, 0.35, 0.22, 0.13))
_OTHER_MODE: Final[tuple[tuple[Mode, ...], tuple[float, ...]]] = (
    ("negated", "historical", "hedged"),
    (0.45, 0.33, 0.22),
)
_N_PROTECTIVE: Final = ((0, 1, 2), (0.55, 0.3, 0.15))
_EARLY_HELP: Final[tuple[tuple[EarlyHelp, ...], tuple[float, ...]]] = (
    ("none", "engaged", "declined", "failed"),
    (0.70, 0.15, 0.09, 0.06),
)
#: How often a concern that can recur is said to happen (asserted and historical mentions).
_FREQUENCY: Final[tuple[tuple[Frequency, ...], tuple[float, ...]]] = (
    ("once", "unstated", "repeated"),
    (0.22, 0.53, 0.25),
)
# How a contact is written: drawn after the plan and never from it.
_LENGTH: Final[tuple[tuple[Length, ...], tuple[float, ...]]] = (
    ("line", "short", "medium", "long", "very_long"),
    (0.07, 0.28, 0.35, 0.2, 0.1),
)
_TONE: Final[tuple[tuple[Tone, ...], tuple[float, ...]]] = (
    ("calm", "neutral", "alarmed"),
    (0.3, 0.45, 0.25),
)
_REGISTERS: Final[tuple[Register, ...]] = ("professional", "lay", "child", "euphemism")
_REGISTER_WEIGHTS: Final[dict[bool, tuple[float, ...]]] = {
    False: (0.55, 0.1, 0.2, 0.15),
    True: (0.1, 0.5, 0.2, 0.2),
}
_SOURCE_AFFINITY: Final = 2.5
#: Most contacts are of lower need; these factors set the mix of levels among asserted
#: concerns (together with ``prevalence``) so that about a quarter meet the threshold.
_ASSERTED_LEVEL_FACTOR: Final = {1: 1.6, 2: 1.5, 3: 0.6, 4: 0.45}
_OTHER_LEVEL_FACTOR: Final = {1: 0.3, 2: 1.0, 3: 1.5, 4: 2.2}
_BIAS_CUE_RATE: Final = 0.6

assert abs(sum(SOURCE_SHARES.values()) - 1) < 1e-9 and tuple(SOURCE_SHARES) == SOURCES

#: The first and last day (inclusive) that ``received_at`` spans; None for the default span.
Span = tuple[date, date] | None
_NO_DRIFT: Final = Drift()


@dataclass(frozen=True, slots=True)
class GenerateSummary:
    """What :func:`write_contacts` wrote: rows, the share that met the threshold, the
    oracle AUC (p_true against the label; None when one class is absent) and seconds."""

    path: Path
    rows: int
    met_rate: float
    oracle_auc: float | None
    seconds: float


def _eligible(spec: IndicatorSpec, age: int, female: bool) -> bool:
    return spec.ages[0] <= age <= spec.ages[1] and (female or not spec.female_only)


@cache
def _weights(
    source: str, age: int, female: bool, other: bool, drift: Drift = _NO_DRIFT
) -> tuple[list[str], list[float]]:
    """Cumulative choice weights of the indicators for one kind of child and source;
    ``other`` weights the mentions that are not asserted, which lean to severe topics.
    ``drift`` moves the asserted concerns' mix only."""
    labels: list[str] = []
    cumulative: list[float] = []
    total = 0.0
    for spec in load_lexicon().indicators:
        # Early help tried and failed comes with the plan's early help history.
        if not _eligible(spec, age, female) or spec.group == "early_help":
            continue
        weight = spec.prevalence * _ASSERTED_LEVEL_FACTOR[spec.level]
        weight *= _SOURCE_AFFINITY if source in spec.sources else 1.0
        if other:
            weight = spec.prevalence * _OTHER_LEVEL_FACTOR[spec.level]
        elif drift.active:
            weight *= drift.indicator_factor(spec.label, spec.level)
        total += weight
        labels.append(spec.label)
        cumulative.append(total)
    return labels, cumulative


@cache
def _voices(source: str) -> tuple[list[Voice], list[float]]:
    chosen = [v for v in load_lexicon().voices if v.source == source]
    return chosen, [v.weight for v in chosen]


def _pick(r: random.Random, options: tuple[tuple[T, ...], tuple[float, ...]]) -> T:
    return r.choices(options[0], weights=options[1])[0]


def _often(r: random.Random, label: str) -> Frequency:
    """How often a mention says its concern happens: unstated unless it can recur."""
    if not load_lexicon().indicator_by_label[label].frequency:
        return "unstated"
    return _pick(r, _FREQUENCY)


def _plan(r: random.Random, *, source: str, age: int, female: bool, drift: Drift) -> Plan:
    plan = Plan(source=source, age=age)
    labels, cumulative = _weights(source, age, female, False, drift)
    third_rate = 0.3 if source in {"individual", "anonymous"} else 0.12
    asserted: set[str] = set()
    for _ in range(_pick(r, _N_ASSERTED)):
        label = r.choices(labels, cum_weights=cumulative)[0]
        if label in asserted:
            continue
        asserted.add(label)
        mode: Mode = "third" if r.random() < third_rate else "first"
        plan.mentions.append(Mention(label, mode, _often(r, label)))
    labels, cumulative = _weights(source, age, female, True)
    for _ in range(_pick(r, _N_OTHER)):
        label = r.choices(labels, cum_weights=cumulative)[0]
        if label in asserted:
            continue
        mode = _pick(r, _OTHER_MODE)
        plan.mentions.append(
            Mention(label, mode, _often(r, label) if mode == "historical" else "unstated")
        )
    plan.protective = _pick(r, _N_PROTECTIVE)
    plan.early_help = _pick(r, _EARLY_HELP)
    if plan.early_help == "failed":
        mode = "third" if r.random() < third_rate else "first"
        plan.mentions.append(Mention("early_help_failed", mode))
    return plan


def _block(
    seed: int,
    index: int,
    *,
    rows: int,
    bias: Sequence[BiasSpec],
    bias_text_cues: bool,
    prefix: str,
    design: bool = False,
    drift: Drift = _NO_DRIFT,
    span: Span = None,
) -> pd.DataFrame:
    """Rows ``index * BLOCK_ROWS`` onwards (at most BLOCK_ROWS), from their own streams."""
    start = index * BLOCK_ROWS
    n = min(BLOCK_ROWS, rows - start)
    seq = np.random.SeedSequence(entropy=seed, spawn_key=(index,))
    rng = np.random.default_rng(seq)
    # One text stream per row, so an optional cue in one row never changes another row.
    row_base = int(seq.generate_state(1, np.uint64)[0]) << 20

    position = np.arange(start, start + n)
    fraction = (position + rng.random(n)) / rows
    received, time_fraction = _received(fraction, span)
    shares = list(SOURCE_SHARES.values())
    if drift.source_factors:
        shares = drift.source_shares(SOURCE_SHARES)
    sources = rng.choice(np.array(SOURCES), size=n, p=shares)
    attributes = draw_audit_attributes(rng, n)
    shift = bias_shift(attributes, bias, n) + drift.practice
    written = _write_rows(
        row_base,
        sources=sources.tolist(),
        attributes=attributes,
        received=received.astype("datetime64[D]").astype(object).tolist(),
        cue_specs=list(bias) if bias_text_cues else [],
        drift=drift,
    )
    logit = decision_logit(
        written.severities, sources=sources, time_fraction=time_fraction, shift=shift
    )
    p_true = 1.0 / (1.0 + np.exp(-logit))
    outcome = decide(rng, p_true, written.severities)
    written_sources = sources.astype(object)
    if drift.no_source > 0:
        # A stream of its own: the rows' other draws stay those of the same seed.
        stream = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(index, 1)))
        written_sources[stream.random(n) < drift.no_source] = None
    frame = pd.DataFrame(
        {
            "contact_id": [f"CT-{prefix}-{k + 1:08d}" for k in position],
            "received_at": np.datetime_as_string(received, unit="s").astype(object),
            "source": written_sources,
            "text": written.texts,
            "outcome": outcome,
            **{k: (v.astype(object) if v.dtype.kind == "U" else v) for k, v in attributes.items()},
            "p_true": p_true,
            "pii_spans": written.spans,
            "indicators_true": written.indicators,
            "severity": written.severities,
        }
    )
    columns = list(OUTPUT_COLUMNS)
    if design:
        for name, values in zip(DESIGN_COLUMNS, zip(*written.design, strict=True), strict=True):
            frame[name] = pd.Series(values, dtype=object)
        columns += DESIGN_COLUMNS
    return frame[columns]


def _received(fraction: np.ndarray, span: Span) -> tuple[np.ndarray, np.ndarray]:
    """When each row was received (stratified over ``span``, the default span when None)
    and where that falls on the default span's clock (0 at its start, 1 at its end, beyond
    1 after it): the label process's drift of practice reads the second."""
    default_seconds = (SPAN_END - SPAN_START).astype(np.int64)
    if span is None:
        return SPAN_START + (fraction * default_seconds).astype("timedelta64[s]"), fraction
    start = np.datetime64(span[0], "s")
    end = np.datetime64(span[1] + timedelta(days=1), "s") - np.timedelta64(1, "s")
    received = start + (fraction * (end - start).astype(np.int64)).astype("timedelta64[s]")
    return received, (received - SPAN_START).astype(np.int64) / default_seconds


@dataclass(frozen=True, slots=True)
class _WrittenRows:
    """A block's contacts as columns: texts, PII spans and asserted indicators as JSON, the
    latent severity of what each text says, and how each was written (DESIGN_COLUMNS)."""

    texts: list[str]
    spans: list[str]
    indicators: list[str]
    severities: np.ndarray
    design: list[tuple[str, ...]]


def _write_rows(
    row_base: int,
    *,
    sources: list[str],
    attributes: dict[str, np.ndarray],
    received: list[date],
    cue_specs: list[BiasSpec],
    drift: Drift,
) -> _WrittenRows:
    """Write the block's contacts, row ``i`` from its own stream ``Random(row_base + i)``."""
    ages = attributes["child_age_years"].tolist()
    sexes = attributes["child_sex"].tolist()
    ethnicities = attributes["child_ethnicity"].tolist()
    rows = _WrittenRows(
        texts=[], spans=[], indicators=[], severities=np.empty(len(sources)), design=[]
    )
    for i, source in enumerate(sources):
        in_group = [s for s in cue_specs if attributes[s.attribute][i] == s.value]
        voice, written = _write_row(
            random.Random(row_base + i),
            source=source,
            age=ages[i],
            sex=sexes[i],
            ethnicity=ethnicities[i],
            received=received[i],
            cue_specs=in_group,
            drift=drift,
        )
        rows.texts.append(written.text)
        rows.spans.append(json.dumps(written.pii_spans, separators=(",", ":")))
        # The label process reads what the text says: a one-line contact drops mentions.
        rows.indicators.append(json.dumps(written.plan.asserted))
        rows.severities[i] = severity(written.plan)
        rows.design.append(
            (
                voice,
                written.layout,
                written.tone,
                written.register,
                written.length,
                written.plan.early_help,
            )
        )
    return rows


def _write_row(
    r: random.Random,
    *,
    source: str,
    age: int,
    sex: str,
    ethnicity: str,
    received: date,
    cue_specs: list[BiasSpec],
    drift: Drift,
) -> tuple[str, Written]:
    """One contact: its plan, voice, family, bias cues (``cue_specs`` are the injected
    biases whose group this child is in), how it is written and its text, all drawn from
    ``r`` in that order; returns the voice's name and the written contact."""
    plan = _plan(r, source=source, age=age, female=sex == "female", drift=drift)
    voices, weights = _voices(source)
    voice = r.choices(voices, weights=weights)[0]
    if age < voice.min_age:
        voice = voices[0]
    family = make_family(r, ethnicity=ethnicity, sex=sex, age=age, received=received)
    cues: tuple[str, ...] = ()
    for spec in cue_specs:
        if r.random() < _BIAS_CUE_RATE:
            cues += (r.choice(bias_cue_templates(spec.attribute, spec.value)),)
    layouts = voice.layouts
    layout = r.choices(tuple(layouts), weights=tuple(layouts.values()))[0]
    tone = _pick(r, _TONE)
    register = r.choices(_REGISTERS, weights=_REGISTER_WEIGHTS[voice.lay])[0]
    written = write_contact(
        r,
        plan,
        voice=voice,
        family=family,
        sex=sex,
        received=received,
        length=_pick(r, _LENGTH),
        cues=cues,
        layout=layout,
        tone=tone,
        register=register,
    )
    return voice.name, written


def generate_frames(
    rows: int,
    *,
    seed: int,
    bias: Sequence[BiasSpec] = (),
    bias_text_cues: bool = False,
    chunk_rows: int = 20_000,
    design: bool = False,
    drift: Drift = _NO_DRIFT,
    span: Span = None,
) -> Iterator[pd.DataFrame]:
    """Yield ``rows`` synthetic contacts in frames of ``chunk_rows`` (the last may be
    shorter), in received_at order. The rows depend only on ``seed``, ``rows``, ``bias``
    and ``bias_text_cues``; memory is bounded by ``chunk_rows`` plus one internal block.

    Columns: the contract's columns (received_at as 'YYYY-MM-DDTHH:MM:SS') then ``p_true``
    (the probability this contact meets the threshold under the label process),
    ``pii_spans`` (JSON ``[[start, end, kind], ...]``), ``indicators_true`` (JSON list of
    asserted indicator labels) and ``severity`` (the latent severity). With ``design``, the
    DESIGN_COLUMNS follow: how each contact was written (voice, layout, tone, register,
    length_kind) and its early help history; they change nothing else. ``drift`` and
    ``span``: see the module docstring.
    """
    if span is not None and span[1] < span[0]:
        raise ValueError(f"the span ends ({span[1]}) before it starts ({span[0]})")
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    prefix = hashlib.blake2b(str(seed).encode(), digest_size=3).hexdigest().upper()
    pending: list[pd.DataFrame] = []
    pending_rows = 0
    for index in range((rows + BLOCK_ROWS - 1) // BLOCK_ROWS):
        block = _block(
            seed,
            index,
            rows=rows,
            bias=bias,
            bias_text_cues=bias_text_cues,
            prefix=prefix,
            design=design,
            drift=drift,
            span=span,
        )
        pending.append(block)
        pending_rows += len(block)
        while pending_rows >= chunk_rows:
            joined = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
            yield joined.iloc[:chunk_rows].reset_index(drop=True)
            rest = joined.iloc[chunk_rows:]
            pending = [rest] if len(rest) else []
            pending_rows = len(rest)
    if pending_rows:
        yield pd.concat(pending, ignore_index=True)


def generate_frame(
    rows: int,
    *,
    seed: int,
    bias: Sequence[BiasSpec] = (),
    bias_text_cues: bool = False,
    design: bool = False,
    drift: Drift = _NO_DRIFT,
    span: Span = None,
) -> pd.DataFrame:
    """All ``rows`` contacts in one frame (see :func:`generate_frames`); for small data."""
    frames = list(
        generate_frames(
            rows,
            seed=seed,
            bias=bias,
            bias_text_cues=bias_text_cues,
            design=design,
            drift=drift,
            span=span,
        )
    )
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def oracle_auc(met: np.ndarray, p_true: np.ndarray) -> float | None:
    """ROC AUC of ``p_true`` against the label (Mann-Whitney, ties averaged); None when
    only one class is present."""
    from scipy.stats import rankdata

    met = np.asarray(met, dtype=bool)
    positives = int(met.sum())
    negatives = len(met) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = rankdata(p_true)
    return float((ranks[met].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def write_contacts(
    path: Path,
    rows: int,
    *,
    seed: int,
    bias: Sequence[BiasSpec] = (),
    bias_text_cues: bool = False,
    chunk_rows: int = 20_000,
    drift: Drift = _NO_DRIFT,
    span: Span = None,
) -> GenerateSummary:
    """Stream ``rows`` contacts to ``path``: Parquet (.parquet, one row group per chunk)
    or UTF-8 CSV (.csv, header once). Raises ValueError for another extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".parquet", ".csv"}:
        raise ValueError(f"unsupported extension {path.suffix!r}: use .parquet or .csv")
    started = time.perf_counter()
    met_parts: list[np.ndarray] = []
    p_parts: list[np.ndarray] = []
    frames = generate_frames(
        rows,
        seed=seed,
        bias=bias,
        bias_text_cues=bias_text_cues,
        chunk_rows=chunk_rows,
        drift=drift,
        span=span,
    )
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer: pq.ParquetWriter | None = None
        try:
            for frame in frames:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table.cast(writer.schema))
                met_parts.append(frame["outcome"].map(met_threshold).to_numpy(dtype=bool))
                p_parts.append(frame["p_true"].to_numpy())
        finally:
            if writer is not None:
                writer.close()
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            for k, frame in enumerate(frames):
                frame.to_csv(handle, header=k == 0, index=False)
                met_parts.append(frame["outcome"].map(met_threshold).to_numpy(dtype=bool))
                p_parts.append(frame["p_true"].to_numpy())
    met = np.concatenate(met_parts)
    return GenerateSummary(
        path=path,
        rows=len(met),
        met_rate=float(met.mean()),
        oracle_auc=oracle_auc(met, np.concatenate(p_parts)),
        seconds=time.perf_counter() - started,
    )
