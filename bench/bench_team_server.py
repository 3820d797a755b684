"""Benchmark the team's tracking server (`screener mlflow-server`) on the local PostgreSQL:
how long it takes to start, how long an authenticated request takes, and how long
`screener train` takes against it, with the basic-auth password cache on and off.

Run: ``python bench/bench_team_server.py [--rows N] [--requests N] [--cache-seconds S ...]
[--no-train]``. Each setting gets its own server on a fresh database (dropped afterwards).
Training uses the packaged configuration without the embedding table and with one
candidate (``logreg_words_chars``), as the integration test does; the figure is the
registry's share of a small training, not a model's fit. Prints one table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.utils.mlflow_server import free_port, wait_healthy  # noqa: E402

ADMIN_DB = os.environ.get("TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
#: The bench's own credentials, never a deployment's.
ADMIN_PASSWORD = "bench-admin-password-0123"
USER, USER_PASSWORD = "bench-trainer", "bench-trainer-password-01"


@dataclass
class Figures:
    cache_seconds: int
    start_seconds: float
    request_p50_ms: float
    request_p95_ms: float
    train_seconds: float | None


def _screener() -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from serving.cli import app; sys.argv[0] = 'screener'; app()",
    ]


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    if not wait_healthy(url, proc, seconds=180):
        raise SystemExit("the server did not start: " + log.read_text()[-2000:])


def measure(
    *, cache_seconds: int, requests: int, data: Path | None, config: Path, tmp: Path
) -> Figures:
    import psycopg

    name = f"bench_mlflow_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(ADMIN_DB, autocommit=True, connect_timeout=3)
    admin.execute(f'CREATE DATABASE "{name}"')
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    server_env = dict(
        base,
        MLFLOW_BACKEND_URI=f"postgresql://postgres@127.0.0.1:5432/{name}",
        MLFLOW_ARTIFACTS_DESTINATION=str(tmp / f"artifacts-{cache_seconds}"),
        MLFLOW_AUTH_ADMIN_PASSWORD=ADMIN_PASSWORD,
        MLFLOW_AUTH_CACHE_SECONDS=str(cache_seconds),
    )
    log = tmp / f"server-{cache_seconds}.log"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*_screener(), "mlflow-server", "--port", str(port), "--workers", "2"],
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "wb"),  # noqa: SIM115  (the server holds it)
    )
    try:
        _wait_healthy(url, proc, log)
        start_seconds = time.perf_counter() - started
        client_env = dict(base, MLFLOW_TRACKING_URI=url, MLFLOW_HTTP_REQUEST_MAX_RETRIES="0")
        admin_env = dict(
            client_env, MLFLOW_TRACKING_USERNAME="admin", MLFLOW_TRACKING_PASSWORD=ADMIN_PASSWORD
        )
        secret = tmp / "trainer.password"
        secret.write_text(USER_PASSWORD + "\n", "utf-8")
        for args in (
            ["mlflow-users", "create", USER, "--password-file", str(secret)],
            ["mlflow-users", "grant", USER, "--permission", "EDIT"],
        ):
            subprocess.run([*_screener(), *args], env=admin_env, check=True, capture_output=True)
        user_env = dict(
            client_env, MLFLOW_TRACKING_USERNAME=USER, MLFLOW_TRACKING_PASSWORD=USER_PASSWORD
        )
        os.environ.update({k: v for k, v in user_env.items() if k.startswith("MLFLOW_")})
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=url)
        client.get_experiment_by_name("concern-screener")  # warm the connection pool
        latencies = []
        for _ in range(requests):
            t = time.perf_counter()
            client.get_experiment_by_name("concern-screener")
            latencies.append((time.perf_counter() - t) * 1000)
        train_seconds = None
        if data is not None:
            work = tmp / f"work-{cache_seconds}"
            work.mkdir()
            t = time.perf_counter()
            subprocess.run(
                [*_screener(), "train", "--data", str(data), "--config", str(config),
                 "--candidates", "logreg_words_chars"],
                env=user_env, cwd=work, check=True, capture_output=True,
            )  # fmt: skip
            train_seconds = time.perf_counter() - t
        latencies.sort()
        return Figures(
            cache_seconds=cache_seconds,
            start_seconds=start_seconds,
            request_p50_ms=statistics.median(latencies),
            request_p95_ms=latencies[int(0.95 * (len(latencies) - 1))],
            train_seconds=train_seconds,
        )
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--cache-seconds", type=int, nargs="+", default=[60, 0])
    parser.add_argument("--no-train", action="store_true")
    args = parser.parse_args()
    import psycopg

    try:
        psycopg.connect(ADMIN_DB, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        print(f"skipped: PostgreSQL unreachable at {ADMIN_DB}: {str(exc).splitlines()[0]}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-team-server-") as name:
        tmp = Path(name)
        text = resources.files("training.configs").joinpath("default.toml").read_text("utf-8")
        config = tmp / "small.toml"
        config.write_text(text.replace('embedding_dir = "default"', 'embedding_dir = ""', 1))
        data = None
        if not args.no_train:
            from training.data.generate import write_contacts

            data = tmp / "contacts.parquet"
            write_contacts(data, args.rows, seed=101)
        rows = [
            measure(cache_seconds=c, requests=args.requests, data=data, config=config, tmp=tmp)
            for c in args.cache_seconds
        ]
    print(
        f"team tracking server, {os.cpu_count()} cores; {args.requests} requests; train on {args.rows:,} contacts"
    )
    print("| password cache | start | request p50 | request p95 | screener train |")
    print("|---|---|---|---|---|")
    for f in rows:
        train = "-" if f.train_seconds is None else f"{f.train_seconds:.0f} s"
        print(
            f"| {f.cache_seconds} s | {f.start_seconds:.1f} s | {f.request_p50_ms:.0f} ms | "
            f"{f.request_p95_ms:.0f} ms | {train} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
