import pytest
from pydantic import ValidationError

from training.config import TrainConfig, load_config


def test_packaged_default_loads_and_flattens_to_string_params():
    config = load_config()
    params = config.flat_params()
    assert params["operating_point.target_recall"] == "0.9"
    assert all(isinstance(v, str) and len(v) <= 500 for v in params.values())


def test_overrides_apply_dotted_keys_and_reject_unknown_ones():
    config = TrainConfig().with_overrides({"candidates.names": ["logreg_words_chars"]})
    assert config.candidates.names == ("logreg_words_chars",)
    with pytest.raises(ValueError, match="unknown configuration key"):
        TrainConfig().with_overrides({"candidates.nope": 1})


def test_bad_values_are_rejected_with_a_reason(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[split]\ntrain_fraction = 0.9\nvalidation_fraction = 0.2\ntest_fraction = 0.1\n"
    )
    with pytest.raises(ValidationError, match="sum to 1"):
        load_config(bad)
    with pytest.raises(ValidationError):
        TrainConfig().with_overrides({"candidates.names": ["not_a_model"]})
    with pytest.raises(ValidationError, match="band_cuts"):
        TrainConfig().with_overrides({"operating_point.band_cuts": [0.6, 0.2]})


@pytest.mark.parametrize("cuts", [[1, 2], [3, 5], [3, 3], []])
def test_ordinal_cuts_must_be_steps_of_the_scale_including_met(cuts):
    with pytest.raises(ValidationError, match="cuts"):
        TrainConfig().with_overrides({"candidates.logreg_ordinal.cuts": cuts})


def test_ordinal_cuts_are_sorted():
    config = TrainConfig().with_overrides({"candidates.logreg_ordinal.cuts": [3, 1]})
    assert config.candidates.logreg_ordinal.cuts == (1, 3)


def test_ordinal_cut_weights_reach_the_candidate_one_per_cut():
    from training.model.candidates import build_candidate

    assert TrainConfig().candidates.logreg_ordinal.cut_weights is None
    key = "candidates.logreg_ordinal.cut_weights"
    config = TrainConfig().with_overrides({key: [0.3, 0.3, 1, 1]})
    candidate = build_candidate("logreg_ordinal", config, blocks={})
    assert candidate.cut_weights == (0.3, 0.3, 1.0, 1.0) and candidate.cuts == (1, 2, 3, 4)


@pytest.mark.parametrize(
    ("cuts", "weights", "reason"),
    [
        ([1, 2, 3, 4], [0.3, 1, 1], "one weight per cut"),
        ([3, 4], [0.3, 0.3, 1, 1], "one weight per cut"),
        ([1, 2, 3, 4], [0.3, 0.3, 0, 1], "met cut 3"),
        ([1, 2, 3, 4], [-0.1, 0.3, 1, 1], "0 or above"),
    ],
)
def test_ordinal_cut_weights_of_the_wrong_length_or_sign_are_refused(cuts, weights, reason):
    overrides = {
        "candidates.logreg_ordinal.cuts": cuts,
        "candidates.logreg_ordinal.cut_weights": weights,
    }
    with pytest.raises(ValidationError, match=reason):
        TrainConfig().with_overrides(overrides)


def test_the_plain_words_member_weighs_in_below_one():
    assert TrainConfig().plain_words.weight == pytest.approx(0.4)
    assert TrainConfig().with_overrides({"plain_words.weight": 0}).plain_words.weight == 0
    for bad in (1.0, -0.1):
        with pytest.raises(ValidationError, match="plain_words.weight"):
            TrainConfig().with_overrides({"plain_words.weight": bad})
