"""Load benchmark of the API with the audit trail on: single-score throughput and latency
percentiles at 16 concurrent clients, and the time to score and audit a 1,000-item batch.

Starts ``screener serve`` (uvicorn, httptools, uvloop; 2 workers) on loopback against a
fresh SQLite audit database (or ``--database-url``), fires a bounded load with ``wrk``
when installed (else an httpx client, slower and CPU-hungrier), and prints the figures.

    python bench/bench_serve.py                      # the champion, or the fake model if none
    python bench/bench_serve.py --fake-model         # the ~0.5 ms deterministic stand-in
    python bench/bench_serve.py --model-uri models:/concern-screener/3

Targets (2-core machine): >= 400 scores/s, p99 < 60 ms at 16 clients, 0 errors; a batch of
1,000 in < 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Short hand-written contacts (--short-texts); by default the load uses generated contacts
#: of realistic length and variety, so no cache flatters the figures.
SHORT_TEXTS = [
    "Call from school: Year 4 pupil arrived with a bruise on her cheek and said her "
    "stepfather hit her last night. She did not want to go home. Mum not answering calls.",
    "Health visitor reports the family home is cold and there is little food; baby is "
    "gaining weight and mum engages well. No injuries seen. Asking for early help advice.",
    "Police attended a domestic incident at 02:00; two children were present and heard "
    "shouting. Father arrested for assault on mother. Children appeared unharmed.",
    "Anonymous neighbour says children are often left alone in the evenings and they hear "
    "crying. No names given. Caller denies any violence seen.",
]
TEXTS: list[str] = SHORT_TEXTS

LUA = """
local bodies = {BODIES}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "KEY"
DELAY
request = function()
  i = (i % #bodies) + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, '
    .. '"p50": %d, "p95": %d, "p99": %d, "max": %d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-c", "from serving.cli import app; app()", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_ready(base: str, timeout: float = 90) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    last: dict[str, object] = {}
    while time.monotonic() < deadline:
        try:
            r = httpx.get(f"{base}/readyz", timeout=5)
            last = r.json()
            if r.status_code == 200 or "model not loaded" in str(last.get("reasons")):
                return last
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"service did not become ready: {last}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _wait_workers_loaded(proc: subprocess.Popen[bytes], workers: int, timeout: float = 90) -> None:
    """``/readyz`` answers as soon as one worker is up; wait until every worker has loaded
    its model too (its memory near the largest worker's and steady), or the first seconds
    of load measure one worker. Without psutil, wait a fixed 10 s."""
    try:
        import psutil
    except ImportError:
        time.sleep(10)
        return
    deadline = time.monotonic() + timeout
    previous: list[int] = []
    while time.monotonic() < deadline:
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
            rss = sorted(c.memory_info().rss for c in children)
        except psutil.Error:
            rss = []
        workers_rss = rss[-workers:] if len(rss) >= workers else []
        if workers_rss and workers_rss[0] > 0.8 * workers_rss[-1] and workers_rss == previous:
            return
        previous = workers_rss
        time.sleep(1.0)


def _server_cpu_seconds(proc: subprocess.Popen[bytes]) -> float | None:
    """User + system CPU of the server and its workers so far (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        parent = psutil.Process(proc.pid)
        total = 0.0
        for p in [parent, *parent.children(recursive=True)]:
            t = p.cpu_times()
            total += t.user + t.system
        return total
    except psutil.Error:
        return None


def _wrk(
    base: str, key: str, *, concurrency: int, seconds: int, wait_ms: float = 0
) -> dict[str, float]:
    """Closed loop (each client sends as soon as it has an answer) when ``wait_ms`` is 0;
    otherwise each client waits ``wait_ms`` after each answer before its next request."""
    bodies = ", ".join("[[" + json.dumps({"text": t, "source": "school"}) + "]]" for t in TEXTS)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        delay = f"delay = function() return {wait_ms:.1f} end" if wait_ms else ""
        f.write(
            LUA.replace("{BODIES}", "{" + bodies + "}").replace("KEY", key).replace("DELAY", delay)
        )
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{concurrency}",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                script,
                f"{base}/v1/score",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    stats = json.loads(out.strip().splitlines()[-1])
    return {
        "requests": stats["requests"],
        "seconds": stats["duration_us"] / 1e6,
        "errors": stats["non2xx"] + stats["socket_errors"],
        "p50_ms": stats["p50"] / 1000,
        "p95_ms": stats["p95"] / 1000,
        "p99_ms": stats["p99"] / 1000,
        "max_ms": stats["max"] / 1000,
    }


async def _httpx_load(base: str, key: str, *, concurrency: int, total: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    queue = iter(range(total))
    async with httpx.AsyncClient(base_url=base, headers={"X-API-Key": key}, timeout=10) as c:

        async def worker() -> None:
            nonlocal errors
            for i in queue:
                t = time.perf_counter()
                try:
                    r = await c.post("/v1/score", json={"text": TEXTS[i % len(TEXTS)]})
                    errors += r.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "errors": errors,
        "p50_ms": q[49] * 1000,
        "p95_ms": q[94] * 1000,
        "p99_ms": q[98] * 1000,
        "max_ms": max(latencies) * 1000,
    }


def _batch(base: str, key: str, *, size: int, runs: int) -> list[float]:
    items = [{"text": TEXTS[i % len(TEXTS)], "contact_id": f"bench-{i}"} for i in range(size)]
    times = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as c:
        for _ in range(runs):
            t = time.perf_counter()
            r = c.post("/v1/score/batch", json={"items": items})
            times.append(time.perf_counter() - t)
            if r.status_code != 200 or len(r.json()["results"]) != size:
                raise SystemExit(f"batch failed: {r.status_code}")
    return times


def _arguments() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--model-uri", default=os.environ.get("MODEL_URI", "models:/concern-screener@champion")
    )
    p.add_argument("--fake-model", action="store_true", help="serve the ~0.5 ms fake scorer")
    p.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--seconds", type=int, default=15, help="wrk duration (time bound)")
    p.add_argument(
        "--rate", type=float, default=440, help="offered scores/s for the latency run (wrk)"
    )
    p.add_argument("--requests", type=int, default=10_000, help="httpx fallback count bound")
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--batch-runs", type=int, default=3)
    p.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    p.add_argument(
        "--short-texts", action="store_true", help="4 short fixed texts instead of generated ones"
    )
    p.add_argument("--texts", type=int, default=500, help="distinct generated contacts to send")
    return p.parse_args()


def _load(
    base: str, key: str, args: argparse.Namespace
) -> tuple[str, dict[str, float], dict[str, float] | None]:
    """The closed-loop run (wrk, or httpx without it) and, with wrk, a run paced at
    about ``--rate``: the tool, the closed-loop figures and the paced ones."""
    if shutil.which("wrk"):
        tool = "wrk"
        res = _wrk(base, key, concurrency=args.concurrency, seconds=args.seconds)
        # Pace to about --rate: each client's cycle is its wait plus the latency, so
        # calibrate the latency with a short run first.
        cycle_ms = args.concurrency * 1000 / args.rate
        wait = max(0.0, cycle_ms - 3)
        probe = _wrk(base, key, concurrency=args.concurrency, seconds=3, wait_ms=wait)
        latency_ms = args.concurrency * 1000 * probe["seconds"] / probe["requests"] - wait
        wait = max(0.0, cycle_ms - latency_ms)
        paced = _wrk(base, key, concurrency=args.concurrency, seconds=args.seconds, wait_ms=wait)
        paced["requests"] += probe["requests"]
        paced["seconds"] += probe["seconds"]
    else:
        tool = "httpx"
        res = asyncio.run(_httpx_load(base, key, concurrency=args.concurrency, total=args.requests))
        paced = None
    return tool, res, paced


def _report(
    args: argparse.Namespace,
    tool: str,
    res: dict[str, float],
    paced: dict[str, float] | None,
    cpu_ms: float | None,
    batch: list[float],
    audited: int,
) -> dict[str, bool]:
    """Print the figures; the targets, each met or not."""
    rps = res["requests"] / res["seconds"]
    print(
        f"single scores, closed loop ({tool}, {args.concurrency} clients): {int(res['requests'])} "
        f"requests in {res['seconds']:.1f} s = {rps:.0f}/s; errors {int(res['errors'])}"
    )
    print(
        f"  latency ms: p50 {res['p50_ms']:.1f}  p95 {res['p95_ms']:.1f}  "
        f"p99 {res['p99_ms']:.1f}  max {res['max_ms']:.1f}"
    )
    if paced:
        paced_rps = paced["requests"] / paced["seconds"]
        print(
            f"single scores, paced at ~{args.rate:.0f}/s ({args.concurrency} clients): "
            f"{int(paced['requests'])} requests = {paced_rps:.0f}/s; errors {int(paced['errors'])}"
        )
        print(
            f"  latency ms: p50 {paced['p50_ms']:.1f}  p95 {paced['p95_ms']:.1f}  "
            f"p99 {paced['p99_ms']:.1f}  max {paced['max_ms']:.1f}"
        )
    if cpu_ms is not None:
        cores = os.cpu_count() or 1
        print(
            f"server CPU per score: {cpu_ms:.2f} ms, i.e. ~{cores * 1000 / cpu_ms:.0f}/s on {cores} "
            f"idle cores; load average during the run {os.getloadavg()[0]:.1f}"
        )
    print(
        f"batch of {args.batch_size}: "
        + ", ".join(f"{t:.2f} s" for t in batch)
        + f" (best {min(batch):.2f} s)"
    )
    print(f"score events audited: {audited}")
    latency = paced or res
    checks = {
        ">= 400 scores/s (closed loop)": rps >= 400,
        "p99 < 60 ms" + (" (paced)" if paced else ""): latency["p99_ms"] < 60,
        "zero errors": res["errors"] == 0 and (paced is None or paced["errors"] == 0),
        f"batch {args.batch_size} < 2 s": statistics.median(batch) < 2,
    }
    return checks


def main() -> int:
    args = _arguments()

    global TEXTS
    if not args.short_texts:
        from training.data.generate import generate_frame

        TEXTS = generate_frame(args.texts, seed=99)["text"].tolist()
    lengths = sorted(len(t) for t in TEXTS)
    print(f"texts: {len(TEXTS)} distinct, median {lengths[len(lengths) // 2]} characters")

    from serving.audit.db import make_engine
    from serving.audit.migrations import upgrade_to_head
    from serving.keys import create_key

    tmp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    db_url = args.database_url or f"sqlite:///{tmp / 'audit.db'}"
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    _, key = create_key("screener", engine=engine, label="bench")
    model_uri = "fake:?cost_ms=0.5" if args.fake_model else args.model_uri
    # The per-key rate limit (600/min by default) would turn a load test into 429s.
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "MODEL_URI": model_uri,
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_PER_MINUTE": "0",
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(env, port, args.workers)
    try:
        ready = _wait_ready(base)
        if "model not loaded" in str(ready.get("reasons")):
            print(f"note: {model_uri} could not be loaded; benchmarking the fake model (~0.5 ms)")
            _stop(proc)
            model_uri = env["MODEL_URI"] = "fake:?cost_ms=0.5"
            proc = _start(env, port, args.workers)
            ready = _wait_ready(base)
        print(
            f"model {ready.get('model')} ({model_uri}); {args.workers} workers; audit {engine.url.get_backend_name()}"
        )
        _wait_workers_loaded(proc, args.workers)
        # warm-up: first requests pay for lazy imports and connection set-up; one connection
        # per request, so that every worker gets some
        for t in TEXTS[:40]:
            httpx.post(f"{base}/v1/score", json={"text": t}, headers={"X-API-Key": key})
        cpu_before = _server_cpu_seconds(proc)
        tool, res, paced = _load(base, key, args)
        cpu_after = _server_cpu_seconds(proc)
        cpu_requests = res["requests"] + (paced["requests"] if paced else 0)
        batch = _batch(base, key, size=args.batch_size, runs=args.batch_runs)
    finally:
        _stop(proc)
    from sqlalchemy import func, select

    from serving.audit.tables import score_events

    with engine.connect() as conn:
        audited = conn.execute(select(func.count()).select_from(score_events)).scalar_one()
    engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)

    cpu_ms = None
    if cpu_before is not None and cpu_after is not None:
        cpu_ms = (cpu_after - cpu_before) / cpu_requests * 1000
    checks = _report(args, tool, res, paced, cpu_ms, batch, audited)
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 1 if args.strict and not all(checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
