import math

import numpy as np
import pytest

from training.audit.metrics import wilson_interval
from training.audit.monitoring import (
    SmallCells,
    build_reference,
    population_stability_index,
    score_bins,
    two_proportion_z,
    z_critical,
)


def test_psi_is_the_sum_of_share_differences_times_their_log_ratio() -> None:
    expected = 0.1 * math.log(0.6 / 0.5) + (-0.1) * math.log(0.4 / 0.5)
    assert population_stability_index([0.5, 0.5], [60, 40]) == pytest.approx(expected)
    assert population_stability_index([0.25] * 4, [10, 10, 10, 10]) == pytest.approx(0.0)


def test_psi_grows_with_the_shift_and_is_symmetric_in_direction() -> None:
    ref = [0.1] * 10
    small = population_stability_index(ref, [12, 11, 10, 10, 10, 10, 10, 10, 9, 8])
    large = population_stability_index(ref, [2, 3, 5, 8, 10, 12, 14, 15, 15, 16])
    assert 0 < small < 0.1 < 0.25 < large
    assert population_stability_index([0.5, 0.5], [60, 40]) == pytest.approx(
        population_stability_index([0.5, 0.5], [40, 60])
    )


def test_psi_floors_an_empty_bin_instead_of_going_infinite() -> None:
    floor = 1e-4
    expected = (1.0 - 0.5) * math.log(1.0 / 0.5) + (floor - 0.5) * math.log(floor / 0.5)
    assert population_stability_index([0.5, 0.5], [100, 0]) == pytest.approx(expected)


def test_psi_refuses_mismatched_bins_and_is_nan_without_counts() -> None:
    with pytest.raises(ValueError, match="one bin each"):
        population_stability_index([0.5, 0.5], [1, 2, 3])
    assert math.isnan(population_stability_index([0.5, 0.5], [0, 0]))


def test_the_two_proportion_z_matches_the_pooled_formula() -> None:
    pooled = (30 + 0.2 * 200) / 300
    direct = 0.1 / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 200))
    assert two_proportion_z(30, 100, 0.2, 200) == pytest.approx(direct)
    assert two_proportion_z(10, 100, 0.2, 200) < 0
    assert math.isnan(two_proportion_z(0, 0, 0.2, 200))
    assert two_proportion_z(0, 50, 0.0, 200) == 0.0


def test_the_critical_z_is_bonferroni_adjusted() -> None:
    assert z_critical(0.95, 1) == pytest.approx(1.959964, abs=1e-5)
    assert z_critical(0.95, 10) == pytest.approx(2.807034, abs=1e-5)
    assert z_critical(0.95, 50) > z_critical(0.95, 10)


def test_wilson_interval_matches_newcombes_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:857, method 3: 81/263 -> 0.2553 to 0.3662.
    lo, hi = wilson_interval(81, 263)
    assert (round(lo, 4), round(hi, 4)) == (0.2553, 0.3662)
    # At the edges it stays inside [0, 1] and keeps a width (unlike the normal interval).
    assert wilson_interval(0, 20)[0] == 0.0 and wilson_interval(0, 20)[1] > 0.1
    assert wilson_interval(20, 20)[1] == 1.0 and wilson_interval(20, 20)[0] < 0.9
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    # It holds the share itself, to the last bit, at every count.
    for n in (1, 7, 1000, 31_500):
        for hits in {0, 1, n // 3, n - 1, n}:
            lo, hi = wilson_interval(hits, n)
            assert lo <= hits / n <= hi
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_small_counts_are_withheld_and_zero_and_ten_are_published() -> None:
    cells = SmallCells(10)
    assert [cells.count(c) for c in (0, 1, 9, 10, 250)] == [0, "<10", "<10", 10, 250]


def test_a_rate_is_withheld_where_it_would_give_a_small_count_back() -> None:
    cells = SmallCells(10)
    assert cells.rate(50, 100) == 0.5
    assert cells.rate(0, 100) == 0.0
    assert cells.rate(5, 100) is None  # the count itself
    assert cells.rate(95, 100) is None  # its complement
    assert cells.rate(3, 8) is None  # the denominator
    assert cells.rate(0, 0) is None


def test_a_lone_withheld_cell_of_a_partition_takes_the_next_smallest_with_it() -> None:
    cells = SmallCells(10)
    assert cells.partition({"a": 5, "b": 20, "c": 30}) == {"a": "<10", "b": "<10", "c": 30}
    # Two withheld cells already hide each other; a zero is never needed to.
    assert cells.partition({"a": 5, "b": 3, "c": 30}) == {"a": "<10", "b": "<10", "c": 30}
    assert cells.partition({"a": 0, "b": 20, "c": 4}) == {"a": 0, "b": "<10", "c": "<10"}
    assert cells.partition({"a": 0, "b": 20}) == {"a": 0, "b": 20}


def test_the_reference_holds_the_held_out_deciles_shares_and_override_rates() -> None:
    rng = np.random.default_rng(0)
    n = 2000
    scores = rng.beta(2, 5, n)
    bands = np.where(scores >= 0.5, "high", np.where(scores >= 0.2, "medium", "low"))
    met = rng.random(n) < scores
    sources = rng.choice(["police", "school"], n)
    live = [frozenset({"domestic_abuse"}) if s > 0.4 else frozenset() for s in scores]
    ref = build_reference(
        scores,
        bands=bands.tolist(),
        indicators=live,
        sources=sources.tolist(),
        met=met,
        labels=["domestic_abuse", "never_found"],
    )
    assert len(ref.score_edges) == 9 and sum(ref.score_shares) == pytest.approx(1.0)
    assert max(abs(s - 0.1) for s in ref.score_shares) < 0.01
    assert np.array_equal(
        score_bins(scores, ref.score_edges), np.searchsorted(ref.score_edges, scores, side="right")
    )
    assert ref.indicator_rates == {
        "domestic_abuse": pytest.approx(np.mean(scores > 0.4)),
        "never_found": 0.0,
    }
    high, low = bands == "high", bands == "low"
    assert ref.override_by_band["high"].rate == pytest.approx(np.mean(~met[high]))
    assert ref.override_by_band["low"].rate == pytest.approx(np.mean(met[low]))
    assert ref.override.n == int(high.sum() + low.sum())
    assert ref.source_shares["police"] == pytest.approx(np.mean(sources == "police"))
    assert type(ref).from_dict(ref.to_dict()) == ref
