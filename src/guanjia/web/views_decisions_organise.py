"""Running an owners' vote (committee members, 包片 cadres, the secretary): announce it, nominate candidates,
open, close, publish or cancel it, follow participation by building and grid, and enter signed paper or
proxy ballots (grid workers too). Thin: every rule is in decisions.services and decisions.permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guanjia.decisions import permissions as dperms
from guanjia.decisions import progress, services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import Ballot, Matter, OwnersCommittee, OwnersVote, RollPart, Voter
from guanjia.people import permissions as perms
from guanjia.people.models import Residency
from guanjia.people.selectors import persons_for
from guanjia.places import selectors as places
from guanjia.places.models import Compound
from guanjia.web import views_decisions_common as common
from guanjia.web.decorators import login_required
from guanjia.web.views_decisions import _election_marks

SEARCH_LIMIT = 20
NOT_ORGANISER = gettext_lazy("只有业委会委员、包片干部或社区书记可以组织表决")


def organised_compounds(user: Any) -> list[Compound]:
    scope = perms.scope_for(user)
    return [c for c in places.compounds_for(user).order_by("name")[:500] if dperms.can_organise(scope, c)]


def _local(value: str) -> dt.datetime | None:
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _defaults() -> dict[str, str]:
    """Opens at 9:00 after the 15-day notice, closes ten days later at 18:00."""
    day = timezone.localdate() + dt.timedelta(days=16)
    return {
        "opens_at": f"{day:%Y-%m-%d}T09:00",
        "closes_at": f"{day + dt.timedelta(days=10):%Y-%m-%d}T18:00",
        "abstain": "on",
    }


@login_required
def vote_new(request: HttpRequest) -> HttpResponse:
    """发起表决: the notice is given now; a shorter notice than 15 days needs a reason on record."""
    compounds = organised_compounds(request.user)
    if not compounds:
        return common.refused(request, str(NOT_ORGANISER))
    values: dict[str, Any] = _defaults() | {"compound": request.GET.get("compound", "")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = request.POST.dict()
        vote = _create(request, compounds, values, errors)
        if vote is not None:
            messages.success(request, _("已发布表决公告。"))
            return redirect("web:decisions-vote", pk=vote.pk)
    return render(
        request,
        "web/decisions/vote_form.html",
        {
            "nav_key": "decisions",
            "compounds": compounds,
            "matters": Matter.choices,
            "values": values,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _create(
    request: HttpRequest, compounds: list[Compound], values: dict[str, Any], errors: dict[str, str]
) -> OwnersVote | None:
    compound = next((c for c in compounds if str(c.pk) == values.get("compound")), None)
    opens_at, closes_at = _local(values.get("opens_at", "")), _local(values.get("closes_at", ""))
    if compound is None:
        errors["compound"] = _("请选择小区")
    if opens_at is None:
        errors["opens_at"] = _("请填写开始时间")
    if closes_at is None:
        errors["closes_at"] = _("请填写截止时间")
    if errors or compound is None or opens_at is None or closes_at is None:
        return None
    election = values.get("matter") == Matter.ELECT_COMMITTEE
    committee = (
        OwnersCommittee.objects.filter(compound=compound).exclude(status="dissolved").first()
        if election
        else None
    )
    try:
        return services.vote_create(
            user=request.user,
            compound=compound,
            title=values.get("title", ""),
            description=values.get("description", ""),
            matter=values.get("matter", ""),
            opens_at=opens_at,
            closes_at=closes_at,
            abstain_counts_as_participating=bool(values.get("abstain")),
            include_parking=bool(values.get("parking")),
            notice_override_reason=values.get("notice_override_reason", ""),
            seats=common.int_or_none(values.get("seats")) if election else None,
            committee=committee,
        )
    except DecisionError as e:
        errors[e.field or "all"] = e.message
    return None


ACTIONS = {
    "open": lambda user, vote, reason: services.vote_open(user=user, vote=vote),
    "close": lambda user, vote, reason: services.vote_close(user=user, vote=vote, reason=reason),
    "publish": lambda user, vote, reason: services.vote_publish(user=user, vote=vote),
    "cancel": lambda user, vote, reason: services.vote_cancel(user=user, vote=vote, reason=reason),
}
DONE = {
    "open": gettext_lazy("表决已开始，名册已冻结。"),
    "close": gettext_lazy("表决已结束并完成计票。"),
    "publish": gettext_lazy("结果已向全体业主公布。"),
    "cancel": gettext_lazy("表决已取消。"),
}


@login_required
@require_POST
def vote_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Open, close (early: with a reason), publish or cancel (with a reason)."""
    vote = common.vote_or_404(request.user, pk)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise Http404
    with common.rule_messages(request) as refused:
        try:
            ACTIONS[action](request.user, vote, request.POST.get("reason", ""))
        except PermissionDenied as e:
            return common.refused(request, str(e), back=reverse("web:decisions-vote", args=[vote.pk]))
    if not refused:
        messages.success(request, str(DONE[action]))
        if action in ("close", "publish"):
            return redirect("web:decisions-vote-result", pk=vote.pk)
    return redirect("web:decisions-vote", pk=vote.pk)


@login_required
def vote_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Who has voted so far, by building and grid: never how they voted."""
    vote = common.vote_or_404(request.user, pk)
    roles = common.Roles.of(request.user, vote.compound_id)
    if not roles.see_roll:
        return common.refused(request, _("无权查看表决进度"))
    if vote.status in (OwnersVote.Status.ANNOUNCED, OwnersVote.Status.CANCELLED):
        messages.info(request, _("表决开始后才有参与进度。"))
        return redirect("web:decisions-vote", pk=vote.pk)
    return render(
        request,
        "web/decisions/progress.html",
        {
            "nav_key": "decisions",
            "vote": vote,
            "roles": roles,
            "p": progress.participation(vote),
            "origins": dict(Ballot.Origin.choices),
        },
    )


@login_required
def ballot_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Signed paper ballots and proxy ballots with a written authorisation, found by dwelling."""
    vote = common.vote_or_404(request.user, pk)
    roles = common.Roles.of(request.user, vote.compound_id)
    if not roles.enter:
        return common.refused(request, _("无权录入纸质或委托选票"))
    if request.method == "POST":
        _enter(request, vote)
        back = reverse("web:decisions-vote-entry", args=[vote.pk])
        return redirect(f"{back}?q={request.POST.get('q', '')}")
    query = request.GET.get("q", "").strip()
    voters: list[Voter] = []
    if query:
        ids = (
            RollPart.objects.filter(vote=vote, label__icontains=query)
            .values_list("voter_id", flat=True)
            .distinct()[:SEARCH_LIMIT]
        )
        current = Ballot.objects.filter(is_current=True)
        voters = list(
            Voter.objects.filter(vote=vote, pk__in=list(ids))
            .prefetch_related(
                Prefetch("parts", queryset=RollPart.objects.order_by("id")),
                Prefetch("ballots", queryset=current, to_attr="current"),
            )
            .order_by("id")
        )
        for v in voters:
            v.form_key = common.new_form_key()  # type: ignore[attr-defined]
    return render(
        request,
        "web/decisions/entry.html",
        {
            "nav_key": "decisions",
            "vote": vote,
            "query": query,
            "voters": voters,
            "candidates": list(vote.candidates.select_related("person")),
            "choices": Ballot.Choice.choices,
            "open_now": vote.status == OwnersVote.Status.OPEN,
        },
    )


def _enter(request: HttpRequest, vote: OwnersVote) -> None:
    post = request.POST
    marks: dict[str | int, str] | None = None
    choice = post.get("choice", "")
    if vote.is_election:
        marks, choice = _election_marks(request, vote)
    with common.rule_messages(request) as refused:
        try:
            cast = services.ballot_cast(
                user=request.user,
                vote=vote.pk,
                voter_id=common.int_or_none(post.get("voter")) or 0,
                choice=choice,
                origin=post.get("origin", ""),
                marks=marks,
                proxy_name=post.get("proxy_name", ""),
                authorisation=post.get("authorisation", ""),
                paper_reference=post.get("paper_reference", ""),
                idempotency_key=post.get("key", ""),
            )
        except (Voter.DoesNotExist, OwnersVote.DoesNotExist):
            raise Http404 from None
    if not refused:
        messages.success(
            request,
            _("已录入：%(who)s，%(choice)s（%(origin)s）")
            % {
                "who": cast.ballot.voter.label,
                "choice": cast.ballot.get_choice_display(),
                "origin": cast.ballot.get_origin_display(),
            },
        )


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """Nominating candidates for an election, before it opens: owners of the compound, found by name."""
    vote = common.vote_or_404(request.user, pk)
    if not dperms.can_organise(perms.scope_for(request.user), vote.compound_id):
        return common.refused(request, str(NOT_ORGANISER))
    if not vote.is_election:
        raise Http404
    if request.method == "POST":
        with common.rule_messages(request) as refused:
            c = services.candidate_add(
                user=request.user,
                vote=vote,
                person_id=common.int_or_none(request.POST.get("person")) or 0,
                statement=request.POST.get("statement", ""),
            )
        if not refused:
            messages.success(request, _("已提名：%(name)s") % {"name": c.person.name})
        return redirect("web:decisions-vote-candidates", pk=vote.pk)
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        owners = Residency.objects.filter(
            relation=Residency.Relation.OWNER,
            end_date__isnull=True,
            household__dwelling__compound_id=vote.compound_id,
        ).values("person_id")
        found = list(
            persons_for(request.user)
            .filter(pk__in=owners, name__icontains=query)
            .order_by("name", "pk")[:SEARCH_LIMIT]
        )
    return render(
        request,
        "web/decisions/candidates.html",
        {
            "nav_key": "decisions",
            "vote": vote,
            "query": query,
            "found": found,
            "candidates": list(vote.candidates.select_related("person")),
        },
    )
