"""Reads of appeals, always scoped by the caller (appeals.permissions.appeal_q)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from guanjia.appeals.models import Appeal, Category, Status, Transfer
from guanjia.appeals.permissions import appeal_parts, appeal_q
from guanjia.core.memo import Memo
from guanjia.core.rows import Rows
from guanjia.people import permissions as perms
from guanjia.places.models import Dwelling

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
        due=Case(
            When(status=Status.SUBMITTED, then=F("response_due")),
            default=Coalesce("committed_due", "resolve_due"),
        )
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
    """The staff workbench queue, soonest deadline first: open appeals unless `status` names one
    (or is "all").

    The caller's scope is read as the UNION of its parts (permissions.appeal_parts), each with the
    filters, rather than as their OR: the OR makes both databases test every open appeal of the
    database, the UNION reads the caller's own through the indexes."""
    now = now or timezone.now()
    found = _queue_ids(
        user,
        mine=mine,
        status=status,
        compound_id=compound_id,
        category_id=category_id,
        since=since,
        until=until,
    )
    qs = with_due(Appeal.objects.filter(found if isinstance(found, Q) else Q(pk__in=found)))
    if overdue:
        qs = qs.filter(due__lt=now)  # type: ignore[misc]  # `due` is annotated by with_due()
    return qs.select_related("category", "compound", "assignee").order_by("due", "id")


def queue_page(qs: QuerySet[Appeal], start: int, stop: int) -> list[Appeal]:
    """qs[start:stop] of a queue in two reads: the ids of the page in the queue's order, then those rows
    with their category, compound and assignee. Ordering needs every appeal of the queue, but only its
    deadline and id: in one read, PostgreSQL joined all of them to their category, compound and assignee
    before sorting (24 ms for the secretary's 3,564 instead of 8 + 1)."""
    ids = list(qs.values_list("pk", flat=True)[start:stop])
    rows = Appeal.objects.filter(pk__in=ids).select_related("category", "compound", "assignee")
    by_id = {a.pk: a for a in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def queue_count(user: Any, **filters: Any) -> int:
    """How many appeals queue(user, **filters) holds, counting the ids of the UNION without reading the
    rows (which the deadline needs: with `overdue`, the queue itself is counted)."""
    if filters.get("overdue"):
        return queue(user, **filters).count()
    filters.pop("overdue", None)
    filters.pop("now", None)
    found = _queue_ids(user, **filters)
    return Appeal.objects.filter(found).count() if isinstance(found, Q) else found.count()


def _queue_ids(
    user: Any,
    *,
    mine: bool = False,
    status: str | None = None,
    compound_id: int | None = None,
    category_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Q | QuerySet[Any]:
    """The queue's appeals before the deadline: a filter when one part (or none) is enough, else the
    UNION of the ids of each part of the caller's scope with the filters."""
    scope = perms.scope_for(user)
    filters = Q()
    if status != "all":
        filters &= Q(status=status) if status else Q(status__in=OPEN)
    if compound_id is not None:
        filters &= Q(compound_id=compound_id)
    if category_id is not None:
        filters &= Q(category_id=category_id)
    if since is not None:
        filters &= Q(submitted_at__gte=since)
    if until is not None:
        filters &= Q(submitted_at__lt=until)
    parts: list[Q] | None
    if mine and scope.person_id is None:
        parts = []  # an account without a person holds nothing (and assignee=None means unrouted)
    elif mine:
        # Both are parts of appeal_q too (what one holds, what one is asked to take over), so the
        # scope adds nothing. A pending transfer by subquery, not a join: a join on transfers repeats
        # an appeal once per past transfer.
        offered = Transfer.objects.filter(to_person_id=scope.person_id, state=Transfer.State.PENDING)
        parts = [Q(assignee_id=scope.person_id), Q(pk__in=offered.values("appeal_id"))]
    else:
        parts = appeal_parts(scope)
    if parts is None:
        return filters
    if len(parts) <= 1:
        return filters & (parts[0] if parts else perms.NOTHING)
    branches = [Appeal.objects.filter(part, filters).order_by().values("pk") for part in parts]
    return branches[0].union(*branches[1:])


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


def joinable(user: Any, pk: int) -> Appeal:
    """An open appeal of one of the caller's home compounds, which they may join ("me too") without
    being allowed to read it; Appeal.DoesNotExist otherwise."""
    scope = perms.scope_for(user)
    homes = Dwelling.objects.filter(pk__in=sorted(scope.dwelling_ids)).values("compound_id")
    return Appeal.objects.filter(
        compound_id__in=homes, status__in=(Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)
    ).get(pk=pk)


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("sort", "id")


_CATEGORY_BY = {
    column: Rows(Category, f"SELECT * FROM {Category._meta.db_table} WHERE {column} = %s")  # noqa: S608
    for column in ("id", "code")
}


_CATEGORIES: Memo[Category | None] = Memo("categories", depends_on=["appeals.Category"])


def category_by(*, pk: int | None = None, code: str | None = None) -> Category | None:
    """One category by id or code (read-only: memoised, see core.memo), without building a QuerySet:
    every submission asks."""
    if pk is not None:
        return _CATEGORIES.get(("id", pk), lambda: _CATEGORY_BY["id"].first([pk]))
    return _CATEGORIES.get(("code", code), lambda: _CATEGORY_BY["code"].first([code]))
