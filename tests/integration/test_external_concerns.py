"""A model trained only on generated contacts must rank concerns written by other hands
the way published threshold guidance does (training.audit.external)."""

from __future__ import annotations

import pytest

from tests.utils.model import generated_contacts
from training.audit.external import SETS, ExternalResult, handwritten_dir, read_external
from training.config import TrainConfig
from training.lifecycle.train import train_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def external() -> dict[str, ExternalResult]:
    """The default model's figures on the hand-written sets, as its training recorded them."""
    frame = generated_contacts(12_000, seed=31)
    config = TrainConfig().with_overrides({"evaluation.n_boot": 5})
    trained = train_model(frame, config)
    assert trained.independent is not None
    return trained.independent.external


@pytest.mark.parametrize("split", ["dev", "test"])
def test_hand_written_concerns_are_ranked_by_their_level_of_need(external, split: str) -> None:
    result = external[split]
    assert result.roc_auc >= 0.80, result
    assert result.auc_4_vs_12 >= 0.75, result
    means = result.mean_score
    assert min(means[3], means[4]) > max(means[1], means[2]), means
    # The operating point chosen for recall 0.9 on generated data still catches most
    # protection-level concerns written by others.
    assert result.recall_at_threshold[4] >= 0.85, result


@pytest.mark.parametrize(
    ("split", "size"), [("dev", 200), ("dev_layouts", 300), ("test", 200), ("blind", 330)]
)
def test_the_hand_written_sets_pass_the_contact_contract(split: str, size: int) -> None:
    from training.data.validate import validate_frame

    frame = read_external(handwritten_dir() / f"{split}.jsonl")
    raw = frame.loc[:, ["contact_id", "received_at", "source", "text", "outcome"]].astype(str)
    valid, quarantined, issues = validate_frame(raw)
    assert len(valid) == size and len(quarantined) == 0, (split, issues[:3])
    assert len(frame) == size and set(frame["level"]) == {1, 2, 3, 4}
    assert split in SETS
