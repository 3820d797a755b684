"""The one object that is fitted, logged and served: ``ScreenerModel``.

It chains the text pipeline (``ContactAnalyser``), the features (``ContactFeatures``), a
classifier (one of the candidates from ``build_candidate``), a calibrator fitted on held-out
data, the priority decile edges and the band cut points. ``score_records`` turns texts into
``training.model.outputs.ScoreRecord``: calibrated score, priority, band, the indicators found and
the explanation, and, from the index built with it, the nearest examples
(``training.model.similar``).

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
from training.model.floors import FloorPolicy, floors_enabled
from training.model.level import LevelEstimator, differs
from training.model.outputs import ExplanationPhrase, IndicatorOut, ScoreRecord, SimilarCase
from training.model.parallel import in_two, scoring_processes
from training.model.plain import PlainWords, plain_docs
from training.model.similar import SimilarIndex, past_contacts_shown

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
    #: the guidance level estimate (None for models trained without the guidance corpus)
    level_model: LevelEstimator | None = None
    #: must-never-miss floors under band and priority (None: no floors)
    floor_policy: FloorPolicy | None = None
    #: "practice and guidance differ" beyond this gap between the score and P(level 3-4)
    differ_margin: float = 0.4
    #: the similar cases shown beside a score (None: models trained without, or before it)
    similar_index: SimilarIndex | None = None
    #: the plain-words member whose logit is blended into the linear classifier's (None:
    #: the classifier alone; ``training.model.plain``, decision 0038)
    plain: PlainWords | None = None

    def featurize(
        self, texts: Sequence[str], sources: Sequence[str | None]
    ) -> tuple[AnalysedContacts, sp.csr_matrix]:
        analysed = self.analyser.transform_texts(list(texts), list(sources))
        return analysed, self.features.transform(analysed)

    def score_matrix(
        self, X: sp.csr_matrix, analysed: AnalysedContacts | None = None
    ) -> np.ndarray:
        """Calibrated probabilities of meeting the threshold for feature rows ``X`` of the
        contacts ``analysed`` (which the plain-words member reads, when the model has one)."""
        return _calibrated(self.calibrator, self.logits(X, analysed))

    def logits(
        self,
        X: sp.csr_matrix,
        analysed: AnalysedContacts | None = None,
        *,
        member: sp.csr_matrix | None = None,
    ) -> np.ndarray:
        """The logit the calibrator maps to the score, for feature rows ``X`` of the contacts
        ``analysed`` (or the plain-words member's rows of them, ``member``): for a linear
        classifier, the rows' dot product with its weights plus the member's share (what
        the explanation adds up to)."""
        if self._linear():
            assert self.explainer is not None
            out = (
                np.asarray(X @ self.explainer.coef, dtype=np.float64).ravel()
                + self.explainer.intercept
            )
            if self.plain is not None:
                if member is None:
                    if analysed is None:
                        raise ValueError(
                            "this model blends a plain-words member: pass the analysis"
                        )
                    member = self.plain.matrix(plain_docs(analysed))
                out = out + self.plain.logits(member)
            return out
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

    def served_bands(self, scores: np.ndarray, live: Sequence[frozenset[str]]) -> list[str]:
        """The bands the service shows for ``scores``: each raised by a must-never-miss
        floor where the contact's ``live`` indicator labels trigger one (floors on)."""
        bands = self.bands(scores)
        policy = self.floor_policy if floors_enabled() else None
        if policy is None:
            return bands
        return [
            policy.floored_band(band) if policy.triggered_by(labels) is not None else band
            for band, labels in zip(bands, live, strict=True)
        ]

    def score_records(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        *,
        explain: bool = True,
        similar: bool = True,
        batch_independent: bool = False,
    ) -> list[ScoreRecord]:
        """Score contacts: the pyfunc and the service call this. With ``similar``, each
        record carries the nearest examples of the model's index (none for a model without
        one). A large batch in a process with no other thread is scored in two halves, the
        second in a forked child (analysis, features and explanations alike; see
        ``parallel.scoring_processes``), when the classifier is linear: a tree model
        predicts with OpenMP threads, whose pool does not survive a fork (the child would
        wait on it for ever).

        A few contacts of a linear model are scored row by row (faster for the service),
        whose sums round differently in the last bit from the sparse matrix's. With
        ``batch_independent`` every contact goes through the matrix, so its figures do not
        depend on how many others share the call: batch scoring's engines, whose batches
        differ, agree to the bit."""
        texts = list(texts)
        sources = [None] * len(texts) if sources is None else list(sources)
        if self._linear() and scoring_processes(len(texts)) > 1:
            return self._score_in_two(texts, sources, explain, similar, batch_independent)
        return self._score_here(texts, sources, explain, similar, batch_independent)

    def similar_cases(
        self, texts: Sequence[str], *, k: int | None = None, past_k: int | None = None
    ) -> list[tuple[SimilarCase, ...]]:
        """The nearest examples of each text alone, without scoring it (``k`` and
        ``past_k``: the index's own when None); () for each with a model without an index."""
        texts = list(texts)
        if self.similar_index is None:
            return [()] * len(texts)
        analysed = self.analyser.transform_texts(texts, [None] * len(texts), parallel=False)
        assert analysed.analyses is not None
        rows = self.features.rows(analysed)
        return self.similar_index.query(
            rows, _asserted(analysed.analyses), k=k, past_k=past_k, past=past_contacts_shown()
        )

    def _score_in_two(
        self,
        texts: list[str],
        sources: list[str | None],
        explain: bool,
        similar: bool,
        batch_independent: bool,
    ) -> list[ScoreRecord]:
        half = (len(texts) + 1) // 2
        # Both halves read the model from a module global (the child from the memory it
        # inherits): nothing big is pickled.
        _FORKED["model"] = self
        try:
            return in_two(
                _score_forked,
                (texts[:half], sources[:half], explain, similar, batch_independent),
                (texts[half:], sources[half:], explain, similar, batch_independent),
            )
        finally:
            _FORKED.clear()

    def _score_here(
        self,
        texts: list[str],
        sources: list[str | None],
        explain: bool,
        similar: bool = True,
        batch_independent: bool = False,
    ) -> list[ScoreRecord]:
        analysed = self.analyser.transform_texts(texts, sources, parallel=False)
        return self.score_analysed(
            analysed, explain=explain, similar=similar, batch_independent=batch_independent
        )

    def score_analysed(
        self,
        analysed: AnalysedContacts,
        *,
        explain: bool = True,
        similar: bool = True,
        batch_independent: bool = False,
    ) -> list[ScoreRecord]:
        """``score_records`` for contacts the text pipeline has read already, with their
        full analyses (``compact_many(..., spans=True)``), in this process."""
        if analysed.analyses is None:
            raise ValueError("scoring needs each contact's full analysis (spans=True)")
        sources = list(analysed.sources)
        # The plain-words member's rows, read once for the scores and the explanations.
        member = None if self.plain is None else self.plain.matrix(plain_docs(analysed))
        scores, rows, levels = self._scores_rows_levels(
            analysed, len(analysed), by_row=not batch_independent, member=member
        )
        explained: list[tuple[ExplanationPhrase, ...]] = [()] * len(rows)
        logit_of: list[float | None] = [None] * len(rows)
        if explain and self.explainer is not None:
            for i, row in enumerate(rows):
                top, logit_of[i] = self.explainer.contributions(
                    analysed.analyses[i],
                    sources[i],
                    row,
                    top_k=self.top_k,
                    extra=None if member is None else self._plain_extra(member[i]),
                )
                explained[i] = tuple(top)
        index = self.similar_index
        cases: list[tuple[SimilarCase, ...]] = [()] * len(rows)
        if similar and index is not None:
            cases = index.query(rows, _asserted(analysed.analyses), past=past_contacts_shown())
        priorities = self.priorities(scores)
        bands = self.bands(scores)
        policy = self.floor_policy if floors_enabled() else None
        out: list[ScoreRecord] = []
        for i, analysis in enumerate(analysed.analyses):
            floor = None if policy is None else policy.triggered(analysis.indicators)
            priority, band = int(priorities[i]), bands[i]
            if floor is not None and policy is not None:
                priority = max(priority, policy.priority)
                band = policy.floored_band(band)
            probs = () if levels is None else tuple(float(p) for p in levels[i])
            out.append(
                ScoreRecord(
                    score=float(scores[i]),
                    priority=priority,
                    band=band,  # type: ignore[arg-type]
                    explanation=explained[i],
                    indicators=_indicators_out(analysis.indicators),
                    logit=logit_of[i],
                    level=None if levels is None else int(np.argmax(levels[i])) + 1,
                    level_probabilities=probs,
                    differs=bool(probs)
                    and differs(float(scores[i]), np.asarray(probs), margin=self.differ_margin),
                    floor=None if floor is None else floor.says,
                    similar=cases[i],
                )
            )
        return out

    def _scores_rows_levels(
        self,
        analysed: AnalysedContacts,
        n: int,
        *,
        by_row: bool = True,
        member: sp.csr_matrix | None = None,
    ) -> tuple[np.ndarray, list[SparseRow], np.ndarray | None]:
        """Calibrated scores, each contact's feature row and its level probabilities (None
        for a model without a level estimate). A few contacts of a linear model go row by
        row (unless ``by_row`` is False), with no sparse matrix; a larger batch goes
        through the matrix. ``member``: the plain-words member's rows, when read already."""
        if by_row and self._linear() and n <= _ROWS_UP_TO:
            assert self.explainer is not None
            coef, intercept = self.explainer.coef, self.explainer.intercept
            rows = self.features.rows(analysed)
            logits = np.asarray(
                [intercept + float(r.data.astype(np.float64) @ coef[r.indices]) for r in rows],
                dtype=np.float64,
            )
            if self.plain is not None:
                logits = logits + self.plain.logits(
                    plain_docs(analysed) if member is None else member
                )
            scores = _calibrated(self.calibrator, logits)
            levels = None if self.level_model is None else self.level_model.rows(rows)
            return scores, rows, levels
        X = self.features.transform(analysed)
        # The rows' arrays, not X[i]: slicing a sparse row costs more than explaining it.
        indptr, indices, data = X.indptr, X.indices, X.data
        rows = [
            SparseRow(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
            for i in range(X.shape[0])
        ]
        levels = None if self.level_model is None else self.level_model.probabilities(X)
        logits = self.logits(X, analysed if member is None else None, member=member)
        return _calibrated(self.calibrator, logits), rows, levels

    def _plain_extra(self, doc: str | sp.csr_matrix) -> tuple[float, dict[str, float]]:
        """The plain-words member's intercept and n-gram shares of one contact's logit."""
        assert self.plain is not None
        return self.plain.intercept, self.plain.contributions(doc)

    def explain(
        self, text: str, source: str | None = None
    ) -> tuple[float, list[ExplanationPhrase], float]:
        """Every contribution for one contact: ``(intercept, phrases, logit)``."""
        if self.explainer is None:
            raise ValueError("this model has no linear explainer")
        analysed, X = self.featurize([text], [source])
        assert analysed.analyses is not None
        extra = None
        intercept = self.explainer.intercept
        if self.plain is not None:
            extra = self._plain_extra(plain_docs(analysed)[0])
            intercept += extra[0]
        phrases, logit = self.explainer.contributions(
            analysed.analyses[0], source, X[0], extra=extra
        )
        return intercept, phrases, logit

    def predict_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The pyfunc contract: DataFrame[text, source?] -> DataFrame[score, priority, band,
        level, level_probabilities, differs, floor, explanation, indicators, similar].
        Explanation, indicators and similar cases are lists of dicts; ``level`` is 0 and
        ``level_probabilities`` empty for a model without a level estimate, ``floor`` ""
        where none applies, ``similar`` empty for a model without an index."""
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
                "level": [r.level or 0 for r in records],
                "level_probabilities": [list(r.level_probabilities) for r in records],
                "differs": [r.differs for r in records],
                "floor": [r.floor or "" for r in records],
                "explanation": [[p.as_row() for p in r.explanation] for r in records],
                "indicators": [[m.as_row() for m in r.indicators] for r in records],
                "similar": [[_similar_dict(c) for c in r.similar] for r in records],
            }
        )


#: Up to this many contacts a linear model is scored row by row (no sparse matrix: its
#: fixed cost is a millisecond per call); a larger batch is faster through the vectorisers.
_ROWS_UP_TO = 64


def _asserted(analyses: Sequence[Any]) -> list[frozenset[str]]:
    """The indicator labels each contact states (not negated): what a reason may share."""
    return [frozenset(m.label for m in a.indicators if not m.negated) for a in analyses]


def _similar_dict(case: SimilarCase) -> dict[str, Any]:
    """A similar case as the pyfunc's row gives it (no None: 0 and "" where it has none)."""
    return {
        "kind": case.kind,
        "id": case.id,
        "similarity": case.similarity,
        "reason": case.reason,
        "indicators": list(case.indicators),
        "level": case.level or 0,
        "level_reason": case.level_reason,
        "text": case.text,
        "outcome": case.outcome or "",
        "date_band": case.date_band,
    }


def _indicators_out(matches: Any) -> tuple[IndicatorOut, ...]:
    return tuple(
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
        for m in matches
    )


#: The model a forked scoring child works with (set by the parent just before the fork).
_FORKED: dict[str, ScreenerModel] = {}


def _score_forked(
    args: tuple[list[str], list[str | None], bool, bool, bool],
) -> list[ScoreRecord]:
    texts, sources, explain, similar, batch_independent = args
    return _FORKED["model"]._score_here(texts, sources, explain, similar, batch_independent)


def _calibrated(calibrator: Calibrator, logits: np.ndarray) -> np.ndarray:
    """``calibrator.predict(logits)`` clipped to [0, 1]."""
    return np.clip(np.asarray(calibrator.predict(logits), dtype=np.float64), 0.0, 1.0)
