"""The appeal's event log and the notifications that go with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from guanjia.appeals.models import Appeal, AppealEvent
from guanjia.core import notify


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


def users_of(person_ids: list[int | None]) -> list[Any]:
    ids = [p for p in person_ids if p is not None]
    return list(get_user_model().objects.filter(person__pk__in=ids)) if ids else []


def notify_people(appeal: Appeal, person_ids: list[int | None], title: str, kind: str = "appeal") -> None:
    url = f"/appeals/{appeal.pk}/"
    body = f"{appeal.number or ''} {appeal.title}".strip()
    notify.notify(
        notify.Message(user=u, kind=kind, title=title, body=body, url=url) for u in users_of(person_ids)
    )


def notify_holder(appeal: Appeal, title: str) -> None:
    notify_people(appeal, [appeal.assignee_id], title)


def notify_resident(appeal: Appeal, title: str) -> None:
    users = [appeal.submitted_by] if appeal.submitted_by_id else []
    url = f"/appeals/{appeal.pk}/"
    notify.notify(
        notify.Message(user=u, kind="appeal", title=title, body=appeal.title, url=url) for u in users
    )
