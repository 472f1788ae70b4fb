"""API routes for appeal KPIs (GET /kpis/appeals); thin: parse, call appeals.kpis, render.
The definitions of every figure are in docs/kpis.md."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from guanjia.api.auth import caller
from guanjia.api.errors import field_error
from guanjia.api.schemas import ErrorOut
from guanjia.appeals import kpis, kpis_rankings, kpis_scopes

router = Router(tags=["kpis"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_DAYS = 3 * 366


class KpiQuery(Schema):
    scope: str = Field(description="grid|staff|company|compound|community|region:<id>，如 community:3")
    from_: dt.date | None = Field(None, alias="from", description="起始日（含），默认本月1日")
    to: dt.date | None = Field(None, description="截止日（不含），默认下月1日")
    by: Literal["grid_worker", "cadre", "company", "compound"] | None = Field(
        None, description="同时返回该范围内的排名表"
    )


class ScopeOut(Schema):
    kind: str
    id: int
    label: str


class PeriodOut(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date


class KpisOut(Schema):
    submitted: int
    withdrawn: int
    rejected: int
    counted: int
    response_due: int
    responded: int
    responded_on_time: int
    resolution_due: int
    resolved: int
    resolved_on_time: int
    ever_resolved: int
    reopened: int
    rated: int
    satisfied: int
    basic: int
    unsatisfied: int
    response_rate: float | None
    resolution_rate: float | None
    on_time_rate: float | None
    reopen_rate: float | None
    satisfaction_rate: float | None
    composite: float | None = Field(description="0–100")
    median_response_hours: float | None
    median_resolution_hours: float | None


class RankOut(Schema):
    rank: int | None
    id: int
    name: str
    kpis: KpisOut


class KpiReport(Schema):
    scope: ScopeOut
    period: PeriodOut
    as_of: dt.datetime
    weights: dict[str, float]
    basic_satisfied_weight: float
    kpis: KpisOut
    ranking: list[RankOut] | None = None


def period_of(start: dt.date | None, end: dt.date | None) -> kpis.Period:
    """[from, to) in local days; this month by default. Bad ranges are field errors (422)."""
    if start is None:
        start = (end - dt.timedelta(days=1)).replace(day=1) if end else timezone.localdate().replace(day=1)
    if end is None:
        end = kpis.next_month(start.replace(day=1))
    if end <= start:
        raise field_error("to", _("截止日应晚于起始日"))
    if (end - start).days > MAX_DAYS:
        raise field_error("to", _("统计区间不超过3年"))
    return kpis.Period.of_dates(start, end)


@router.get(
    "/kpis/appeals",
    response={200: KpiReport, **ERRORS},
    summary="诉求考核指标",
    description="某范围、某期间（按提交时间 [from, to)）的响应率、解决率、满意率、按时办结率、重办率、"
    "响应与办结时长中位数和综合得分；可加 by= 返回排名表。只统计调用者有权查看的诉求。",
    by_alias=True,
)
def appeal_kpis(request: HttpRequest, query: Query[KpiQuery]) -> dict[str, Any]:
    user = caller(request)
    try:
        scope = kpis_scopes.resolve(user, query.scope)
    except kpis_scopes.BadScope as bad:
        raise field_error("scope", str(bad)) from None
    period = period_of(query.from_, query.to)
    as_of = timezone.now()
    appeals = kpis_scopes.appeals_in(user, scope)
    out: dict[str, Any] = {
        "scope": {"kind": scope.kind, "id": scope.pk, "label": scope.label},
        "period": {"from": period.first_day, "to": period.last_day + dt.timedelta(days=1)},
        "as_of": as_of,
        "weights": kpis.weights(),
        "basic_satisfied_weight": kpis.basic_satisfied_weight(),
        "kpis": kpis.measure(appeals, period, as_of=as_of).as_dict(),
    }
    if query.by:
        rows = kpis_rankings.ranking(appeals, period, query.by, as_of=as_of)
        out["ranking"] = [
            {"rank": r.rank, "id": r.key, "name": r.label, "kpis": r.kpis.as_dict()} for r in rows
        ]
    return out
