"""The appeal's event log and the notifications that go with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from guanjia.appeals.models import Appeal, AppealEvent
from guanjia.core import notify
from guanjia.people.models import Person


def build(
    appeal: Appeal,
    action: str,
    *,
    user: Any = None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AppealEvent:
    """An unsaved event, for writing several in one statement."""
    actor = user if getattr(user, "is_authenticated", False) else None
    return AppealEvent(
        appeal=appeal,
        at=at,
        action=action,
        actor=actor,
        actor_label=getattr(actor, "username", "") or "系统",
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )


def record(
    appeal: Appeal,
    action: str,
    *,
    user: Any = None,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> AppealEvent:
    event = build(
        appeal, action, user=user, at=at, from_status=from_status, to_status=to_status, note=note, data=data
    )
    event.save()
    return event


def user_ids_of(person_ids: list[int | None]) -> list[int]:
    """The login accounts of these people (who have one). A plain query: every submission asks."""
    ids = sorted({p for p in person_ids if p is not None})
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id FROM {Person._meta.db_table} "  # noqa: S608 (table name and placeholders)
            f"WHERE id IN ({marks}) AND user_id IS NOT NULL ORDER BY id",
            ids,
        )
        return [row[0] for row in cursor.fetchall()]


def notify_people(appeal: Appeal, person_ids: list[int | None], title: str, kind: str = "appeal") -> None:
    _notify_users(appeal, user_ids_of(person_ids), title, kind)


def _notify_users(appeal: Appeal, user_ids: list[int], title: str, kind: str = "appeal") -> None:
    url = f"/appeals/{appeal.pk}/"
    body = f"{appeal.number or ''} {appeal.title}".strip()
    notify.notify(notify.Message(user_id=u, kind=kind, title=title, body=body, url=url) for u in user_ids)


def notify_holder(appeal: Appeal, title: str) -> None:
    if Appeal.assignee.is_cached(appeal):  # loaded already (a new appeal's reply names the holder)
        holder = appeal.assignee
        _notify_users(appeal, [holder.user_id] if holder and holder.user_id else [], title)
        return
    notify_people(appeal, [appeal.assignee_id], title)


def notify_resident(appeal: Appeal, title: str) -> None:
    url = f"/appeals/{appeal.pk}/"
    message = notify.Message(
        user_id=appeal.submitted_by_id, kind="appeal", title=title, body=appeal.title, url=url
    )
    notify.notify([message])
