"""`guanjia serve` and `guanjia demo`: a real server on a free local port, stopped with Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from guanjia.core.management.commands.serve import port_problem, url_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def guanjia(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("guanjia")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "django", *args, "--settings=guanjia.settings"]


def run_until_healthy(args: list[str], data_dir: Path, port: int, timeout: float) -> tuple[dict, str, int]:
    """Start the command, wait for /healthz, then press Ctrl-C; returns (health, output, exit code)."""
    env = {**os.environ, "GUANJIA_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)  # a throw-away SQLite database, never the developer's
    server = subprocess.Popen(  # noqa: S603 -- our own console script
        guanjia(*args, "--port", str(port)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        health = None
        while health is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.load(response)
            except OSError:
                time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=5)
    assert health is not None, output
    return health, output, server.returncode


@pytest.mark.slow
def test_serve_answers_healthz_and_stops_on_ctrl_c(tmp_path):
    health, output, code = run_until_healthy(["serve"], tmp_path, free_port(), timeout=45)
    assert health == {"status": "ok", "database": "ok"}
    assert "已停止" in output
    assert code == 0


@pytest.mark.slow
def test_demo_migrates_loads_and_serves_in_one_command(tmp_path):
    health, output, code = run_until_healthy(
        ["demo"], tmp_path, free_port(), timeout=90
    )  # migrate + the whole demo county on a busy 2-core machine
    assert health["status"] == "ok"
    assert "resident2" in output and "guanjia-demo" in output
    assert code == 0


@pytest.mark.django_db  # serve checks for unapplied migrations first
def test_a_busy_port_is_reported_in_chinese_and_english():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        problem = port_problem("127.0.0.1", port)
        assert problem is not None and "已被占用" in problem and "already in use" in problem
        with pytest.raises(CommandError, match="已被占用"):
            call_command("serve", port=port)
    assert port_problem("127.0.0.1", port) is None


def test_the_printed_url_is_one_a_browser_can_open():
    assert url_for("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert url_for("0.0.0.0", 8000) == "http://127.0.0.1:8000/"  # noqa: S104
    assert url_for("::1", 8000) == "http://[::1]:8000/"
