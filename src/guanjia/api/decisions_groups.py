"""Self-governance groups (自治小组) over the API: members, projects, the residents' decision on each, and
the public ledger with its balance (Decimal, to the fen). Thin: the rules live in decisions.services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from guanjia.api.auth import caller
from guanjia.api.decisions_votes import ERRORS, decision_errors
from guanjia.api.errors import not_found
from guanjia.api.paging import PageParams, paginate
from guanjia.api.schemas import Ref
from guanjia.decisions import selectors, services
from guanjia.decisions.models import GroupMember, GroupProject, LedgerEntry, SelfGovernanceGroup
from guanjia.places import selectors as places

router = Router(tags=["decisions"])


class GroupMemberOut(Schema):
    person: Ref
    role: str
    joined_on: dt.date
    left_on: dt.date | None


class BalanceOut(Schema):
    contributions: Decimal
    expenses: Decimal
    balance: Decimal


class ProjectOut(Schema):
    id: int
    title: str
    description: str
    budget: Decimal
    status: str
    status_label: str
    consultation_id: int | None
    vote_id: int | None
    ledger: BalanceOut


class GroupOut(Schema):
    id: int
    compound: Ref
    name: str
    formed_on: dt.date
    members: list[GroupMemberOut]
    projects: list[ProjectOut]


class GroupPage(Schema):
    count: int
    items: list[GroupOut]


class GroupIn(Schema):
    compound_id: int
    name: str = Field(min_length=1, max_length=100)
    formed_on: dt.date
    leader_ids: list[int] = Field(min_length=1, max_length=20)
    member_ids: list[int] = Field(default_factory=list, max_length=200)


class ProjectIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    budget: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    description: str = ""


class DecideIn(Schema):
    consultation_id: int | None = None
    vote_id: int | None = None


class LedgerIn(Schema):
    kind: Literal["contribution", "expense"]
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    on: dt.date
    counterparty: str = Field(min_length=1, max_length=100)
    note: str = Field("", max_length=200)


class LedgerOut(Schema):
    id: int
    kind: str
    amount: Decimal
    on: dt.date
    counterparty: str
    note: str
    recorded_at: dt.datetime


class LedgerPage(Schema):
    count: int
    items: list[LedgerOut]
    balance: BalanceOut


def _groups(request: HttpRequest) -> Any:
    members = GroupMember.objects.select_related("person").order_by("role", "id")
    projects = GroupProject.objects.order_by("id").prefetch_related("ledger")
    return selectors.groups_for(caller(request)).prefetch_related(
        Prefetch("members", queryset=members), Prefetch("projects", queryset=projects)
    )


CENT = Decimal("0.01")


def _money(income: Decimal, spent: Decimal) -> dict[str, Decimal]:
    # Quantised here: SQLite's SUM drops trailing zeros, and money is always shown to the fen.
    return {
        "contributions": income.quantize(CENT),
        "expenses": spent.quantize(CENT),
        "balance": (income - spent).quantize(CENT),
    }


def _balance(lines: list[LedgerEntry]) -> dict[str, Decimal]:
    zero = Decimal("0")
    income = sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.CONTRIBUTION), zero)
    spent = sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.EXPENSE), zero)
    return _money(income, spent)


def _project_out(p: GroupProject) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "description": p.description,
        "budget": p.budget,
        "status": p.status,
        "status_label": p.get_status_display(),
        "consultation_id": p.consultation_id,
        "vote_id": p.vote_id,
        "ledger": _balance(list(p.ledger.all())),
    }


def _group_out(g: SelfGovernanceGroup) -> dict[str, Any]:
    return {
        "id": g.pk,
        "compound": {"id": g.compound_id, "name": g.compound.name},
        "name": g.name,
        "formed_on": g.formed_on,
        "members": [
            {
                "person": {"id": m.person_id, "name": m.person.name},
                "role": m.role,
                "joined_on": m.joined_on,
                "left_on": m.left_on,
            }
            for m in g.members.all()
        ],
        "projects": [_project_out(p) for p in g.projects.all()],
    }


def _project(request: HttpRequest, project_id: int) -> GroupProject:
    visible = selectors.groups_for(caller(request))
    return GroupProject.objects.select_related("group").get(pk=project_id, group__in=visible)


@router.get("/groups", response={200: GroupPage, **ERRORS}, summary="自治小组列表")
def group_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(_groups(request).order_by("compound__name", "id"), page, _group_out)


@router.get("/groups/{group_id}", response={200: GroupOut, **ERRORS}, summary="自治小组详情")
def group_detail(request: HttpRequest, group_id: int) -> Any:
    return _group_out(_groups(request).get(pk=group_id))


@router.post("/groups", response={201: GroupOut, **ERRORS}, summary="成立自治小组")
def group_create(request: HttpRequest, payload: GroupIn) -> Any:
    user = caller(request)
    try:
        compound = places.access_compound(user, payload.compound_id)
    except Exception:
        raise not_found() from None
    with decision_errors():
        g = services.group_create(user=user, compound=compound, **payload.dict(exclude={"compound_id"}))
    return Status(201, _group_out(_groups(request).get(pk=g.pk)))


@router.post("/groups/{group_id}/projects", response={201: ProjectOut, **ERRORS}, summary="提出项目")
def project_propose(request: HttpRequest, group_id: int, payload: ProjectIn) -> Any:
    group = _groups(request).get(pk=group_id)
    with decision_errors():
        p = services.project_propose(user=caller(request), group=group, **payload.dict())
    return Status(201, _project_out(p))


@router.post(
    "/projects/{project_id}/decide", response={200: ProjectOut, **ERRORS}, summary="按居民决定通过或否决"
)
def project_decide(request: HttpRequest, project_id: int, payload: DecideIn) -> Any:
    user = caller(request)
    project = _project(request, project_id)
    consultation = vote = None
    if payload.consultation_id is not None:
        consultation = selectors.consultations_for(user).get(pk=payload.consultation_id)
    if payload.vote_id is not None:
        vote = selectors.votes_for(user).select_related("result").get(pk=payload.vote_id)
    with decision_errors():
        p = services.project_decide(user=user, project=project, consultation=consultation, vote=vote)
    return _project_out(p)


@router.get("/projects/{project_id}/ledger", response={200: LedgerPage, **ERRORS}, summary="公开账目")
def ledger_list(request: HttpRequest, project_id: int, page: Query[PageParams]) -> Any:
    project = _project(request, project_id)
    lines = LedgerEntry.objects.filter(project=project).order_by("on", "id")
    body = paginate(lines, page, _ledger_out)
    b = services.project_balance(project)
    return {**body, "balance": _money(b.contributions, b.expenses)}


def _ledger_out(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kind": e.kind,
        "amount": e.amount,
        "on": e.on,
        "counterparty": e.counterparty,
        "note": e.note,
        "recorded_at": e.recorded_at,
    }


@router.post("/projects/{project_id}/ledger", response={201: LedgerOut, **ERRORS}, summary="记账")
def ledger_record(request: HttpRequest, project_id: int, payload: LedgerIn) -> Any:
    project = _project(request, project_id)
    with decision_errors():
        e = services.ledger_record(user=caller(request), project=project, **payload.dict())
    return Status(201, _ledger_out(e))
