"""Consultations over the API: open one, list the dwellings asked, answer, close, read the result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from guanjia.api.auth import caller
from guanjia.api.decisions_votes import ERRORS, decision_errors
from guanjia.api.errors import not_found
from guanjia.api.paging import PageParams, paginate
from guanjia.decisions import permissions as dperms
from guanjia.decisions import selectors, services
from guanjia.decisions.models import Consultation, ConsultationUnit
from guanjia.people import permissions as perms
from guanjia.places import selectors as places

router = Router(tags=["decisions"])


class ConsultationIn(Schema):
    compound_id: int
    question: str = Field(min_length=1, max_length=300)
    closes_at: dt.datetime
    target_percent: Decimal = Field(Decimal("90"), gt=0, le=100, description="目标同意率（%），含本数")
    description: str = ""


class ProgressOut(Schema):
    units: int
    answered: int
    consenting: int
    rented: int
    share: str = Field(description="同意户数 / 户数，精确分数")
    percent: str


class GroupProgress(ProgressOut):
    id: int | None
    name: str


class ConsultationOut(Schema):
    id: int
    compound_id: int
    question: str
    description: str
    target_percent: str
    status: str
    status_label: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    closed_at: dt.datetime | None


class ConsultationPage(Schema):
    count: int
    items: list[ConsultationOut]


class ResultOut(Schema):
    consultation_id: int
    target_percent: str
    target_met: bool
    total: ProgressOut
    by_building: list[GroupProgress]
    by_grid: list[GroupProgress]


class UnitOut(Schema):
    dwelling_id: int
    label: str
    rented: bool


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class AnswerIn(Schema):
    dwelling_id: int
    party: Literal["owner", "tenant"]
    agrees: bool
    origin: Literal["online", "door_to_door", "paper"]
    note: str = Field("", max_length=200)


class AnswerOut(Schema):
    id: int
    dwelling_id: int
    party: str
    agrees: bool
    origin: str
    at: dt.datetime


def _out(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "compound_id": c.compound_id,
        "question": c.question,
        "description": c.description,
        "target_percent": str(c.target_percent),
        "status": c.status,
        "status_label": c.get_status_display(),
        "opens_at": c.opens_at,
        "closes_at": c.closes_at,
        "closed_at": c.closed_at,
    }


def _consultation(request: HttpRequest, pk: int) -> Consultation:
    return selectors.consultations_for(caller(request)).get(pk=pk)


@router.post("/consultations", response={201: ConsultationOut, **ERRORS}, summary="发起征求意见")
def consultation_create(request: HttpRequest, payload: ConsultationIn) -> Any:
    user = caller(request)
    try:
        compound = places.access_compound(user, payload.compound_id)
    except Exception:
        raise not_found() from None
    with decision_errors():
        c = services.consultation_create(
            user=user, compound=compound, **payload.dict(exclude={"compound_id"})
        )
    return Status(201, _out(c))


@router.get("/consultations", response={200: ConsultationPage, **ERRORS}, summary="征求意见列表")
def consultation_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(selectors.consultations_for(caller(request)).order_by("-opens_at", "-id"), page, _out)


@router.get("/consultations/{cid}", response={200: ConsultationOut, **ERRORS}, summary="征求意见详情")
def consultation_detail(request: HttpRequest, cid: int) -> Any:
    return _out(_consultation(request, cid))


@router.get("/consultations/{cid}/roll", response={200: UnitPage, **ERRORS}, summary="征求对象（冻结的户）")
def consultation_roll(request: HttpRequest, cid: int, page: Query[PageParams]) -> Any:
    c = _consultation(request, cid)
    perms.require(
        dperms.can_enter(perms.scope_for(caller(request)), c.compound_id), _("无权查看征求对象名单")
    )
    units = ConsultationUnit.objects.filter(consultation=c).order_by("id")
    return paginate(
        units, page, lambda u: {"dwelling_id": u.dwelling_id, "label": u.label, "rented": u.rented}
    )


@router.post(
    "/consultations/{cid}/responses", response={200: AnswerOut, 201: AnswerOut, **ERRORS}, summary="答复"
)
def consultation_answer(request: HttpRequest, cid: int, payload: AnswerIn) -> Any:
    user = caller(request)
    with decision_errors():
        r, created = services.consultation_answer(
            user=user,
            consultation=_consultation(request, cid),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            **payload.dict(),
        )
    body = {
        "id": r.pk,
        "dwelling_id": payload.dwelling_id,
        "party": r.party,
        "agrees": r.agrees,
        "origin": r.origin,
        "at": r.at,
    }
    return Status(201 if created else 200, body)


@router.post("/consultations/{cid}/close", response={200: ResultOut, **ERRORS}, summary="结束征求意见")
def consultation_close(request: HttpRequest, cid: int) -> Any:
    with decision_errors():
        c = services.consultation_close(user=caller(request), consultation=_consultation(request, cid))
    return selectors.consultation_result(c)


@router.get(
    "/consultations/{cid}/result", response={200: ResultOut, **ERRORS}, summary="进度与结果（按楼栋、网格）"
)
def consultation_result(request: HttpRequest, cid: int) -> Any:
    return selectors.consultation_result(_consultation(request, cid))
