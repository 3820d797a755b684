from __future__ import annotations

import numpy as np
import pytest

from training.audit.counterfactual import (
    NAMES,
    counterfactual_tests,
    counterfactual_variants,
)

TEXTS = [
    "School report that Jack came in with a bruise on his arm and said his dad hit him.",
    "Neighbour heard shouting late at night; she says the girl was crying.",
    "Police attended a domestic incident. Aisha was present and her mother was injured.",
    "Health visitor concerned about missed appointments for the baby.",
    "Anonymous caller says the children are left alone at home after school.",
] * 20

BLACK_NAMES = set(NAMES["black_african_caribbean"][0] + NAMES["black_african_caribbean"][1])


def _base(texts: list[str]) -> np.ndarray:
    # A deterministic score from content words only: ignores names, sex, religion...
    return np.array([0.2 + 0.3 * ("bruise" in t) + 0.2 * ("domestic" in t) for t in texts])


def _name_biased(texts: list[str]) -> np.ndarray:
    return _base(texts) + np.array([0.2 * any(n in t for n in BLACK_NAMES) for t in texts])


def _mosque_biased(texts: list[str]) -> np.ndarray:
    return _base(texts) + np.array([0.15 * ("mosque" in t) for t in texts])


def test_variants_change_only_the_cue() -> None:
    originals, variants, groups = counterfactual_variants(TEXTS[:5], attribute="ethnicity_names")
    assert groups == list(NAMES)
    assert originals[0] == TEXTS[0]
    assert all(len(row) == len(groups) for row in variants)
    swapped = variants[0][groups.index("south_asian")]
    assert "Jack" not in swapped and swapped.endswith("said his dad hit him.")
    assert any(name in swapped for name in NAMES["south_asian"][1])  # a boy's name for a boy
    # no recognised name: a named sentence is inserted, and a neutral one in the original
    assert originals[3].startswith("The child is the subject")
    assert variants[3][0].startswith("The child, ")


def test_sex_variants_swap_pronouns_and_sex_words_consistently() -> None:
    originals, variants, groups = counterfactual_variants(TEXTS[:3], attribute="sex")
    assert groups == ["female", "male"]
    female, male = variants[0]
    assert (
        female
        == "School report that Jack came in with a bruise on her arm and said her dad hit her."
    )
    assert male == TEXTS[0]
    assert variants[1][1] == "Neighbour heard shouting late at night; he says the boy was crying."
    assert variants[2][1].endswith("was present and his mother was injured.")


@pytest.mark.parametrize("attribute", ["interpreter", "religion", "address"])
def test_sentence_cues_append_one_sentence(attribute: str) -> None:
    originals, variants, groups = counterfactual_variants(TEXTS[:2], attribute=attribute)
    for original, row in zip(originals, variants, strict=True):
        stem = original.rsplit(".", 2)[0]
        assert all(v.startswith(stem) and v != original for v in row)
    assert len(set(variants[0])) == len(groups)


def test_a_model_that_ignores_cues_is_not_flagged() -> None:
    result = counterfactual_tests(_base, TEXTS, n=50)
    assert [a.attribute for a in result.attributes] == [
        "ethnicity_names",
        "sex",
        "interpreter",
        "religion",
        "address",
    ]
    assert not any(a.flagged for a in result.attributes)
    assert result.flags() == []
    assert all(a.max_abs_shift == pytest.approx(0.0) for a in result.attributes)


def test_a_model_given_an_ethnicity_cue_feature_is_flagged() -> None:
    result = counterfactual_tests(_name_biased, TEXTS, n=50)
    names = next(a for a in result.attributes if a.attribute == "ethnicity_names")
    assert names.flagged and names.max_abs_shift == pytest.approx(0.2)
    assert names.mean_shift_by_group["black_african_caribbean"] == pytest.approx(0.2)
    assert [a.attribute for a in result.attributes if a.flagged] == ["ethnicity_names"]
    flags = result.flags()
    assert {f.metric for f in flags} == {"mean_abs_shift", "max_abs_shift"}
    assert all(f.kind == "counterfactual" and f.group == "black_african_caribbean" for f in flags)
    # flags and results carry numbers and names, never the texts
    assert not any(t[:20] in f.message for f in flags for t in TEXTS)


def test_a_model_sensitive_to_mosque_is_flagged_on_religion() -> None:
    result = counterfactual_tests(_mosque_biased, TEXTS, n=50, attributes=["religion", "sex"])
    religion, sex = result.attributes
    assert religion.flagged and religion.mean_shift_by_group["mosque"] == pytest.approx(0.15)
    assert religion.mean_shift_by_group["church"] == pytest.approx(0.0)
    assert not sex.flagged


def test_score_fn_returning_wrong_length_is_an_error() -> None:
    with pytest.raises(ValueError, match="scores for"):
        counterfactual_tests(lambda ts: np.zeros(3), TEXTS, n=10, attributes=["religion"])
