"""A deterministic stand-in model for tests, demos without a trained model, and the
benchmark (``MODEL_URI=fake:?cost_ms=0.5``). It is not a model of anything."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence

from serving.loaded_model import LoadedModel
from training.model.outputs import Band, ExplanationPhrase, IndicatorOut, ScoreRecord

__all__ = ["FakeScorer", "fake_loaded_model"]

_WEIGHTS: dict[str, float] = {
    "bruise": 1.2,
    "bruises": 1.2,
    "injury": 1.0,
    "hit": 0.9,
    "violence": 1.1,
    "neglect": 0.8,
    "school": -0.3,
    "happy": -0.8,
    "fine": -0.6,
}
_WORD = re.compile(r"[a-z]+")
_NEGATION = re.compile(r"\b(no|not|denies|without)\b[^.]{0,30}$")


class FakeScorer:
    """Scores by a tiny lexicon; ``cost_ms`` of busy CPU per text mimics a real model."""

    def __init__(self, *, cost_ms: float = 0.0, bias: float = -1.0) -> None:
        self.cost_ms = cost_ms
        self.bias = bias
        self.calls = 0

    def score_records(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> list[ScoreRecord]:
        if len(texts) != len(sources):
            raise ValueError("texts and sources differ in length")
        self.calls += 1
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> ScoreRecord:
        if self.cost_ms > 0:
            end = time.perf_counter() + self.cost_ms / 1000
            while time.perf_counter() < end:
                pass
        lower = text.lower()
        spans: dict[str, list[tuple[int, int]]] = {}
        indicators: list[IndicatorOut] = []
        logit = self.bias
        for m in _WORD.finditer(lower):
            word = m.group()
            if word not in _WEIGHTS:
                continue
            negated = _NEGATION.search(lower[max(0, m.start() - 40) : m.start()]) is not None
            feature = f"neg:{word}" if negated else f"word:{word}"
            spans.setdefault(feature, []).append((m.start(), m.end()))
            logit += 0 if negated else _WEIGHTS[word]
            if _WEIGHTS[word] > 0:
                indicators.append(
                    IndicatorOut(
                        label=f"physical_{word}",
                        level=2,
                        start=m.start(),
                        end=m.end(),
                        negated=negated,
                        hedged=False,
                        historical=False,
                        third_party=False,
                    )
                )
        explanation = tuple(
            ExplanationPhrase(
                feature=f,
                weight=0.0 if f.startswith("neg:") else _WEIGHTS[f.split(":", 1)[1]] * len(s),
                spans=tuple(s),
            )
            for f, s in spans.items()
        )
        score = 1 / (1 + math.exp(-logit))
        priority = min(10, max(1, math.ceil(score * 10)))
        band: Band = "high" if score >= 0.6 else "medium" if score >= 0.3 else "low"
        return ScoreRecord(
            score=score,
            priority=priority,
            band=band,
            explanation=explanation,
            indicators=tuple(indicators),
            logit=logit,
        )


def fake_loaded_model(
    *, version: str = "1", cost_ms: float = 0.0, name: str = "concern-screener"
) -> LoadedModel:
    """A LoadedModel around a FakeScorer, labelled so nobody mistakes it for a real one."""
    return LoadedModel(
        name=name,
        version=version,
        run_id=None,
        scorer=FakeScorer(cost_ms=cost_ms),
        metrics={"roc_auc": 0.5},
        model_card_markdown="# Fake model\n\nA deterministic stand-in for tests; not a model.",
        fairness_summary=None,
    )
