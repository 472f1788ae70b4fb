"""API routes for the property app (thin: parse, call services/selectors, render): contracts and their
public disclosure, ratings (1评) and the coverage dashboard. Bills and payments: api/property_billing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from guanjia.api import property_billing
from guanjia.api.auth import caller
from guanjia.api.errors import ApiError, not_found
from guanjia.api.paging import PageParams, paginate
from guanjia.api.property_common import ERRORS, money, rules
from guanjia.api.property_schemas import (
    ContractDetail,
    ContractPage,
    CoverageBoardOut,
    DisclosureOut,
    EvaluationIn,
    EvaluationOut,
    EvaluationPeriodOut,
    EvaluationResultsOut,
    NoticeIn,
)
from guanjia.api.registry import ref
from guanjia.api.schemas import ErrorOut
from guanjia.people import permissions as perms
from guanjia.people.selectors import access_household
from guanjia.places.models import Region
from guanjia.places.selectors import regions_for
from guanjia.property import coverage, evaluation, selectors, services
from guanjia.property.models import DIMENSIONS, EvaluationPeriod, ServiceContract

router = Router(tags=["property"])


def contract_out(c: ServiceContract) -> dict[str, Any]:
    state = selectors.contract_state(c, timezone.localdate())
    company = c.company
    return {
        "id": c.pk,
        "compound": ref(c.compound),
        "company": {
            "id": company.pk,
            "name": company.name,
            "is_fallback": company.is_fallback,
            "has_party_org": company.has_party_org,
            "service_phone": company.service_phone,
        },
        "party_kind": c.party_kind,
        "party_kind_label": str(c.get_party_kind_display()),
        "party_name": c.party_name,
        "signed_on": c.signed_on,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "ended_on": c.ended_on,
        "state": state,
        "state_label": selectors.STATE_LABELS[state],
        "billing_cycle": c.billing_cycle,
        "manager_name": c.manager_name,
        "service_phone": c.service_phone,
    }


def contract_detail_out(c: ServiceContract) -> dict[str, Any]:
    return {
        **contract_out(c),
        "notice_kind": c.notice_kind,
        "notice_given_on": c.notice_given_on,
        "notice_reason": c.notice_reason,
        "previous_id": c.previous_id,
        "service_items": [
            {"category": i.category, "category_label": str(i.get_category_display()), "title": i.title,
             "frequency": i.frequency}
            for i in c.service_items.all()
        ],
        "charge_items": [
            {"name": i.name, "basis": i.basis, "basis_label": str(i.get_basis_display()),
             "rate": money(i.rate), "area_basis": i.area_basis, "bill_month": i.bill_month}
            for i in c.charge_items.all()
        ],
    }  # fmt: skip


@router.get("/property/contracts", response={200: ContractPage, **ERRORS}, summary="物业服务合同")
def contract_list(request: HttpRequest, page: Query[PageParams], compound: int | None = None) -> Any:
    qs = selectors.contracts_for(caller(request))
    if compound is not None:
        qs = qs.filter(compound_id=compound)
    return paginate(qs.order_by("compound_id", "-start_date", "-id"), page, contract_out)


@router.get("/property/contracts/{contract_id}", response={200: ContractDetail, **ERRORS}, summary="合同详情")
def contract_detail(request: HttpRequest, contract_id: int) -> Any:
    return contract_detail_out(selectors.access_contract(caller(request), contract_id))


@router.post(
    "/property/contracts/{contract_id}/notices",
    response={200: ContractDetail, **ERRORS},
    summary="登记书面终止通知（民法典第946–948条）",
)
def contract_notice(request: HttpRequest, contract_id: int, payload: NoticeIn) -> Any:
    contract = selectors.access_contract(caller(request), contract_id)
    with rules():
        contract = services.contract_give_notice(
            user=caller(request),
            contract=contract,
            kind=payload.kind,
            given_on=payload.given_on,
            reason=payload.reason,
        )
    return contract_detail_out(contract)


@router.get(
    "/property/compounds/{compound_id}/disclosure",
    auth=None,
    response={200: DisclosureOut, 404: ErrorOut},
    summary="小区物业公示（无需登录）",
)
def disclosure(request: HttpRequest, compound_id: int) -> Any:
    page = selectors.disclosure(selectors.public_compound(compound_id))
    rating = None
    if page.evaluation is not None:
        result = page.evaluation.result
        score = page.evaluation.company_score
        rating = {
            "period": page.evaluation.period.name,
            "responses": result.responses,
            "overall": money(result.overall),
            "means": {d: money(v) for d, v in result.means.items()},
            "company_score": money(score.total) if score else None,
        }
    compound = page.compound
    return {
        "compound": ref(compound),
        "management_mode": compound.management_mode,
        "management_mode_label": str(compound.get_management_mode_display()),
        "contract": contract_detail_out(page.contract) if page.contract else None,
        "disclosures": [
            {"kind": d.kind, "kind_label": str(d.get_kind_display()), "title": d.title, "body": d.body,
             "amount": money(d.amount), "published_on": d.published_on}
            for d in page.disclosures
        ],
        "rating": rating,
    }  # fmt: skip


# --- ratings (1评) --------------------------------------------------------------------------------


def period_out(p: EvaluationPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "region": ref(p.region),
        "opens_on": p.opens_on,
        "closes_on": p.closes_on,
        "published": p.published_at is not None,
    }


def access_period(user: Any, pk: int) -> EvaluationPeriod:
    """A round the caller may see: of a region they see, or covering their home."""
    visible = regions_for(user).values("pk")
    period = EvaluationPeriod.objects.select_related("region").filter(pk=pk).first()
    if period is None:
        raise not_found()
    if not Region.objects.filter(pk=period.region_id, pk__in=visible).exists():
        raise not_found()
    return period


@router.get(
    "/property/evaluations", response={200: list[EvaluationPeriodOut], **ERRORS}, summary="物业服务评价"
)
def evaluation_list(request: HttpRequest) -> Any:
    visible = regions_for(caller(request)).values("pk")
    rows = EvaluationPeriod.objects.filter(region__in=visible).select_related("region")
    return [period_out(p) for p in rows.order_by("-opens_on", "-id")[:50]]


@router.post(
    "/property/evaluations/{period_id}/responses",
    response={201: EvaluationOut, **ERRORS},
    summary="本户评价物业服务（每户每期一次）",
)
def evaluation_respond(request: HttpRequest, period_id: int, payload: EvaluationIn) -> Any:
    user = caller(request)
    period = access_period(user, period_id)
    household = access_household(user, payload.household)
    with rules():
        response = services.evaluation_submit(
            user=user,
            period=period,
            household=household,
            scores={d: getattr(payload, d) for d in DIMENSIONS},
            comment=payload.comment,
        )
    body = {
        "id": response.pk,
        "period_id": period.pk,
        "compound": ref(response.compound),
        "company": ref(response.company),
        "household_id": household.pk,
    }
    return Status(201, body)


@router.get(
    "/property/evaluations/{period_id}/results",
    response={200: EvaluationResultsOut, **ERRORS},
    summary="评价结果与物业公司排名",
)
def evaluation_results(request: HttpRequest, period_id: int) -> Any:
    user = caller(request)
    period = access_period(user, period_id)
    compounds = selectors.oversight_compounds(user)
    if period.published_at is None and not compounds.exists():
        raise ApiError(403, "forbidden", "评价结果尚未公布")
    seen = dict(compounds.values_list("pk", "name"))
    results = evaluation.compound_results(period, seen)
    return {
        "period": period_out(period),
        "compounds": [
            {"id": pk, "name": seen[pk], "responses": r.responses, "overall": money(r.overall),
             "score": money(r.score)}
            for pk, r in sorted(results.items(), key=lambda kv: -(kv[1].overall or 0))
        ],
        "ranking": [
            {"rank": s.rank, "company": ref(s.company), "responses": s.resident.responses,
             "resident_score": money(s.resident.score), "appeal_score": money(s.appeal_score),
             "total": money(s.total)}
            for s in evaluation.ranking(period, evaluation.appeal_kpis_by_company(period))
        ],
    }  # fmt: skip


# --- coverage ------------------------------------------------------------------------------------


def coverage_row(row: coverage.Row) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "id": row.pk,
        "name": row.name,
        "total": row.total,
        "managed": row.managed,
        "managed_rate": row.managed_rate,
        "modes": {m: row.modes[m] for m in coverage.MODES},
        "committees": {s: row.committees[s] for s in coverage.COMMITTEE_STATES},
    }


@router.get(
    "/property/coverage", response={200: CoverageBoardOut, **ERRORS}, summary="小区管理覆盖（按区域、按月）"
)
def coverage_board(
    request: HttpRequest, region: int | None = None, months: int = Query(12, ge=1, le=36)
) -> Any:
    user = caller(request)
    perms.require(perms.scope_for(user).is_staff_role, "仅工作人员可查看覆盖情况")
    node = default_node(user) if region is None else regions_for(user).get(pk=region)
    board = coverage.dashboard(selectors.oversight_compounds(user), node, timezone.localdate(), months)
    return {
        "node": coverage_row(board.node),
        "children": [coverage_row(r) for r in board.children],
        "months": board.months,
        "unmanaged": board.unmanaged,
        "committee_formed": board.formed,
        "committee_preparing": board.preparing,
    }


def default_node(user: Any) -> Region | None:
    """The top of the caller's own region scope (a county official: the county); None for the admin."""
    scope = perms.scope_for(user)
    if scope.is_admin or not scope.region_paths:
        return None
    top = min(scope.region_paths, key=len)
    return Region.objects.filter(path=top).first()


router.add_router("", property_billing.router)
