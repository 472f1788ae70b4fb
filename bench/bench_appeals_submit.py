"""Appeal submissions over HTTP: POST /api/v1/appeals from C concurrent clients (default 8).

    .venv/bin/python -m bench.bench_appeals_submit [--clients 8] [--seconds 20] [--max-requests 20000]
        [--threads N] [--workers N] [--data-dir DIR] [--keep]

Needs a database filled by `bench.generate_appeals` (its accounts bench-resident-1 … 16 file for
their own households). Starts `guanjia serve` on a free 127.0.0.1 port (waitress; `--workers N` for the
multi-process mode), takes a token per client, warms up, then each client thread posts appeals over
its own keep-alive connection until the time or count runs out. Prints requests/s and latency
percentiles as JSON; every response must be 201. The load generator is this process; the server is
another one. Afterwards the appeals it posted are deleted again (`--keep` keeps them), so the database
keeps the distribution bench_appeals_queries is measured on (on PostgreSQL it is vacuumed again too)."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.bench_pages import free_port, wait_up
from guanjia.core.management.commands.serve import DEFAULT_THREADS

BIN = Path(sys.executable).parent
PASSWORD = "bench-password"
TITLE = "基准提交"
CATEGORIES = ("noise", "dispute", "elder-help", "private-repair", "parking", "other")


def token(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"username": username, "password": PASSWORD})
    conn.request("POST", "/api/v1/auth/token", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    if response.status != 200:
        raise SystemExit(f"login {username}: {response.status} {payload[:200]!r}")
    return str(json.loads(payload)["token"])


def client(port: int, bearer: str, index: int, stop: float, budget: list[int], out: list[float]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"}
    n = 0
    while time.monotonic() < stop:
        with LOCK:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        n += 1
        body = json.dumps(
            {
                "category": CATEGORIES[n % len(CATEGORIES)],
                "title": f"{TITLE} {index}-{n}",
                "description": "楼道灯坏了，晚上看不见路，请尽快维修。",
                "location": "2号楼",
            }
        )
        started = time.perf_counter()
        conn.request("POST", "/api/v1/appeals", body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        out.append(time.perf_counter() - started)
        if response.status != 201:
            ERRORS.append(f"{response.status} {payload[:300]!r}")
            return


LOCK = threading.Lock()
ERRORS: list[str] = []


def run(port: int, tokens: list[str], seconds: float, max_requests: int) -> dict[str, float]:
    latencies: list[list[float]] = [[] for _ in tokens]
    budget = [max_requests]
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, t, i, stop, budget, latencies[i]))
        for i, t in enumerate(tokens)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x * 1000 for lat in latencies for x in lat)
    if ERRORS:
        raise SystemExit(f"failed: {ERRORS[:3]}")

    def pct(p: float) -> float:
        return round(flat[min(len(flat) - 1, int(p * len(flat)))], 1)

    return {
        "requests": len(flat),
        "seconds": round(elapsed, 2),
        "per_second": round(len(flat) / elapsed, 1),
        "median_ms": round(statistics.median(flat), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(flat[-1], 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=None, help="guanjia serve --threads (its default)")
    parser.add_argument("--workers", type=int, default=0, help="guanjia serve --workers (0: one process)")
    parser.add_argument("--data-dir", default=os.environ.get("GUANJIA_DATA_DIR"))
    parser.add_argument("--keep", action="store_true", help="keep the posted appeals (default: delete them)")
    args = parser.parse_args(argv)
    env = {**os.environ, "GUANJIA_DATA_DIR": args.data_dir or ""}
    port = free_port()
    cmd = [str(BIN / "guanjia"), "serve", "--port", str(port)]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_up(port, timeout=60)
        tokens = [token(port, f"bench-resident-{i + 1}") for i in range(args.clients)]
        run(port, tokens, 3, 200)  # warm-up: connections, caches, the planner
        result = run(port, tokens, args.seconds, args.max_requests)
        database = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
        shape = {"clients": args.clients, "workers": args.workers, "threads": args.threads or DEFAULT_THREADS}
        print(json.dumps({"database": database, **shape, **result}))
    finally:
        server.terminate()
        # A graceful stop lets a running background job (the minutely deadline tick) finish first.
        server.wait(timeout=180)
    if not args.keep:
        removed = remove_submitted(env)
        print(json.dumps({"removed_bench_appeals": removed}))


def remove_submitted(env: dict[str, str]) -> int:
    """Delete what this benchmark posted, so the database keeps the generated distribution (thousands of
    extra open appeals in community 1 would slow its queues in bench_appeals_queries)."""
    code = (
        "from guanjia.appeals.models import Appeal;"
        "from guanjia.core.models import Notification;"
        f"qs = Appeal.objects.filter(title__startswith={TITLE!r});"
        "ids = [f'/appeals/{pk}/' for pk in qs.values_list('pk', flat=True)];"
        "Notification.objects.filter(url__in=ids).delete();"
        "print(qs.delete()[1].get('appeals.Appeal', 0));"
        # The dead rows would otherwise slow the next queue and KPI reads until autovacuum came by
        # (and this machine's PostgreSQL runs without autovacuum).
        "from django.db import connection;"
        "tables = ['appeals_appeal', 'appeals_appealevent', 'appeals_holding', 'core_notification'];"
        "[connection.cursor().execute('VACUUM ANALYZE ' + t) for t in tables"
        " if connection.vendor == 'postgresql']"
    )
    out = subprocess.run(
        [str(BIN / "guanjia"), "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
