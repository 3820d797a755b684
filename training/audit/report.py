"""Rendering of evaluation results: JSON, PNG charts and one self-contained HTML page.

Computes nothing: every number comes from an :class:`~training.audit.evaluate.EvaluationResult`.
The HTML embeds its charts as base64 data URIs, so the single file can be logged as an
MLflow artifact and opened anywhere. Results hold no concern text, so neither do reports.
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from training.audit.evaluate import EvaluationResult

__all__ = ["summary_sentences", "write_evaluation_report"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
EVALUATION_TEMPLATE = "evaluation.html.j2"
_DPI = 110
_SIZE = (5.0, 4.2)  # inches


def _fmt(value: float | None, digits: int = 3) -> str:
    """A number for people: fixed decimals, or "not available" for None/NaN."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "not available"
    return f"{value:.{digits}f}"


def _pct(value: float | None, digits: int = 0) -> str:
    """A share as a percentage ("42%"), or "not available"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "not available"
    return f"{100.0 * value:.{digits}f}%"


def summary_sentences(result: EvaluationResult) -> list[str]:
    """The plain-language summary that opens the report, one sentence per item."""
    op = result.operating_point
    out = [
        f"Of every 100 contacts, the model asks the screener to look first at "
        f"{_fmt(100.0 * op.workload, 0)}; those include {_pct(op.recall)} of the contacts "
        f"that met the threshold (the target was {_pct(op.target_recall)}).",
    ]
    if math.isfinite(op.precision):
        out.append(
            f"Of the contacts it asks the screener to look at first, {_pct(op.precision)} "
            f"met the threshold, against {_pct(result.base_rate)} of all contacts."
        )
    if result.oracle_auc is not None:
        out.append(
            f"The model's AUC is {_fmt(result.roc_auc)} against {_fmt(result.oracle_auc)} "
            f"for the best possible on this data "
            f"({_pct(result.auc_ratio_to_oracle, 1)} of the best possible)."
        )
    else:
        out.append(
            f"The model's AUC is {_fmt(result.roc_auc)}: the chance that a contact which met "
            f"the threshold scores above one which did not (0.5 is guessing, 1 is perfect)."
        )
    out.append(
        f"Its probabilities are off by {_fmt(100.0 * result.ece, 1)} percentage points on "
        f"average (expected calibration error {_fmt(result.ece)})."
    )
    origin = (
        "chosen on this data"
        if result.threshold_origin == "this_data"
        else "chosen beforehand on validation data"
    )
    out.append(
        f"These figures come from {result.n:,} contacts; the score threshold "
        f"{_fmt(result.operating_point.threshold)} was {origin}."
    )
    return out


def _figure() -> Figure:
    # The object-oriented Figure needs no pyplot state or global backend switch: it is
    # thread-safe, cannot leak open figures, and leaves a notebook user's backend alone.
    from matplotlib.figure import Figure

    fig = Figure(figsize=_SIZE, dpi=_DPI, layout="constrained")
    return fig


def _reliability_png(result: EvaluationResult, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    rel = result.reliability
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(rel["mean_predicted"], rel["observed"], marker="o", color="C0", label="model")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted probability (per bin)")
    ax.set_ylabel("observed share that met the threshold")
    ax.set_title(f"Reliability (ECE {_fmt(result.ece)})")
    ax.legend(loc="upper left")
    fig.savefig(path, format="png")


def _roc_png(result: EvaluationResult, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    op = result.operating_point
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.plot(
        result.roc_curve["fpr"],
        result.roc_curve["tpr"],
        color="C0",
        label=f"model (AUC {_fmt(result.roc_auc)})",
    )
    if op.fp + op.tn and op.tp + op.fn:
        ax.plot(
            [op.fp / (op.fp + op.tn)],
            [op.tp / (op.tp + op.fn)],
            marker="o",
            color="C3",
            linestyle="none",
            label="operating point",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate (recall)")
    title = "ROC curve"
    if result.oracle_auc is not None:
        title += f" (best possible AUC {_fmt(result.oracle_auc)})"
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.savefig(path, format="png")


def _pr_png(result: EvaluationResult, path: Path) -> None:
    fig = _figure()
    ax = fig.add_subplot()
    op = result.operating_point
    ax.axhline(result.base_rate, linestyle="--", color="grey", label="base rate")
    ax.plot(
        result.pr_curve["recall"],
        result.pr_curve["precision"],
        color="C0",
        label=f"model (PR AUC {_fmt(result.pr_auc)})",
    )
    if math.isfinite(op.precision) and math.isfinite(op.recall):
        ax.plot(
            [op.recall],
            [op.precision],
            marker="o",
            color="C3",
            linestyle="none",
            label="operating point",
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.01)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title("Precision-recall curve")
    ax.legend(loc="upper right")
    fig.savefig(path, format="png")


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _render_html(context: dict[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _fmt
    env.filters["pct"] = _pct
    return env.get_template(EVALUATION_TEMPLATE).render(**context)


def write_evaluation_report(
    result: EvaluationResult,
    out_dir: Path,
    *,
    title: str,
    model_name: str | None = None,
    model_version: str | None = None,
) -> dict[str, Path]:
    """Write the evaluation report into ``out_dir`` (created if needed).

    Files: ``evaluation.json`` (``result.to_dict()`` plus a ``report`` entry with title and
    model), ``reliability.png``, ``roc.png``, ``pr.png`` and ``evaluation.html`` (the
    summary, tables and the three charts embedded as data URIs). Existing files of these
    names are overwritten. Returns their paths under the keys ``json``, ``html``,
    ``reliability``, ``roc``, ``pr``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "evaluation.json",
        "html": out_dir / "evaluation.html",
        "reliability": out_dir / "reliability.png",
        "roc": out_dir / "roc.png",
        "pr": out_dir / "pr.png",
    }
    payload = result.to_dict()
    payload["report"] = {"title": title, "model_name": model_name, "model_version": model_version}
    paths["json"].write_text(
        json.dumps(payload, indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )

    _reliability_png(result, paths["reliability"])
    _roc_png(result, paths["roc"])
    _pr_png(result, paths["pr"])

    op = result.operating_point
    charts = [
        {
            "id": "reliability",
            "heading": "Reliability diagram",
            "src": _data_uri(paths["reliability"]),
            "alt": (
                "Reliability diagram: observed share of contacts that met the threshold "
                "against the mean predicted probability, per probability bin, with the "
                f"diagonal of perfect calibration. Expected calibration error {_fmt(result.ece)}."
            ),
        },
        {
            "id": "roc",
            "heading": "ROC curve",
            "src": _data_uri(paths["roc"]),
            "alt": (
                f"ROC curve: true positive rate against false positive rate; AUC "
                f"{_fmt(result.roc_auc)}. The operating point, at recall {_pct(op.recall)}, "
                "is marked."
            ),
        },
        {
            "id": "pr",
            "heading": "Precision-recall curve",
            "src": _data_uri(paths["pr"]),
            "alt": (
                f"Precision-recall curve: precision against recall; PR AUC "
                f"{_fmt(result.pr_auc)} against a base rate of {_pct(result.base_rate)}. "
                "The operating point is marked."
            ),
        },
    ]
    html = _render_html(
        {
            "title": title,
            "model_name": model_name,
            "model_version": model_version,
            "summary": summary_sentences(result),
            "r": result,
            "op": op,
            "ci_pct": _pct(result.ci_level),
            "charts": charts,
        }
    )
    paths["html"].write_text(html, encoding="utf-8")
    return paths
