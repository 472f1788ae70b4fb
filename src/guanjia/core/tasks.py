"""Background jobs of the core app (huey). Tasks only fetch and call a service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from guanjia.core import notify


@db_task(retries=3, retry_delay=30)
def deliver_notifications(ids: list[int]) -> int:
    return notify.deliver(ids)
