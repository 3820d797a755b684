"""The data scientist's verbs as functions: train and register, evaluate, promote.

Each composes the computing modules (train, evaluate, gate) with the MLflow seam
(``registry``) and returns a result with a ``summary`` for the CLI to print.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from training.audit.evaluate import EvaluationResult, evaluate_scores
from training.audit.gate import GateDecision, GatePolicy, promotion_gate
from training.audit.independent import (
    IndependentReport,
    baseline_scorer,
    evaluate_independent,
    screener_scorer,
)
from training.audit.render import terminal_summary, write_evaluation_report
from training.audit.render.formats import num
from training.audit.render.independent import independent_lines, write_independent_report
from training.config import TrainConfig
from training.data.contract import COLUMNS
from training.data.parts import PART_COLUMN, DataPart, describe_training_data, parts_digest
from training.lifecycle.analysis_cache import evaluation_analyses
from training.lifecycle.train import TrainResult, label_of, time_split, train_model
from training.model.parallel import frozen_heap

__all__ = [
    "EvaluateOutcome",
    "FairnessOutcome",
    "flag_key",
    "model_card_for",
    "run_fairness",
    "TrainOutcome",
    "evaluate_registered",
    "frame_digest",
    "promote_version",
    "redacted_example",
    "single_part",
    "train_and_register",
]


@dataclass
class TrainOutcome:
    result: TrainResult
    name: str
    version: str
    run_id: str
    summary: str


@dataclass
class EvaluateOutcome:
    result: EvaluationResult
    version: str
    digest: str
    report_paths: dict[str, Path]
    summary: str


def frame_digest(frame: pd.DataFrame) -> str:
    """A short digest identifying a set of contacts (by id and outcome), for the gate."""
    ids = frame["contact_id"].astype(str).to_numpy()
    outcomes = (
        frame["outcome"].astype(str).to_numpy() if "outcome" in frame else np.array([""] * len(ids))
    )
    order = np.argsort(ids, kind="mergesort")
    h = hashlib.sha256()
    for i in order:
        h.update(f"{ids[i]}\t{outcomes[i]}\n".encode())
    return h.hexdigest()[:12]


def redacted_example(frame: pd.DataFrame, *, rows: int = 2) -> pd.DataFrame:
    """A model input example with personal data redacted: it is persisted by MLflow."""
    from training.text import redact

    sample = frame.head(rows)
    return pd.DataFrame(
        {
            "text": [redact(str(t))[0] for t in sample["text"]],
            "source": [str(s) for s in sample["source"]],
        }
    )


def train_and_register(
    frame: pd.DataFrame,
    *,
    data_path: Path,
    config: TrainConfig,
    keep_report: Path | None = None,
    parts: Sequence[DataPart] | None = None,
) -> TrainOutcome:
    """Train on a validated frame, log everything to MLflow, register a new version
    (with fewer garbage-collector passes: ``training.model.features.frozen_heap``).

    ``parts`` are the exports combined into ``frame`` (``training.data.parts``: its
    ``PART_COLUMN`` says which row came from which); without them ``frame`` is the one
    export at ``data_path``, of weight 1."""
    with frozen_heap(threshold=50_000):
        return _train_and_register(
            frame, data_path=data_path, config=config, keep_report=keep_report, parts=parts
        )


def single_part(frame: pd.DataFrame, data_path: Path) -> DataPart:
    """The one export of a run trained on a single file, of weight 1."""
    from training.model.signing import file_sha256

    return DataPart(
        path=data_path,
        weight=1.0,
        rows=len(frame),
        digest=file_sha256(data_path),
        synthetic="p_true" in frame,
    )


def _part_frames(
    frame: pd.DataFrame, parts: Sequence[DataPart], known: list[str]
) -> list[tuple[DataPart, pd.DataFrame]]:
    """Each part with its own contacts (the contract's columns), as logged to MLflow."""
    if len(parts) == 1 or PART_COLUMN not in frame:
        return [(parts[0], frame.loc[:, known])]
    return [
        (part, frame.loc[frame[PART_COLUMN] == number, known])
        for number, part in enumerate(parts, start=1)
    ]


def _train_and_register(
    frame: pd.DataFrame,
    *,
    data_path: Path,
    config: TrainConfig,
    keep_report: Path | None,
    parts: Sequence[DataPart] | None,
) -> TrainOutcome:
    from training.audit.evaluate import flat_metrics
    from training.lifecycle import registry

    result = train_model(frame, config)
    started = time.perf_counter()
    parts = list(parts) if parts else [single_part(frame, data_path)]
    digest = parts_digest(parts)
    known = [c.name for c in COLUMNS if c.name in frame] + [c for c in ("p_true",) if c in frame]
    test_ids = time_split(frame, config)["test"]
    test_digest = frame_digest(test_ids)
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = Path(keep_report) if keep_report else Path(tmp) / "evaluation"
        write_evaluation_report(
            result.test, out_dir, title="Test split evaluation (newest contacts)"
        )
        if result.independent is not None:
            write_independent_report(result.independent, out_dir)
        example = redacted_example(test_ids)
        ref = registry.log_training_run(
            result,
            datasets=_part_frames(frame, parts, known),
            data_digest=digest,
            input_example=example,
            report_dir=out_dir,
            training_data=describe_training_data(frame, parts),
        )
    metrics = flat_metrics(result.test)
    eval_tags = {
        f"eval/{test_digest}/{k}": f"{metrics[k]:.6f}"
        for k in ("roc_auc", "ece", "brier")
        if k in metrics
    }
    registry.set_version_tags(ref.version, eval_tags)
    result.timings["log_and_register_seconds"] = time.perf_counter() - started
    cand_lines = [
        f"  {'*' if c.selected else ' '} {c.name:<22} val AUC {c.val_roc_auc:.3f}  PR AUC {c.val_pr_auc:.3f}  fit {c.fit_seconds:.1f} s"
        for c in result.candidates
    ]
    part_lines = (
        [
            f"  part {n}: {p.path.name}, {p.rows:,} contacts, weight {p.weight:g}"
            for n, p in enumerate(parts, start=1)
        ]
        if len(parts) > 1
        else []
    )
    lines = [
        f"trained on {result.n_rows:,} contacts (train {result.split.sizes['train']:,}, "
        f"validation {result.split.sizes['validation']:,}, test {result.split.sizes['test']:,}; time-ordered)",
        *part_lines,
        "candidates (calibrated, on the validation split; * selected):",
        *cand_lines,
        f"test split ({result.split.start['test'][:10]} to {result.split.end['test'][:10]}):",
        *terminal_summary(result.test),
        f"  ECE with the source withheld {num(result.test_ece_without_source, 4)}",
        *([] if result.independent is None else independent_lines(result.independent)),
        "time: "
        + ", ".join(
            f"{k.removesuffix('_seconds').replace('_', ' ')} {v:.1f} s"
            for k, v in result.timings.items()
        ),
        f"registered {ref.name} version {ref.version} (run {ref.run_id})",
        (
            f"signed the manifest of its files with model-signing key {ref.signed_by}"
            if ref.signed_by
            else "NOT SIGNED: no model-signing key is configured (SCREENER_MODEL_SIGNING_KEYS "
            "or SCREENER_SECRETS_FILE); the service refuses this version unless "
            f"MODEL_REQUIRE_SIGNATURE=false; sign it with `screener verify --version {ref.version} --resign`"
        ),
    ]
    return TrainOutcome(result, ref.name, ref.version, ref.run_id, "\n".join(lines))


@dataclass
class FairnessOutcome:
    result: Any
    version: str
    digest: str
    report_paths: dict[str, Path]
    gated_flags: list[str]
    summary: str


def flag_key(flag: dict[str, Any]) -> str:
    """A stable name for a flag, compared by the gate across versions."""
    return f"{flag['kind']}:{flag['attribute']}:{flag['group']}:{flag['metric']}"


#: Flags the promotion gate acts on. Proxy findings are reported but not gated: with names
#: in the text, ethnicity is always partly predictable from it (see the fairness report).
GATED_KINDS = frozenset({"disparity", "counterfactual"})


def model_card_for(
    ref: Any,
    *,
    details: dict[str, Any],
    training_data: dict[str, Any],
    fairness: dict[str, Any] | None,
) -> tuple[str, str]:
    """Markdown and HTML model card of a registered version."""
    from training.audit.model_card import ModelCardInputs, redaction_cost
    from training.audit.render import render_model_card

    metrics = {k[len("test_") :]: v for k, v in details["metrics"].items() if k.startswith("test_")}
    independent = ("external_", "baseline_", "behaviour_", "lift_")
    metrics.update({k: v for k, v in details["metrics"].items() if k.startswith(independent)})
    inputs = ModelCardInputs(
        name=ref.name,
        version=ref.version,
        run_id=ref.run_id,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        candidate=details["tags"].get("candidate", "unknown"),
        training_data=training_data,
        metrics=metrics,
        operating_point={
            "threshold": metrics.get("threshold", float("nan")),
            "recall": metrics.get("recall_at_op", float("nan")),
            "workload": metrics.get("workload", float("nan")),
            "precision": metrics.get("precision_at_op", float("nan")),
        },
        fairness=fairness,
        redaction_cost=redaction_cost(),
    )
    return render_model_card(inputs)


def run_fairness(
    uri: str,
    frame: pd.DataFrame,
    *,
    data_path: Path,
    out_dir: Path | None = None,
    n_boot: int = 200,
    counterfactual_n: int = 300,
) -> FairnessOutcome:
    """The auditor's report for a registered model on labelled data with audit columns:
    group metrics and disparities, counterfactual tests, proxy check; logged to the model's
    run, its gated flags recorded on the version, and the model card updated."""
    from training.audit.counterfactual import counterfactual_tests
    from training.audit.fairness import audit_groups, fairness_report, proxy_check
    from training.audit.render import write_fairness_report
    from training.audit.render.fairness import fairness_terminal_lines
    from training.lifecycle import registry

    screener, ref = registry.load_screener(uri)
    texts = frame["text"].astype(str).tolist()
    sources = frame["source"].astype(str).tolist()
    analysed, X = screener.featurize(texts, sources)
    scores = screener.score_matrix(X, analysed)
    audit = audit_groups(frame)

    def score_fn(batch: list[str]) -> np.ndarray:
        batch_analysed, batch_X = screener.featurize(batch, [None] * len(batch))
        return screener.score_matrix(batch_X, batch_analysed)

    counterfactual = counterfactual_tests(score_fn, texts, n=counterfactual_n)
    names = screener.features.get_feature_names_out()
    keep = _proxy_columns(screener, X)
    proxy = proxy_check(X[:, keep], audit, feature_names=names[keep], max_rows=3000)
    result = fairness_report(
        label_of(frame),
        scores,
        audit=audit,
        threshold=screener.threshold,
        n_boot=n_boot,
        counterfactual=counterfactual,
        proxy=proxy,
    )
    digest = frame_digest(frame)
    out = out_dir or Path("reports") / f"fairness-v{ref.version}-{digest}"
    paths = write_fairness_report(result, out, model_name=ref.name, model_version=ref.version)
    payload = result.to_dict()
    gated = sorted({flag_key(f) for f in payload["flags"] if f["kind"] in GATED_KINDS})
    _record_fairness(ref, payload, digest=digest, report_dir=out, gated=gated)
    lines = fairness_terminal_lines(
        payload,
        model_name=ref.name,
        model_version=ref.version,
        contacts=len(frame),
        digest=digest,
        gated=gated,
        report=paths["html"],
    )
    return FairnessOutcome(result, ref.version, digest, paths, gated, "\n".join(lines))


def _proxy_columns(screener: Any, X: Any) -> np.ndarray:
    """The feature columns the proxy check reads: the interpretable ones (words,
    indicators, source), the 3,000 found in most contacts, in column order."""
    # The hashed character n-grams name nothing a reader could act on, and would make the
    # check slow; of the rest, the 3,000 most frequent are enough to find a proxy.
    c0, c1 = screener.features.blocks_["chars"]
    keep = np.r_[0:c0, c1 : X.shape[1]]
    doc_freq = np.asarray((X[:, keep] != 0).sum(axis=0)).ravel()
    return np.sort(keep[np.argsort(-doc_freq, kind="stable")[:3000]])


def _record_fairness(
    ref: Any, payload: dict[str, Any], *, digest: str, report_dir: Path, gated: list[str]
) -> None:
    """Log the report to the model's run, its gated flags on the version, and the model
    card rebuilt with the report's summary and flags."""
    from training.lifecycle import registry

    details = registry.version_details(ref.version)
    card_md, card_html = model_card_for(
        ref,
        details=details,
        training_data=json.loads(details["tags"].get("training_data", "{}") or "{}"),
        fairness={"summary": payload.get("summary", []), "flags": payload["flags"]},
    )
    registry.record_fairness(
        ref,
        digest=digest,
        report_dir=report_dir,
        flag_keys=gated,
        model_card=(card_md, card_html),
        summary={
            "summary": payload.get("summary", []),
            "flags": payload["flags"],
            "gated_flags": gated,
        },
    )


def evaluate_registered(
    uri: str, frame: pd.DataFrame, *, data_path: Path, out_dir: Path | None = None
) -> EvaluateOutcome:
    """Score labelled data with a registered model, at the model's own operating point."""
    from training.lifecycle import registry

    screener, ref = registry.load_screener(uri)
    texts = frame["text"].astype(str).tolist()
    sources = frame["source"].astype(str).tolist()
    analysed, X = screener.featurize(texts, sources)
    scores = screener.score_matrix(X, analysed)
    result = evaluate_scores(
        label_of(frame),
        scores,
        source=frame["source"].to_numpy(),
        p_true=frame["p_true"].to_numpy() if "p_true" in frame else None,
        priority=screener.priorities(scores),
        threshold=screener.threshold,
    )
    digest = frame_digest(frame)
    out = out_dir or Path("reports") / f"evaluate-v{ref.version}-{digest}"
    paths = write_evaluation_report(
        result,
        out,
        title=f"Evaluation on {data_path.name}",
        model_name=ref.name,
        model_version=ref.version,
    )
    registry.record_evaluation(ref, digest=digest, result=result, report_dir=out)
    independent = independent_report(screener, ref)
    write_independent_report(independent, out)
    registry.record_independent(ref, independent, report_dir=out)
    lines = [
        f"{ref.name} version {ref.version} on {len(frame):,} contacts from {data_path} (data {digest}):",
        *terminal_summary(result),
        "on text written by other hands (the model, and the plain baseline of its run):",
        *independent_lines(independent),
        f"report: {paths['html']}",
    ]
    return EvaluateOutcome(result, ref.version, digest, paths, "\n".join(lines))


def independent_report(
    screener: Any, ref: Any, *, with_sources: bool = True, n_boot: int = 200
) -> IndependentReport:
    """A registered model and the baseline logged with its run on the hand-written sets and
    the behavioural suite."""
    from training.lifecycle import registry

    baseline = registry.load_baseline(ref)
    return evaluate_independent(
        screener_scorer(screener, analyse=evaluation_analyses),
        threshold=float(screener.threshold),
        baseline=None if baseline is None else baseline_scorer(baseline),
        n_boot=n_boot,
        with_sources=with_sources,
    )


def promote_version(
    version: str,
    *,
    force: bool = False,
    reason: str | None = None,
    policy: GatePolicy | None = None,
) -> GateDecision:
    """Run the gate and set ``@champion`` when it passes (or when forced, with a reason)."""
    from training.lifecycle import registry

    try:
        candidate = registry.version_details(version)
    except Exception as exc:  # MLflow raises its own error types for a missing version
        raise LookupError(f"version {version} of the model is not registered") from exc
    champ_version = registry.get_alias_version()
    if champ_version == version:
        raise LookupError(f"version {version} is already @champion")
    champion = registry.version_details(champ_version) if champ_version else None
    decision = promotion_gate(candidate, champion, policy=policy or GatePolicy())
    decision.forced = force and not decision.passed
    decision.reason = reason
    now = datetime.now(UTC).isoformat(timespec="seconds")
    failed = "; ".join(f"{c.name}: {c.detail}" for c in decision.failures)
    tags = {
        "promotion/decided_at": now,
        "promotion/by": registry.acting_user(),
        "promotion/checks": "; ".join(
            f"{c.name}={'pass' if c.passed else 'fail'}" for c in decision.checks
        )[:4000],
    }
    if decision.passed or force:
        decision.promoted = True
        tags["promotion/decision"] = "forced" if decision.forced else "promoted"
        if decision.forced:
            tags["promotion/reason"] = (reason or "")[:4000]
            tags["promotion/failed_checks"] = failed[:4000]
        tags["promotion/previous_champion"] = champ_version or "none"
        registry.set_alias(version, tags=tags)
    else:
        tags["promotion/decision"] = "refused"
        tags["promotion/failed_checks"] = failed[:4000]
        registry.set_version_tags(version, tags)
    return decision
