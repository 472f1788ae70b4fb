"""Background jobs of the core app (huey). Tasks only fetch and call a service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from guanjia.core import notify


@db_task(retries=3, retry_delay=30)
def deliver_notifications(ids: list[int] | None = None) -> int:
    """`ids`: jobs queued before the outbox existed still name their notifications; the outbox holds
    them all the same, so they are not needed."""
    return notify.deliver_pending()


@db_periodic_task(crontab())
def sweep_notifications() -> int:
    """Every minute: whatever a lost delivery job left in the outbox."""
    return notify.deliver_pending()
