"""The residents' rating (1评) and the coverage dashboard (告别无管时代) for officials."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.people import permissions as perms
from guanjia.people.models import Household
from guanjia.places.models import ManagementMode, Region
from guanjia.places.selectors import regions_for
from guanjia.property import coverage, evaluation, selectors, services
from guanjia.property import permissions as pp
from guanjia.property.models import DIMENSIONS, EvaluationPeriod
from guanjia.web.decorators import login_required
from guanjia.web.views_property_common import Refused, date_field, refusals

SCORES = (5, 4, 3, 2, 1)


def _dimensions() -> list[tuple[str, str]]:
    return evaluation.dimension_labels()


def _periods(user: Any) -> Any:
    return EvaluationPeriod.objects.filter(region__in=regions_for(user).values("pk")).select_related("region")


def _period_or_404(user: Any, pk: int) -> EvaluationPeriod:
    period = _periods(user).filter(pk=pk).first()
    if period is None:
        raise Http404(_("没有找到该评价"))
    return period


def _top_region(user: Any) -> Region | None:
    scope = perms.scope_for(user)
    if scope.is_admin:
        return Region.objects.filter(level=Region.Level.DISTRICT).order_by("path").first()
    paths = list(scope.region_paths)
    return Region.objects.filter(path=min(paths, key=len)).first() if paths else None


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = perms.scope_for(user)
    today = timezone.localdate()
    region = _top_region(user)
    return render(
        request,
        "web/property/evaluations.html",
        {
            "periods": _periods(user).order_by("-opens_on", "-id")[:20],
            "today": today,
            "can_open": region is not None and pp.can_run_evaluation(scope, region),
            "region": region,
            "nav_key": "property-eval",
        },
    )


@login_required
@require_POST
def evaluation_open(request: HttpRequest) -> HttpResponse:
    region = _top_region(request.user)
    if region is None:
        raise Http404
    with refusals(request):
        period = services.period_open(
            user=request.user,
            region=region,
            name=request.POST.get("name", ""),
            opens_on=date_field(request, "opens_on"),
            closes_on=date_field(request, "closes_on"),
        )
        messages.success(request, _("已发起评价：%(name)s") % {"name": period.name})
    return HttpResponseRedirect(reverse("web:property-evaluations"))


def _my_households(user: Any, period: EvaluationPeriod) -> list[dict[str, Any]]:
    scope = perms.scope_for(user)
    done = set(
        period.responses.filter(household_id__in=sorted(scope.household_ids)).values_list(
            "household_id", flat=True
        )
    )
    homes = Household.objects.filter(pk__in=sorted(scope.household_ids)).select_related(
        "dwelling__entrance__building", "dwelling__compound"
    )
    today = timezone.localdate()
    return [
        {
            "household": h,
            "done": h.pk in done,
            "company": selectors.company_in_charge(h.dwelling.compound_id, today),
        }
        for h in homes
        if evaluation.compounds_of(period).filter(pk=h.dwelling.compound_id).exists()
    ]


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = _period_or_404(user, pk)
    scope = perms.scope_for(user)
    compounds = selectors.oversight_compounds(user)
    names = dict(compounds.values_list("pk", "name")) if scope.is_staff_role else {}
    show_results = bool(names) or period.published_at is not None
    results = evaluation.compound_results(period, names) if names else {}
    return render(
        request,
        "web/property/evaluation_detail.html",
        {
            "period": period,
            "is_open": period.is_open(timezone.localdate()),
            "homes": _my_households(user, period) if scope.household_ids else [],
            "dimensions": _dimensions(),
            "scores": SCORES,
            "results": sorted(
                ((names[pk], r) for pk, r in results.items()), key=lambda nr: -(nr[1].overall or 0)
            ),
            "ranking": (
                evaluation.ranking(period, evaluation.appeal_kpis_by_company(period)) if show_results else []
            ),
            "can_publish": pp.can_run_evaluation(scope, period.region) and period.published_at is None,
            "nav_key": "property-eval",
        },
    )


@login_required
@require_POST
def evaluation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    period = _period_or_404(user, pk)
    scope = perms.scope_for(user)
    with refusals(request):
        household = (
            Household.objects.select_related("dwelling__compound")
            .filter(pk__in=sorted(scope.household_ids), pk=request.POST.get("household") or 0)
            .first()
        )
        if household is None:
            raise Refused(_("只能以本户名义评价"))
        scores = {}
        for name in DIMENSIONS:
            try:
                scores[name] = int(request.POST.get(name, ""))
            except ValueError:
                raise Refused(_("请为每一项打分")) from None
        services.evaluation_submit(
            user=user,
            period=period,
            household=household,
            scores=scores,
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("感谢您的评价！"))
    return HttpResponseRedirect(reverse("web:property-evaluation", args=[period.pk]))


@login_required
@require_POST
def evaluation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period_or_404(request.user, pk)
    services.period_publish(user=request.user, period=period)
    messages.success(request, _("评价结果已在各小区公示页公布"))
    return HttpResponseRedirect(reverse("web:property-evaluation", args=[period.pk]))


# --- coverage ------------------------------------------------------------------------------------


@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = perms.scope_for(user)
    perms.require(scope.is_staff_role, _("仅工作人员可查看覆盖情况"))
    node = None
    raw = request.GET.get("region")
    if raw:
        node = regions_for(user).filter(pk=int(raw) if raw.isdigit() else 0).first()
        if node is None:
            raise Http404(_("没有找到该区域"))
    board = coverage.dashboard(selectors.oversight_compounds(user), node, timezone.localdate())
    chart = {
        "modes": [{"name": str(m.label), "value": board.node.modes[m.value]} for m in ManagementMode],
        # charts.js draws "stacked-bar" rows from these keys: here one row per month.
        "streets": [m["month"] for m in board.months],
        "by_street": [m["counts"] for m in board.months],
    }
    return render(
        request,
        "web/property/coverage.html",
        {
            "board": board,
            "modes": ManagementMode.choices,
            "chart": chart,
            "committee_labels": {"formed": _("已成立"), "preparing": _("筹备中"), "none": _("未成立")},
            "nav_key": "property-coverage",
        },
    )
