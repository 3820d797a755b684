from __future__ import annotations

import json

from tests.utils.audit import population
from training.audit.fairness import fairness_report
from training.audit.render import write_fairness_report

THRESHOLD = 0.25


def test_suppressed_groups_are_shown_as_suppressed(tmp_path) -> None:
    y, s, audit = population(2, n=3000, bias=3.0)
    audit = audit.copy()
    audit.loc[audit.index[:7], "ethnicity"] = "tiny"
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=50)
    html = write_fairness_report(result, tmp_path, model_name="m", model_version="1")["html"]
    assert "suppressed" in html.read_text(encoding="utf-8")


def test_json_has_top_level_flags_naming_attribute_group_metric_value(tmp_path) -> None:
    y, s, audit = population(5, n=8000, bias=1.5)
    result = fairness_report(y, s, audit=audit, threshold=THRESHOLD, n_boot=50)
    paths = write_fairness_report(
        result, tmp_path, model_name="concern-screener", model_version="3"
    )
    payload = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert payload["flags"], "the biased setup must produce flags"
    for flag in payload["flags"]:
        assert {"attribute", "group", "metric", "value", "kind", "message"} <= set(flag)
        assert isinstance(flag["value"], float)
    assert payload["report"]["model_version"] == "3"
    assert "Chouldechova" in payload["tradeoff"]["statement"]
    assert "ethnicity x sex" in payload["groups"]
    html = paths["html"].read_text(encoding="utf-8")
    assert html.index("Summary") < html.index("Per-group metrics")
    assert "data:image/png;base64," in html
