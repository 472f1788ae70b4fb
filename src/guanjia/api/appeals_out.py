"""Rendering appeals for the JSON API (and the labels Open311 shares). Phones are masked everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.appeals import states
from guanjia.appeals.models import Appeal, Category, Status, Transfer
from guanjia.appeals.permissions import may
from guanjia.appeals.selectors import OPEN
from guanjia.people import permissions as perms

# What the event log calls the things the system does by itself.
SYSTEM_LABELS: dict[str, Any] = {
    "submit": _("提交"),
    "route": _("分派"),
    "warn": _("临期预警"),
    "escalate": _("超时升级"),
    "me_too": _("附议"),
    "callback_due": _("待回访"),
}


def action_label(action: str) -> str:
    row = states.TABLE.get(action)
    return str(row.label if row else SYSTEM_LABELS.get(action, action))


def local(value: dt.datetime | None) -> dt.datetime | None:
    """Times in the local zone (+08:00): what people reading the JSON expect."""
    return None if value is None else timezone.localtime(value)


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def category_ref(c: Category) -> dict[str, Any]:
    return {"id": c.pk, "code": c.code, "name": c.name}


def category_out(c: Category) -> dict[str, Any]:
    return {
        **category_ref(c),
        "group": c.group,
        "handler_kind": {"code": c.handler_kind, "label": str(c.get_handler_kind_display())},
        "case_type": {"code": c.case_type, "label": str(c.get_case_type_display())},
        "response_hours": c.response_hours,
        "resolve_hours": c.resolve_hours,
        "warn_hours": c.warn_hours,
        "photo_required": c.photo_required,
    }


def due_of(a: Appeal) -> dt.datetime:
    """The deadline that matters now: the response deadline while waiting, else the (committed) resolution."""
    return a.response_due if a.status == Status.SUBMITTED else a.effective_due


def appeal_out(a: Appeal, now: dt.datetime | None = None) -> dict[str, Any]:
    """The list shape; needs category, compound and assignee loaded."""
    due = due_of(a)
    return {
        "id": a.pk,
        "number": a.number or "",
        "title": a.title,
        "status": a.status,
        "status_label": str(Status(a.status).label),
        "category": category_ref(a.category),
        "compound": ref(a.compound),
        "channel": a.channel,
        "assignee": ref(a.assignee),
        "submitted_at": local(a.submitted_at),
        "response_due": local(a.response_due),
        "resolve_due": local(a.resolve_due),
        "committed_due": local(a.committed_due),
        "due": local(due),
        "overdue": a.status in OPEN and due < (now or timezone.now()),
        "escalation_level": a.escalation_level,
        "urge_count": a.urge_count,
        "me_too_count": a.me_too_count,
        "reopen_count": a.reopen_count,
        "rating": a.rating,
    }


def allowed_actions(user: Any, a: Appeal) -> list[dict[str, str]]:
    """The transitions of the one table this caller may take now (the same check transitions.act makes)."""
    scope = perms.scope_for(user)
    return [
        {"code": row.action, "label": str(row.label)}
        for row in states.TABLE.values()
        if a.status in row.sources and may(scope, row.actor, a)
    ]


def address_of(a: Appeal) -> str:
    """Compound, building, entrance, room, then the free-text spot (needs dwelling__entrance__building)."""
    place = [a.compound.name]
    if a.dwelling is not None:
        d = a.dwelling
        place += [d.entrance.building.name, d.entrance.name, d.number]
    return " ".join(p for p in [*place, a.location] if p)


def appeal_detail(request: HttpRequest, user: Any, a: Appeal) -> dict[str, Any]:
    """Everything about one appeal the caller may see: its timeline, hand-off trail, pending transfer."""
    now = timezone.now()
    events = a.events.order_by("at", "id")
    holdings = a.holdings.select_related("person", "agency", "handed_by").order_by("since", "id")
    pending = (
        a.transfers.filter(state=Transfer.State.PENDING)
        .select_related("from_person", "to_person", "to_agency")
        .first()
    )
    return {
        **appeal_out(a, now),
        "description": a.description,
        "location": a.location,
        "address": address_of(a),
        "household_id": a.household_id,
        "agency": ref(a.agency),
        "accountable": ref(a.accountable),
        "submitter": None
        if a.submitter is None
        else {"id": a.submitter.pk, "name": a.submitter.name, "phone": a.submitter.phone_masked},
        "contact_phone": a.contact_phone_masked,
        "accepted_at": local(a.accepted_at),
        "resolved_at": local(a.resolved_at),
        "closed_at": local(a.closed_at),
        "resolution_note": a.resolution_note,
        "rating_comment": a.rating_comment,
        "callback_needed": a.callback_needed,
        "events": [
            {
                "at": local(e.at),
                "action": e.action,
                "action_label": action_label(e.action),
                "actor": e.actor_label,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "data": e.data,
            }
            for e in events
        ],
        "holdings": [
            {
                "person": ref(h.person),
                "agency": ref(h.agency),
                "handed_by": ref(h.handed_by),
                "reason": h.reason,
                "since": local(h.since),
                "until": local(h.until),
                "hours": round(((h.until or now) - h.since).total_seconds() / 3600, 2),
            }
            for h in holdings
        ],
        "pending_transfer": None
        if pending is None
        else {
            "id": pending.pk,
            "from_person": ref(pending.from_person),
            "to_person": ref(pending.to_person),
            "to_agency": ref(pending.to_agency),
            "reason": pending.reason,
            "requested_at": local(pending.requested_at),
        },
        "photos": [
            {"id": p.pk, "stage": p.stage, "url": request.build_absolute_uri(p.image.url)}
            for p in a.photos.order_by("uploaded_at", "id")
        ],
        "allowed_actions": allowed_actions(user, a),
    }
