"""The data scientist's verbs: ``screener data generate|validate``, ``train``, ``evaluate``,
``promote``, ``verify``. Each command parses its input, calls one function, and turns the result into
output and an exit code: 0 success, 1 a check failed (quarantined rows, gate refused),
2 bad input (a missing file, a bad flag), never a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

__all__ = ["PROMOTION_LISTENERS", "app", "fail"]

#: Called with every promotion decision (``training.audit.gate.GateDecision``) after it is stored
#: on the version; ``serving.cli`` adds one that writes it to the audit trail. (Training
#: never imports serving: the dependency points the other way.)
PROMOTION_LISTENERS: list[Any] = []

app = typer.Typer(
    name="screener",
    help="concern-screener: advisory scores for child-protection contacts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
data_app = typer.Typer(help="Generate and validate contact data.", no_args_is_help=True)
app.add_typer(data_app, name="data")


def fail(message: str, *, code: int = 2) -> NoReturn:
    """Print one line saying what went wrong and where, and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@data_app.command("generate")
def data_generate(
    rows: Annotated[int, typer.Option(min=1, help="Number of contacts.")],
    out: Annotated[Path, typer.Option(help="Output file: .parquet or .csv.")],
    seed: Annotated[
        int, typer.Option(help="Random seed; the output is deterministic by seed.")
    ] = 0,
    bias: Annotated[
        list[str] | None,
        typer.Option(help="Inject a historical bias: ATTRIBUTE=VALUE:LOGIT (repeatable)."),
    ] = None,
    bias_text_cues: Annotated[
        bool, typer.Option(help="Also add text cues correlated with the biased group.")
    ] = False,
    drift: Annotated[
        list[str] | None,
        typer.Option(
            help="Drift the contacts or practice, to test the monitor: severity=F, "
            "indicator=LABEL:F, source=NAME:F, practice=LOGIT, no_source=SHARE (repeatable)."
        ),
    ] = None,
    span: Annotated[
        str | None,
        typer.Option(
            help="Received dates FROM:TO (YYYY-MM-DD, inclusive) instead of the default span."
        ),
    ] = None,
) -> None:
    """Synthetic contacts that behave like a MASH export, with `p_true` outside the contract."""
    from training.data.generate import load_lexicon, parse_bias, parse_drift, write_contacts

    try:
        specs = [parse_bias(s) for s in bias or []]
    except ValueError as exc:
        fail(f"--bias: {exc}")
    try:
        drifted = parse_drift(
            drift or [], indicator_labels=[i.label for i in load_lexicon().indicators]
        )
    except ValueError as exc:
        fail(f"--drift: {exc}")
    dates = None if span is None else _parse_span(span)
    if out.suffix.lower() not in {".parquet", ".csv"}:
        fail(f"--out {out}: the extension must be .parquet or .csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = write_contacts(
        out,
        rows,
        seed=seed,
        bias=specs,
        bias_text_cues=bias_text_cues,
        drift=drifted,
        span=dates,
    )
    oracle = "n/a" if summary.oracle_auc is None else f"{summary.oracle_auc:.3f}"
    typer.echo(
        f"wrote {summary.rows:,} contacts to {summary.path} in {summary.seconds:.1f} s "
        f"(met threshold {summary.met_rate:.1%}, oracle AUC {oracle})"
    )


def _parse_span(span: str) -> tuple[date, date]:
    """``FROM:TO`` as two dates, or exit 2 saying what is wrong."""
    first, sep, last = span.partition(":")
    try:
        if not sep:
            raise ValueError("expected FROM:TO")
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        fail(f"--span {span}: expected FROM:TO as two dates YYYY-MM-DD")
    if end < start:
        fail(f"--span {span}: it ends before it starts")
    return start, end


@data_app.command("validate")
def data_validate(
    path: Annotated[Path, typer.Argument(help="A contact export, .csv or .parquet.")],
    allow_missing_outcome: Annotated[
        bool, typer.Option(help="Accept rows without an outcome (data for scoring, not training).")
    ] = False,
) -> None:
    """Check an export against the contact contract; quarantine bad rows with reasons."""
    from training.data.quarantine import render_report, validate_file

    report = validate_file(path, require_outcome=not allow_missing_outcome)
    if report.file_error is not None:
        fail(f"{path}: {report.file_error}")
    typer.echo(render_report(report))
    raise typer.Exit(0 if report.ok else 1)


def _load_training_frame(path: Path, *, require_outcome: bool = True) -> Any:
    """Validated rows of an export; quarantined rows are reported, never used."""
    from training.data.read import ContractError
    from training.data.validate import load_contacts

    if not path.is_file():
        fail(f"{path}: no such file")
    try:
        frame, report = load_contacts(path, require_outcome=require_outcome)
    except ContractError as exc:
        fail(f"{path}: {exc}")
    if report.file_error is not None:
        fail(f"{path}: {report.file_error}")
    if report.quarantined_rows:
        typer.echo(
            f"warning: {report.quarantined_rows:,} of {report.rows:,} rows break the contact "
            f"contract and are left out; run `screener data validate {path}` for the reasons",
            err=True,
        )
    if frame.empty:
        fail(f"{path}: no valid rows")
    return frame


@app.command("train")
def train(
    data: Annotated[Path, typer.Option(help="A labelled contact export (.parquet or .csv).")],
    config: Annotated[
        Path | None, typer.Option(help="Experiment configuration TOML (default: the packaged one).")
    ] = None,
    candidates: Annotated[
        str | None, typer.Option(help="Comma-separated candidate names, overriding the config.")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option(help="Also keep the evaluation report in this folder.")
    ] = None,
) -> None:
    """Train, calibrate and compare candidates; log to MLflow; register a new version."""
    from training.config import load_config
    from training.lifecycle.workflows import train_and_register

    try:
        cfg = load_config(config)
        if candidates:
            cfg = cfg.with_overrides(
                {"candidates.names": [c.strip() for c in candidates.split(",") if c.strip()]}
            )
    except (OSError, ValueError) as exc:
        fail(f"configuration: {exc}")
    frame = _load_training_frame(data)
    try:
        outcome = train_and_register(frame, data_path=data, config=cfg, keep_report=report_dir)
    except ValueError as exc:
        # Too few rows, one class only, or a broken pattern or configuration file: the
        # message says which.
        fail(f"training on {data} failed: {exc}")
    typer.echo(outcome.summary)


@app.command("evaluate")
def evaluate(
    model: Annotated[
        str,
        typer.Option(help="models:/concern-screener/N, models:/concern-screener@champion or N."),
    ],
    data: Annotated[Path, typer.Option(help="Labelled contacts to evaluate on.")],
    out: Annotated[
        Path | None, typer.Option(help="Folder for the report (default reports/evaluate-vN).")
    ] = None,
) -> None:
    """Metrics of any registered model on any labelled data; recorded on the model's run."""
    from training.lifecycle.workflows import evaluate_registered

    frame = _load_training_frame(data)
    try:
        outcome = evaluate_registered(model, frame, data_path=data, out_dir=out)
    except (ValueError, LookupError) as exc:
        fail(f"--model {model}: {exc}")
    typer.echo(outcome.summary)


@app.command("fairness")
def fairness(
    model: Annotated[str, typer.Option(help="models:/concern-screener/N, models:/concern-screener@champion or N.")],
    data: Annotated[Path, typer.Option(help="Labelled contacts with the audit-only columns.")],
    out: Annotated[Path, typer.Option(help="Folder for fairness.html and fairness.json.")],
    n_boot: Annotated[int, typer.Option(min=20, help="Bootstrap resamples for the intervals.")] = 200,
) -> None:
    """The auditor's report: group metrics, disparities, counterfactual and proxy checks."""
    from training.lifecycle.workflows import run_fairness

    frame = _load_training_frame(data)
    try:
        outcome = run_fairness(model, frame, data_path=data, out_dir=out, n_boot=n_boot)
    except (ValueError, LookupError) as exc:
        fail(f"--model {model}: {exc}")
    typer.echo(outcome.summary)


@app.command("promote")
def promote(
    version: Annotated[int, typer.Option(min=1, help="The registered version to make @champion.")],
    force: Annotated[
        bool, typer.Option(help="Promote even if the gate fails (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option(help="Why the gate is overridden (recorded).")
    ] = None,
) -> None:
    """Set @champion when the promotion gate passes; exit 1 with the reasons otherwise."""
    from training.lifecycle.workflows import promote_version

    if force and not (reason and reason.strip()):
        fail("--force needs --reason TEXT saying why the gate is overridden")
    try:
        decision = promote_version(str(version), force=force, reason=reason)
    except LookupError as exc:
        fail(str(exc))
    for listener in PROMOTION_LISTENERS:
        try:
            listener(decision)
        except Exception as exc:  # the registry already holds the decision; say what failed
            typer.echo(f"warning: the decision was not written to the audit trail: {type(exc).__name__}", err=True)
    typer.echo(decision.render())
    raise typer.Exit(0 if decision.promoted else 1)


@app.command("verify")
def verify(
    version: Annotated[int, typer.Option(min=1, help="The registered version to check.")],
    resign: Annotated[
        bool,
        typer.Option(
            help="Sign the version again with the ring's current key once it verifies "
            "(key rotation; an unsigned version whose files match its manifest is signed)."
        ),
    ] = False,
) -> None:
    """Check a version's files against its signed manifest, as the service does before it
    loads a model: exit 0 verified, 1 refused (which file, or the signature), 2 bad input."""
    from training.lifecycle.registry import verify_version
    from training.model.signing import ArtifactIntegrityError

    try:
        check = verify_version(str(version), resign=resign)
    except LookupError as exc:
        fail(str(exc))
    except ArtifactIntegrityError as exc:
        typer.echo(f"refused: version {version}: {exc}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        fail(str(exc))
    ref, verification = check.ref, check.verification
    action = "re-signed" if check.resigned else "verified"
    typer.echo(f"{action}: {ref.name} version {ref.version}: {verification.describe()}")


def main() -> None:  # pragma: no cover - console entry for `python -m training.lifecycle.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
