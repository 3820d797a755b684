"""The generator gives the label away through no surface of a contact: its length, its
source, its first line (a form's title, an e-mail header, a call log's heading) and how it
was written (layout, voice, tone, register) each predict met / not met near chance."""

import importlib.util
from pathlib import Path

import pytest

from training.data.generate import generate_frame

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_giveaways.py"


@pytest.fixture(scope="module")
def aucs() -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("bench_giveaways", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    frame = generate_frame(8_000, seed=4, design=True)
    return dict(bench.giveaway_aucs(frame, seed=4))


@pytest.mark.parametrize(
    "surface",
    [
        "(a) length",
        "(b) source",
        "(c) first line",
        "(d) all three",
        "design: layout",
        "design: voice",
        "design: tone",
        "design: register",
        "design: length_kind",
    ],
)
def test_a_surface_alone_predicts_the_label_near_chance(
    aucs: dict[str, float], surface: str
) -> None:
    # 8,000 contacts, 2,400 held out: chance gives 0.5 within about 0.03.
    assert aucs[surface] <= 0.61, aucs


def test_early_help_history_is_read_by_the_label_process(aucs: dict[str, float]) -> None:
    # Early help engaged, declined or failed moves the need as the guidance does: it is
    # content, not a give-away, and predicts the label a little.
    assert 0.52 <= aucs["design: early_help"] <= 0.70, aucs
