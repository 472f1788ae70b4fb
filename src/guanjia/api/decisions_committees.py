"""Owners' committees (业委会 / 物管会) over the API: committees with their terms and members, forming a
term from an election, registration, dissolution, and the coverage counts (formed / preparing / none).
Thin: the rules live in decisions.services."""

from __future__ import annotations

import datetime as dt
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
from guanjia.decisions.models import CommitteeMember, CommitteeTerm, OwnersCommittee
from guanjia.places import selectors as places

router = Router(tags=["decisions"])


# --- shapes --------------------------------------------------------------------------------------


class MemberOut(Schema):
    person: Ref
    position: str
    position_label: str
    is_owner: bool
    is_party_member: bool
    left_on: dt.date | None


class Composition(Schema):
    members: int = Field(description="在任委员数")
    owners: int
    party_members: int = Field(description="党员委员数（“红色业委会”）")


class TermOut(Schema):
    id: int
    number: int
    election_id: int | None
    elected_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    registration_due: dt.date = Field(description="选举后30日内备案")
    registered_on: dt.date | None
    registered_late: bool
    composition: Composition
    members: list[MemberOut]


class CommitteeOut(Schema):
    id: int
    compound: Ref
    kind: str
    kind_label: str
    name: str
    status: str
    status_label: str
    preparing_since: dt.date | None
    formed_on: dt.date | None
    dissolved_on: dt.date | None
    terms: list[TermOut] = Field(description="历届，最新的在前")


class CommitteePage(Schema):
    count: int
    items: list[CommitteeOut]


class CommitteeIn(Schema):
    compound_id: int
    kind: Literal["owners", "property_management"] = "owners"
    name: str = Field("", max_length=100)
    since: dt.date | None = None


class MemberIn(Schema):
    person_id: int
    position: Literal["chair", "vice_chair", "member"] = "member"


class TermIn(Schema):
    members: list[MemberIn] = Field(min_length=1, max_length=11)
    starts_on: dt.date
    ends_on: dt.date
    election_id: int | None = Field(None, description="业委会必填：据以组成本届的选举表决")
    elected_on: dt.date | None = None


class RegisterIn(Schema):
    registered_on: dt.date


class DissolveIn(Schema):
    on: dt.date
    reason: str = Field(min_length=1, max_length=300)


class CountsOut(Schema):
    formed: int
    preparing: int
    none: int


# --- committees ----------------------------------------------------------------------------------


def _committees(request: HttpRequest) -> Any:
    members = CommitteeMember.objects.select_related("person").order_by("position", "id")
    terms = CommitteeTerm.objects.order_by("-number").prefetch_related(Prefetch("members", queryset=members))
    return selectors.committees_for(caller(request)).prefetch_related(Prefetch("terms", queryset=terms))


def _term_out(t: CommitteeTerm) -> dict[str, Any]:
    members = list(t.members.all())
    sitting = [m for m in members if m.left_on is None]
    return {
        "id": t.pk,
        "number": t.number,
        "election_id": t.election_id,
        "elected_on": t.elected_on,
        "starts_on": t.starts_on,
        "ends_on": t.ends_on,
        "registration_due": t.registration_due,
        "registered_on": t.registered_on,
        "registered_late": bool(t.registered_on and t.registered_on > t.registration_due),
        "composition": {
            "members": len(sitting),
            "owners": sum(m.is_owner for m in sitting),
            "party_members": sum(m.is_party_member for m in sitting),
        },
        "members": [
            {
                "person": {"id": m.person_id, "name": m.person.name},
                "position": m.position,
                "position_label": m.get_position_display(),
                "is_owner": m.is_owner,
                "is_party_member": m.is_party_member,
                "left_on": m.left_on,
            }
            for m in members
        ],
    }


def _committee_out(c: OwnersCommittee) -> dict[str, Any]:
    return {
        "id": c.pk,
        "compound": {"id": c.compound_id, "name": c.compound.name},
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "name": c.name,
        "status": c.status,
        "status_label": c.get_status_display(),
        "preparing_since": c.preparing_since,
        "formed_on": c.formed_on,
        "dissolved_on": c.dissolved_on,
        "terms": [_term_out(t) for t in c.terms.all()],
    }


class CommitteeFilters(PageParams):
    compound_id: int | None = None
    status: Literal["preparing", "formed", "dissolved"] | None = None


@router.get("/committees", response={200: CommitteePage, **ERRORS}, summary="业委会/物管会列表")
def committee_list(request: HttpRequest, filters: Query[CommitteeFilters]) -> Any:
    rows = _committees(request).order_by("compound__name", "id")
    if filters.compound_id is not None:
        rows = rows.filter(compound_id=filters.compound_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(rows, filters, _committee_out)


@router.get(
    "/committees/counts", response={200: CountsOut, **ERRORS}, summary="已成立 / 筹备中 / 未成立的小区数"
)
def committee_counts(request: HttpRequest) -> Any:
    return selectors.committee_counts(places.compounds_for(caller(request)))


@router.get("/committees/{committee_id}", response={200: CommitteeOut, **ERRORS}, summary="业委会详情与历届")
def committee_detail(request: HttpRequest, committee_id: int) -> Any:
    return _committee_out(_committees(request).get(pk=committee_id))


@router.post("/committees", response={201: CommitteeOut, **ERRORS}, summary="成立筹备组（筹备中）")
def committee_prepare(request: HttpRequest, payload: CommitteeIn) -> Any:
    user = caller(request)
    try:
        compound = places.access_compound(user, payload.compound_id)
    except Exception:
        raise not_found() from None
    with decision_errors():
        c = services.committee_prepare(
            user=user, compound=compound, kind=payload.kind, name=payload.name, since=payload.since
        )
    return Status(201, _committee_out(_committees(request).get(pk=c.pk)))


@router.post("/committees/{committee_id}/terms", response={201: TermOut, **ERRORS}, summary="组成新一届")
def term_start(request: HttpRequest, committee_id: int, payload: TermIn) -> Any:
    user = caller(request)
    committee = _committees(request).get(pk=committee_id)
    election = None
    if payload.election_id is not None:
        election = selectors.votes_for(user).filter(pk=payload.election_id).first()
        if election is None:
            raise not_found()
    with decision_errors():
        term = services.term_start(
            user=user,
            committee=committee,
            members=[(m.person_id, m.position) for m in payload.members],
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            elected_on=payload.elected_on,
            election=election,
        )
    return Status(201, _term_out(_terms(request).get(pk=term.pk)))


def _terms(request: HttpRequest) -> Any:
    members = CommitteeMember.objects.select_related("person").order_by("position", "id")
    return (
        CommitteeTerm.objects.filter(committee__in=selectors.committees_for(caller(request)))
        .select_related("committee")
        .prefetch_related(Prefetch("members", queryset=members))
    )


@router.post("/terms/{term_id}/register", response={200: TermOut, **ERRORS}, summary="登记备案")
def term_register(request: HttpRequest, term_id: int, payload: RegisterIn) -> Any:
    term = _terms(request).get(pk=term_id)
    with decision_errors():
        services.term_register(user=caller(request), term=term, registered_on=payload.registered_on)
    return _term_out(_terms(request).get(pk=term_id))


@router.post("/committees/{committee_id}/dissolve", response={200: CommitteeOut, **ERRORS}, summary="解散")
def committee_dissolve(request: HttpRequest, committee_id: int, payload: DissolveIn) -> Any:
    committee = _committees(request).get(pk=committee_id)
    with decision_errors():
        services.committee_dissolve(
            user=caller(request), committee=committee, on=payload.on, reason=payload.reason
        )
    return _committee_out(_committees(request).get(pk=committee_id))
