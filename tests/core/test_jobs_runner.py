"""The in-process job consumer knows every app's tasks, so jobs enqueued by the web workers run."""

from __future__ import annotations

from huey.contrib.djhuey import HUEY

from guanjia.core.jobs_runner import register_tasks


def test_the_consumer_registers_every_apps_tasks_and_periodic_jobs():
    register_tasks()
    names = set(HUEY._registry._registry)
    assert {
        "guanjia.core.tasks.deliver_notifications",
        "guanjia.core.tasks.sweep_notifications",
        "guanjia.appeals.tasks.appeals_tick",
        "guanjia.decisions.tasks.decisions_tick",
    } <= names
