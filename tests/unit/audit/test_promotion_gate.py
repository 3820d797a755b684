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


def _independent(
    must_never_miss: float, lo: float, auc: float, suite: str = "s1"
) -> dict[str, str]:
    return {
        f"behaviour/{suite}/reporting/must_never_miss": str(must_never_miss),
        f"behaviour/{suite}/reporting/failure_rate": "0.2",
        "handwritten/test/h1/roc_auc": str(auc),
        "handwritten/test/h1/roc_auc_lo": str(lo),
        "handwritten/test/h1/roc_auc_hi": str(auc + 0.03),
    }


def _pair(cand_extra: dict[str, str], champ_extra: dict[str, str]) -> dict[str, bool]:
    base = {"eval/d1/roc_auc": "0.80", "eval/d1/ece": "0.02", "fairness/d1/flags": "[]"}
    cand = {"version": "2", "tags": {**base, **cand_extra}}
    champ = {"version": "1", "tags": {**base, **champ_extra}}
    return {c.name: c.passed for c in promotion_gate(cand, champ).checks}


def test_more_must_never_miss_failures_than_the_champion_are_refused():
    checks = _pair(_independent(0.10, 0.85, 0.90), _independent(0.05, 0.86, 0.90))
    assert checks["must-never-miss not worse"] is False
    assert _pair(_independent(0.05, 0.85, 0.90), _independent(0.05, 0.86, 0.90))[
        "must-never-miss not worse"
    ]


def test_must_never_miss_is_compared_only_on_the_same_suite():
    checks = _pair(_independent(0.30, 0.85, 0.90, suite="s2"), _independent(0.05, 0.86, 0.90))
    assert checks["must-never-miss"] is True


def test_a_candidate_without_behavioural_figures_is_refused_when_the_champion_has_them():
    assert _pair({}, _independent(0.05, 0.86, 0.90))["must-never-miss"] is False
    assert _pair({}, {})["must-never-miss"] is True


def test_a_hand_written_auc_below_the_champions_interval_is_refused():
    assert (
        _pair(_independent(0.0, 0.80, 0.84), _independent(0.0, 0.85, 0.88))["hand-written test set"]
        is False
    )
    assert _pair(_independent(0.0, 0.80, 0.86), _independent(0.0, 0.85, 0.88))[
        "hand-written test set"
    ]
