"""Experiment configuration: a versioned TOML file, validated, flattened for MLflow params."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["MonitorConfig", "TrainConfig", "load_config"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SplitConfig(_Strict):
    train_fraction: float = Field(0.70, gt=0, lt=1)
    validation_fraction: float = Field(0.15, gt=0, lt=1)
    test_fraction: float = Field(0.15, gt=0, lt=1)

    @model_validator(mode="after")
    def _sums_to_one(self) -> SplitConfig:
        total = self.train_fraction + self.validation_fraction + self.test_fraction
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"split fractions must sum to 1, got {total:.3f}")
        return self


class FeatureConfig(_Strict):
    word_ngram_max: int = Field(2, ge=1, le=3)
    word_min_df: int = Field(3, ge=1)
    word_max_features: int = Field(200_000, ge=100)
    char_ngram_min: int = Field(4, ge=1)
    char_ngram_max: int = Field(4, ge=1)
    char_n_features: int = Field(2**18, ge=2**10)
    #: The hashed character n-grams (typos, inflections); off only to measure what they add.
    use_chars: bool = False
    use_source: bool = False
    #: With ``use_source``: the share of training contacts whose source the features never
    #: see, so that a contact sent without one is scored as calibrated as one with it.
    source_withheld: float = Field(0.2, ge=0, lt=1)
    use_indicators: bool = True
    text_norm: Literal["l2", "median", "sqrt"] = "sqrt"
    #: The static embedding table ("default": the one ``make embeddings`` builds; "": none).
    embedding_dir: str = "default"
    embedding_scale: float = Field(1.0, gt=0)


class LogRegConfig(_Strict):
    C: float = Field(1.0, gt=0)
    max_iter: int = Field(300, ge=10)
    #: Stopping tolerance of liblinear's dual solver. 1e-3 fitted 48k contacts in 10.6 s
    #: against 15.4 s at sklearn's 1e-4, with the same validation AUC to five decimals.
    tol: float = Field(1e-3, gt=0)


class SGDConfig(_Strict):
    alpha: float = Field(2e-5, gt=0)
    max_iter: int = Field(30, ge=1)


class HGBConfig(_Strict):
    svd_components: int = Field(64, ge=2)
    max_iter: int = Field(300, ge=10)
    learning_rate: float = Field(0.08, gt=0, le=1)
    #: Fit on a stratified random sample of at most this many training contacts: the SVD
    #: and the boosting cost grow with rows, and the challenger need not see them all.
    max_train_rows: int = Field(30_000, ge=200)


class OrdinalLogRegConfig(_Strict):
    C: float = Field(1.0, gt=0)
    #: Newton steps at most, and the stopping point: the gradient's norm this share of its
    #: first.
    max_iter: int = Field(100, ge=1)
    tol: float = Field(2e-3, gt=0)
    #: On a larger training set, a stratified sample of this many contacts (None: all).
    max_train_rows: int | None = Field(None, ge=200)
    #: The steps of the outcome scale fitted (ranks on ``contract.OUTCOMES``: 1 advice or
    #: more, 2 early help or more, 3 referral or more (met, always fitted), 4 child
    #: protection).
    cuts: tuple[int, ...] = (1, 2, 3, 4)
    #: Each cut's share of the loss, one per cut in ascending order (None: all 1): under 1
    #: a step pulls less on the shared weights than the met cut does, 0 leaves it out.
    cut_weights: tuple[float, ...] | None = None

    @field_validator("cuts")
    @classmethod
    def _cuts(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if 3 not in value or not set(value) <= {1, 2, 3, 4} or len(set(value)) != len(value):
            raise ValueError("cuts must be distinct ranks from 1-4 and include 3 (met)")
        return tuple(sorted(value))

    @model_validator(mode="after")
    def _one_weight_per_cut(self) -> OrdinalLogRegConfig:
        weights = self.cut_weights
        if weights is None:
            return self
        if len(weights) != len(self.cuts):
            raise ValueError(
                f"cut_weights needs one weight per cut {list(self.cuts)} (ascending), "
                f"got {len(weights)}: {list(weights)}"
            )
        if any(not 0.0 <= w < float("inf") for w in weights) or weights[self.cuts.index(3)] <= 0:
            raise ValueError(
                f"cut_weights must be 0 or above and the met cut 3's above 0, got {list(weights)}"
            )
        return self


CandidateName = Literal[
    "logreg_words_chars", "logreg_ordinal", "sgd_modified_huber", "hgb_indicators_svd"
]


class CandidatesConfig(_Strict):
    names: tuple[CandidateName, ...] = (
        "logreg_words_chars",
        "logreg_ordinal",
        "sgd_modified_huber",
    )
    selection_metric: Literal["roc_auc", "pr_auc"] = "roc_auc"
    logreg_words_chars: LogRegConfig = LogRegConfig()
    logreg_ordinal: OrdinalLogRegConfig = OrdinalLogRegConfig()
    sgd_modified_huber: SGDConfig = SGDConfig()
    hgb_indicators_svd: HGBConfig = HGBConfig()


class PlainWordsConfig(_Strict):
    #: The plain-words member's share of the served logit: the score is the calibrated
    #: blend ``(1 - weight) * screener + weight * plain words`` of the two members'
    #: calibrated logits (decision 0038); 0 serves the classifier alone. A linear candidate
    #: calibrated by Platt's sigmoid only: otherwise the classifier is served alone.
    weight: float = Field(0.4, ge=0, lt=1)
    C: float = Field(1.0, gt=0)


class CalibrationConfig(_Strict):
    method: Literal["sigmoid", "isotonic"] = "sigmoid"


class OperatingPointConfig(_Strict):
    target_recall: float = Field(0.90, gt=0, lt=1)
    band_cuts: tuple[float, float] = (0.20, 0.50)

    @model_validator(mode="after")
    def _ordered(self) -> OperatingPointConfig:
        lo, hi = self.band_cuts
        if not 0 < lo < hi < 1:
            raise ValueError("band_cuts must satisfy 0 < low < high < 1")
        return self


class EvaluationConfig(_Strict):
    n_boot: int = Field(200, ge=0)
    seed: int = 0


class ExplanationConfig(_Strict):
    top_k: int = Field(8, ge=1, le=50)


class GuidanceConfig(_Strict):
    #: The guidance corpus's share of the total training weight in the candidates' and the
    #: baseline's fits (0: the corpus is not used for the score). A share, not a weight per
    #: contact, so that a small export is not drowned by the corpus nor a large one deaf
    #: to it: at 70,000 training contacts 0.35 makes each corpus contact count about 18.
    share: float = Field(0.35, ge=0, lt=1)
    #: "Practice and guidance differ" when the score and the chance that the guidance
    #: level is 3 or 4 differ by more than this.
    differ_margin: float = Field(0.4, gt=0, lt=1)


class FloorsConfig(_Strict):
    #: Put a floor under the band and priority of a contact that asserts or hedges a
    #: must-never-miss indicator (``configs/floors.toml``); a deployment may turn it off.
    enabled: bool = True


class SimilarConfig(_Strict):
    #: Build the index of similar cases into the model (the guidance corpus always; past
    #: contacts only with ``past_contacts``); off, a version shows no examples.
    enabled: bool = True
    #: Nearest guidance examples shown beside a score (the issue asks for three to five).
    k: int = Field(3, ge=1, le=5)
    #: "tfidf": the model's word n-gram block (decision 0028: its nearest examples share
    #: the contact's level of need more often); "embedding": the model's own sentence
    #: embedding (TF-IDF when it has none).
    method: Literal["embedding", "tfidf"] = "tfidf"
    #: Past contacts of the training export in the index too (redacted text, outcome, date
    #: band; never a name, id or address). Off unless the deployment's data protection
    #: impact assessment allows it.
    past_contacts: bool = False
    #: Nearest past contacts shown beside a score, when they are indexed.
    past_k: int = Field(2, ge=1, le=5)
    #: A past contact received more than this many months before a build is not indexed:
    #: one that ages out drops out of the next version built.
    retention_months: int = Field(24, ge=1, le=120)
    #: The most recent past contacts indexed at most (bounds the artifact and the search).
    past_max: int = Field(5000, ge=1, le=50_000)
    #: A file of ids flagged for removal, one a line ("#" comments): guidance ids, export
    #: contact ids or the ids of past contacts as shown ("past-..."); "" for none.
    removals: str = ""


class MonitorConfig(_Strict):
    """When ``screener monitor`` raises a flag (decision 0032). Read with the rest of the
    file; it shapes no model, only the drift and override report on a served one."""

    #: Population stability index of a week's served scores against the training-time
    #: scores (in their deciles) at or above which the week is flagged: 0.1 is a small
    #: shift, 0.25 a large one, by the usual reading of the index.
    psi_threshold: float = Field(0.2, gt=0)
    #: A week (or a cell of a table) with fewer contacts than this is shown but never
    #: flagged: its rates are too noisy to act on.
    min_contacts: int = Field(100, ge=10)
    #: An indicator's (or a source's) share of contacts flagged when it moved at least this
    #: far (absolute) from its training-time share, to at least ``rate_ratio`` times it (or
    #: at most its inverse), and the move is beyond chance.
    rate_change: float = Field(0.02, gt=0, lt=1)
    rate_ratio: float = Field(1.5, gt=1)
    #: Share of contacts scored without a referral source at or above which it is flagged
    #: (every training contact has one: the contract requires it).
    no_source_share: float = Field(0.05, gt=0, lt=1)
    #: Override rate (a decision against the band) flagged when it is this much (absolute)
    #: above its training-time rate, overall, in a week, for a source or for a band, and
    #: the rise is beyond chance.
    override_rate_increase: float = Field(0.1, gt=0, lt=1)
    #: Calibration flagged where the recorded met rate of a band (or of all contacts)
    #: minus its mean served score moved this much (absolute) from the same at training
    #: time, beyond chance; for a model without a reference, where the met rate differs
    #: from the mean score by this much and the score lies outside the Wilson interval.
    calibration_gap: float = Field(0.1, gt=0, lt=1)
    #: Two-sided confidence of the intervals; "beyond chance" means the difference's z
    #: exceeds the Bonferroni-adjusted normal quantile for the number of cells compared.
    confidence: float = Field(0.95, gt=0.5, lt=1)
    #: Counts under this are shown as "<N" in the report (HTML and JSON), with every rate
    #: and interval that would reveal them: the small-cell rule of published statistics.
    small_cell: int = Field(10, ge=1)


class TrainConfig(_Strict):
    """Everything that shapes a trained model, besides the data and the code."""

    split: SplitConfig = SplitConfig()
    features: FeatureConfig = FeatureConfig()
    candidates: CandidatesConfig = CandidatesConfig()
    plain_words: PlainWordsConfig = PlainWordsConfig()
    calibration: CalibrationConfig = CalibrationConfig()
    operating_point: OperatingPointConfig = OperatingPointConfig()
    evaluation: EvaluationConfig = EvaluationConfig()
    explanation: ExplanationConfig = ExplanationConfig()
    guidance: GuidanceConfig = GuidanceConfig()
    floors: FloorsConfig = FloorsConfig()
    similar: SimilarConfig = SimilarConfig()
    monitor: MonitorConfig = MonitorConfig()

    def flat_params(self) -> dict[str, str]:
        """Dotted keys to string values, for ``mlflow.log_params`` (values under 500 chars)."""
        out: dict[str, str] = {}

        def walk(prefix: str, value: Any) -> None:
            if isinstance(value, dict):
                for key, sub in value.items():
                    walk(f"{prefix}.{key}" if prefix else key, sub)
            else:
                out[prefix] = str(list(value) if isinstance(value, tuple) else value)[:500]

        walk("", self.model_dump())
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> TrainConfig:
        """A copy with dotted-key overrides applied (``{"candidates.names": [...]}``)."""
        data = self.model_dump()
        for dotted, value in overrides.items():
            node = data
            *parents, leaf = dotted.split(".")
            for part in parents:
                if part not in node or not isinstance(node[part], dict):
                    raise ValueError(f"unknown configuration key {dotted!r}")
                node = node[part]
            if leaf not in node:
                raise ValueError(f"unknown configuration key {dotted!r}")
            node[leaf] = value
        return TrainConfig.model_validate(data)


def load_config(path: Path | None = None) -> TrainConfig:
    """Read a TOML experiment configuration; ``None`` reads the packaged default."""
    if path is None:
        raw = resources.files("training.configs").joinpath("default.toml").read_text("utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    return TrainConfig.model_validate(tomllib.loads(raw))
