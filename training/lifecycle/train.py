"""Training: a validated export in, a calibrated ``ScreenerModel`` and its evidence out.

Time-ordered split (train on the oldest contacts, validate and test on the newest, as
deployment would). Every candidate is fitted on the training split; each is calibrated on the
validation split and compared there; the winner's operating point and priority deciles are
set on the validation split; the test split is touched once, for the reported figures
(:mod:`training.lifecycle.held_out`).
Nothing here prints, logs to MLflow or exits: ``training.lifecycle.registry`` records the result.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.metrics import average_precision_score, roc_auc_score

from training.audit.behaviour import read_suite
from training.audit.evaluate import EvaluationResult
from training.audit.external import SETS, handwritten_dir, read_external
from training.audit.independent import (
    IndependentReport,
    baseline_scorer,
    behaviour_dir,
    evaluate_independent,
    screener_scorer,
)
from training.audit.metrics import priority_edges, threshold_for_recall
from training.audit.monitoring import ReferenceProfile
from training.config import TrainConfig
from training.data.contract import (
    LABEL_COLUMN,
    MET_THRESHOLD_OUTCOMES,
    MODEL_INPUT_COLUMNS,
    OUTCOMES,
)
from training.data.guidance import read_guidance
from training.data.parts import WEIGHT_COLUMN
from training.lifecycle.analysis_cache import analysed_corpus, evaluation_analyses
from training.lifecycle.blend import blend_plain_words
from training.lifecycle.held_out import evaluate_held_out
from training.model.analyser import AnalysedContacts, ContactAnalyser
from training.model.baseline import PlainBaseline
from training.model.calibration import fit_calibrator
from training.model.candidates import (
    LIBLINEAR_CANDIDATES,
    LINEAR_CANDIDATES,
    ORDINAL_CANDIDATES,
    build_candidate,
    build_features,
)
from training.model.explain import linear_explainer
from training.model.features import ContactFeatures
from training.model.floors import load_floor_policy
from training.model.level import LevelEstimator
from training.model.screener import ScreenerModel
from training.model.similar import SimilarIndex, build_similar_index, read_removals

__all__ = [
    "AnalysedSplits",
    "CandidateResult",
    "SplitInfo",
    "TrainResult",
    "analyse_splits",
    "evaluation_texts",
    "label_of",
    "time_split",
    "train_model",
    "train_on",
]


@dataclass(frozen=True)
class SplitInfo:
    """Sizes, time ranges and met-threshold rates of the three time-ordered splits."""

    sizes: dict[str, int]
    start: dict[str, str]
    end: dict[str, str]
    met_rate: dict[str, float]


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's validation figures (after calibration) and its cost."""

    name: str
    val_roc_auc: float
    val_pr_auc: float
    val_brier: float
    fit_seconds: float
    selected: bool = False


@dataclass
class TrainResult:
    """What ``train_model`` produced: the served object and the evidence for it."""

    model: ScreenerModel
    config: TrainConfig
    candidates: list[CandidateResult]
    split: SplitInfo
    test: EvaluationResult
    validation: EvaluationResult
    timings: dict[str, float] = field(default_factory=dict)
    n_rows: int = 0
    #: the selected model and the baseline on text written by other hands (the
    #: hand-written sets and the behavioural suite, ``training.audit.independent``)
    independent: IndependentReport | None = None
    #: the plain TF-IDF baseline fitted on the same training split (never served)
    baseline: PlainBaseline | None = None
    #: expected calibration error on the test split scored without the source
    test_ece_without_source: float | None = None
    #: the held-out splits' picture the served model is monitored against (decision 0032)
    reference: ReferenceProfile | None = None


#: Serialises the liblinear fits (see ``fit_candidate``).
_LIBLINEAR_LOCK = threading.Lock()


def outcome_rank_of(frame: pd.DataFrame) -> np.ndarray:
    """Each contact's outcome as its rank on the contract's scale (0 no further action ...
    4 child protection): the ordinal candidates' target."""
    rank = {o: i for i, o in enumerate(OUTCOMES)}
    ranks = frame["outcome"].map(rank) if "outcome" in frame else pd.Series(np.nan, frame.index)
    if ranks.isna().any():
        raise ValueError(
            "the ordinal candidates need every training contact's outcome, one of "
            + ", ".join(OUTCOMES)
        )
    return ranks.to_numpy(dtype=np.int64)


def label_of(frame: pd.DataFrame) -> np.ndarray:
    """The label rule from the contract, as 0/1."""
    if LABEL_COLUMN in frame:
        return frame[LABEL_COLUMN].astype(int).to_numpy()
    return frame["outcome"].isin(MET_THRESHOLD_OUTCOMES).astype(int).to_numpy()


def time_split(frame: pd.DataFrame, config: TrainConfig) -> dict[str, pd.DataFrame]:
    """Oldest ``train_fraction`` for training, then validation, then the newest for test."""
    ordered = frame.sort_values(["received_at", "contact_id"], kind="mergesort").reset_index(
        drop=True
    )
    n = len(ordered)
    n_train = int(round(n * config.split.train_fraction))
    n_val = int(round(n * config.split.validation_fraction))
    return {
        "train": ordered.iloc[:n_train],
        "validation": ordered.iloc[n_train : n_train + n_val],
        "test": ordered.iloc[n_train + n_val :],
    }


def _split_info(splits: dict[str, pd.DataFrame]) -> SplitInfo:
    return SplitInfo(
        sizes={k: len(v) for k, v in splits.items()},
        start={k: str(v["received_at"].min()) for k, v in splits.items()},
        end={k: str(v["received_at"].max()) for k, v in splits.items()},
        met_rate={k: float(label_of(v).mean()) for k, v in splits.items()},
    )


def _model_inputs(frame: pd.DataFrame) -> pd.DataFrame:
    # Only the contract's model inputs cross this line: audit-only columns, ids, dates and
    # the generator's side columns stay behind (tests/unit/test_no_audit_leak.py).
    return frame.loc[:, [c for c in MODEL_INPUT_COLUMNS if c in frame]]


def _stratified_sample(y: np.ndarray, cap: int | None, *, seed: int) -> np.ndarray | None:
    """Sorted row indices of a sample of at most ``cap`` rows keeping the label rate, or
    None when every row is kept."""
    if cap is None or len(y) <= cap:
        return None
    rng = np.random.default_rng(seed)
    picked = []
    for label in (0, 1):
        rows = np.flatnonzero(y == label)
        take = max(1, round(cap * len(rows) / len(y)))
        picked.append(rng.choice(rows, size=min(take, len(rows)), replace=False))
    return np.sort(np.concatenate(picked))


#: From this many contacts, analysis runs in two processes and the candidates fit side by
#: side (below it, starting them costs more than it saves).
PARALLEL_FROM_ROWS = 20_000


@dataclass
class _Fitted:
    """One candidate after fitting and calibration, with its held-out scores."""

    result: CandidateResult
    classifier: Any
    calibrator: Any
    val_scores: np.ndarray


@dataclass(frozen=True)
class AnalysedSplits:
    """A contact frame split in time and read by the text pipeline once, with the guidance
    corpus: what every fit reads. Several configurations can be fitted on one (an ablation
    reads the text once); ``analysed`` is never changed by a fit."""

    frame: pd.DataFrame
    splits: dict[str, pd.DataFrame]
    analyser: ContactAnalyser
    analysed: dict[str, AnalysedContacts]
    corpus: pd.DataFrame
    jobs: int
    analyse_seconds: float


def analyse_splits(frame: pd.DataFrame, config: TrainConfig) -> AnalysedSplits:
    """Split a validated contact frame in time and analyse every split and the corpus.

    ``frame`` holds the contract's columns (``received_at`` as datetimes, ``outcome``
    present); ``p_true`` is used only for the oracle comparison when present.
    """
    if len(frame) < 200:
        raise ValueError(f"training needs at least 200 contacts, got {len(frame)}")
    splits = time_split(frame, config)
    for name, part in splits.items():
        if len(np.unique(label_of(part))) < 2:
            raise ValueError(f"the {name} split has only one outcome class; more data is needed")
    jobs = max(1, min(2, os.cpu_count() or 1)) if len(frame) >= PARALLEL_FROM_ROWS else 1
    # A missing or changed embedding table is refused now, not after the analysis.
    build_features(config.features)[1].check_embeddings()
    corpus = read_guidance()
    analyser = ContactAnalyser()
    t0 = time.perf_counter()
    analysed = _analyse(analyser, splits, jobs=jobs)
    analysed["guidance"] = _analysed_corpus(analyser, corpus, jobs=jobs)
    return AnalysedSplits(frame, splits, analyser, analysed, corpus, jobs, time.perf_counter() - t0)


def _analysed_corpus(
    analyser: ContactAnalyser, corpus: pd.DataFrame, *, jobs: int
) -> AnalysedContacts:
    """The guidance corpus through the text pipeline, read once per corpus and pipeline
    (``training.lifecycle.analysis_cache``): every training reads the same texts."""
    return analysed_corpus(
        _model_inputs(corpus),
        lambda inputs: _analyse(analyser, {"guidance": inputs}, jobs=jobs)["guidance"],
    )


def train_model(frame: pd.DataFrame, config: TrainConfig) -> TrainResult:
    """Fit, calibrate and select a screener on a validated contact frame."""
    return train_on(analyse_splits(frame, config), config)


def train_on(prepared: AnalysedSplits, config: TrainConfig) -> TrainResult:
    """Fit, calibrate, select and evaluate a screener on contacts analysed already."""
    frame, splits, jobs, corpus = prepared.frame, prepared.splits, prepared.jobs, prepared.corpus
    analyser = prepared.analyser
    timings: dict[str, float] = {"analyse_seconds": prepared.analyse_seconds}
    info = _split_info(splits)
    _, features = build_features(config.features)
    analysed = dict(prepared.analysed)
    if config.features.use_source and config.features.source_withheld > 0:
        analysed["train"] = _withhold_sources(
            analysed["train"], config.features.source_withheld, seed=config.evaluation.seed
        )
    t0 = time.perf_counter()
    fit_set, X = _feature_rows(features, analysed, splits["train"], corpus, config)
    timings["features_seconds"] = time.perf_counter() - t0
    y = {k: label_of(v) for k, v in splits.items()}

    t0 = time.perf_counter()
    fitted = _fit_candidates(config, features, fit_set, X, y, jobs=jobs)
    timings["fit_candidates_seconds"] = time.perf_counter() - t0
    for f in fitted.values():
        timings[f"fit_{f.result.name}_seconds"] = f.result.fit_seconds

    results, best = _select(config, fitted)
    model = _screener(config, analyser, features, fitted, best, y["validation"], info)
    t0 = time.perf_counter()
    with_corpus = len(corpus) > 0 and config.guidance.share > 0
    blended = blend_plain_words(
        model,
        config,
        fit_docs=analysed["train"].plus(analysed["guidance"]) if with_corpus else analysed["train"],
        fit_y=fit_set.y,
        fit_weights=fit_set.weights,
        X_val=X["validation"],
        validation=analysed["validation"],
        y_val=y["validation"],
    )
    validation_scores = best.val_scores if blended is None else blended
    timings["fit_plain_words_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # The corpus's feature rows, read once by the level estimate and the similar cases.
    X_guidance = features.transform(analysed["guidance"]) if len(corpus) else None
    model.level_model = _level_model(X_guidance, corpus)
    baseline = _fit_baseline(fit_set, splits["validation"], y["validation"])
    timings["fit_level_and_baseline_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.similar_index = _similar_index(prepared, features, config, X_guidance)
    timings["similar_index_seconds"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    held_out = evaluate_held_out(
        model,
        config,
        splits=splits,
        analysed=analysed,
        y=y,
        validation_scores=validation_scores,
        X_test=X["test"],
        p_true="p_true" in frame,
    )
    independent = _evaluate_on_other_hands(model, baseline, config)
    timings["evaluate_seconds"] = time.perf_counter() - t0
    return TrainResult(
        model=model,
        config=config,
        candidates=results,
        split=info,
        test=held_out.test,
        validation=held_out.validation,
        timings=timings,
        n_rows=len(frame),
        independent=independent,
        baseline=baseline,
        test_ece_without_source=held_out.ece_without_source,
        reference=held_out.reference,
    )


def _analyse(
    analyser: ContactAnalyser, splits: dict[str, pd.DataFrame], *, jobs: int
) -> dict[str, AnalysedContacts]:
    """Every split through the text pipeline in one pass (one pool, whose chunks balance
    across the workers). Training keeps only the compact form of each analysis (bounded
    memory); the analyser is left keeping full analyses, which explanations need."""
    analyser.set_params(keep_analyses=False, n_jobs=jobs)
    everything = analyser.transform(
        pd.concat([_model_inputs(v) for v in splits.values()], ignore_index=True)
    )
    analysed: dict[str, AnalysedContacts] = {}
    start = 0
    for name, part in splits.items():
        stop = start + len(part)
        analysed[name] = everything.part(start, stop)
        start = stop
    analyser.set_params(keep_analyses=True, n_jobs=1)
    return analysed


@dataclass(frozen=True)
class _FitSet:
    """What the candidates and the baseline fit on: the training split and, weighted, the
    guidance corpus (levels as outcomes), as features, texts, labels, ranks and weights."""

    X: sp.csr_matrix
    texts: list[str]
    y: np.ndarray
    ranks: np.ndarray | None
    weights: np.ndarray | None


def _evaluate_on_other_hands(
    model: ScreenerModel, baseline: PlainBaseline, config: TrainConfig
) -> IndependentReport:
    """Concerns written by other hands, labelled by the published guidance, and the
    behavioural suite: the check that the model learned the concerns and not the
    generator's (or a council's) wording, beside the plain baseline."""
    return evaluate_independent(
        screener_scorer(model, analyse=evaluation_analyses),
        threshold=model.threshold,
        baseline=baseline_scorer(baseline),
        n_boot=max(config.evaluation.n_boot, 1),
    )


def _feature_rows(
    features: ContactFeatures,
    analysed: dict[str, AnalysedContacts],
    train: pd.DataFrame,
    corpus: pd.DataFrame,
    config: TrainConfig,
) -> tuple[_FitSet, dict[str, Any]]:
    """The fitted features' training set and the validation and test rows."""
    fit_set = _fit_set(features, analysed, train, corpus, config)
    X = {k: features.transform(analysed[k]) for k in ("validation", "test")}
    # Canonical (sorted) indices before the candidates share the matrices: liblinear sorts
    # them in place, and a fit reading them beside it (the ordinal solver) saw them move.
    for matrix in X.values():
        matrix.sort_indices()
    return fit_set, X


def _fit_set(
    features: ContactFeatures,
    analysed: dict[str, AnalysedContacts],
    train: pd.DataFrame,
    corpus: pd.DataFrame,
    config: TrainConfig,
) -> _FitSet:
    """Fit the features on the training split (and the corpus, when it weighs in) and
    stack what the candidates learn from. The corpus's ranks are those of its levels'
    outcomes; its contacts share ``guidance.share`` of the total weight (decision 0019).
    A contact of a weighted part (``training.data.parts``) weighs in proportion to its
    part's weight, the export's weights summing to its number of contacts."""
    texts = train["text"].astype(str).tolist()
    y = label_of(train)
    ranks = outcome_rank_of(train) if "outcome" in train else None
    # Contacts of weighted parts (``screener train --data PATH:WEIGHT``) count in
    # proportion to their part's weight, scaled so that the export's contacts weigh as many
    # as they are: weights are relative (``A:2`` alone trains as ``A``), the penalty keeps
    # its strength, and the corpus its share of the total weight.
    row_weights = None
    if WEIGHT_COLUMN in train and len(train):
        raw = train[WEIGHT_COLUMN].to_numpy(dtype=np.float64)
        row_weights = raw * (len(train) / raw.sum())
    share = config.guidance.share if len(corpus) else 0.0
    weight = share / (1.0 - share) * len(train) / max(len(corpus), 1)
    if share <= 0:
        X = features.fit_transform(analysed["train"])
        X.sort_indices()
        return _FitSet(X, texts, y, ranks, row_weights)
    X = features.fit_transform(analysed["train"].plus(analysed["guidance"]))
    X.sort_indices()
    return _FitSet(
        X,
        texts + corpus["text"].astype(str).tolist(),
        np.concatenate([y, (corpus["level"].to_numpy() >= 3).astype(int)]),
        None if ranks is None else np.concatenate([ranks, outcome_rank_of(corpus)]),
        np.concatenate(
            [np.ones(len(y)) if row_weights is None else row_weights, np.full(len(corpus), weight)]
        ),
    )


def _fit_baseline(fit_set: _FitSet, validation: pd.DataFrame, y: np.ndarray) -> PlainBaseline:
    """The plain TF-IDF baseline on the same training contacts, calibrated on the
    validation split (a comparison, never served)."""
    return PlainBaseline().fit(
        fit_set.texts,
        fit_set.y,
        sample_weight=fit_set.weights,
        calibration_texts=validation["text"].astype(str).tolist(),
        calibration_y=y,
    )


def _level_model(X: sp.csr_matrix | None, corpus: pd.DataFrame) -> LevelEstimator | None:
    """The guidance level estimate, fitted on the corpus's feature rows ``X``; None without
    a corpus that has every level."""
    if X is None or len(corpus) == 0 or set(corpus["level"]) != {1, 2, 3, 4}:
        return None
    return LevelEstimator().fit(X, corpus["level"].to_numpy())


def _similar_index(
    prepared: AnalysedSplits,
    features: ContactFeatures,
    config: TrainConfig,
    X_guidance: sp.csr_matrix | None,
) -> SimilarIndex | None:
    """The similar-cases index of the model (decision 0028): the guidance corpus and, where
    the configuration allows it, the export's contacts within the retention period; never
    a text of the behavioural suite or a hand-written evaluation set, nor a flagged id."""
    settings = config.similar
    if not settings.enabled:
        return None
    past = past_frame = None
    if settings.past_contacts:
        names = ("train", "validation", "test")
        past_frame = pd.concat([prepared.splits[n] for n in names], ignore_index=True)
        past = prepared.analysed[names[0]]
        for name in names[1:]:
            past = past.plus(prepared.analysed[name])
    return build_similar_index(
        features,
        prepared.analysed["guidance"],
        prepared.corpus,
        config=settings,
        excluded_texts=evaluation_texts(),
        removals=read_removals(settings.removals),
        past=past,
        past_frame=past_frame,
        as_of=datetime.now(UTC).date(),
        guidance_matrix=X_guidance,
    )


def evaluation_texts() -> list[str]:
    """Every text of the behavioural suite (both halves) and of the hand-written sets:
    what no example shown beside a score may be (the sets that are present)."""
    texts = [t for case in read_suite(behaviour_dir()) for t in case.texts]
    for name in SETS:
        path = handwritten_dir() / f"{name}.jsonl"
        if path.is_file():
            texts += read_external(path)["text"].astype(str).tolist()
    return texts


def _fit_candidates(
    config: TrainConfig,
    features: ContactFeatures,
    fit_set: _FitSet,
    X: dict[str, sp.csr_matrix],
    y: dict[str, np.ndarray],
    *,
    jobs: int,
) -> dict[str, _Fitted]:
    """Each configured candidate fitted on the training split and calibrated on the
    validation split. The solvers (liblinear, the ordinal model's Newton steps, SGD,
    histogram boosting) release the GIL for most of their work: on a large set the
    candidates fit side by side on the two cores (liblinear fits in turn). Each fit is
    seeded or deterministic, so the order changes nothing."""
    # Only an ordinal candidate reads the outcome's rank (an export labelled met/not met
    # alone still trains the others).
    ordinal = any(name in ORDINAL_CANDIDATES for name in config.candidates.names)
    if ordinal and fit_set.ranks is None:
        raise ValueError("the ordinal candidates need every training contact's outcome")

    def fit(name: str) -> _Fitted:
        return _fit_candidate(name, config, features, fit_set, X, y)

    names = list(config.candidates.names)
    if jobs > 1 and len(names) > 1:
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="fit") as pool:
            done = list(pool.map(fit, names))
    else:
        done = [fit(name) for name in names]
    return {f.result.name: f for f in done}


def _fit_candidate(
    name: str,
    config: TrainConfig,
    features: ContactFeatures,
    fit_set: _FitSet,
    X: dict[str, sp.csr_matrix],
    y: dict[str, np.ndarray],
) -> _Fitted:
    t0 = time.perf_counter()
    # An asserted serious indicator never lowers a score (decision 0020): the ordinal
    # candidate holds those weights at 0 or above.
    clf = build_candidate(
        name, config, blocks=features.blocks_, nonnegative=features.nonnegative_columns()
    )
    cap = getattr(getattr(config.candidates, name), "max_train_rows", None)
    rows = _stratified_sample(fit_set.y, cap, seed=config.evaluation.seed)
    # An ordinal candidate learns from the whole outcome scale; all are selected,
    # calibrated and tested on met/not met.
    target = fit_set.ranks if name in ORDINAL_CANDIDATES else fit_set.y
    assert target is not None
    weights = fit_set.weights
    if rows is not None:
        target, weights = target[rows], None if weights is None else weights[rows]
    fit_kwargs = {} if weights is None else {_weight_arg(clf): weights}
    # liblinear draws from one process-wide random generator: two of its fits side by
    # side interleave their draws, and neither result is reproducible any more.
    with _LIBLINEAR_LOCK if name in LIBLINEAR_CANDIDATES else contextlib.nullcontext():
        clf.fit(fit_set.X if rows is None else fit_set.X[rows], target, **fit_kwargs)
    val_logits = np.asarray(clf.decision_function(X["validation"]), dtype=np.float64).ravel()
    calibrator = fit_calibrator(config.calibration.method, val_logits, y["validation"])
    seconds = time.perf_counter() - t0
    val_scores = np.clip(calibrator.predict(val_logits), 0.0, 1.0)
    y_val = y["validation"]
    result = CandidateResult(
        name=name,
        val_roc_auc=float(roc_auc_score(y_val, val_scores)),
        val_pr_auc=float(average_precision_score(y_val, val_scores)),
        val_brier=float(np.mean((val_scores - y_val) ** 2)),
        fit_seconds=seconds,
    )
    return _Fitted(result, clf, calibrator, val_scores)


def _select(
    config: TrainConfig, fitted: dict[str, _Fitted]
) -> tuple[list[CandidateResult], _Fitted]:
    """The candidates' results with the winner marked, and the winner (best validation
    figure of the configured selection metric)."""
    metric = "val_roc_auc" if config.candidates.selection_metric == "roc_auc" else "val_pr_auc"
    best = max(fitted.values(), key=lambda f: getattr(f.result, metric))
    results = [
        CandidateResult(**{**f.result.__dict__, "selected": f is best}) for f in fitted.values()
    ]
    return results, best


def _screener(
    config: TrainConfig,
    analyser: ContactAnalyser,
    features: ContactFeatures,
    fitted: dict[str, _Fitted],
    best: _Fitted,
    y_val: np.ndarray,
    info: SplitInfo,
) -> ScreenerModel:
    """The served model around the winner: its explainer (its own weights when it is
    linear, else the best linear candidate's, marked approximate), the operating threshold
    and the priority deciles, both from held-out scores (scores on the training split
    itself are over-confident and would crowd priority 10)."""
    name = best.result.name
    explainer = None
    exact = name in LINEAR_CANDIDATES
    if exact:
        explainer = linear_explainer(features, best.classifier)
    else:
        linear = [f for f in fitted.values() if f.result.name in LINEAR_CANDIDATES]
        if linear:
            metric = (
                "val_roc_auc" if config.candidates.selection_metric == "roc_auc" else "val_pr_auc"
            )
            surrogate = max(linear, key=lambda f: getattr(f.result, metric))
            explainer = linear_explainer(features, surrogate.classifier)
    threshold = threshold_for_recall(
        y_val, best.val_scores, target_recall=config.operating_point.target_recall
    )
    return ScreenerModel(
        analyser=analyser,
        features=features,
        classifier=best.classifier,
        calibrator=best.calibrator,
        priority_edges=priority_edges(best.val_scores),
        band_cuts=tuple(config.operating_point.band_cuts),  # type: ignore[arg-type]
        threshold=float(threshold),
        candidate=name,
        explainer=explainer,
        explanation_exact=exact,
        top_k=config.explanation.top_k,
        metadata={"split": info.__dict__},
        floor_policy=load_floor_policy() if config.floors.enabled else None,
        differ_margin=config.guidance.differ_margin,
    )


def _withhold_sources(train: AnalysedContacts, share: float, *, seed: int) -> AnalysedContacts:
    """The training contacts with the source of a random ``share`` of them withheld: the
    model then learns what a contact without a source is worth (the average over sources),
    and scores one sent without its source as calibrated as one with it (decision 0018)."""
    rng = np.random.default_rng(seed)
    hidden = rng.random(len(train)) < share
    return train.with_sources(
        tuple(None if h else s for h, s in zip(hidden, train.sources, strict=True))
    )


def _weight_arg(clf: Any) -> str:
    """The keyword a candidate's ``fit`` takes its sample weights by (a pipeline routes them
    to its last step)."""
    steps = getattr(clf, "steps", None)
    return f"{steps[-1][0]}__sample_weight" if steps else "sample_weight"
