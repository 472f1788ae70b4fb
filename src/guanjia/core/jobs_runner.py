"""Run the background jobs (huey: deadline ticks, notification deliveries) inside the web server's process,
so `guanjia demo` / `guanjia serve` need no second command. A larger deployment runs `guanjia run_huey`
separately and starts the server with `--no-jobs`."""

from __future__ import annotations

import signal
from typing import Any

_SIGNALS = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]


def start_background_jobs(workers: int = 2) -> Any:
    """Start huey's scheduler and worker threads; returns the consumer (call .stop()) or None when jobs
    run inline (immediate mode)."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return None
    register_tasks()
    # The consumer installs its own signal handlers; the server keeps handling Ctrl-C itself.
    saved = {s: signal.getsignal(s) for s in _SIGNALS}
    consumer = HUEY.create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=False
    )
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    return consumer


def register_tasks() -> None:
    """Import every app's tasks module, so the consumer knows their tasks and periodic jobs (run_huey
    does the same); jobs enqueued by the web workers would otherwise be unknown to it."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")


def stop_background_jobs(consumer: Any) -> None:
    if consumer is not None:
        consumer.stop(graceful=True)
