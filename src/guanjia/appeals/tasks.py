"""Periodic jobs (huey): the deadline tick every five minutes. Tasks only call the service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from guanjia.appeals import jobs


@db_periodic_task(crontab(minute="*/5"))
def appeals_tick() -> None:
    jobs.tick()
