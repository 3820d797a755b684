"""The one object that is fitted, logged and served: ``ScreenerModel``.

It chains the text pipeline (``ContactAnalyser``), the features (``ContactFeatures``), a
classifier (one of the candidates from ``build_candidate``), a calibrator fitted on held-out
data, the priority decile edges and the band cut points. ``score_records`` turns texts into
``training.model.outputs.ScoreRecord``: calibrated score, priority, band, the indicators found and
the explanation.

For a linear classifier the explanation is exact: the intercept plus every feature's
contribution equals the classifier's logit (``explain`` returns all of them; the score
shows the top few). Word n-gram contributions are attributed to their occurrences, the
character n-grams of a token to that token, indicator features to the indicator matches and
the source to no span. When a non-linear candidate is served, the explanation comes from the
best linear candidate and is marked approximate.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from training.model.analyser import AnalysedContacts, ContactAnalyser
from training.model.calibration import Calibrator, from_legacy
from training.model.explain import LinearExplainer
from training.model.features import ContactFeatures, SparseRow
from training.model.outputs import ExplanationPhrase, IndicatorOut, ScoreRecord
from training.model.parallel import in_two, scoring_processes

__all__ = ["ScreenerModel"]


@dataclass
class ScreenerModel:
    """A fitted, calibrated screener: what MLflow stores and the service serves."""

    analyser: ContactAnalyser
    features: ContactFeatures
    classifier: Any
    calibrator: Calibrator
    priority_edges: np.ndarray
    band_cuts: tuple[float, float]
    threshold: float
    candidate: str
    explainer: LinearExplainer | None
    explanation_exact: bool
    top_k: int = 8
    metadata: dict[str, Any] = field(default_factory=dict)

    def featurize(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> tuple[AnalysedContacts, sp.csr_matrix]:
        analysed = self.analyser.transform_texts(list(texts), list(sources))
        return analysed, self.features.transform(analysed)

    def score_matrix(self, X: sp.csr_matrix) -> np.ndarray:
        """Calibrated probabilities of meeting the threshold for feature rows ``X``."""
        return _calibrated(self.calibrator, self.logits(X))

    def logits(self, X: sp.csr_matrix) -> np.ndarray:
        """The classifier's logit for feature rows ``X`` (for a linear classifier, the
        rows' dot product with its weights: what the explanation adds up to)."""
        if self._linear():
            assert self.explainer is not None
            return np.asarray(X @ self.explainer.coef, dtype=np.float64).ravel() + self.explainer.intercept
        return np.asarray(self.classifier.decision_function(X), dtype=np.float64).ravel()

    def _linear(self) -> bool:
        return self.explanation_exact and self.explainer is not None

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Models calibrated before ``training.model.calibration`` hold a
        # CalibratedClassifierCV around the frozen classifier: keep its logit -> probability
        # map only, so that every model is scored the same way.
        if hasattr(state.get("calibrator"), "calibrated_classifiers_"):
            state = {**state, "calibrator": from_legacy(state["calibrator"])}
        self.__dict__.update(state)

    def priorities(self, scores: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.priority_edges, scores, side="right") + 1

    def bands(self, scores: np.ndarray) -> list[str]:
        lo, hi = self.band_cuts
        return ["high" if s >= hi else "medium" if s >= lo else "low" for s in scores]

    def score_records(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        *,
        explain: bool = True,
    ) -> list[ScoreRecord]:
        """Score contacts: the pyfunc and the service call this. A large batch in a process
        with no other thread is scored in two halves, the second in a forked child
        (analysis, features and explanations alike; see ``parallel.scoring_processes``),
        when the classifier is linear: a tree model predicts with OpenMP threads, whose
        pool does not survive a fork (the child would wait on it for ever)."""
        texts = list(texts)
        sources = [None] * len(texts) if sources is None else list(sources)
        if self._linear() and scoring_processes(len(texts)) > 1:
            return self._score_in_two(texts, sources, explain)
        return self._score_here(texts, sources, explain)

    def _score_in_two(
        self, texts: list[str], sources: list[str | None], explain: bool
    ) -> list[ScoreRecord]:
        half = (len(texts) + 1) // 2
        # Both halves read the model from a module global (the child from the memory it
        # inherits): nothing big is pickled.
        _FORKED["model"] = self
        try:
            return in_two(
                _score_forked,
                (texts[:half], sources[:half], explain),
                (texts[half:], sources[half:], explain),
            )
        finally:
            _FORKED.clear()

    def _score_here(
        self, texts: list[str], sources: list[str | None], explain: bool
    ) -> list[ScoreRecord]:
        analysed = self.analyser.transform_texts(texts, sources, parallel=False)
        assert analysed.analyses is not None  # the serving analyser keeps them
        if self._linear() and len(texts) <= _ROWS_UP_TO:
            # A few contacts: their rows alone, with no sparse matrix.
            assert self.explainer is not None
            coef, intercept = self.explainer.coef, self.explainer.intercept
            rows = self.features.rows(analysed)
            logits = [intercept + float(r.data.astype(np.float64) @ coef[r.indices]) for r in rows]
            scores = _calibrated(self.calibrator, np.asarray(logits, dtype=np.float64))
        else:
            X = self.features.transform(analysed)
            scores = self.score_matrix(X)
            # The rows' arrays, not X[i]: slicing a sparse row costs more than explaining it.
            indptr, indices, data = X.indptr, X.indices, X.data
            rows = [
                SparseRow(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
                for i in range(X.shape[0])
            ]
        explained: list[tuple[ExplanationPhrase, ...]] = []
        logit_of: list[float | None] = [None] * len(rows)
        if explain and self.explainer is not None:
            for i, row in enumerate(rows):
                top, logit_of[i] = self.explainer.contributions(
                    analysed.analyses[i], sources[i], row, top_k=self.top_k
                )
                explained.append(tuple(top))
        priorities = self.priorities(scores)
        bands = self.bands(scores)
        out: list[ScoreRecord] = []
        for i, analysis in enumerate(analysed.analyses):
            phrases = explained[i] if explained else ()
            logit = logit_of[i]
            indicators = tuple(
                IndicatorOut(
                    label=m.label,
                    level=int(m.level),
                    start=int(m.start),
                    end=int(m.end),
                    negated=bool(m.negated),
                    hedged=bool(m.hedged),
                    historical=bool(m.historical),
                    third_party=bool(m.third_party),
                )
                for m in analysis.indicators
            )
            out.append(
                ScoreRecord(
                    score=float(scores[i]),
                    priority=int(priorities[i]),
                    band=bands[i],  # type: ignore[arg-type]
                    explanation=phrases,
                    indicators=indicators,
                    logit=logit,
                )
            )
        return out

    def explain(
        self, text: str, source: str | None = None
    ) -> tuple[float, list[ExplanationPhrase], float]:
        """Every contribution for one contact: ``(intercept, phrases, logit)``."""
        if self.explainer is None:
            raise ValueError("this model has no linear explainer")
        analysed, X = self.featurize([text], [source])
        assert analysed.analyses is not None
        phrases, logit = self.explainer.contributions(analysed.analyses[0], source, X[0])
        return self.explainer.intercept, phrases, logit

    def predict_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The pyfunc contract: DataFrame[text, source?] -> DataFrame[score, priority, band,
        explanation, indicators]. Explanation and indicators are lists of dicts."""
        texts = [str(t) for t in frame["text"].tolist()]
        sources = frame["source"].tolist() if "source" in frame else [None] * len(texts)
        sources = [
            None if (s is None or (isinstance(s, float) and np.isnan(s))) else str(s)
            for s in sources
        ]
        records = self.score_records(texts, sources)
        return pd.DataFrame(
            {
                "score": [r.score for r in records],
                "priority": [r.priority for r in records],
                "band": [r.band for r in records],
                "explanation": [
                    [
                        {
                            "feature": p.feature,
                            "weight": p.weight,
                            "spans": [list(s) for s in p.spans],
                        }
                        for p in r.explanation
                    ]
                    for r in records
                ],
                "indicators": [
                    [
                        {
                            "label": m.label,
                            "level": m.level,
                            "start": m.start,
                            "end": m.end,
                            "negated": m.negated,
                            "hedged": m.hedged,
                            "historical": m.historical,
                            "third_party": m.third_party,
                        }
                        for m in r.indicators
                    ]
                    for r in records
                ],
            }
        )


#: Up to this many contacts a linear model is scored row by row (no sparse matrix: its
#: fixed cost is a millisecond per call); a larger batch is faster through the vectorisers.
_ROWS_UP_TO = 64
#: The model a forked scoring child works with (set by the parent just before the fork).
_FORKED: dict[str, ScreenerModel] = {}


def _score_forked(args: tuple[list[str], list[str | None], bool]) -> list[ScoreRecord]:
    texts, sources, explain = args
    return _FORKED["model"]._score_here(texts, sources, explain)


def _calibrated(calibrator: Calibrator, logits: np.ndarray) -> np.ndarray:
    """``calibrator.predict(logits)`` clipped to [0, 1]."""
    return np.clip(np.asarray(calibrator.predict(logits), dtype=np.float64), 0.0, 1.0)
