"""The in-app notification centre: the caller's own notifications, unread first; mark read, mark all read.

Every read and write is limited to request.user's rows, so another user's notification is simply not found."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.core.models import Notification
from guanjia.web.decorators import login_required

PAGE = 30


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=user.pk)


def mark_read(*, user: Any, pk: int | None = None) -> int:
    """Mark one (or, without pk, every) unread notification of the user read; returns how many changed."""
    rows = notifications_of(user).filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())


@login_required
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    rows = notifications_of(request.user).order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    unread = notifications_of(request.user).filter(read_at__isnull=True).count()
    return render(
        request,
        "web/notifications/list.html",
        {"nav_key": "notifications", "page": page, "unread": unread},
    )


def _own(request: HttpRequest, pk: int) -> Notification:
    found = notifications_of(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("没有找到该通知"))
    return found


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read; over htmx the row is swapped in place, otherwise back to the list."""
    found = _own(request, pk)
    mark_read(user=request.user, pk=found.pk)
    if request.headers.get("HX-Request"):
        found.refresh_from_db()
        return render(request, "web/notifications/_row.html", {"n": found})
    return redirect("web:notifications")


@login_required
@require_POST
def open_(request: HttpRequest, pk: int) -> HttpResponse:
    """Open what the notification is about, and count it read."""
    found = _own(request, pk)
    mark_read(user=request.user, pk=found.pk)
    safe = url_has_allowed_host_and_scheme(found.url, allowed_hosts={request.get_host()})
    return redirect(found.url if found.url and safe else "web:notifications")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)
    return redirect("web:notifications")


def unread_count(user_id: int | None, cap: int = 100) -> int:
    """For the navigation badge: one indexed query, counting at most `cap` rows."""
    if user_id is None:
        return 0
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).order_by()[:cap].count()
