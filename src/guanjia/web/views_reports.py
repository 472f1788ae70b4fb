"""Report pages: the appeal KPI dashboard (period and scope pickers, figures, trend and ranking charts,
ranking tables) and its Excel export. Thin: the figures come from appeals.kpis*; docs/kpis.md defines them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.appeals import kpis, kpis_rankings, kpis_scopes
from guanjia.people import permissions as perms
from guanjia.web.decorators import login_required

TREND_MONTHS = 6


@dataclass
class Report:
    scope: kpis_scopes.KpiScope
    period: kpis.Period
    figures: kpis.Kpis
    rankings: dict[str, list[kpis_rankings.Row]]
    trend: list[tuple[dt.date, kpis.Kpis]]


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def period_from(request: HttpRequest) -> kpis.Period:
    """?month=YYYY-MM, or ?from=&to= (both days included, as on the form); this month by default or
    when the range is bad."""
    month = request.GET.get("month", "")
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if month and (first := _date(f"{month}-01")):
        return kpis.Period.month(first)
    if start and end and start <= end and (end - start).days <= 3 * 366:
        return kpis.Period.of_dates(start, end + dt.timedelta(days=1))
    return kpis.Period.month(timezone.localdate())


def build_report(request: HttpRequest) -> Report:
    """The scope asked for (or the caller's default), or Http404 if they may not see it."""
    user = request.user
    perms.require(perms.scope_for(user).is_staff_role, _("只有工作人员可以查看考核指标"))
    text = request.GET.get("scope") or kpis_scopes.default_scope(user) or ""
    try:
        scope = kpis_scopes.resolve(user, text)
    except (kpis_scopes.BadScope, ObjectDoesNotExist):
        raise Http404(_("没有找到该范围")) from None
    period = period_from(request)
    as_of = timezone.now()
    appeals = kpis_scopes.appeals_in(user, scope)
    return Report(
        scope=scope,
        period=period,
        figures=kpis.measure(appeals, period, as_of=as_of),
        rankings={t: kpis_rankings.ranking(appeals, period, t, as_of=as_of) for t in kpis_rankings.TABLES},
        trend=kpis_rankings.trend(appeals, period.last_day, TREND_MONTHS, as_of=as_of),
    )


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def chart_data(report: Report) -> dict[str, Any]:
    compounds = [r for r in report.rankings["compound"] if r.kpis.composite is not None][:15]
    return {
        "months": [f"{m:%Y-%m}" for m, _k in report.trend],
        "series": [
            {"name": str(label), "data": [_pct(getattr(k, rate)) for _m, k in report.trend]}
            for rate, label in RATE_LABELS
        ],
        "ranking": {
            "names": [r.label for r in compounds],
            "scores": [round(r.kpis.composite or 0, 1) for r in compounds],
        },
    }


RATE_LABELS = (
    ("response_rate", gettext_lazy("响应率")),
    ("resolution_rate", gettext_lazy("解决率")),
    ("satisfaction_rate", gettext_lazy("满意率")),
)


def display(k: kpis.Kpis) -> dict[str, str]:
    """Rates as "87.3%", the composite as "91.2", and "—" where there is nothing to measure."""
    out = {rate: "—" if getattr(k, rate) is None else f"{100 * getattr(k, rate):.1f}%" for rate in kpis.RATES}
    out["composite"] = "—" if k.composite is None else f"{k.composite:.1f}"
    return out


def _rows(rows: list[kpis_rankings.Row]) -> list[dict[str, Any]]:
    return [{"rank": r.rank, "label": r.label, "counted": r.kpis.counted, "d": display(r.kpis)} for r in rows]


def _month_choices(today: dt.date, count: int = 13) -> list[str]:
    months, first = [], today.replace(day=1)
    for _i in range(count):
        months.append(f"{first:%Y-%m}")
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


@login_required
def appeal_kpis(request: HttpRequest) -> HttpResponse:
    report = build_report(request)
    tables = [(key, label, _rows(report.rankings[key])) for key, label in kpis_rankings.TABLES.items()]
    return render(
        request,
        "web/reports/appeals.html",
        {
            "report": report,
            "k": report.figures,
            "d": display(report.figures),
            "tables": tables,
            "chart": chart_data(report),
            "scopes": kpis_scopes.choices(request.user),
            "months": _month_choices(timezone.localdate()),
            "month": request.GET.get("month", ""),
            "query": request.GET.urlencode(),
            "weights": kpis.weights(),
            "basic_weight": kpis.basic_satisfied_weight(),
            "nav_key": "reports",
        },
    )


@login_required
def appeal_kpis_export(request: HttpRequest) -> HttpResponse:
    from guanjia.web.views_reports_export import workbook_response

    return workbook_response(build_report(request))
