"""Latency of the resident home page and the registry list endpoints on the demo county.

Starts `guanjia serve` (waitress) on a free 127.0.0.1 port against a fresh SQLite demo database, then
times N sequential keep-alive requests per URL and prints median and p95 in milliseconds.

    .venv/bin/python -m bench.bench_pages [--requests 200] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

BIN = Path(sys.executable).parent
PASSWORD = "guanjia-demo"
API_URLS = [
    "/api/v1/regions",
    "/api/v1/communities",
    "/api/v1/compounds?limit=50",
    "/api/v1/grids?limit=50",
    "/api/v1/dwellings?limit=50",
    "/api/v1/persons?limit=50",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def wait_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


def login_session(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login/")
    resp = conn.getresponse()
    body = resp.read().decode()
    cookies = {
        c.split("=", 1)[0]: c.split("=", 1)[1].split(";")[0] for c in resp.headers.get_all("Set-Cookie") or []
    }
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn.request(
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://127.0.0.1:{port}/login/",
        },
    )
    resp = conn.getresponse()
    resp.read()
    for c in resp.headers.get_all("Set-Cookie") or []:
        if c.startswith("sessionid="):
            return c.split(";")[0]
    raise SystemExit(f"login failed for {username}: {resp.status}")


def api_token(port: int, username: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request(
        "POST",
        "/api/v1/auth/token",
        body=json.dumps({"username": username, "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    return str(json.loads(conn.getresponse().read())["token"])


def timed(port: int, path: str, headers: dict[str, str], n: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        resp.read()
        samples.append((time.perf_counter() - t0) * 1000)
        if resp.status != 200:
            raise SystemExit(f"{path} answered {resp.status}")
    return samples


def report(label: str, samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    med, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"{label:58s} median {med:6.1f} ms   p95 {p95:6.1f} ms   (n={len(samples)})")
    return {"median_ms": round(med, 2), "p95_ms": round(p95, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="guanjia-bench-")
    env = {**os.environ, "GUANJIA_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "guanjia.settings"}
    env.pop("DATABASE_URL", None)
    run([str(BIN / "guanjia"), "migrate", "--noinput"], env)
    print(f"load-demo: {run([str(BIN / 'guanjia'), 'load-demo'], env):.1f} s")
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "guanjia"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results = {}
    try:
        wait_up(port)
        for user in ("resident", "gridworker"):
            cookie = login_session(port, user)
            timed(port, "/", {"Cookie": cookie}, 10)  # warm-up
            results[f"home:{user}"] = report(
                f"GET / (home page of {user})", timed(port, "/", {"Cookie": cookie}, args.requests)
            )
        for user in ("secretary", "official"):
            headers = {"Authorization": f"Bearer {api_token(port, user)}"}
            for url in API_URLS:
                timed(port, url, headers, 5)
                results[f"{url}:{user}"] = report(
                    f"GET {url} as {user}", timed(port, url, headers, args.requests)
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_pages.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
