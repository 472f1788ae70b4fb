"""`guanjia serve`: the production web server (waitress, pure Python), static files from whitenoise.

`--workers N` (N > 1, POSIX only) binds the socket once and forks N waitress processes that accept on it:
one Python process is bound by the GIL to about one core, so this is how a multi-core machine is used
without another dependency. The parent only supervises: Ctrl-C or SIGTERM stops every worker."""

from __future__ import annotations

import errno
import gc
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guanjia.core.jobs_runner import start_background_jobs, stop_background_jobs

# Four threads per process, as waitress's own default: measured on appeal submissions, eight threads in one
# process spent 10-20% more CPU per request (threads queueing for the GIL, more database connections)
# and served fewer; more cores are used with --workers.
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_THREADS = "127.0.0.1", 8000, 4


def add_server_arguments(parser: CommandParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help="监听地址 address to listen on (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="端口 port (%(default)s)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="工作线程 threads (%(default)s)")


def listen_problem(host: str, port: int, exc: OSError) -> str:
    """Why the server cannot listen there, in Chinese and English."""
    if exc.errno == errno.EADDRINUSE:
        return (
            f"端口 {port} 已被占用（{host}）。请先停止占用它的程序，或用 --port 换一个端口。\n"
            f"Port {port} on {host} is already in use. Stop the program using it or choose another --port."
        )
    if exc.errno == errno.EACCES:
        return (
            f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限），请用 --port 换一个端口。\n"
            f"Permission denied for port {port} (ports below 1024 need root); pick another with --port."
        )
    return f"无法监听 {host}:{port}：{exc}\nCannot listen on {host}:{port}: {exc}"


def port_problem(host: str, port: int) -> str | None:
    """None if a server could listen on host:port now, else the reason (bilingual)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"无法解析监听地址 {host}：{exc}\nCannot resolve host {host}: {exc}"
    for family, kind, proto, _name, address in infos:
        with socket.socket(family, kind, proto) as probe:
            # Same option as waitress, so a port left in TIME_WAIT by a stopped server counts as free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return listen_problem(host, port, exc)
    return None


def url_for(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 -- only to print a URL one can open locally
        host = "127.0.0.1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve_forever(
    *, host: str, port: int, threads: int, write: Callable[[str], Any], workers: int = 1, jobs: bool = True
) -> None:
    """Serve until Ctrl-C (or SIGTERM), then close the listening socket and return."""
    from django.core.servers.basehttp import get_internal_wsgi_application
    from waitress.server import create_server

    # whitenoise looks at STATIC_ROOT once at start-up and warns if it is missing; files come from finders.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    application = get_internal_wsgi_application()
    _settle()
    if workers > 1:
        serve_workers(
            application, host=host, port=port, threads=threads, workers=workers, write=write, jobs=jobs
        )
        return
    try:
        server = create_server(application, host=host, port=port, threads=threads)
    except OSError as exc:
        raise CommandError(listen_problem(host, port, exc)) from exc
    write(f"管家已启动 Guanjia is running: {url_for(host, port)}  （按 Ctrl-C 停止 / press Ctrl-C to stop）")
    consumer = start_background_jobs() if jobs else None
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        stop_background_jobs(consumer)
    write("已停止。Stopped.")


def _settle() -> None:
    """Load every view now and move what start-up built out of the garbage collector's way: the
    collector otherwise re-scans the whole of Django on its full passes (7-10% of a small API request's
    CPU), and forked workers share these pages instead of copying them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- imports every view module, the API's included
    gc.collect()
    gc.freeze()


def _listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise CommandError(listen_problem(host, port, exc)) from exc
    sock.listen(1024)
    return sock


def serve_workers(
    application: Any,
    *,
    host: str,
    port: int,
    threads: int,
    workers: int,
    write: Callable[[str], Any],
    jobs: bool = True,
) -> None:
    """Fork `workers` waitress processes sharing one listening socket; stop them all on Ctrl-C/SIGTERM."""
    from django.db import connections
    from waitress.server import create_server

    if not hasattr(os, "fork"):
        raise CommandError("--workers 需要 POSIX 系统（Linux、macOS）。--workers needs a POSIX system.")
    sock = _listening_socket(host, port)
    connections.close_all()  # each worker opens its own database connections
    children: list[int] = []
    for _i in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop, never return into the parent's code
            signal.signal(signal.SIGTERM, _stop)
            try:
                create_server(application, sockets=[sock], threads=threads).run()
            except KeyboardInterrupt:
                pass
            finally:
                os._exit(0)
        children.append(pid)
    # Background jobs run once, in the parent, started after the fork so no worker inherits their threads.
    consumer = start_background_jobs() if jobs else None
    write(
        f"管家已启动 Guanjia is running: {url_for(host, port)}  （{workers} 个进程 workers；按 Ctrl-C 停止）"
    )
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        for pid in children:
            os.waitpid(pid, 0)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        sock.close()
        stop_background_jobs(consumer)
    write("已停止。Stopped.")


class Command(BaseCommand):
    help = "启动网站（waitress）。Serve Guanjia with a production-grade WSGI server."
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument(
            "--workers", type=int, default=1, help="进程数 worker processes sharing the port (%(default)s)"
        )
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="不在本进程运行后台任务（另行运行 guanjia run_huey）/ run background jobs elsewhere",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, workers: int, no_jobs: bool, **options: Any
    ) -> None:
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        serve_forever(
            host=host,
            port=port,
            threads=threads,
            write=self.stdout.write,
            workers=max(1, workers),
            jobs=not no_jobs,
        )
