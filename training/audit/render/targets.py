"""Two registered versions side by side against the model's targets, from the figures each
training run logged: the blind set's AUC and its lift over the plain baseline, level 3
against level 2 on every hand-written set, the behavioural reporting half, the generated
data's guard, calibration and training time. Nothing is scored again: the table reads the
runs' metrics (``training.lifecycle.registry.runs``), so it compares the versions as they
were measured when they were trained.

Speed and memory figures that no run logs (peak memory, the pyfunc's and the service's
throughput) are named with the benchmark that measures them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from training.audit.render.formats import DASH, num, pct

__all__ = ["TARGETS", "Target", "targets_table"]

Metrics = Mapping[str, float]

#: The hand-written sets whose level 3 against level 2 AUC has a target.
SETS: Final = ("dev", "dev_layouts", "test", "blind")
#: The training run's timings that add up to its wall clock (the per-candidate fits are
#: inside ``fit_candidates``).
_TIMINGS: Final = (
    "time_analyse_seconds",
    "time_features_seconds",
    "time_fit_candidates_seconds",
    "time_fit_plain_words_seconds",
    "time_fit_level_and_baseline_seconds",
    "time_similar_index_seconds",
    "time_evaluate_seconds",
)


def _get(m: Metrics, key: str) -> float | None:
    value = m.get(key)
    return None if value is None else float(value)


def _blind(m: Metrics) -> str:
    auc, lo, hi = (_get(m, f"external_blind_roc_auc{s}") for s in ("", "_lo", "_hi"))
    if auc is None:
        return DASH
    lift = _get(m, "lift_blind_roc_auc")
    beside = "" if lift is None else f", lift {lift:+.3f}"
    ci = "" if lo is None or hi is None else f" [{num(lo)}, {num(hi)}]"
    return f"{num(auc)}{ci}{beside}"


def _blind_met(m: Metrics) -> bool | None:
    auc, lift = _get(m, "external_blind_roc_auc"), _get(m, "lift_blind_roc_auc")
    if auc is None or lift is None:
        return None
    return auc >= 0.93 and lift >= 0.05


def _three_vs_two(m: Metrics) -> str:
    values = [(s, _get(m, f"external_{s}_auc_3_vs_2")) for s in SETS]
    shown = [f"{s} {num(v)}" for s, v in values if v is not None]
    return ", ".join(shown) or DASH


def _three_vs_two_met(m: Metrics) -> bool | None:
    values = [v for s in SETS if (v := _get(m, f"external_{s}_auc_3_vs_2")) is not None]
    return None if not values else min(values) >= 0.90


def _reporting(m: Metrics) -> str:
    rate = _get(m, "behaviour_reporting_failure_rate")
    mnm = _get(m, "behaviour_reporting_must_never_miss")
    if rate is None:
        return DASH
    return f"{pct(rate)}; must-never-miss {pct(mnm, missing=DASH)}"


def _reporting_met(m: Metrics) -> bool | None:
    rate = _get(m, "behaviour_reporting_failure_rate")
    mnm = _get(m, "behaviour_reporting_must_never_miss")
    if rate is None or mnm is None:
        return None
    return rate <= 0.05 and mnm == 0


def _guard(m: Metrics) -> str:
    return num(_get(m, "test_auc_ratio_to_oracle"), missing=DASH)


def _guard_met(m: Metrics) -> bool | None:
    ratio = _get(m, "test_auc_ratio_to_oracle")
    return None if ratio is None else ratio >= 0.95


def _ece(m: Metrics) -> str:
    ece, blind = _get(m, "test_ece"), _get(m, "test_ece_without_source")
    if ece is None:
        return DASH
    return f"{num(ece, 4)} ({num(blind, 4, missing=DASH)} without the source)"


def _ece_met(m: Metrics) -> bool | None:
    values = [v for k in ("test_ece", "test_ece_without_source") if (v := _get(m, k)) is not None]
    return None if not values else max(values) <= 0.03


def _train_seconds(m: Metrics) -> float | None:
    parts = [v for k in _TIMINGS if (v := _get(m, k)) is not None]
    return sum(parts) if parts else None


def _train(m: Metrics) -> str:
    seconds = _train_seconds(m)
    return DASH if seconds is None else f"{seconds:.0f} s"


def _train_met(m: Metrics) -> bool | None:
    seconds = _train_seconds(m)
    return None if seconds is None else seconds < 150


@dataclass(frozen=True)
class Target:
    """One row: what is measured, how a run's metrics show it, the target, and whether a
    run's metrics meet it (None: the run did not log what it needs)."""

    figure: str
    show: Callable[[Metrics], str]
    target: str
    met: Callable[[Metrics], bool | None]


TARGETS: Final[tuple[Target, ...]] = (
    Target(
        "third blind set AUC (lift over the run's baseline)",
        _blind,
        ">= 0.93 and >= 0.05 above the baseline",
        _blind_met,
    ),
    Target(
        "level 3 vs level 2 AUC, hand-written sets", _three_vs_two, ">= 0.90", _three_vs_two_met
    ),
    Target(
        "behavioural reporting half, failed",
        _reporting,
        "<= 5%; must-never-miss 0",
        _reporting_met,
    ),
    Target("generated contacts, AUC / oracle (guard)", _guard, ">= 0.95", _guard_met),
    Target("ECE, generated test split", _ece, "<= 0.03 with or without the source", _ece_met),
    Target("`screener train`, the run's timings summed", _train, "< 150 s", _train_met),
)

#: Figures no training run logs, and the benchmark that measures each.
NOT_LOGGED: Final = (
    ("`screener train` peak memory", "< 4 GiB", "/usr/bin/time -v screener train --data PATH"),
    (
        "pyfunc batch of 1,000 with explanations",
        ">= 1,000/s",
        "python bench/bench_pyfunc.py --data PATH --model N",
    ),
    (
        "service, 16 clients, real model",
        ">= 500/s, p99 < 60 ms",
        "python bench/bench_serve.py --model-uri models:/concern-screener/N",
    ),
)


def _mark(met: bool | None) -> str:
    return "?" if met is None else ("met" if met else "not met")


def targets_table(old: Metrics, new: Metrics, *, old_name: str, new_name: str) -> str:
    """A Markdown table: each target's figure for ``old`` and ``new`` (their runs' metrics)
    and whether ``new`` meets it, then the figures measured by benchmarks instead."""
    lines = [
        f"| figure | {old_name} | {new_name} | target | {new_name} |",
        "|---|---|---|---|---|",
    ]
    for t in TARGETS:
        lines.append(
            f"| {t.figure} | {t.show(old)} | {t.show(new)} | {t.target} | {_mark(t.met(new))} |"
        )
    for figure, target, command in NOT_LOGGED:
        lines.append(f"| {figure} | not logged | not logged | {target} | `{command}` |")
    return "\n".join(lines)
