import numpy as np
import pytest

from training.audit.monitoring import decided_met, overrides

CASES = [
    # band, decision, eligible, override
    ("high", "nfa", True, True),
    ("high", "advice", True, True),
    ("high", "early_help", True, True),
    ("high", "referral", True, False),
    ("high", "child_protection", True, False),
    ("low", "referral", True, True),
    ("low", "child_protection", True, True),
    ("low", "nfa", True, False),
    ("low", "early_help", True, False),
    ("medium", "nfa", False, False),
    ("medium", "referral", False, False),
    ("high", None, False, False),
    ("low", None, False, False),
]


@pytest.mark.parametrize(("band", "decision", "eligible", "override"), CASES)
def test_an_override_is_a_decision_against_the_band_and_medium_never_is(
    band: str, decision: str | None, eligible: bool, override: bool
) -> None:
    met = decided_met([decision])
    is_eligible, is_override = overrides([band], met, decided=[decision is not None])
    assert (bool(is_eligible[0]), bool(is_override[0])) == (eligible, override)


def test_the_rate_is_overrides_over_decided_high_and_low_contacts() -> None:
    bands = [c[0] for c in CASES]
    decisions = [c[1] for c in CASES]
    eligible, overridden = overrides(
        bands, decided_met(decisions), decided=[d is not None for d in decisions]
    )
    assert int(eligible.sum()) == 9 and int(overridden.sum()) == 5
    assert np.array_equal(overridden, [c[3] for c in CASES])


def test_bands_and_decisions_must_line_up() -> None:
    with pytest.raises(ValueError, match="same length"):
        overrides(["high", "low"], [True])
