from __future__ import annotations

import math

import pytest

from training.audit.render.formats import DASH, NOT_AVAILABLE, estimate, interval, num, pct
from training.audit.render.templating import environment


def test_numbers_have_fixed_decimals() -> None:
    assert num(0.84213) == "0.842"
    assert num(0.84213, 1) == "0.8"
    assert num(3) == "3.000"
    assert pct(0.4236) == "42%"
    assert pct(0.4236, 1) == "42.4%"


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, "x"])
def test_missing_numbers_say_so(missing: object) -> None:
    assert num(missing) == NOT_AVAILABLE
    assert pct(missing) == NOT_AVAILABLE
    assert num(missing, missing=DASH) == DASH


def test_intervals_and_estimates() -> None:
    assert interval((0.1, 0.25)) == "0.100\u20130.250"
    assert interval([0.1, None], 2) == f"0.10\u2013{DASH}"
    assert interval(None) == "" and interval([]) == ""
    assert estimate(0.8, (0.78, 0.82)) == "0.800 [0.780, 0.820]"
    assert estimate(0.8, None) == "0.800"


def test_templates_show_missing_numbers_as_they_say() -> None:
    env = environment()
    assert (
        env.from_string("{{ x|num }} {{ x|pct }}").render(x=None) == "not available not available"
    )
    dash = env.from_string('{% set missing = "-" %}{{ x|num }} {{ c|ci }}')
    assert dash.render(x=None, c=(None, 0.5)) == "- -\u20130.500"


def test_html_templates_escape_and_markdown_does_not() -> None:
    env = environment()
    assert callable(env.autoescape)
    assert env.autoescape("fairness.html.j2") and env.autoescape("evaluation.html.j2")
    assert not env.autoescape("model_card.md.j2")
