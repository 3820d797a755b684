"""The fairness report: ``fairness.json`` and one self-contained ``fairness.html`` (charts
embedded as base64 PNGs), and the lines the terminal shows.

Computes nothing: every number comes from a
:class:`~training.audit.fairness.types.FairnessResult`, which holds no concern text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from training.audit.fairness.types import FLAG_METRICS, METRIC_LABELS, METRICS
from training.audit.render.output import data_uri, new_figure, png_bytes, write_json
from training.audit.render.templating import render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from training.audit.fairness.types import FairnessResult

__all__ = ["fairness_terminal_lines", "render_fairness_html", "write_fairness_report"]

FAIRNESS_TEMPLATE: Final = "fairness.html.j2"
#: Ratios charted (the service's priority first).
CHART_METRICS: Final[tuple[str, ...]] = ("fnr", "tpr", "selection_rate", "fpr", "ppv")


def _forest_rows(
    result: FairnessResult, metric: str
) -> tuple[list[str], list[float], list[float], list[float]]:
    """Labels, ratios and simultaneous interval ends of one metric, for every flaggable
    group of a single attribute with a tested ratio."""
    labels: list[str] = []
    ratios: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for name, table in result.groups.items():
        if table.intersection:
            continue
        for row in table.rows:
            ratio = row.ratios.get(metric)
            ci = row.ratio_ci_adjusted.get(metric)
            if not row.flaggable or ratio is None or ci is None:
                continue
            labels.append(f"{name}: {row.group} (vs {table.reference_group})")
            ratios.append(ratio)
            lows.append(ci[0])
            highs.append(ci[1])
    return labels, ratios, lows, highs


def _forest_figure(result: FairnessResult, metric: str) -> Figure | None:
    """Forest plot of one metric's disparity ratios (single attributes), log scale, with
    the simultaneous intervals and the fair range shaded; ``None`` when nothing to plot."""
    labels, ratios, lows, highs = _forest_rows(result, metric)
    if not labels:
        return None
    fig = new_figure((7.0, 1.2 + 0.28 * len(labels)))
    ax = fig.add_subplot()
    pos = np.arange(len(labels))[::-1]
    lo_b, hi_b = result.ratio_bounds
    ax.axvspan(lo_b, hi_b, color="#dfe9f3", label=f"fair range {lo_b}-{hi_b}")
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    r = np.asarray(ratios)
    err = np.vstack([r - np.asarray(lows), np.asarray(highs) - r])
    ax.errorbar(r, pos, xerr=err, fmt="o", color="C0", ecolor="C0", capsize=2)
    ax.set_yticks(pos, labels, fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel(f"ratio of {METRIC_LABELS[metric]} to the reference group")
    ax.set_title(f"Disparity: {METRIC_LABELS[metric]}", fontsize=9)
    ax.legend(loc="lower right", fontsize=7)
    return fig


def _counterfactual_figure(result: FairnessResult) -> Figure | None:
    """Bar chart of mean and max absolute score shift per counterfactual attribute."""
    cf = result.counterfactual
    if cf is None or not cf.attributes:
        return None
    fig = new_figure((6.0, 3.4))
    ax = fig.add_subplot()
    names = [a.attribute for a in cf.attributes]
    x = np.arange(len(names))
    ax.bar(x - 0.2, [a.mean_abs_shift for a in cf.attributes], 0.4, label="mean |shift|")
    ax.bar(x + 0.2, [a.max_abs_shift for a in cf.attributes], 0.4, label="max |shift|")
    ax.axhline(cf.mean_threshold, color="C0", linestyle="--", linewidth=1)
    ax.axhline(cf.max_threshold, color="C1", linestyle="--", linewidth=1)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylabel("score shift (probability)")
    ax.set_title("Counterfactual score shifts (dashed: tolerances)", fontsize=9)
    ax.legend(fontsize=7)
    return fig


def _disparity_charts(result: FairnessResult) -> list[dict[str, str]]:
    charts = []
    lo_b, hi_b = result.ratio_bounds
    for metric in CHART_METRICS:
        fig = _forest_figure(result, metric)
        if fig is None:
            continue
        charts.append(
            {
                "heading": f"Disparity ratios: {METRIC_LABELS[metric]}",
                "src": data_uri(png_bytes(fig)),
                "alt": (
                    f"Forest plot of the ratio of {METRIC_LABELS[metric]} of each group "
                    "to its reference group, with simultaneous intervals, on a log "
                    f"scale; the fair range {lo_b} to {hi_b} is shaded."
                ),
            }
        )
    return charts


def render_fairness_html(
    result: FairnessResult, *, model_name: str | None = None, model_version: str | None = None
) -> str:
    """The fairness report as one self-contained HTML page: summary first, then the
    trade-off, flags, per-attribute tables, charts (base64 PNGs), counterfactual and proxy
    results. Renders only what ``result`` holds (no concern text)."""
    cf_figure = _counterfactual_figure(result)
    return render(
        FAIRNESS_TEMPLATE,
        r=result,
        model_name=model_name,
        model_version=model_version,
        metrics=METRICS,
        flag_metrics=FLAG_METRICS,
        labels=METRIC_LABELS,
        charts=_disparity_charts(result),
        cf_chart=None if cf_figure is None else data_uri(png_bytes(cf_figure)),
    )


def write_fairness_report(
    result: FairnessResult,
    out_dir: Path,
    *,
    model_name: str | None = None,
    model_version: str | None = None,
) -> dict[str, Path]:
    """Write ``fairness.json`` (``result.to_dict()`` plus a ``report`` entry naming the
    model) and a self-contained ``fairness.html`` (summary first, then tables and charts
    embedded as data URIs) into ``out_dir`` (created if needed). Returns their paths under
    ``json`` and ``html``. Holds no concern text: results never contain any."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "fairness.json", "html": out_dir / "fairness.html"}
    payload = result.to_dict()
    payload["report"] = {"model_name": model_name, "model_version": model_version}
    write_json(paths["json"], payload)
    paths["html"].write_text(
        render_fairness_html(result, model_name=model_name, model_version=model_version),
        encoding="utf-8",
    )
    return paths


def fairness_terminal_lines(
    payload: Mapping[str, Any],
    *,
    model_name: str,
    model_version: str,
    contacts: int,
    digest: str,
    gated: Sequence[str],
    report: Path,
) -> list[str]:
    """The report's summary and first flags, as lines for the ``screener fairness`` output:
    ``payload`` is the result's ``to_dict()``, ``gated`` the flags the promotion gate reads,
    ``report`` the HTML written."""
    lines = [
        f"{model_name} version {model_version}: fairness on {contacts:,} contacts (data {digest})"
    ]
    lines += [f"  {s}" for s in payload.get("summary", [])[:6]]
    kinds: dict[str, int] = {}
    for f in payload["flags"]:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    lines.append(
        f"  flags: {len(payload['flags'])} ("
        + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none")
        + f"); {len(gated)} gated"
    )
    for f in payload["flags"][:15]:
        lines.append(
            f"    - {f['kind']}: {f['attribute']} = {f['group']}, {f['metric']} {f['value']:.3f}"
            if isinstance(f.get("value"), (int, float))
            else f"    - {f['kind']}: {f['attribute']} = {f['group']}, {f['metric']}"
        )
    lines.append(f"report: {report}")
    return lines
