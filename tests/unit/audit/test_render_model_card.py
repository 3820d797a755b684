from __future__ import annotations

import re

import pytest

from training.audit.model_card import (
    ATRS_TIER1_FIELDS,
    ATRS_TIER2_FIELDS,
    TO_BE_COMPLETED,
    ModelCardInputs,
)
from training.audit.render import render_model_card


def _inputs(**overrides) -> ModelCardInputs:
    base = dict(
        name="concern-screener",
        version="4",
        run_id="abc123",
        created_at="2026-01-05T10:00:00Z",
        candidate="tfidf_logreg",
        training_data={
            "rows": 20000,
            "date_from": "2024-01-01",
            "date_to": "2024-12-31",
            "met_rate": 0.19,
            "source_shares": {"police": 0.29, "school": 0.2},
            "synthetic": True,
        },
        metrics={
            "roc_auc": 0.84,
            "roc_auc_lo": 0.82,
            "roc_auc_hi": 0.86,
            "ece": 0.021,
            "brier": 0.11,
            "oracle_auc": 0.88,
            "auc_ratio_to_oracle": 0.955,
        },
        operating_point={"threshold": 0.18, "recall": 0.9, "workload": 0.42, "precision": 0.4},
        fairness={
            "summary": ["No group was treated differently enough to be flagged."],
            "flags": [
                {
                    "kind": "disparity",
                    "attribute": "ethnicity",
                    "group": "black",
                    "metric": "fpr",
                    "value": 0.31,
                }
            ],
        },
    )
    base.update(overrides)
    return ModelCardInputs(**base)


def test_card_has_every_section_and_atrs_field_in_both_formats() -> None:
    markdown, html = render_model_card(_inputs())
    for heading in [
        "Intended use and users",
        "Out of scope",
        "Training data and its limits",
        "Evaluation",
        "Fairness results",
        "Caveats",
        "Human oversight",
    ]:
        assert f"## {heading}" in markdown
        assert f"<h2>{heading}</h2>" in html
    for field in ATRS_TIER1_FIELDS + ATRS_TIER2_FIELDS:
        assert f"#### {field}" in markdown
        assert f"<h4>{field}</h4>" in html


def test_card_states_figures_limits_and_what_the_council_must_complete() -> None:
    markdown, html = render_model_card(_inputs())
    assert "0.840 (95% interval 0.820 to 0.860)" in markdown
    assert "42%" in markdown and "90%" in markdown
    assert "synthetic" in markdown.lower()
    assert "Automated decisions" in markdown
    assert "What Works for Children's Social Care" in markdown
    assert TO_BE_COMPLETED in markdown
    assert "| disparity | ethnicity | black | fpr | 0.310 |" in markdown
    assert "What Works for Children&#39;s Social Care" in html


@pytest.mark.parametrize("fairness", [None, {"summary": [], "flags": []}])
def test_card_has_no_nan_or_none_when_figures_are_missing(fairness) -> None:
    markdown, html = render_model_card(
        _inputs(metrics={"roc_auc": float("nan")}, operating_point={}, fairness=fairness)
    )
    for text in (markdown, html):
        assert not re.search(r"\bnan\b|\bNone\b", text, flags=re.IGNORECASE)
    assert "not available" in markdown
    if fairness is None:
        assert "No fairness audit" in markdown


def test_html_escapes_inputs() -> None:
    _, html = render_model_card(_inputs(candidate="<script>x</script>"))
    assert "<script>" not in html


def test_the_card_reports_the_hand_written_evaluation_when_present():
    metrics = dict(_inputs().metrics)
    markdown, _ = render_model_card(_inputs())
    assert "written independently" not in markdown
    metrics.update(
        {
            "external_test_roc_auc": 0.9,
            "external_test_auc_4_vs_12": 0.88,
            "external_test_recall_l4": 0.95,
            "external_test_recall_l3": 0.97,
            "external_test_flagged_l12": 0.6,
        }
    )
    markdown, _ = render_model_card(_inputs(metrics=metrics))
    assert "written independently" in markdown
    assert "0.900" in markdown and "95%" in markdown and "60%" in markdown


def test_an_ordinal_model_says_it_learned_from_the_lower_outcomes_too():
    ordinal, _ = render_model_card(_inputs(candidate="logreg_ordinal"))
    plain, _ = render_model_card(_inputs(candidate="logreg_words_chars"))
    assert "outcomes below the threshold" in ordinal
    assert "outcomes below the threshold" not in plain


def test_card_says_what_training_on_redacted_text_costs_from_the_measured_figures(tmp_path) -> None:
    from training.audit.model_card import redaction_cost

    figures = tmp_path / "cost.json"
    figures.write_text(
        '{"rows": 20000, "holdout_rows": 5000, "command": "python bench/bench_redaction_cost.py --write",'
        ' "raw": {"dev_auc": 0.912, "behaviour_dev_failure_rate": 0.25, "behaviour_dev_must_never_miss": 0.3, "holdout_auc": 0.801},'
        ' "redacted": {"dev_auc": 0.905, "behaviour_dev_failure_rate": 0.27, "behaviour_dev_must_never_miss": 0.31, "holdout_auc": 0.799}}'
    )
    markdown, html = render_model_card(_inputs(redaction_cost=redaction_cost(figures)))
    for card in (markdown, html):
        assert "AUDIT_STORE_REDACTED_TEXT" in card
        assert "20,000 generated contacts" in card
        assert "0.905 against 0.912" in card and "0.799 against 0.801" in card
        assert "27% against 25%" in card
    plain, _ = render_model_card(_inputs())
    assert "AUDIT_STORE_REDACTED_TEXT" not in plain
    assert redaction_cost(tmp_path / "missing.json") is None
