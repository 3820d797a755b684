import numpy as np
from sklearn.metrics import roc_auc_score

from training.audit.external import (
    external_metrics,
    external_result,
    handwritten_dir,
    read_external,
)


def test_external_figures_match_direct_computation_on_subsets():
    rng = np.random.default_rng(0)
    levels = rng.integers(1, 5, 300)
    scores = np.clip(levels / 5 + rng.normal(0, 0.2, 300), 0, 1)
    priorities = np.ceil(scores * 10).clip(1, 10)
    r = external_result(levels, scores, priorities=priorities, threshold=0.5, n_boot=20)
    assert np.isclose(r.roc_auc, roc_auc_score(levels >= 3, scores))
    keep = levels != 3
    assert np.isclose(r.auc_4_vs_12, roc_auc_score(levels[keep] == 4, scores[keep]))
    line = np.isin(levels, (2, 3))
    assert np.isclose(r.auc_3_vs_2, roc_auc_score(levels[line] == 3, scores[line]))
    assert np.isclose(r.mean_priority[4], priorities[levels == 4].mean())
    assert np.isclose(r.recall_at_threshold[4], (scores[levels == 4] >= 0.5).mean())
    assert np.isclose(r.flagged_share_12, (scores[levels <= 2] >= 0.5).mean())
    assert np.isclose(r.mean_score[2], scores[levels == 2].mean())
    lo, hi = r.roc_auc_ci
    assert lo <= r.roc_auc <= hi
    flat = external_metrics({"test": r})
    assert flat["external_test_roc_auc"] == r.roc_auc and "external_test_recall_l4" in flat


def test_the_hand_written_sets_read_as_contacts_with_outcomes_from_their_levels():
    frame = read_external(handwritten_dir() / "dev.jsonl")
    assert len(frame) == 200 and frame["contact_id"].is_unique
    met = frame["outcome"].isin(["referral", "child_protection"])
    assert (met == (frame["level"] >= 3)).all()


def test_a_layout_gets_its_own_auc_only_with_enough_of_each_class():
    levels = np.array([1, 2, 3, 4] * 10 + [1, 3])
    scores = levels / 5.0
    layouts = np.array(["form"] * 40 + ["email"] * 2)
    r = external_result(levels, scores, priorities=None, threshold=0.5, layouts=layouts, n_boot=0)
    assert r.auc_by_layout == {"form": 1.0}
    assert np.isnan(r.mean_priority[1])
