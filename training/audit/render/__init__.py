"""Rendering of audit results: the evaluation report, the fairness report and the model
card as JSON, PNG charts, HTML and Markdown, and the terminal's summary lines.

Computes nothing: the computing modules (:mod:`training.audit.evaluate`,
:mod:`training.audit.fairness`, :mod:`training.audit.model_card`) return data, and this
package writes it out, through one Jinja environment (:mod:`.templating`, over the
templates beside it) and one set of number formatters (:mod:`.formats`). Results hold no
concern text, so neither does anything written here.
"""

from training.audit.render.evaluation import (
    render_evaluation_html,
    summary_sentences,
    terminal_summary,
    write_evaluation_report,
)
from training.audit.render.fairness import render_fairness_html, write_fairness_report
from training.audit.render.model_card import render_model_card

__all__ = [
    "render_evaluation_html",
    "render_fairness_html",
    "render_model_card",
    "summary_sentences",
    "terminal_summary",
    "write_evaluation_report",
    "write_fairness_report",
]
