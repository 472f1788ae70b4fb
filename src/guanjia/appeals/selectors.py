"""Reads of appeals, always scoped by the caller (appeals.permissions.appeal_q)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from guanjia.appeals.models import Appeal, Category, Status
from guanjia.appeals.permissions import appeal_q
from guanjia.people import permissions as perms

OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REJECTION_PENDING)


def appeals_for(user: Any) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeal_q(perms.scope_for(user)))


def access_appeal(user: Any, pk: int) -> Appeal:
    """The appeal if the caller may see it; Appeal.DoesNotExist otherwise (never leaks existence)."""
    return (
        appeals_for(user)
        .select_related(
            "category",
            "compound__community",
            "dwelling__entrance__building",
            "assignee",
            "accountable",
            "agency",
            "submitter",
        )
        .get(pk=pk)
    )


def with_due(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Annotate the deadline that matters now: response while waiting, else the (committed) resolution."""
    return qs.annotate(
        due=Coalesce("committed_due", "resolve_due"),
    )


def queue(
    user: Any,
    *,
    mine: bool = False,
    status: str | None = None,
    overdue: bool = False,
    compound_id: int | None = None,
    category_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Appeal]:
    """The staff workbench queue: open appeals first, soonest deadline first."""
    now = now or timezone.now()
    scope = perms.scope_for(user)
    qs = with_due(appeals_for(user))
    if mine:
        qs = qs.filter(
            Q(assignee_id=scope.person_id)
            | Q(transfers__to_person_id=scope.person_id, transfers__state="pending")
        )
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN)
    if overdue:
        qs = qs.filter(
            Q(status=Status.SUBMITTED, response_due__lt=now) | Q(~Q(status=Status.SUBMITTED), due__lt=now)
        )
    if compound_id is not None:
        qs = qs.filter(compound_id=compound_id)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    if until is not None:
        qs = qs.filter(submitted_at__lt=until)
    return qs.select_related("category", "compound", "assignee").order_by("due", "id")


def similar_open(
    user: Any, *, compound_id: int, category_id: int | None = None, limit: int = 5
) -> list[Appeal]:
    """Open appeals in the same compound (same category first) a resident may join instead of filing anew."""
    qs = Appeal.objects.filter(
        compound_id=compound_id, status__in=(Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)
    )
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    return list(qs.select_related("category").order_by("-me_too_count", "-submitted_at")[:limit])


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("sort", "id")
