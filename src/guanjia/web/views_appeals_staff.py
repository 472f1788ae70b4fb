"""The staff workbench 工作台: the queue by deadline, bulk assign for cadres, and entry on a resident's behalf
(phone, visit, walk-in). Reads through appeals.selectors and the places/people selectors; writes through
appeals.services and appeals.transitions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from guanjia.appeals import selectors, services
from guanjia.appeals.models import STAFF_CHANNELS, Appeal, Channel, Status
from guanjia.appeals.states import TransitionRefused
from guanjia.appeals.transitions import Act, act
from guanjia.people import permissions as perms
from guanjia.people.models import Person, Residency, Role
from guanjia.people.selectors import persons_for
from guanjia.places import selectors as places
from guanjia.web import queries
from guanjia.web import views_appeals as resident_views
from guanjia.web import views_appeals_common as common
from guanjia.web.decorators import login_required

QUEUE_PAGE = 50
COMPOUND_CHOICES = 300
DWELLING_CHOICES = 2000
# Those who mostly hold appeals start on their own queue; supervisors start on everything in scope.
SUPERVISING = (Role.CADRE, Role.SECRETARY, Role.OFFICIAL, Role.AGENCY_STAFF)


def _require_staff(request: HttpRequest) -> perms.Scope:
    scope = perms.scope_for(request.user)
    perms.require(scope.is_staff_role, _("只有工作人员可以使用工作台"))
    return scope


def _filters(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    get = request.GET
    default_mine = not (scope.is_admin or scope.has(*SUPERVISING))
    return {
        "status": get.get("status", "") if get.get("status", "") in (*Status.values, "all") else "",
        "mine": get.get("who", "mine" if default_mine else "all") == "mine",
        "overdue": get.get("overdue") == "1",
        "compound_id": common.int_or_none(get.get("compound")),
        "category_id": common.int_or_none(get.get("category")),
    }


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    scope = _require_staff(request)
    filters = _filters(request, scope)
    now = timezone.now()
    qs = selectors.queue(request.user, now=now, **filters)
    page = Paginator(qs, QUEUE_PAGE).get_page(request.GET.get("page"))
    common.mark_urgency(page.object_list, now)
    can_assign = common.may_bulk_assign(scope)
    context = {
        "nav_key": "workbench",
        "page": page,
        "filters": filters,
        "statuses": Status.choices,
        "compounds": list(places.compounds_for(request.user).order_by("name")[:COMPOUND_CHOICES]),
        "categories": list(selectors.active_categories()),
        "can_assign": can_assign,
        "assignees": _assignees(request, [a.compound_id for a in page.object_list]) if can_assign else [],
    }
    return render(request, "web/appeals/workbench.html", context)


def _assignees(request: HttpRequest, shown: list[int]) -> list[common.StaffChoice]:
    scope = perms.scope_for(request.user)
    compounds = common.supervised_compounds(request.user)
    if scope.is_admin:
        compounds = sorted(set(compounds) | set(shown))
    return common.staff_choices(compounds)


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """A cadre picks rows of the queue and gives them to one person; each is its own `assign` transition."""
    scope = _require_staff(request)
    perms.require(common.may_bulk_assign(scope), _("只有包片干部或社区书记可以批量指派"))
    back = request.POST.get("back", "") or "/workbench/"
    ids = sorted(
        {i for i in (common.int_or_none(v) for v in request.POST.getlist("appeal")) if i is not None}
    )
    wanted = common.int_or_none(request.POST.get("to"))
    rows = list(selectors.appeals_for(request.user).filter(pk__in=ids).select_related("compound"))
    choices = _assignees(request, [a.compound_id for a in rows])
    person = next((c.person for c in choices if c.person.pk == wanted), None)
    if not rows or person is None:
        messages.error(request, _("请勾选诉求并选择承办人"))
        return redirect(_safe(back))
    done, refused = 0, []
    for appeal in rows:
        try:
            act(
                user=request.user,
                appeal=appeal,
                request=Act("assign", note=request.POST.get("note", ""), to_person=person),
            )
            done += 1
        except (TransitionRefused, ValidationError, Appeal.DoesNotExist) as error:
            refused.append(f"{appeal.number}：{getattr(error, 'message', None) or _('未能指派')}")
    if done:
        messages.success(
            request,
            ngettext("已将 %(n)d 条诉求指派给 %(name)s", "已将 %(n)d 条诉求指派给 %(name)s", done)
            % {"n": done, "name": person.name},
        )
    if refused:
        messages.error(request, _("未能指派：") + "；".join(refused))
    return redirect(_safe(back))


def _safe(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else "/workbench/"


# --- entry on a resident's behalf ----------------------------------------------------------------


def _entry_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "nav_key": "workbench",
        "channels": [(c.value, c.label) for c in Channel if c in STAFF_CHANNELS],
        "compounds": list(places.compounds_for(request.user).order_by("name")[:COMPOUND_CHOICES]),
        "groups": resident_views.grouped_categories(),
        "max_photos": services.MAX_PHOTOS,
        "values": {"channel": Channel.PHONE},
        "errors": {},
        "dwellings": [],
        "submitter": None,
        **extra,
    }


FIELDS = ("channel", "compound", "dwelling", "submitter", "category", "title", "description", "location")


@login_required
def entry(request: HttpRequest) -> HttpResponse:
    """代为登记: a staff member files what a resident said on the phone, on a visit, or at the desk."""
    _require_staff(request)
    if request.method != "POST":
        return render(request, "web/appeals/entry.html", _entry_context(request, key=common.new_form_key()))
    values = {k: request.POST.get(k, "") for k in FIELDS}
    key = request.POST.get("key", "") or common.new_form_key()
    errors: dict[str, list[str]] = {}
    compound = common.pick(places.compounds_for(request.user), values["compound"])
    if compound is None:
        errors["compound"] = [_("请选择小区")]
    dwelling = None
    if compound is not None and values["dwelling"]:
        dwelling = common.pick(
            places.dwellings_for(request.user).filter(compound=compound), values["dwelling"]
        )
        if dwelling is None:
            errors["dwelling"] = [_("房屋不在所选小区")]
    submitter = None
    if values["submitter"]:
        submitter = common.pick(persons_for(request.user), values["submitter"])
        if submitter is None:
            errors["submitter"] = [_("没有找到该居民")]
    category = common.pick(selectors.active_categories(), values["category"])
    if category is None:
        errors["category"] = [_("请选择问题类别")]
    if not errors and compound is not None and category is not None:
        if dwelling is None and submitter is not None:
            dwelling = _home_of(submitter, compound.pk)
        try:
            appeal, _created = services.submit_appeal(
                user=request.user,
                category=category,
                title=values["title"],
                description=values["description"],
                location=values["location"],
                channel=values["channel"],
                compound=compound,
                dwelling=dwelling,
                submitter=submitter,
                photos=request.FILES.getlist("photos"),
                idempotency_key=key,
            )
        except ValidationError as error:
            errors = common.field_errors(error, (*FIELDS, "photos"))
        except PermissionDenied as refusal:
            errors = {"all": [str(refusal)]}
        else:
            messages.success(request, _("已登记，编号 %(number)s") % {"number": appeal.number})
            return redirect("web:appeals-detail", pk=appeal.pk)
    context = _entry_context(
        request,
        key=key,
        values=values,
        errors=errors,
        dwellings=_dwellings(request, compound.pk) if compound is not None else [],
        submitter=submitter,
    )
    return render(request, "web/appeals/entry.html", context, status=422)


def _home_of(person: Person, compound_id: int) -> Any:
    residency = (
        Residency.objects.filter(
            perms.in_force(), person=person, household__dwelling__compound_id=compound_id
        )
        .select_related("household__dwelling")
        .first()
    )
    return residency.household.dwelling if residency is not None else None


def _dwellings(request: HttpRequest, compound_id: int | None) -> list[Any]:
    if compound_id is None:
        return []
    return list(
        places.dwellings_for(request.user)
        .filter(compound_id=compound_id)
        .order_by("entrance__building_id", "entrance_id", "number")[:DWELLING_CHOICES]
    )


@login_required
@require_GET
def entry_dwellings(request: HttpRequest) -> HttpResponse:
    """htmx: the dwellings of the chosen compound, within the caller's scope."""
    _require_staff(request)
    compound_id = common.int_or_none(request.GET.get("compound"))
    context = {"dwellings": _dwellings(request, compound_id), "values": {}}
    return render(request, "web/appeals/_dwelling_options.html", context)


@login_required
@require_GET
def entry_submitters(request: HttpRequest) -> HttpResponse:
    """htmx: residents of the chosen compound matching the search (people.selectors scope)."""
    _require_staff(request)
    q = request.GET.get("q", "").strip()
    compound_id = common.int_or_none(request.GET.get("compound"))
    rows, total = ([], 0) if not q else queries.search_residents(request.user, q, compound_id=compound_id)
    return render(
        request,
        "web/appeals/_submitter_options.html",
        {"rows": rows[:20], "total": total, "q": q},
    )
