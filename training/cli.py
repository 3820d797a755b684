"""The data scientist's verbs: ``screener data generate|validate``, ``train``, ``evaluate``,
``promote``. Each command parses its input, calls one function, and turns the result into
output and an exit code: 0 success, 1 a check failed (quarantined rows, gate refused),
2 bad input (a missing file, a bad flag), never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

__all__ = ["app", "fail"]

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
    seed: Annotated[int, typer.Option(help="Random seed; the output is deterministic by seed.")] = 0,
    bias: Annotated[
        list[str] | None,
        typer.Option(help="Inject a historical bias: ATTRIBUTE=VALUE:LOGIT (repeatable)."),
    ] = None,
    bias_text_cues: Annotated[
        bool, typer.Option(help="Also add text cues correlated with the biased group.")
    ] = False,
) -> None:
    """Synthetic contacts that behave like a MASH export, with `p_true` outside the contract."""
    from training.generate import parse_bias, write_contacts

    try:
        specs = [parse_bias(s) for s in bias or []]
    except ValueError as exc:
        fail(f"--bias: {exc}")
    if out.suffix.lower() not in {".parquet", ".csv"}:
        fail(f"--out {out}: the extension must be .parquet or .csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = write_contacts(out, rows, seed=seed, bias=specs, bias_text_cues=bias_text_cues)
    oracle = "n/a" if summary.oracle_auc is None else f"{summary.oracle_auc:.3f}"
    typer.echo(
        f"wrote {summary.rows:,} contacts to {summary.path} in {summary.seconds:.1f} s "
        f"(met threshold {summary.met_rate:.1%}, oracle AUC {oracle})"
    )


@data_app.command("validate")
def data_validate(
    path: Annotated[Path, typer.Argument(help="A contact export, .csv or .parquet.")],
    allow_missing_outcome: Annotated[
        bool, typer.Option(help="Accept rows without an outcome (data for scoring, not training).")
    ] = False,
) -> None:
    """Check an export against the contact contract; quarantine bad rows with reasons."""
    from training.validate import render_report, validate_file

    report = validate_file(path, require_outcome=not allow_missing_outcome)
    typer.echo(render_report(report))
    if report.file_error is not None:
        fail(f"{path}: {report.file_error}")
    raise typer.Exit(0 if report.ok else 1)


def main() -> None:  # pragma: no cover - console entry for `python -m training.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
