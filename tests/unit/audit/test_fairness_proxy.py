from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse

from training.audit.fairness import audit_groups, proxy_check


def test_proxy_check_finds_a_planted_proxy_feature() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    frame = pd.DataFrame(
        {
            "child_ethnicity": rng.choice(["white", "asian", "black"], size=n),
            "child_sex": rng.choice(["female", "male"], size=n),
        }
    )
    audit = audit_groups(frame)
    noise = rng.random((n, 20)) < 0.1
    planted = (audit["ethnicity"] == "black").to_numpy() & (rng.random(n) < 0.8)
    X = sparse.csr_matrix(np.column_stack([noise, planted]).astype(float))
    names = [f"word_{i}" for i in range(20)] + ["name_cue"]
    result = proxy_check(X, audit, feature_names=names, seed=0)
    by_attr = {a.attribute: a for a in result.attributes}
    assert by_attr["ethnicity"].flagged
    assert by_attr["ethnicity"].top_features[0]["feature"] == "name_cue"
    assert by_attr["ethnicity"].top_features[0]["towards"] == "black"
    assert not by_attr["sex"].flagged
    assert math.isclose(by_attr["sex"].baseline_balanced_accuracy, 0.5)
    flags = result.flags()
    assert [(f.attribute, f.kind) for f in flags] == [("ethnicity", "proxy")]
    assert "name_cue" in flags[0].message
