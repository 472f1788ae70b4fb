"""The residents' rating of property service (4红1评's 评): one response per household per round,
six dimensions scored 1–5; per-compound results, a company score, and a ranking across the region.

The company score is the residents' satisfaction (mean score × 20, so 5 stars = 100); once the
appeals app supplies a company's appeal KPIs (response, resolution and satisfaction rates, in
percent) they weigh 40% against the residents' 60%."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.people import permissions as perms
from guanjia.people.models import Household
from guanjia.places.models import Compound, Region
from guanjia.property import permissions as pp
from guanjia.property.errors import RuleError
from guanjia.property.models import DIMENSIONS, EvaluationPeriod, EvaluationResponse, PropertyCompany

DIMENSION_LABELS = {
    "cleanliness": _("环境卫生"),
    "order": _("秩序与安全"),
    "repairs": _("维修服务"),
    "greening": _("绿化养护"),
    "parking": _("停车管理"),
    "attitude": _("服务态度"),
}
RESIDENT_WEIGHT = Decimal("0.6")
APPEAL_WEIGHT = Decimal("0.4")
APPEAL_KPIS = ("response_rate", "resolution_rate", "satisfaction_rate")
ONE = Decimal("0.1")


@transaction.atomic
def period_open(
    *, user: Any, region: Region, name: str, opens_on: dt.date, closes_on: dt.date
) -> EvaluationPeriod:
    perms.require(pp.can_run_evaluation(perms.scope_for(user), region), "无权在该区域发起物业服务评价")
    if closes_on < opens_on:
        raise RuleError("截止日期不能早于开始日期", "closes_on")
    if not name.strip():
        raise RuleError("请填写评价名称", "name")
    if EvaluationPeriod.objects.filter(region=region, name=name.strip()).exists():
        raise RuleError("同名的评价已存在", "name")
    return EvaluationPeriod.objects.create(
        region=region, name=name.strip(), opens_on=opens_on, closes_on=closes_on, created_by=user
    )


@transaction.atomic
def period_publish(*, user: Any, period: EvaluationPeriod) -> EvaluationPeriod:
    """Make the results public on every compound's disclosure page."""
    perms.require(pp.can_run_evaluation(perms.scope_for(user), period.region), "无权公布该评价结果")
    if period.published_at is None:
        period.published_at = timezone.now()
        period.save(update_fields=["published_at"])
    return period


def dimension_labels() -> list[tuple[str, str]]:
    return [(d, str(DIMENSION_LABELS[d])) for d in DIMENSIONS]


def compounds_of(period: EvaluationPeriod) -> QuerySet[Compound]:
    return Compound.objects.filter(community__region__path__startswith=period.region.path)


@transaction.atomic
def evaluation_submit(
    *,
    user: Any,
    period: EvaluationPeriod,
    household: Household,
    scores: dict[str, int],
    comment: str = "",
    today: dt.date | None = None,
) -> EvaluationResponse:
    """A household rates its property company once per round; a second response is refused."""
    from guanjia.property.selectors import company_in_charge

    scope = perms.scope_for(user)
    perms.require(household.pk in scope.household_ids, "只能以本户名义评价")
    today = today or timezone.localdate()
    if not period.is_open(today):
        raise RuleError("评价不在开放时间内", "period")
    compound = household.dwelling.compound
    if not compounds_of(period).filter(pk=compound.pk).exists():
        raise RuleError("本小区不在此次评价范围内", "period")
    company = company_in_charge(compound.pk, today)
    if company is None:
        raise RuleError("本小区目前没有签约的物业公司", "period")
    values = {}
    for name in DIMENSIONS:
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise RuleError("每项评分应为1到5分", name)
        values[name] = value
    try:
        with transaction.atomic():
            return EvaluationResponse.objects.create(
                period=period,
                compound=compound,
                company=company,
                household=household,
                comment=comment.strip()[:300],
                submitted_by_id=scope.person_id,
                **values,
            )
    except IntegrityError:
        raise RuleError("本户已参加过此次评价", "household", code="already_rated") from None


# --- results -------------------------------------------------------------------------------------


@dataclass
class Result:
    """Mean scores of some responses: per dimension, overall (1–5) and as a 0–100 score."""

    responses: int = 0
    means: dict[str, Decimal] = field(default_factory=dict)

    @property
    def overall(self) -> Decimal | None:
        if not self.responses:
            return None
        return (sum(self.means.values(), Decimal(0)) / len(DIMENSIONS)).quantize(Decimal("0.01"))

    @property
    def score(self) -> Decimal | None:
        return None if self.overall is None else (self.overall * 20).quantize(ONE)


def _aggregate(responses: QuerySet[EvaluationResponse], *keys: str) -> list[dict[str, Any]]:
    return list(
        responses.order_by().values(*keys).annotate(n=Count("id"), **{f"avg_{d}": Avg(d) for d in DIMENSIONS})
    )


def _result(row: dict[str, Any]) -> Result:
    return Result(row["n"], {d: Decimal(str(row[f"avg_{d}"])).quantize(Decimal("0.01")) for d in DIMENSIONS})


def compound_results(
    period: EvaluationPeriod, compound_ids: Iterable[int] | None = None
) -> dict[int, Result]:
    responses = period.responses.all()
    if compound_ids is not None:
        responses = responses.filter(compound_id__in=list(compound_ids))
    return {row["compound_id"]: _result(row) for row in _aggregate(responses, "compound_id")}


@dataclass
class CompanyScore:
    company: PropertyCompany
    resident: Result
    appeal_score: Decimal | None
    total: Decimal | None
    rank: int = 0


def appeal_score(appeal_kpis: dict[str, Any] | None) -> Decimal | None:
    """The mean of the appeal KPIs given (percentages); None without any."""
    if not appeal_kpis:
        return None
    values = [Decimal(str(appeal_kpis[k])) for k in APPEAL_KPIS if appeal_kpis.get(k) is not None]
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE) if values else None


def combine(resident: Decimal | None, appeals: Decimal | None) -> Decimal | None:
    if resident is None or appeals is None:
        return resident if appeals is None else appeals
    return (resident * RESIDENT_WEIGHT + appeals * APPEAL_WEIGHT).quantize(ONE)


def company_score(
    company: PropertyCompany, period: EvaluationPeriod, appeal_kpis: dict[str, Any] | None = None
) -> CompanyScore:
    rows = _aggregate(period.responses.filter(company=company), "company_id")
    resident = _result(rows[0]) if rows else Result()
    appeals = appeal_score(appeal_kpis)
    return CompanyScore(company, resident, appeals, combine(resident.score, appeals))


# The appeals that count toward a round: those filed in the 90 days up to the round's last day.
APPEAL_WINDOW = dt.timedelta(days=90)


def appeal_kpis_by_company(period: EvaluationPeriod) -> dict[int, dict[str, Any]]:
    """Each company's appeal KPIs (response, resolution, satisfaction rates, in %) in the round's region,
    from the appeals app's own definitions (docs/kpis.md), grouped by the accountable staff's company."""
    from guanjia.appeals import kpis
    from guanjia.appeals.kpis_rankings import ranking as appeal_ranking
    from guanjia.appeals.models import Appeal

    end = period.closes_on + dt.timedelta(days=1)
    window = kpis.Period.of_dates(end - APPEAL_WINDOW, end)
    appeals = Appeal.objects.filter(compound__community__region__path__startswith=period.region.path)
    result: dict[int, dict[str, Any]] = {}
    for row in appeal_ranking(appeals, window, "company"):
        rates = {name: getattr(row.kpis, name) for name in APPEAL_KPIS}
        result[row.key] = {name: None if v is None else v * 100 for name, v in rates.items()}
    return result


def ranking(
    period: EvaluationPeriod, appeal_kpis: dict[int, dict[str, Any]] | None = None
) -> list[CompanyScore]:
    """Every rated company, best first; `appeal_kpis` maps company id → its appeal KPIs."""
    rows = _aggregate(period.responses.all(), "company_id")
    companies = PropertyCompany.objects.in_bulk([r["company_id"] for r in rows])
    scores = []
    for row in rows:
        appeals = appeal_score((appeal_kpis or {}).get(row["company_id"]))
        resident = _result(row)
        scores.append(
            CompanyScore(companies[row["company_id"]], resident, appeals, combine(resident.score, appeals))
        )
    scores.sort(key=lambda s: (-(s.total or Decimal(0)), s.company.name))
    for i, s in enumerate(scores, start=1):
        s.rank = i
    return scores


@dataclass
class PublishedResult:
    period: EvaluationPeriod
    result: Result
    company_score: CompanyScore | None


def published_result(compound: Compound) -> PublishedResult | None:
    """The latest published round that rated this compound (for its disclosure page)."""
    period = (
        EvaluationPeriod.objects.filter(published_at__isnull=False, responses__compound=compound)
        .order_by("-closes_on", "-id")
        .first()
    )
    if period is None:
        return None
    result = compound_results(period, [compound.pk]).get(compound.pk, Result())
    company_id = (
        period.responses.filter(compound=compound)
        .order_by("-id")
        .values_list("company_id", flat=True)
        .first()
    )
    company = PropertyCompany.objects.filter(pk=company_id).first() if company_id is not None else None
    return PublishedResult(period, result, company_score(company, period) if company else None)
