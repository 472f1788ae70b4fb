"""Periodic jobs (huey): open and close owners' votes on time, every five minutes. The task only calls
the job, which is idempotent."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanjia.decisions import jobs


@db_periodic_task(crontab(minute="*/5"))
def decisions_tick() -> None:
    jobs.tick()
