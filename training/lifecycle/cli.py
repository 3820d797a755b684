"""The data scientist's verbs: ``screener data generate|validate``, ``train``, ``evaluate``,
``promote``, ``verify``, ``score``. Each command parses its input, calls one function, and turns the result into
output and an exit code: 0 success, 1 a check failed (quarantined rows, gate refused),
2 bad input (a missing file, a bad flag), never a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

__all__ = ["PROMOTION_LISTENERS", "app", "data_app", "fail"]

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
users_app = typer.Typer(
    help="Users of the team's MLflow server and what each may do with the screener's "
    "experiment and registered model (run as its admin: MLFLOW_TRACKING_USERNAME and "
    "MLFLOW_TRACKING_PASSWORD).",
    no_args_is_help=True,
)
app.add_typer(users_app, name="mlflow-users")


def fail(message: str, *, code: int = 2) -> NoReturn:
    """Print one line saying what went wrong and where, and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextlib.contextmanager
def tracking_refusals() -> Iterator[None]:
    """A tracking server's refusal (unknown user, wrong password, a permission the user
    lacks) as one line and exit 2, not a traceback."""
    from training.lifecycle.registry import RegistryAccessError, access_errors

    try:
        with access_errors():
            yield
    except RegistryAccessError as exc:
        fail(str(exc))


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


def _load_parts(values: list[str]) -> tuple[Any, list[Any]]:
    """The exports of ``--data`` (``PATH`` or ``PATH:WEIGHT``, repeatable), each validated,
    combined into one frame (``training.data.parts``), and the parts as trained on."""
    from training.data.parts import DataPart, combine_parts, parse_part
    from training.model.signing import file_sha256

    try:
        specs = [parse_part(v) for v in values]
    except ValueError as exc:
        fail(f"--data {exc}")
    frames = [_load_training_frame(spec.path) for spec in specs]
    parts = [
        DataPart(
            path=spec.path,
            weight=spec.weight,
            rows=len(frame),
            digest=file_sha256(spec.path),
            synthetic="p_true" in frame,
        )
        for spec, frame in zip(specs, frames, strict=True)
    ]
    combined = combine_parts(frames, [spec.weight for spec in specs])
    if combined.repeated_ids:
        typer.echo(
            f"warning: {combined.repeated_ids:,} contact ids occur in more than one part; "
            "each of their rows is kept (the contact counts once per part)",
            err=True,
        )
    return combined.frame, parts


@app.command("train")
def train(
    data: Annotated[
        list[str],
        typer.Option(
            help="A labelled contact export (.parquet or .csv), as PATH or PATH:WEIGHT; "
            "repeat to combine exports, each contact weighing its part's weight "
            "(relative; default 1)."
        ),
    ],
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
    from training.lifecycle.registry import check_can_register
    from training.lifecycle.workflows import train_and_register

    try:
        cfg = load_config(config)
        if candidates:
            cfg = cfg.with_overrides(
                {"candidates.names": [c.strip() for c in candidates.split(",") if c.strip()]}
            )
    except (OSError, ValueError) as exc:
        fail(f"configuration: {exc}")
    with tracking_refusals():
        # A reader is refused here, before the fit, not after it.
        check_can_register()
    frame, parts = _load_parts(data)
    names = ", ".join(str(part.path) for part in parts)
    try:
        with tracking_refusals():
            outcome = train_and_register(
                frame, data_path=parts[0].path, config=cfg, keep_report=report_dir, parts=parts
            )
    except ValueError as exc:
        # Too few rows, one class only, or a broken pattern or configuration file: the
        # message says which.
        fail(f"training on {names} failed: {exc}")
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
        with tracking_refusals():
            outcome = evaluate_registered(model, frame, data_path=data, out_dir=out)
    except (ValueError, LookupError) as exc:
        fail(f"--model {model}: {exc}")
    typer.echo(outcome.summary)


@app.command("fairness")
def fairness(
    model: Annotated[
        str,
        typer.Option(help="models:/concern-screener/N, models:/concern-screener@champion or N."),
    ],
    data: Annotated[Path, typer.Option(help="Labelled contacts with the audit-only columns.")],
    out: Annotated[Path, typer.Option(help="Folder for fairness.html and fairness.json.")],
    n_boot: Annotated[
        int, typer.Option(min=20, help="Bootstrap resamples for the intervals.")
    ] = 200,
    counterfactual_n: Annotated[
        int,
        typer.Option(
            min=20,
            help="Contacts sampled for the counterfactual tests; each is scored again "
            "under every variant of every cue.",
        ),
    ] = 300,
) -> None:
    """The auditor's report: group metrics, disparities, counterfactual and proxy checks."""
    from training.lifecycle.workflows import run_fairness

    frame = _load_training_frame(data)
    try:
        with tracking_refusals():
            outcome = run_fairness(
                model,
                frame,
                data_path=data,
                out_dir=out,
                n_boot=n_boot,
                counterfactual_n=counterfactual_n,
            )
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
        with tracking_refusals():
            decision = promote_version(str(version), force=force, reason=reason)
    except LookupError as exc:
        fail(str(exc))
    for listener in PROMOTION_LISTENERS:
        try:
            listener(decision)
        except Exception as exc:  # the registry already holds the decision; say what failed
            typer.echo(
                f"warning: the decision was not written to the audit trail: {type(exc).__name__}",
                err=True,
            )
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
        with tracking_refusals():
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


@app.command("mlflow-server")
def mlflow_server(
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 for the team).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 5000,
    workers: Annotated[int, typer.Option(min=1, help="Server worker processes.")] = 2,
    allowed_hosts: Annotated[
        str | None,
        typer.Option(help="Host names clients use, comma-separated (MLflow's --allowed-hosts)."),
    ] = None,
) -> None:
    """The team's MLflow tracking server: runs and models in PostgreSQL
    (MLFLOW_BACKEND_URI), artifacts served through it (MLFLOW_ARTIFACTS_DESTINATION), basic
    auth with the admin's password from MLFLOW_AUTH_ADMIN_PASSWORD. Runs until stopped."""
    from training.lifecycle.tracking_server import ServerConfigError, plan_server, run_server
    from training.settings import get_server_settings

    try:
        plan = plan_server(
            get_server_settings(),
            host=host,
            port=port,
            workers=workers,
            allowed_hosts=allowed_hosts,
        )
    except ServerConfigError as exc:
        fail(str(exc))
    typer.echo(plan.describe())
    raise typer.Exit(run_server(plan))


def _read_password(path: Path | None, username: str) -> str:
    """The new user's password: the first line of ``path`` (a deployment's secret file),
    or asked twice without echo. Never a command-line argument (shell history, ps)."""
    if path is None:
        return str(
            typer.prompt(f"password for {username}", hide_input=True, confirmation_prompt=True)
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"--password-file {path}: cannot read it ({type(exc).__name__})")
    if not lines or not lines[0]:
        fail(f"--password-file {path}: the first line is empty")
    return lines[0]


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    try:
        with tracking_refusals():
            yield
    except (LookupError, ValueError) as exc:
        fail(str(exc).strip("'\""))


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="The new user's name.")],
    password_file: Annotated[
        Path | None,
        typer.Option(help="Read the password from this file's first line (default: ask)."),
    ] = None,
) -> None:
    """Create a user; it can do nothing until granted (``grant``)."""
    from training.lifecycle.registry import create_team_user

    password = _read_password(password_file, username)
    with _user_errors():
        create_team_user(username, password)
    typer.echo(f"created user {username}; it can do nothing until granted")


@users_app.command("grant")
def users_grant(
    username: Annotated[str, typer.Argument(help="An existing user.")],
    permission: Annotated[
        str,
        typer.Option(
            help="READ (the service, auditors: see runs, load models), EDIT (train, "
            "register, promote) or MANAGE (EDIT, and grant others)."
        ),
    ],
) -> None:
    """Grant a permission on the screener's experiment and registered model (replacing
    the user's earlier one); both are created first if nobody has trained yet."""
    from training.lifecycle.registry import TEAM_PERMISSIONS, grant_team_access

    if permission.upper() not in TEAM_PERMISSIONS:
        fail(f"--permission {permission}: must be one of {', '.join(TEAM_PERMISSIONS)}")
    with _user_errors():
        access = grant_team_access(username, permission.upper())
    typer.echo(f"granted: {access.render()}")


@users_app.command("revoke")
def users_revoke(username: Annotated[str, typer.Argument(help="An existing user.")]) -> None:
    """Take back what the user was granted on the experiment and registered model."""
    from training.lifecycle.registry import revoke_team_access

    with _user_errors():
        access = revoke_team_access(username)
    typer.echo(f"revoked: {access.render()}")


@users_app.command("show")
def users_show(username: Annotated[str, typer.Argument(help="An existing user.")]) -> None:
    """What the user may do with the experiment and the registered model."""
    from training.lifecycle.registry import team_access

    with _user_errors():
        access = team_access(username)
    typer.echo(access.render())


@app.command("score")
def score(
    model: Annotated[
        str,
        typer.Option(help="models:/concern-screener/N, models:/concern-screener@champion or N."),
    ],
    data: Annotated[
        str,
        typer.Option(
            help="Contacts (.parquet or .csv; with Spark also a URI or a folder of parts)."
        ),
    ],
    out: Annotated[
        str,
        typer.Option(help="Output .parquet: a file (local engine), a folder of parts (Spark)."),
    ],
    engine: Annotated[
        str, typer.Option(help="local (streams on this machine) or spark (SPARK_MASTER).")
    ] = "local",
    explanations: Annotated[
        bool, typer.Option(help="Also write the phrases that raised and lowered each score.")
    ] = False,
    chunk_rows: Annotated[
        int, typer.Option(help="Contacts read, scored and written at a time (bounds memory).")
    ] = 2000,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
) -> None:
    """Score an export with a registered model into Parquet: contact_id, score, priority,
    band, level, floor, indicators (and explanations on request); rows that break the
    contact contract are counted, never scored. Exit 0 scored, 1 refused (the model does
    not verify, or no row could be scored), 2 bad input."""
    from training.lifecycle.batch.run import BatchInputError, score_export
    from training.lifecycle.batch.spark import SparkJobError, SparkUnavailable
    from training.model.signing import ArtifactIntegrityError

    try:
        result = score_export(
            model,
            data,
            out,
            engine=engine,
            explanations=explanations,
            chunk_rows=chunk_rows,
            overwrite=overwrite,
        )
    except (BatchInputError, SparkUnavailable) as exc:
        fail(str(exc))
    except ArtifactIntegrityError as exc:
        typer.echo(f"refused: --model {model}: {exc}", err=True)
        raise typer.Exit(1) from None
    except (LookupError, ValueError) as exc:
        fail(f"--model {model}: {exc}")
    except SparkJobError as exc:
        fail(str(exc), code=1)
    counts = result.counts
    if counts.refused:
        typer.echo(
            f"warning: {counts.refused:,} of {counts.rows:,} rows break the contact contract "
            f"and were not scored; run `screener data validate --allow-missing-outcome "
            f"{data}` for the reasons",
            err=True,
        )
    typer.echo(result.summary)
    if not counts.scored:
        fail(f"{data}: no row could be scored", code=1)


def main() -> None:  # pragma: no cover - console entry for `python -m training.lifecycle.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
