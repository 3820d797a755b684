import json

from training.audit.gate import GatePolicy, promotion_gate


def version(v, *, evals=None, flags=None):
    tags = {}
    for digest, figures in (evals or {}).items():
        for key, value in figures.items():
            tags[f"eval/{digest}/{key}"] = str(value)
    for digest, fl in (flags or {}).items():
        tags[f"fairness/{digest}/flags"] = json.dumps(fl)
    return {"version": str(v), "tags": tags, "metrics": {}}


def test_first_version_passes_on_its_own_calibration_and_fairness():
    cand = version(1, evals={"abc": {"roc_auc": 0.8, "ece": 0.01}}, flags={"abc": []})
    decision = promotion_gate(cand, None)
    assert decision.passed, decision.render()


def test_version_without_any_evaluation_is_refused():
    decision = promotion_gate(version(1), None)
    assert not decision.passed
    assert "no recorded evaluation" in decision.render()


def test_candidate_never_evaluated_on_the_champions_data_is_refused():
    champ = version(1, evals={"aaa": {"roc_auc": 0.8, "ece": 0.01}}, flags={"aaa": []})
    cand = version(2, evals={"bbb": {"roc_auc": 0.9, "ece": 0.01}}, flags={"bbb": []})
    decision = promotion_gate(cand, champ)
    assert not decision.passed
    assert [c.name for c in decision.failures] == ["same evaluation data"]


def test_worse_auc_beyond_tolerance_is_refused_and_within_tolerance_passes():
    champ = version(1, evals={"d": {"roc_auc": 0.80, "ece": 0.01}}, flags={"d": []})
    worse = version(2, evals={"d": {"roc_auc": 0.78, "ece": 0.01}}, flags={"d": []})
    close = version(3, evals={"d": {"roc_auc": 0.795, "ece": 0.01}}, flags={"d": []})
    assert [c.name for c in promotion_gate(worse, champ).failures] == ["AUC not worse"]
    assert promotion_gate(close, champ).passed


def test_poor_calibration_is_refused():
    cand = version(1, evals={"d": {"roc_auc": 0.8, "ece": 0.09}}, flags={"d": []})
    assert [c.name for c in promotion_gate(cand, None).failures] == ["calibration"]


def test_new_fairness_flag_is_refused_but_one_the_champion_shared_is_not():
    champ = version(
        1,
        evals={"d": {"roc_auc": 0.8, "ece": 0.01}},
        flags={"d": ["disparity:ethnicity:black:fpr"]},
    )
    same = version(
        2,
        evals={"d": {"roc_auc": 0.8, "ece": 0.01}},
        flags={"d": ["disparity:ethnicity:black:fpr"]},
    )
    new = version(
        3,
        evals={"d": {"roc_auc": 0.8, "ece": 0.01}},
        flags={"d": ["counterfactual:ethnicity_names"]},
    )
    assert promotion_gate(same, champ).passed
    failures = promotion_gate(new, champ).failures
    assert [c.name for c in failures] == ["no new fairness flags"]
    assert "counterfactual:ethnicity_names" in failures[0].detail


def test_missing_fairness_report_is_refused_unless_the_policy_waives_it():
    cand = version(1, evals={"d": {"roc_auc": 0.8, "ece": 0.01}})
    assert not promotion_gate(cand, None).passed
    assert promotion_gate(cand, None, policy=GatePolicy(require_fairness=False)).passed


def test_the_gate_judges_on_the_evaluation_that_has_a_fairness_report():
    cand = version(
        1,
        evals={"aaa": {"roc_auc": 0.8, "ece": 0.01}, "zzz": {"roc_auc": 0.8, "ece": 0.01}},
        flags={"zzz": []},
    )
    decision = promotion_gate(cand, None)
    assert decision.passed and decision.evaluation_digest == "zzz"
