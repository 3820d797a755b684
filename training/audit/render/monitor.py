"""The drift and override report: ``monitor.json`` and one self-contained ``monitor.html``
(charts embedded as base64 PNGs), and the lines the terminal shows.

Computes nothing: every number comes from a
:class:`~training.audit.monitoring.MonitorResult`, whose counts are already under the
small-cell rule; the charts draw only published numbers. Results hold no concern text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from training.audit.monitoring.overrides import OVERRIDE_DEFINITION
from training.audit.render.formats import num, pct
from training.audit.render.output import data_uri, new_figure, png_bytes, write_json
from training.audit.render.templating import render

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from training.audit.monitoring import MonitorResult

__all__ = ["monitor_terminal_lines", "render_monitor_html", "write_monitor_report"]

MONITOR_TEMPLATE: Final = "monitor.html.j2"
_SIZE: Final = (6.0, 3.4)


def _share(cell: object, n: object) -> float | None:
    """A published count over a published total, or None where either is withheld."""
    if isinstance(cell, int) and isinstance(n, int) and n > 0:
        return cell / n
    return None


def _arms(value: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Error-bar arms of an interval around ``value`` (never negative)."""
    return np.maximum(np.vstack([value - lo, hi - value]), 0.0)


def _score_figure(result: MonitorResult) -> Figure | None:
    """Training-time decile shares against the period's (bins withheld are left out)."""
    period = result.score_period
    if period is None or not result.reference_score_shares:
        return None
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    x = np.arange(len(result.reference_score_shares))
    ax.bar(x - 0.2, result.reference_score_shares, 0.4, label="training time")
    shares = [_share(c, period.n) for c in period.bins]
    shown = [(k, s) for k, s in enumerate(shares) if s is not None]
    ax.bar([k + 0.2 for k, _ in shown], [s for _, s in shown], 0.4, label="this period")
    ax.set_xticks(x, [str(k + 1) for k in x])
    ax.set_xlabel("training-time score decile")
    ax.set_ylabel("share of contacts")
    ax.set_title(f"Served scores against training time (PSI {num(period.psi)})", fontsize=9)
    ax.legend(fontsize=7)
    return fig


def _psi_figure(result: MonitorResult) -> Figure | None:
    weeks = [(k, w.psi) for k, w in enumerate(result.score_weeks) if w.psi is not None]
    if not weeks:
        return None
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    ax.bar([k + 1 for k, _ in weeks], [p for _, p in weeks], color="C0")
    ax.axhline(result.thresholds["psi_threshold"], color="C3", linestyle="--", linewidth=1)
    ax.set_xlabel("week")
    ax.set_ylabel("PSI")
    ax.set_title("Score PSI by week (dashed: flagged at)", fontsize=9)
    return fig


def _override_figure(result: MonitorResult) -> Figure | None:
    rows = [
        (k, r["rate"])
        for k, r in enumerate(result.overrides["by_week"])
        if r["rate"].rate is not None
    ]
    if not rows:
        return None
    fig = new_figure(_SIZE)
    ax = fig.add_subplot()
    x = np.array([k + 1 for k, _ in rows])
    rate = np.array([c.rate for _, c in rows])
    lo = np.array([c.ci[0] for _, c in rows])
    hi = np.array([c.ci[1] for _, c in rows])
    ax.errorbar(x, rate, yerr=_arms(rate, lo, hi), fmt="o", capsize=3)
    reference = result.overrides["period"].reference
    if reference is not None:
        ax.axhline(reference, color="grey", linestyle="--", linewidth=1, label="training time")
        ax.legend(fontsize=7)
    ax.set_xticks(x)
    ax.set_xlabel("week")
    ax.set_ylabel("override rate")
    ax.set_title("Override rate by week (Wilson intervals)", fontsize=9)
    return fig


def _reliability_figure(result: MonitorResult) -> Figure | None:
    rows = [r for r in result.calibration["bins"] if r.observed is not None]
    if not rows:
        return None
    fig = new_figure((4.6, 4.2))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1)
    mean = np.array([r.mean_score for r in rows])
    obs = np.array([r.observed for r in rows])
    lo = np.array([r.ci[0] for r in rows])
    hi = np.array([r.ci[1] for r in rows])
    ax.errorbar(mean, obs, yerr=_arms(obs, lo, hi), fmt="o", capsize=3)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean served score")
    ax.set_ylabel("share decided met")
    ax.set_title("Calibration against recorded decisions", fontsize=9)
    return fig


def _charts(result: MonitorResult) -> dict[str, dict[str, str]]:
    """The charts that have something to draw, by the section they belong to."""
    charts = {}
    for key, figure, alt in (
        (
            "scores",
            _score_figure(result),
            "Bar chart of the share of contacts in each training-time score decile, at "
            "training time and in this period.",
        ),
        (
            "psi",
            _psi_figure(result),
            "Bar chart of each week's score PSI against training time, with the threshold dashed.",
        ),
        (
            "overrides",
            _override_figure(result),
            "Each week's override rate with its Wilson interval, and the training-time rate "
            "dashed.",
        ),
        (
            "calibration",
            _reliability_figure(result),
            "The share of decided contacts that met the threshold in each score bin, with "
            "Wilson intervals, against the bin's mean served score; the diagonal is perfect "
            "calibration.",
        ),
    ):
        if figure is not None:
            charts[key] = {"src": data_uri(png_bytes(figure)), "alt": alt}
    return charts


def render_monitor_html(result: MonitorResult) -> str:
    """The report as one self-contained page: summary and flags first, then scores,
    indicators, sources, overrides and calibration, each as a table and a chart."""
    return render(
        MONITOR_TEMPLATE,
        r=result,
        charts=_charts(result),
        override_definition=OVERRIDE_DEFINITION,
    )


def write_monitor_report(result: MonitorResult, out_dir: Path) -> dict[str, Path]:
    """Write ``monitor.json`` (``result.to_dict()``: a top-level ``flags`` list) and
    ``monitor.html`` into ``out_dir`` (created if needed); returns their paths under
    ``json`` and ``html``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "monitor.json", "html": out_dir / "monitor.html"}
    write_json(paths["json"], result.to_dict())
    paths["html"].write_text(render_monitor_html(result), encoding="utf-8")
    return paths


def monitor_terminal_lines(result: MonitorResult) -> list[str]:
    """The summary and every flag, as lines for the ``screener monitor`` output."""
    lines = list(result.summary)
    period = result.score_period
    if period is not None:
        lines.append(f"  score PSI over the period {num(period.psi)}")
    rate = result.overrides["period"]
    lines.append(
        f"  override rate {pct(rate.rate, 1)} (training time {pct(rate.reference, 1)}); "
        f"no source {pct(result.no_source['period'].rate, 1)}"
    )
    lines += [f"  FLAG {f.kind}: {f.message}" for f in result.flags]
    lines += [f"  note: {n}" for n in result.notes]
    return lines
