"""Casting ballots over HTTP: POST /api/v1/votes/{id}/ballots against `guanjia serve` (waitress).

Loads the demo into a fresh SQLite database (or, with DATABASE_URL set, into that database, which must
be empty), starts the server on a free 127.0.0.1 port, announces and opens a vote in 兴华苑 as the
committee (1,200+ voters), then enters one paper ballot per voter, each with its own Idempotency-Key,
over C keep-alive connections, and prints ballots per second and latency percentiles. Finally closes
the vote and checks that every acknowledged ballot was counted once.
Target (issue 5): 200 ballots per second.

    [DATABASE_URL=postgres://…/empty_db] .venv/bin/python -m bench.bench_decisions_ballots
        [--connections 4] [--workers 2] [--threads 4] [--data-dir DIR]

`--workers` is `guanjia serve --workers` (default 2, one process per core of a 2-core machine; 1 for
the single-process server); the background jobs run in the parent either way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.bench_pages import BIN, api_token, free_port, run, wait_up
from guanjia.core.management.commands.serve import DEFAULT_THREADS


def call(
    conn: http.client.HTTPConnection, method: str, path: str, token: str, body: Any = None, **headers: str
) -> Any:
    conn.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )
    resp = conn.getresponse()
    data = resp.read()
    if resp.status >= 300:
        raise SystemExit(f"{method} {path} answered {resp.status}: {data[:300]!r}")
    return json.loads(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="guanjia serve --workers")
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS, help="guanjia serve --threads (per worker)"
    )
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="guanjia-bench-ballots-")
    env = {**os.environ, "GUANJIA_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "guanjia.settings"}
    database = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
    run([str(BIN / "guanjia"), "migrate", "--noinput"], env)
    run([str(BIN / "guanjia"), "load-demo"], env)
    port = free_port()
    server = subprocess.Popen(
        [
            *(str(BIN / "guanjia"), "serve", "--port", str(port)),
            *("--threads", str(args.threads), "--workers", str(args.workers)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(port)
        token = api_token(port, "committee")
        conn = http.client.HTTPConnection("127.0.0.1", port)
        compound = call(conn, "GET", "/api/v1/votes?status=open", token)["items"][0]["compound"]["id"]
        now = dt.datetime.now(dt.UTC)
        vote = call(
            conn,
            "POST",
            "/api/v1/votes",
            token,
            {
                "compound_id": compound,
                "title": "基准：纸质选票录入",
                "matter": "other_major",
                "opens_at": now.isoformat(),
                "closes_at": (now + dt.timedelta(days=7)).isoformat(),
                "notice_override_reason": "基准测试",
            },
        )
        vote_id = vote["id"]
        call(conn, "POST", f"/api/v1/votes/{vote_id}/open", token)
        voters: list[int] = []
        while True:
            page = call(conn, "GET", f"/api/v1/votes/{vote_id}/roll?limit=200&offset={len(voters)}", token)
            voters += [v["id"] for v in page["items"]]
            if len(voters) >= page["count"]:
                break
        chunks = [voters[i :: args.connections] for i in range(args.connections)]
        latencies: list[float] = []

        def worker(ids: list[int]) -> None:
            c = http.client.HTTPConnection("127.0.0.1", port)
            for voter_id in ids:
                started = time.perf_counter()
                body = {
                    "voter_id": voter_id,
                    "choice": "agree",
                    "origin": "paper",
                    "paper_reference": f"B{voter_id}",
                }
                call(
                    c,
                    "POST",
                    f"/api/v1/votes/{vote_id}/ballots",
                    token,
                    body,
                    **{"Idempotency-Key": f"b-{voter_id}"},
                )
                latencies.append(time.perf_counter() - started)  # list.append is atomic under the GIL

        threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        rate = len(voters) / elapsed
        ms = sorted(1000 * x for x in latencies)
        p50, p99 = statistics.median(ms), ms[int(len(ms) * 0.99) - 1]
        print(
            f"{database}, {args.workers} worker(s), {len(voters)} ballots, {args.connections} connections: "
            f"{elapsed:.2f} s, {rate:.0f} ballots/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms"
        )
        result = call(conn, "POST", f"/api/v1/votes/{vote_id}/close", token, {"reason": "基准测试"})
        assert result["participating"]["owners"] == len(voters), result["participating"]
        assert result["ballots_received"] == len(voters), result["ballots_received"]  # none doubled
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_decisions_ballots.json").write_text(
        json.dumps(
            {
                "database": database,
                "workers": args.workers,
                "connections": args.connections,
                "ballots": len(voters),
                "seconds": round(elapsed, 3),
                "per_second": round(rate, 1),
                "p50_ms": round(p50, 1),
                "p99_ms": round(p99, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
