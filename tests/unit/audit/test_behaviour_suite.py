"""The behavioural suite as data: every case parses, ids are unique, the halves are
disjoint by author, every capability is in both halves; and the runner's checks."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from training.audit.behaviour import (
    CAPABILITIES,
    MUST_NEVER_MISS,
    Case,
    SuiteError,
    read_suite,
    run_suite,
)
from training.audit.independent import behaviour_dir

SUITE = behaviour_dir()


@pytest.fixture(scope="module")
def cases() -> tuple[Case, ...]:
    return read_suite(SUITE)


def test_the_suite_has_at_least_600_cases_in_two_halves_by_author(cases) -> None:
    assert len(cases) >= 600
    authors = {h: {c.author for c in cases if c.half == h} for h in ("development", "reporting")}
    assert authors["development"] and authors["reporting"]
    assert not authors["development"] & authors["reporting"]
    assert len({c.id for c in cases}) == len(cases)


def test_every_capability_and_kind_is_in_both_halves(cases) -> None:
    for half in ("development", "reporting"):
        have = {c.capability for c in cases if c.half == half}
        assert have == set(CAPABILITIES), set(CAPABILITIES) - have
        kinds = Counter(c.kind for c in cases if c.half == half)
        assert min(kinds[k] for k in ("MFT", "INV", "DIR")) >= 40
    assert set(CAPABILITIES) >= MUST_NEVER_MISS


def test_messenger_pairs_change_the_source_and_keep_the_level(cases) -> None:
    pairs = [c for c in cases if c.capability == "messenger"]
    assert pairs and all(c.kind == "INV" and c.sources[0] != c.sources[1] for c in pairs)


def _write(tmp_path: Path, folder: str, rows: list[dict]) -> None:
    (tmp_path / folder).mkdir(parents=True, exist_ok=True)
    (tmp_path / folder / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")


GOOD = {
    "id": "x-1", "author": "a", "capability": "negation", "type": "MFT",
    "texts": ["No marks seen."], "levels": [1], "expect": {"score": "low"},
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "INV"}, "INV needs 2"),
        ({"capability": "tone"}, "unknown capability"),
        ({"expect": {"score": "high"}}, "a high MFT is at level 3-4"),
        ({"sources": ["aunt"]}, "contract sources"),
        ({"levels": [7]}, "levels must be 1-4"),
    ],
)
def test_a_malformed_case_is_refused_naming_its_file_and_line(tmp_path, change, message) -> None:
    _write(tmp_path, "dev", [GOOD, {**GOOD, "id": "x-2", **change}])
    with pytest.raises(SuiteError, match=rf"a\.jsonl:2 \(x-2\): .*{message}"):
        read_suite(tmp_path)


def test_an_author_in_both_halves_and_a_reused_id_are_refused(tmp_path) -> None:
    _write(tmp_path, "dev", [GOOD])
    _write(tmp_path, "reporting", [GOOD])
    with pytest.raises(SuiteError, match="used twice.*both halves"):
        read_suite(tmp_path)


def _case(kind: str, expect: dict, levels: tuple[int, ...], half: str = "development") -> Case:
    n = 1 if kind == "MFT" else 2
    return Case(f"c-{kind}-{len(str(expect))}-{half}", "a", half, "calm_serious" if kind == "MFT" else "order",
                kind, ("x",) * n, (None,) * n, levels, expect)  # fmt: skip


def test_each_kind_of_check_reads_the_scores_as_documented() -> None:
    high = _case("MFT", {"score": "high"}, (4,))
    assert high.passes([0.5], threshold=0.5) and not high.passes([0.49], threshold=0.5)
    inv = _case("INV", {"max_delta": 0.1}, (2, 2))
    assert inv.passes([0.3, 0.39], threshold=0.5) and not inv.passes([0.3, 0.41], threshold=0.5)
    up = _case("DIR", {"direction": "up"}, (2, 3))
    assert up.passes([0.3, 0.36], threshold=0.5) and not up.passes([0.3, 0.34], threshold=0.5)
    down = _case("DIR", {"direction": "down", "min_delta": 0.2}, (3, 2))
    assert down.passes([0.6, 0.39], threshold=0.5) and not down.passes([0.6, 0.5], threshold=0.5)


def test_an_mft_case_reads_the_band_a_floor_puts_a_contact_in() -> None:
    high = _case("MFT", {"score": "high"}, (4,))
    low = _case("MFT", {"score": "low"}, (1,))
    assert high.passes([0.2], threshold=0.5, floored=True)
    assert not low.passes([0.2], threshold=0.5, floored=True)
    assert low.passes([0.2], threshold=0.5, floored=False)


def test_the_runner_keeps_rates_for_both_halves_but_failed_ids_of_development_only() -> None:
    cases = [
        _case("MFT", {"score": "high"}, (4,), "development"),
        _case("MFT", {"score": "high"}, (4,), "reporting"),
    ]
    result = run_suite(lambda texts, sources: (np.zeros(len(texts)), None), cases)
    assert result.halves["development"].rate == 1.0 and result.halves["reporting"].rate == 1.0
    assert result.must_never_miss["reporting"].failed == 1
    assert result.failed_development == (cases[0].id,)
    assert "reporting" not in json.dumps(result.failed_development)
