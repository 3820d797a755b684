"""The evaluation on text written by other hands, for the terminal and for the report files:
each hand-written set's figures and the behavioural suite's failure rates, the model and
the plain baseline side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from training.audit.behaviour import CAPABILITIES, HALVES, KINDS, BehaviourResult, Rate
from training.audit.external import ExternalResult
from training.audit.independent import IndependentReport
from training.audit.render.formats import DASH, estimate, num, pct

__all__ = ["behaviour_table", "independent_lines", "write_independent_report"]


def _levels(values: dict[int, float], digits: int = 2) -> str:
    return " ".join(f"L{k} {num(v, digits, missing=DASH)}" for k, v in values.items())


def _set_lines(name: str, r: ExternalResult, base: ExternalResult | None) -> list[str]:
    against = "" if base is None else (
        f" (baseline {estimate(base.roc_auc, base.roc_auc_ci)}, lift {r.roc_auc - base.roc_auc:+.3f})"
    )  # fmt: skip
    line_base = "" if base is None else f" (baseline {num(base.auc_3_vs_2)})"
    lines = [
        f"hand-written {name} set ({r.n} contacts by published levels of need): AUC "
        f"{estimate(r.roc_auc, r.roc_auc_ci)}{against}",
        f"    level 3 vs 2 AUC {num(r.auc_3_vs_2)}{line_base}; level 4 vs 1-2 "
        f"{num(r.auc_4_vs_12)}; recall at the threshold L3 {pct(r.recall_at_threshold[3])} "
        f"L4 {pct(r.recall_at_threshold[4])}; flags {pct(r.flagged_share_12)} of L1-2",
        f"    mean score {_levels(r.mean_score)}; mean priority {_levels(r.mean_priority, 1)}",
    ]
    if r.auc_by_layout:
        layouts = ", ".join(f"{k} {num(v, 2)}" for k, v in r.auc_by_layout.items())
        lines.append(f"    AUC by layout: {layouts}")
    beside = []
    if r.floored_share:
        beside.append("floors " + " ".join(f"L{k} {pct(v)}" for k, v in r.floored_share.items()))
    if r.level_accuracy is not None:
        beside.append(
            f"guidance level right {pct(r.level_accuracy)} (AUC of level 3-4 {num(r.level_auc)})"
        )
    if r.differ_share is not None:
        beside.append(f"practice and guidance differ on {pct(r.differ_share)}")
    if beside:
        lines.append("    " + "; ".join(beside))
    return lines


def _rate(r: Rate | None) -> str:
    return DASH if r is None or not r.n else f"{pct(r.rate)} of {r.n}"


def independent_lines(report: IndependentReport) -> list[str]:
    """Summary lines: each set, then the suite's failure rates by half."""
    lines: list[str] = []
    for name, r in report.external.items():
        lines += _set_lines(name, r, report.baseline_external.get(name))
    b, base = report.behaviour, report.baseline_behaviour
    if b is not None:
        for half in HALVES:
            if half not in b.halves:
                continue
            against = "" if base is None else f" (baseline {_rate(base.halves.get(half))})"
            lines.append(
                f"behavioural suite, {half} half: {_rate(b.halves[half])} failed{against}; "
                f"must-never-miss {_rate(b.must_never_miss.get(half))}; minimal pairs on "
                f"either side of the threshold {pct(b.opposite_sides.get(half))}"
            )
    return lines


def behaviour_table(model: BehaviourResult, baseline: BehaviourResult | None = None) -> str:
    """Failure rate per capability and type, both halves, the model and the baseline side
    by side (plain text, one row per capability and type)."""
    head = f"{'capability':<16} {'type':<4}"
    for half in HALVES:
        head += f" | {half + ' model':>21}" + (f" {'baseline':>14}" if baseline else "")
    rows = [head, "-" * len(head)]
    for capability in CAPABILITIES:
        for kind in KINDS:
            cells = [model.cells.get((h, capability, kind)) for h in HALVES]
            if not any(cells):
                continue
            row = f"{capability:<16} {kind:<4}"
            for half, cell in zip(HALVES, cells, strict=True):
                row += f" | {_rate(cell):>21}"
                if baseline:
                    row += f" {_rate(baseline.cells.get((half, capability, kind))):>14}"
            rows.append(row)
    total = f"{'all':<16} {'':<4}"
    for half in HALVES:
        total += f" | {_rate(model.halves.get(half)):>21}"
        if baseline:
            total += f" {_rate(baseline.halves.get(half)):>14}"
    rows += ["-" * len(head), total]
    return "\n".join(rows)


def write_independent_report(report: IndependentReport, out_dir: Path) -> dict[str, Path]:
    """``independent.json`` (every figure, the model and the baseline) and
    ``behaviour.txt`` (the table) in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {
        "metrics": report.flat_metrics(),
        "behaviour": None if report.behaviour is None else report.behaviour.to_dict(),
        "baseline_behaviour": (
            None if report.baseline_behaviour is None else report.baseline_behaviour.to_dict()
        ),
    }
    paths = {"json": out_dir / "independent.json"}
    paths["json"].write_text(json.dumps(payload, indent=2), encoding="utf-8")
    if report.behaviour is not None:
        paths["table"] = out_dir / "behaviour.txt"
        paths["table"].write_text(
            behaviour_table(report.behaviour, report.baseline_behaviour) + "\n", encoding="utf-8"
        )
    return paths
