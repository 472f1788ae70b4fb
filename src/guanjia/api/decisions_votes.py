"""Owners' votes over the API: announce, open, roll, ballots, close, publish, result. Thin: the rules live in
decisions.services and decisions.selectors."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from guanjia.api.auth import caller
from guanjia.api.decisions_schemas import (
    BallotIn,
    BallotOut,
    ReasonIn,
    ResultOut,
    RollPage,
    VoteIn,
    VoteOut,
    VotePage,
)
from guanjia.api.errors import ApiError, not_found
from guanjia.api.paging import PageParams, paginate
from guanjia.api.schemas import ErrorOut
from guanjia.decisions import law, selectors, services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import OwnersCommittee, OwnersVote, RollPart, Voter
from guanjia.places import selectors as places

router = Router(tags=["decisions"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@contextlib.contextmanager
def decision_errors() -> Iterator[None]:
    """A broken rule of the decision becomes the API's error shape (409 wrong state, 422 bad input)."""
    try:
        yield
    except DecisionError as e:
        fields = [{"field": e.field, "message": e.message}] if e.field else None
        raise ApiError(e.status, e.code, e.message, fields) from None


def vote_out(vote: OwnersVote, user: Any) -> dict[str, Any]:
    return {
        "id": vote.pk,
        "compound": {"id": vote.compound_id, "name": vote.compound.name},
        "title": vote.title,
        "description": vote.description,
        "matter": vote.matter,
        "matter_label": vote.get_matter_display(),
        "special_matter": vote.matter in law.SPECIAL_MATTERS,
        "status": vote.status,
        "status_label": vote.get_status_display(),
        "announced_at": vote.announced_at,
        "opens_at": vote.opens_at,
        "closes_at": vote.closes_at,
        "notice_override_reason": vote.notice_override_reason,
        "abstain_counts_as_participating": vote.abstain_counts_as_participating,
        "include_parking": vote.include_parking,
        "seats": vote.seats,
        "candidates": [
            {"id": c.pk, "name": c.person.name, "is_owner": c.is_owner, "is_party_member": c.is_party_member}
            for c in vote.candidates.all()
        ],
        "opened_at": vote.opened_at,
        "closed_at": vote.closed_at,
        "published_at": vote.published_at,
        "publish_due": vote.publish_due,
        "my_voters": [
            {
                "voter_id": v.pk,
                "label": v.label,
                "area": str(v.area),
                "current_choice": getattr(v.current_ballot, "choice", None),  # type: ignore[attr-defined]
                "current_origin": getattr(v.current_ballot, "origin", None),  # type: ignore[attr-defined]
            }
            for v in selectors.my_voters(user, vote)
        ]
        if user is not None
        else [],
    }


def _vote(request: HttpRequest, vote_id: int) -> OwnersVote:
    return selectors.votes_for(caller(request)).prefetch_related("candidates__person").get(pk=vote_id)


@router.post("/votes", response={201: VoteOut, **ERRORS}, summary="发起业主表决（公告）")
def vote_create(request: HttpRequest, payload: VoteIn) -> Any:
    user = caller(request)
    try:
        compound = places.access_compound(user, payload.compound_id)
    except Exception:
        raise not_found() from None
    committee = None
    if payload.committee_id is not None:
        committee = OwnersCommittee.objects.filter(pk=payload.committee_id, compound=compound).first()
        if committee is None:
            raise not_found()
    with decision_errors():
        vote = services.vote_create(
            user=user,
            compound=compound,
            committee=committee,
            **payload.dict(exclude={"compound_id", "committee_id"}),
        )
    return Status(201, vote_out(_vote(request, vote.pk), user))


class VoteFilters(PageParams):
    compound_id: int | None = None
    status: str | None = None


@router.get("/votes", response={200: VotePage, **ERRORS}, summary="业主表决列表")
def vote_list(request: HttpRequest, filters: Query[VoteFilters]) -> Any:
    user = caller(request)
    votes = selectors.votes_for(user).prefetch_related("candidates__person").order_by("-opens_at", "-id")
    if filters.compound_id is not None:
        votes = votes.filter(compound_id=filters.compound_id)
    if filters.status:
        votes = votes.filter(status=filters.status)
    return paginate(votes, filters, lambda v: vote_out(v, user))


@router.get("/votes/{vote_id}", response={200: VoteOut, **ERRORS}, summary="业主表决详情")
def vote_detail(request: HttpRequest, vote_id: int) -> Any:
    return vote_out(_vote(request, vote_id), caller(request))


@router.post("/votes/{vote_id}/open", response={200: VoteOut, **ERRORS}, summary="开始表决并冻结名册")
def vote_open(request: HttpRequest, vote_id: int) -> Any:
    user = caller(request)
    with decision_errors():
        services.vote_open(user=user, vote=_vote(request, vote_id))
    return vote_out(_vote(request, vote_id), user)


@router.get("/votes/{vote_id}/roll", response={200: RollPage, **ERRORS}, summary="表决权人名册（冻结）")
def vote_roll(request: HttpRequest, vote_id: int, page: Query[PageParams]) -> Any:
    vote = _vote(request, vote_id)
    voters = selectors.roll_for(caller(request), vote).prefetch_related(
        Prefetch("parts", queryset=RollPart.objects.order_by("id"))
    )
    body = paginate(voters, page, _voter_out)
    if vote.status in (OwnersVote.Status.CLOSED, OwnersVote.Status.PUBLISHED):
        total_area, total_owners = vote.result.total_area, vote.result.total_owners
    else:
        total_area = sum(Voter.objects.filter(vote=vote).values_list("area", flat=True), start=0)
        total_owners = Voter.objects.filter(vote=vote).count()
    return {**body, "total_area": f"{total_area:.2f}", "total_owners": total_owners}


def _voter_out(v: Voter) -> dict[str, Any]:
    return {
        "id": v.pk,
        "kind": v.kind,
        "kind_label": v.get_kind_display(),
        "label": v.label,
        "area": str(v.area),
        "headcount": v.headcount,
        "parts": [
            {"label": p.label, "area": str(p.area), "area_source": p.area_source} for p in v.parts.all()
        ],
    }


@router.post("/votes/{vote_id}/ballots", response={200: BallotOut, 201: BallotOut, **ERRORS}, summary="投票")
def ballot_cast(request: HttpRequest, vote_id: int, payload: BallotIn) -> Any:
    """One counted ballot per voter. Send `Idempotency-Key`: a repeat returns the same ballot (200)."""
    user = caller(request)
    with decision_errors():
        cast = services.ballot_cast(
            user=user,
            vote=vote_id,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            **payload.dict(),
        )
    b = cast.ballot
    body = {
        "id": b.pk,
        "voter_id": b.voter_id,
        "choice": b.choice,
        "origin": b.origin,
        "marks": b.marks,
        "cast_at": b.cast_at,
        "replaced_ballot_id": cast.replaced.pk if cast.replaced else None,
    }
    return Status(201 if cast.created else 200, body)


@router.post("/votes/{vote_id}/close", response={200: ResultOut, **ERRORS}, summary="结束表决并计票")
def vote_close(request: HttpRequest, vote_id: int, payload: ReasonIn | None = None) -> Any:
    user = caller(request)
    with decision_errors():
        services.vote_close(user=user, vote=_vote(request, vote_id), reason=payload.reason if payload else "")
    return selectors.result_figures(_vote(request, vote_id))


@router.post("/votes/{vote_id}/publish", response={200: ResultOut, **ERRORS}, summary="向小区公布结果")
def vote_publish(request: HttpRequest, vote_id: int) -> Any:
    user = caller(request)
    with decision_errors():
        services.vote_publish(user=user, vote=_vote(request, vote_id))
    return selectors.result_figures(_vote(request, vote_id))


@router.post("/votes/{vote_id}/cancel", response={200: VoteOut, **ERRORS}, summary="取消表决")
def vote_cancel(request: HttpRequest, vote_id: int, payload: ReasonIn) -> Any:
    user = caller(request)
    with decision_errors():
        services.vote_cancel(user=user, vote=_vote(request, vote_id), reason=payload.reason)
    return vote_out(_vote(request, vote_id), user)


@router.get("/votes/{vote_id}/result", response={200: ResultOut, **ERRORS}, summary="表决结果（全部数字）")
def vote_result(request: HttpRequest, vote_id: int) -> Any:
    user = caller(request)
    vote = _vote(request, vote_id)
    if vote.status not in (OwnersVote.Status.CLOSED, OwnersVote.Status.PUBLISHED):
        raise ApiError(409, "not_counted", _("表决尚未计票"))
    if not selectors.result_visible(user, vote):
        raise ApiError(403, "forbidden", _("结果尚未公布"))
    return selectors.result_figures(vote)
