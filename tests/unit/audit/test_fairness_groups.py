from __future__ import annotations

import pandas as pd

from training.audit.fairness import audit_groups


def test_audit_groups_bands_and_missing_values() -> None:
    frame = pd.DataFrame(
        {
            "child_age_years": [0, 4, 5, 15, 17, None],
            "area_deprivation_decile": [1, 2, 3, 9, 10, None],
            "needs_interpreter": [True, False, "yes", "no", None, True],
            "child_ethnicity": ["white", "black", None, "unknown", "asian", "mixed"],
        }
    )
    groups = audit_groups(frame)
    assert groups["age_band"].tolist() == ["under 1", "1-4", "5-9", "10-15", "16-17", "(missing)"]
    assert groups["deprivation_band"].tolist() == ["1-2", "1-2", "3-4", "9-10", "9-10", "(missing)"]
    assert groups["interpreter"].tolist() == ["yes", "no", "yes", "no", "(missing)", "yes"]
    assert groups["ethnicity"].tolist() == [
        "white",
        "black",
        "(missing)",
        "unknown",
        "asian",
        "mixed",
    ]
    assert set(groups["sex"]) == {"(missing)"}  # column absent from the export
