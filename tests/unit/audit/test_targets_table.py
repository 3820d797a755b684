"""Two versions' logged figures side by side against the model's targets."""

from __future__ import annotations

from training.audit.render.targets import TARGETS, targets_table

NEW = {
    "external_blind_roc_auc": 0.989,
    "external_blind_roc_auc_lo": 0.976,
    "external_blind_roc_auc_hi": 0.997,
    "lift_blind_roc_auc": -0.008,
    "external_dev_auc_3_vs_2": 0.986,
    "external_dev_layouts_auc_3_vs_2": 0.981,
    "external_test_auc_3_vs_2": 0.984,
    "external_blind_auc_3_vs_2": 0.977,
    "behaviour_reporting_failure_rate": 0.21,
    "behaviour_reporting_must_never_miss": 0.26,
    "test_auc_ratio_to_oracle": 0.953,
    "test_ece": 0.0100,
    "test_ece_without_source": 0.0101,
    "time_analyse_seconds": 100.0,
    "time_fit_candidates_seconds": 30.0,
    "time_evaluate_seconds": 10.0,
}


def _row(table: str, figure: str) -> list[str]:
    line = next(x for x in table.splitlines() if x.startswith(f"| {figure}"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_each_target_shows_both_versions_and_whether_the_new_one_meets_it() -> None:
    old = {**NEW, "test_auc_ratio_to_oracle": 0.94, "external_blind_auc_3_vs_2": 0.89}
    table = targets_table(old, NEW, old_name="v1", new_name="v2")
    assert table.splitlines()[0] == "| figure | v1 | v2 | target | v2 |"
    blind = _row(table, "third blind set AUC")
    assert blind[2] == "0.989 [0.976, 0.997], lift -0.008" and blind[4] == "not met"
    three = _row(table, "level 3 vs level 2 AUC")
    assert "blind 0.890" in three[1] and "blind 0.977" in three[2] and three[4] == "met"
    assert _row(table, "behavioural reporting half")[2:] == [
        "21%; must-never-miss 26%",
        "<= 5%; must-never-miss 0",
        "not met",
    ]
    assert _row(table, "generated contacts")[1:3] == ["0.940", "0.953"]
    assert _row(table, "generated contacts")[4] == "met"
    assert _row(table, "ECE")[4] == "met"
    train = _row(table, "`screener train`, the run's timings summed")
    assert train[2] == "140 s" and train[4] == "met"


def test_a_target_a_run_did_not_log_is_shown_as_unknown() -> None:
    table = targets_table({}, {"test_ece": 0.05}, old_name="old", new_name="new")
    assert _row(table, "third blind set AUC")[1:3] == ["\u2014", "\u2014"]
    assert _row(table, "third blind set AUC")[4] == "?"
    assert _row(table, "ECE")[4] == "not met"
    assert len(table.splitlines()) == 2 + len(TARGETS) + 3
