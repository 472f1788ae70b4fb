"""The resident's appeal pages: 我要反映 (submit, with similar open appeals to join), 我的诉求, and the
home-page widgets. Thin: reads through appeals.selectors, writes through appeals.services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.appeals import selectors, services
from guanjia.appeals.models import Appeal, Category, Channel, Status
from guanjia.people import permissions as perms
from guanjia.people.models import Household
from guanjia.people.selectors import households_for
from guanjia.web import views_appeals_common as common
from guanjia.web.decorators import login_required

MINE_PAGE = 20
SUBMIT_FIELDS = ("category", "household", "title", "description", "location", "photos")
HOME_OPEN_LIMIT = 5


def my_households(user: Any) -> list[Household]:
    """The caller's own households (not every household a staff member may see)."""
    scope = perms.scope_for(user)
    if not scope.household_ids:
        return []
    return list(
        households_for(user)
        .filter(pk__in=sorted(scope.household_ids))
        .select_related("dwelling__compound", "dwelling__entrance__building")
        .order_by("id")
    )


def grouped_categories() -> list[tuple[str, list[Category]]]:
    groups: dict[str, list[Category]] = {}
    for category in selectors.active_categories():
        groups.setdefault(category.group or _("其他"), []).append(category)
    return list(groups.items())


def _pick_household(households: list[Household], value: Any) -> Household | None:
    if len(households) == 1:
        return households[0]
    wanted = common.int_or_none(value)
    return next((h for h in households if h.pk == wanted), None)


def _submit_context(request: HttpRequest, households: list[Household], **extra: Any) -> dict[str, Any]:
    return {
        "nav_key": "appeals-new",
        "households": households,
        "groups": grouped_categories(),
        "max_photos": services.MAX_PHOTOS,
        "values": {},
        "errors": {},
        **extra,
    }


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    """我要反映: one form, field errors next to the fields, nothing lost on error, filed once per form."""
    households = my_households(request.user)
    if not households:
        scope = perms.scope_for(request.user)
        return render(
            request,
            "web/appeals/submit.html",
            {"nav_key": "appeals-new", "no_household": True, "is_staff": scope.is_staff_role},
            status=403,
        )
    if request.method != "POST":
        return render(
            request,
            "web/appeals/submit.html",
            _submit_context(request, households, key=common.new_form_key()),
        )
    values = {
        k: request.POST.get(k, "") for k in ("category", "household", "title", "description", "location")
    }
    key = request.POST.get("key", "") or common.new_form_key()
    category = common.pick(selectors.active_categories(), values["category"])
    household = _pick_household(households, values["household"])
    photos = request.FILES.getlist("photos")
    errors: dict[str, list[str]] = {}
    if household is None:
        errors["household"] = [_("请选择您的住户")]
    if category is None:
        errors["category"] = [_("请选择问题类别")]
    if not errors and category is not None:
        try:
            appeal, _created = services.submit_appeal(
                user=request.user,
                category=category,
                title=values["title"],
                description=values["description"],
                location=values["location"],
                channel=Channel.WEB,
                household=household,
                photos=photos,
                idempotency_key=key,
            )
        except ValidationError as error:
            errors = common.field_errors(error, SUBMIT_FIELDS)
        except PermissionDenied as refusal:
            errors = {"all": [str(refusal) or _("您不能提交诉求")]}
        else:
            messages.success(
                request, _("已提交，编号 %(number)s。处理进展会通知您。") % {"number": appeal.number}
            )
            return redirect("web:appeals-detail", pk=appeal.pk)
    context = _submit_context(
        request, households, key=key, values=values, errors=errors, had_photos=bool(photos)
    )
    return render(request, "web/appeals/submit.html", context, status=422)


@login_required
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """htmx: open appeals of the same kind in the resident's compound — titles and counts only."""
    households = my_households(request.user)
    household = _pick_household(households, request.GET.get("household"))
    category_id = common.int_or_none(request.GET.get("category"))
    rows: list[Appeal] = []
    if household is not None and category_id is not None:
        rows = selectors.similar_open(
            request.user, compound_id=household.dwelling.compound_id, category_id=category_id
        )
    return render(request, "web/appeals/_similar.html", {"rows": rows})


@login_required
@require_POST
def me_too(request: HttpRequest, pk: int) -> HttpResponse:
    """我也遇到: join a neighbour's open appeal instead of filing the same thing again."""
    try:
        appeal = selectors.joinable(request.user, pk)
    except Appeal.DoesNotExist:
        raise Http404(_("没有找到该诉求")) from None
    try:
        joined = services.me_too(user=request.user, appeal=appeal)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return _go(request, "web:appeals-new")
    if joined:
        messages.success(request, _("已附议“%(title)s”，社区会一并处理。") % {"title": appeal.title})
    else:
        messages.info(request, _("您已经附议过“%(title)s”。") % {"title": appeal.title})
    return _go(request, "web:appeals-mine")


def _go(request: HttpRequest, name: str) -> HttpResponse:
    """A redirect that also works for an htmx button (the whole page moves on)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(name)
        return response
    return redirect(name)


def mine_q(user: Any) -> Q:
    """What counts as 'mine' for a resident: filed by me, for me, or for my household."""
    scope = perms.scope_for(user)
    q = Q(submitted_by_id=scope.user_id)
    if scope.person_id is not None:
        q |= Q(submitter_id=scope.person_id)
    if scope.household_ids:
        q |= Q(household_id__in=sorted(scope.household_ids))
    return q


def my_appeals(user: Any) -> QuerySet[Appeal]:
    return (
        selectors.appeals_for(user)
        .filter(mine_q(user))
        .select_related("category", "compound")
        .order_by("-submitted_at", "-id")
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(my_appeals(request.user), MINE_PAGE).get_page(request.GET.get("page"))
    common.mark_urgency(page.object_list)
    return render(request, "web/appeals/mine.html", {"nav_key": "appeals", "page": page})


# --- home-page widgets (included by the lead's home templates) ------------------------------------


def home_resident(request: HttpRequest) -> dict[str, Any]:
    """Context of web/appeals/_home_resident.html: my open appeals and those waiting for my rating."""
    waiting = (*selectors.OPEN, Status.RESOLVED)
    rows = list(my_appeals(request.user).filter(status__in=waiting)[:HOME_OPEN_LIMIT])
    return {"appeals_home": {"rows": common.mark_urgency(rows)}}


def home_staff(request: HttpRequest) -> dict[str, Any]:
    """Context of web/appeals/_home_staff.html: open, overdue, near due and waiting for me (two queries)."""
    now = timezone.now()
    scope = perms.scope_for(request.user)
    qs = selectors.queue(request.user, now=now)
    overdue = Q(status=Status.SUBMITTED, response_due__lt=now) | Q(~Q(status=Status.SUBMITTED), due__lt=now)
    counts = qs.order_by().aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=overdue),
        near=Count("pk", filter=near_due_q(now) & ~overdue),
        mine=Count("pk", filter=Q(assignee_id=scope.person_id) if scope.person_id else perms.NOTHING),
    )
    return {"appeals_home": {"counts": counts}}


def near_due_q(now: dt.datetime) -> Q:
    """Inside the category's warning lead time (a handful of distinct lead times, so one OR per value)."""
    hours = sorted(set(Category.objects.values_list("warn_hours", flat=True)))
    parts = [
        Q(category__warn_hours=h)
        & (
            Q(status=Status.SUBMITTED, response_due__lt=now + dt.timedelta(hours=h))
            | Q(~Q(status=Status.SUBMITTED), due__lt=now + dt.timedelta(hours=h))
        )
        for h in hours
    ]
    return perms._any(*parts)
