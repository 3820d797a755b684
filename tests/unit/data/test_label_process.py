from __future__ import annotations

import pytest

from training.data.generate import BiasSpec, parse_bias
from training.data.generate.labels import Mention, Plan, severity


def test_severity_follows_the_guidance() -> None:
    def sev(*mentions: tuple[str, str], age: int = 8, protective: int = 0) -> float:
        plan = Plan(source="school", age=age, protective=protective)
        plan.mentions = [Mention(label, mode) for label, mode in mentions]  # type: ignore[arg-type]
        return severity(plan)

    level4 = sev(("disclosure_physical_abuse", "first"))
    level3 = sev(("parental_substance_misuse", "first"))
    level2 = sev(("school_absence", "first"))
    level1 = sev(("minor_worry_resolved", "first"))
    assert level4 > level3 > level2 > level1
    assert sev(("disclosure_physical_abuse", "negated")) == 0
    assert sev(("disclosure_physical_abuse", "historical")) < level2
    assert sev(("disclosure_physical_abuse", "third")) < level4
    assert sev(("disclosure_physical_abuse", "first"), protective=2) < level4
    da = ("domestic_abuse_child_present", "first")
    assert sev(da, age=0) > sev(da, age=8)
    trio = sev(da, ("parental_substance_misuse", "first"), ("parental_mental_health", "first"))
    assert trio > sev(da, ("school_absence", "first"), ("poor_housing", "first"))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("child_ethnicity=black:1.0", BiasSpec("child_ethnicity", "black", 1.0)),
        ("needs_interpreter=TRUE:-0.5", BiasSpec("needs_interpreter", True, -0.5)),
        ("area_deprivation_decile=1:0.7", BiasSpec("area_deprivation_decile", 1, 0.7)),
        ("child_age_years=0:2", BiasSpec("child_age_years", 0, 2.0)),
    ],
)
def test_parse_bias_reads_valid_specs(spec: str, expected: BiasSpec) -> None:
    assert parse_bias(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("child_ethnicity:1.0", "ATTRIBUTE=VALUE:LOGIT"),
        ("postcode=NN1:1.0", "unknown attribute"),
        ("child_ethnicity=purple:1.0", "no value 'purple'"),
        ("child_ethnicity=black:high", "must be a number"),
        ("child_age_years=19:1.0", "between 0 and 17"),
        ("child_age_years=baby:1.0", "takes an integer"),
        ("needs_interpreter=maybe:1.0", "true or false"),
        ("child_sex=female:inf", "finite"),
    ],
)
def test_parse_bias_rejects_bad_specs_clearly(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_bias(spec)


def test_the_label_process_reads_only_what_the_text_says() -> None:
    """A one-line contact states one or two concerns, the weightiest first: the ones it leaves out must not
    raise its severity (they once did, an oracle no model could reach from the text)."""
    import random
    from datetime import date

    from training.data.generate.lexicon import load_lexicon
    from training.data.generate.people import make_family
    from training.data.generate.text import write_contact

    labels = ("disclosure_sexual_abuse", "fgm_risk", "severe_neglect", "parental_mental_health")
    plan = Plan(
        source="school", age=9, mentions=[Mention(lab, "first") for lab in labels], protective=1
    )
    voice = next(v for v in load_lexicon().voices if v.source == "school")
    for seed in range(20):
        r = random.Random(seed)
        family = make_family(r, ethnicity="white", sex="female", age=9, received=date(2024, 5, 1))
        args = {"voice": voice, "family": family, "sex": "female", "received": date(2024, 5, 1)}
        line = write_contact(r, plan, length="line", **args)
        kept = line.plan.mentions
        assert 1 <= len(kept) <= 2 and set(kept) <= set(plan.mentions) and line.plan.protective == 0
        assert severity(line.plan) < severity(plan)
        medium = write_contact(random.Random(seed), plan, length="medium", **args)
        assert medium.plan == plan
