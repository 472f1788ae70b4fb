"""Recording who changed what, when, through what and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanjia.core.audit import current_actor
from guanjia.decisions.models import DecisionEvent


def record_event(
    kind: str, *, user: Any, at: dt.datetime, reason: str = "", data: Any = None, **subject: Any
) -> DecisionEvent:
    actor = current_actor()
    real_user = user if getattr(user, "is_authenticated", False) else None
    return DecisionEvent.objects.create(
        kind=kind,
        actor=real_user,
        actor_label=(getattr(real_user, "username", "") or actor.label)[:150],
        via=actor.via[:20],
        at=at,
        reason=reason[:300],
        data=data or {},
        **subject,
    )
