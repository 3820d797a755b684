from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import precision_score, recall_score, roc_auc_score

from tests.utils.audit import population
from training.audit.fairness import AttributeTable, fairness_report
from training.audit.metrics import expected_calibration_error

THRESHOLD = 0.25


def _row(table: AttributeTable, group: str):
    return next(r for r in table.rows if r.group == group)


def test_group_metrics_equal_direct_computation_on_subsets() -> None:
    y, s, audit = population(1, n=4000)
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=50)
    table = result.groups["ethnicity"]
    for group in ["white", "asian", "black"]:
        mask = (audit["ethnicity"] == group).to_numpy()
        yg, sg = y[mask], s[mask]
        pred = (sg >= THRESHOLD).astype(int)
        row = _row(table, group)
        assert row.n == mask.sum()
        assert row.metrics["base_rate"] == pytest.approx(yg.mean())
        assert row.metrics["selection_rate"] == pytest.approx(pred.mean())
        assert row.metrics["tpr"] == pytest.approx(recall_score(yg, pred))
        assert row.metrics["fnr"] == pytest.approx(1 - recall_score(yg, pred))
        assert row.metrics["fpr"] == pytest.approx(pred[yg == 0].mean())
        assert row.metrics["ppv"] == pytest.approx(precision_score(yg, pred))
        assert row.metrics["auc"] == pytest.approx(roc_auc_score(yg, sg))
        bins = max(1, min(10, mask.sum() // 10))
        assert row.metrics["ece"] == pytest.approx(expected_calibration_error(yg, sg, n_bins=bins))
        lo, hi = row.ci["selection_rate"]
        assert lo <= row.metrics["selection_rate"] <= hi
    white = _row(table, "white")
    black = _row(table, "black")
    assert black.ratios["fpr"] == pytest.approx(black.metrics["fpr"] / white.metrics["fpr"])
    assert table.reference_group == "white"


def test_small_groups_are_suppressed_and_never_flagged() -> None:
    y, s, audit = population(2, n=3000, bias=3.0)
    audit = audit.copy()
    audit.loc[audit.index[:7], "ethnicity"] = "tiny"
    s = s.copy()
    s[:7] = 0.99  # a wildly different score in the tiny group
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=50)
    table = result.groups["ethnicity"]
    tiny = _row(table, "tiny")
    assert tiny.suppressed and tiny.n == 7 and tiny.metrics == {}
    assert "tiny" in table.suppressed
    assert not any(f.group == "tiny" for f in result.flags)


def test_biased_scores_flag_the_injected_group() -> None:
    y, s, audit = population(3, bias=1.0)
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=100)
    flagged = {
        (f.metric) for f in result.flags if f.attribute == "ethnicity" and f.group == "black"
    }
    assert {"selection_rate", "fpr"} <= flagged
    flag = next(f for f in result.flags if f.group == "black" and f.metric == "fpr")
    assert flag.reference_group == "white" and flag.ratio > 1.25 and flag.ci[0] > 1.0
    others = {f.group for f in result.flags if f.attribute == "ethnicity"}
    assert others == {"black"}
    assert any("black" in sentence for sentence in result.summary)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_unbiased_scores_raise_no_disparity_flag(seed: int) -> None:
    y, s, audit = population(100 + seed)
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=100, seed=seed)
    assert result.n_tests > 100  # many cells tested, yet no false alarm
    assert [f for f in result.flags if f.kind == "disparity"] == []


def test_unknown_group_is_shown_but_not_flagged() -> None:
    y, s, audit = population(4, n=6000)
    s = s.copy()
    unknown = (audit["ethnicity"] == "unknown").to_numpy()
    s[unknown] = np.clip(s[unknown] + 0.4, 0, 1)
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=50)
    row = _row(result.groups["ethnicity"], "unknown")
    assert not row.suppressed and row.ratios["selection_rate"] > 1.25
    assert not any(f.group == "unknown" for f in result.flags)


def test_reference_group_can_be_configured() -> None:
    y, s, audit = population(6, n=5000)
    result = fairness_report(
        y, s, audit=audit, threshold=THRESHOLD, n_boot=30, reference={"sex": "female"}
    )
    assert result.groups["sex"].reference_group == "female"
    assert _row(result.groups["sex"], "male").ratios["tpr"] is not None


def test_bad_inputs_raise_clear_errors() -> None:
    y, s, audit = population(7, n=100)
    with pytest.raises(ValueError, match="rows"):
        fairness_report(y, s, audit=audit.iloc[:50], threshold=THRESHOLD)
    with pytest.raises(ValueError, match="probabilities"):
        fairness_report(y, s * 3, audit=audit, threshold=THRESHOLD)
