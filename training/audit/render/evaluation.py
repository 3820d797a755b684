"""The evaluation report: JSON, three PNG charts and one self-contained HTML page, and the
few lines the terminal shows.

Computes nothing: every number comes from an
:class:`~training.audit.evaluate.EvaluationResult`. The HTML embeds its charts as base64
data URIs, so the single file can be logged as an MLflow artifact and opened anywhere.
Results hold no concern text, so neither do reports.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from training.audit.render.formats import estimate, num, pct
from training.audit.render.output import data_uri, new_figure, png_bytes, write_json
from training.audit.render.templating import render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from training.audit.evaluate import EvaluationResult

__all__ = ["summary_sentences", "terminal_summary", "write_evaluation_report"]

EVALUATION_TEMPLATE: Final = "evaluation.html.j2"
_SIZE: Final = (5.0, 4.2)  # inches


def summary_sentences(result: EvaluationResult) -> list[str]:
    """The plain-language summary that opens the report, one sentence per item."""
    op = result.operating_point
    out = [
        f"Of every 100 contacts, the model asks the screener to look first at "
        f"{num(100.0 * op.workload, 0)}; those include {pct(op.recall)} of the contacts "
        f"that met the threshold (the target was {pct(op.target_recall)}).",
    ]
    if math.isfinite(op.precision):
        out.append(
            f"Of the contacts it asks the screener to look at first, {pct(op.precision)} "
            f"met the threshold, against {pct(result.base_rate)} of all contacts."
        )
    if result.oracle_auc is not None:
        out.append(
            f"The model's AUC is {num(result.roc_auc)} against {num(result.oracle_auc)} "
            f"for the best possible on this data "
            f"({pct(result.auc_ratio_to_oracle, 1)} of the best possible)."
        )
    else:
        out.append(
            f"The model's AUC is {num(result.roc_auc)}: the chance that a contact which met "
            f"the threshold scores above one which did not (0.5 is guessing, 1 is perfect)."
        )
    out.append(
        f"Its probabilities are off by {num(100.0 * result.ece, 1)} percentage points on "
        f"average (expected calibration error {num(result.ece)})."
    )
    origin = (
        "chosen on this data"
        if result.threshold_origin == "this_data"
        else "chosen beforehand on validation data"
    )
    out.append(
        f"These figures come from {result.n:,} contacts; the score threshold "
        f"{num(result.operating_point.threshold)} was {origin}."
    )
    return out


def terminal_summary(result: EvaluationResult) -> list[str]:
    """The headline figures as indented lines for the ``screener`` command's output."""
    op = result.operating_point
    lines = [
        f"  ROC AUC {estimate(result.roc_auc, result.roc_auc_ci)}   "
        f"PR AUC {estimate(result.pr_auc, result.pr_auc_ci)}",
        f"  Brier {num(result.brier, 4)}   log loss {num(result.log_loss, 4)}   "
        f"ECE {num(result.ece, 4)}",
        f"  operating point: threshold {num(op.threshold)}, recall {num(op.recall)}, "
        f"precision {num(op.precision)}, workload {pct(op.workload, 1)}",
    ]
    if result.oracle_auc is not None:
        lines.append(
            f"  oracle AUC {num(result.oracle_auc)}; model/oracle {num(result.auc_ratio_to_oracle)}"
        )
    return lines


# --------------------------------------------------------------------------- charts


def _reliability_figure(result: EvaluationResult) -> Figure:
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    rel = result.reliability
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot(rel["mean_predicted"], rel["observed"], marker="o", color="C0", label="model")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted probability (per bin)")
    ax.set_ylabel("observed share that met the threshold")
    ax.set_title(f"Reliability (ECE {num(result.ece)})")
    ax.legend(loc="upper left")
    return fig


def _roc_figure(result: EvaluationResult) -> Figure:
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    op = result.operating_point
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.plot(
        result.roc_curve["fpr"],
        result.roc_curve["tpr"],
        color="C0",
        label=f"model (AUC {num(result.roc_auc)})",
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
        title += f" (best possible AUC {num(result.oracle_auc)})"
    ax.set_title(title)
    ax.legend(loc="lower right")
    return fig


def _pr_figure(result: EvaluationResult) -> Figure:
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    op = result.operating_point
    ax.axhline(result.base_rate, linestyle="--", color="grey", label="base rate")
    ax.plot(
        result.pr_curve["recall"],
        result.pr_curve["precision"],
        color="C0",
        label=f"model (PR AUC {num(result.pr_auc)})",
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
    return fig


def _charts(result: EvaluationResult, pngs: dict[str, bytes]) -> list[dict[str, str]]:
    """The three charts as the page shows them: heading, data URI and a description."""
    return [
        {
            "id": "reliability",
            "heading": "Reliability diagram",
            "src": data_uri(pngs["reliability"]),
            "alt": (
                "Reliability diagram: observed share of contacts that met the threshold "
                "against the mean predicted probability, per probability bin, with the "
                f"diagonal of perfect calibration. Expected calibration error {num(result.ece)}."
            ),
        },
        {
            "id": "roc",
            "heading": "ROC curve",
            "src": data_uri(pngs["roc"]),
            "alt": (
                f"ROC curve: true positive rate against false positive rate; AUC "
                f"{num(result.roc_auc)}. The operating point, at recall "
                f"{pct(result.operating_point.recall)}, is marked."
            ),
        },
        {
            "id": "pr",
            "heading": "Precision-recall curve",
            "src": data_uri(pngs["pr"]),
            "alt": (
                f"Precision-recall curve: precision against recall; PR AUC "
                f"{num(result.pr_auc)} against a base rate of {pct(result.base_rate)}. "
                "The operating point is marked."
            ),
        },
    ]


# --------------------------------------------------------------------------- report


def render_evaluation_html(
    result: EvaluationResult,
    *,
    title: str,
    charts: list[dict[str, str]],
    model_name: str | None = None,
    model_version: str | None = None,
) -> str:
    """The evaluation page: summary first, then headline metrics, the operating point,
    per-source and per-priority tables, and ``charts`` (from :func:`write_evaluation_report`)."""
    context: dict[str, Any] = {
        "title": title,
        "model_name": model_name,
        "model_version": model_version,
        "summary": summary_sentences(result),
        "r": result,
        "op": result.operating_point,
        "ci_pct": pct(result.ci_level),
        "charts": charts,
    }
    return render(EVALUATION_TEMPLATE, **context)


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
    write_json(paths["json"], payload)
    pngs = {
        "reliability": png_bytes(_reliability_figure(result)),
        "roc": png_bytes(_roc_figure(result)),
        "pr": png_bytes(_pr_figure(result)),
    }
    for name, png in pngs.items():
        paths[name].write_bytes(png)
    html = render_evaluation_html(
        result,
        title=title,
        charts=_charts(result, pngs),
        model_name=model_name,
        model_version=model_version,
    )
    paths["html"].write_text(html, encoding="utf-8")
    return paths
