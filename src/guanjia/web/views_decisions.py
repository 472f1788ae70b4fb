"""Owners' votes for owners (mobile first): the votes of my compound, one vote with its rules in plain words,
my entry on the frozen roll and my ballot, and the published result with all its arithmetic. Also the
home-page widgets. Thin: reads through decisions.selectors, writes through decisions.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.decisions import permissions as dperms
from guanjia.decisions import progress, selectors, services
from guanjia.decisions.models import Ballot, Candidate, OwnersVote, RollPart, Voter
from guanjia.people import permissions as perms
from guanjia.places import selectors as places
from guanjia.web import views_decisions_common as common
from guanjia.web.decorators import login_required

Status = OwnersVote.Status
PAGE = 20
HOME_LIMIT = 5
# Open first (there is something to do), then what is coming, then results.
STATUS_ORDER = (Status.OPEN, Status.ANNOUNCED, Status.CLOSED, Status.PUBLISHED, Status.CANCELLED)


def _ordered(votes: Any) -> Any:
    rank = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)], output_field=IntegerField()
    )
    return votes.annotate(status_rank=rank).order_by("status_rank", "-opens_at", "-id")


@login_required
@require_GET
def vote_list(request: HttpRequest) -> HttpResponse:
    """The votes of my compound(s): open, announced, counted, published."""
    user = request.user
    votes = selectors.votes_for(user)
    compound_id = common.int_or_none(request.GET.get("compound"))
    if compound_id is not None:
        votes = votes.filter(compound_id=compound_id)
    status = request.GET.get("status", "")
    if status in Status.values:
        votes = votes.filter(status=status)
    page = Paginator(_ordered(votes), PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    waiting = set(
        selectors.awaiting_my_ballot(user).filter(pk__in=[v.pk for v in rows]).values_list("pk", flat=True)
    )
    for vote in rows:
        vote.awaiting_me = vote.pk in waiting
    scope = perms.scope_for(user)
    organised = [
        c for c in places.compounds_for(user).order_by("name")[:200] if dperms.can_organise(scope, c)
    ]
    return render(
        request,
        "web/decisions/votes.html",
        {
            "nav_key": "decisions",
            "tab": "votes",
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": [(s.value, s.label) for s in STATUS_ORDER],
            "compound_id": compound_id,
            "organised": organised,
        },
    )


def _my_voters(user: Any, vote: OwnersVote, candidates: list[Candidate]) -> list[Voter]:
    """My entries on the roll, each with its parts, its current ballot, a fresh form key and, in an
    election, my current mark for each candidate."""
    mine = selectors.my_voters(user, vote)
    prefetch_related_objects(mine, Prefetch("parts", queryset=RollPart.objects.order_by("id")))
    for voter in mine:
        voter.form_key = common.new_form_key()  # type: ignore[attr-defined]
        marks = getattr(voter.current_ballot, "marks", None) or {}  # type: ignore[attr-defined]
        voter.marks = [(c, marks.get(str(c.pk), "")) for c in candidates]  # type: ignore[attr-defined]
    return mine


def is_open_now(vote: OwnersVote) -> bool:
    return vote.status == Status.OPEN and vote.opens_at <= timezone.now() < vote.closes_at


@login_required
@require_GET
def vote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    vote = common.vote_or_404(user, pk)
    roles = common.Roles.of(user, vote.compound_id)
    frozen = vote.status not in (Status.ANNOUNCED, Status.CANCELLED)
    totals = progress.roll_totals(vote) if frozen else None
    candidates = list(vote.candidates.select_related("person"))
    context = {
        "nav_key": "decisions",
        "vote": vote,
        "roles": roles,
        "mine": _my_voters(user, vote, candidates) if frozen else [],
        "candidates": candidates,
        "is_resident": perms.RESIDENT in perms.scope_for(user).roles,
        "rules": common.rules_in_words(vote, totals),
        "notice_days": common.notice_days(vote),
        "open_now": is_open_now(vote),
        "result_visible": selectors.result_visible(user, vote),
        "events": [(e, common.event_label(e.kind)) for e in vote.events.order_by("at", "id")]
        if roles.see_roll
        else [],
        "choices": Ballot.Choice.choices,
    }
    return render(request, "web/decisions/vote.html", context)


def _election_marks(request: HttpRequest, vote: OwnersVote) -> tuple[dict[str | int, str], str]:
    """Per-candidate marks from the form, and the ballot's overall choice: agree when it agrees to
    anyone, else oppose when it opposes anyone, else abstain."""
    marks: dict[str | int, str] = {}
    for cid in vote.candidates.values_list("pk", flat=True):
        value = request.POST.get(f"c{cid}", "")
        if value:
            marks[str(cid)] = value
    values = set(marks.values())
    choice = "agree" if "agree" in values else "oppose" if "oppose" in values else "abstain"
    return marks, choice


@login_required
@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """My own ballot, online. The form's key makes a repeated send record it once."""
    user = request.user
    vote = common.vote_or_404(user, pk)
    here = reverse("web:decisions-vote", args=[vote.pk]) + "#ballot"
    marks: dict[str | int, str] | None = None
    choice = request.POST.get("choice", "")
    if vote.is_election:
        marks, choice = _election_marks(request, vote)
        if not marks:
            messages.error(request, _("请对候选人逐一表态"))
            return redirect(here)
    with common.rule_messages(request) as refused:
        try:
            cast = services.ballot_cast(
                user=user,
                vote=vote.pk,
                voter_id=common.int_or_none(request.POST.get("voter")) or 0,
                choice=choice,
                origin=Ballot.Origin.ONLINE,
                marks=marks,
                idempotency_key=request.POST.get("key", ""),
            )
        except (Voter.DoesNotExist, OwnersVote.DoesNotExist):
            raise Http404 from None
    if not refused:
        label = Ballot.Choice(cast.ballot.choice).label
        if not cast.created:
            messages.info(request, _("这张选票已经记录过了。"))
        elif cast.replaced is not None:
            messages.success(request, _("已更改为“%(choice)s”，以最后一次为准。") % {"choice": label})
        else:
            messages.success(request, _("投票成功：%(choice)s。截止前可以更改。") % {"choice": label})
    return redirect(here)


@login_required
@require_GET
def vote_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The counted result, showing every figure and each threshold as an exact fraction."""
    user = request.user
    vote = common.vote_or_404(user, pk)
    if not selectors.result_visible(user, vote):
        messages.info(request, _("计票结果公布后才能查看。"))
        return redirect("web:decisions-vote", pk=vote.pk)
    figures = selectors.result_figures(vote)
    return render(
        request,
        "web/decisions/result.html",
        {
            "nav_key": "decisions",
            "vote": vote,
            "r": figures,
            "elected": sorted((c for c in figures["candidates"] if c["elected"]), key=lambda c: c["rank"]),
            "rules": common.rules_in_words(vote),
            "roles": common.Roles.of(user, vote.compound_id),
        },
    )


# --- home-page widgets (included by the lead's home templates) ------------------------------------


def home_resident(request: HttpRequest) -> dict[str, Any]:
    """Context of web/decisions/_home_resident.html: open votes where I have not voted yet (one query)."""
    rows = list(selectors.awaiting_my_ballot(request.user).order_by("closes_at", "id")[:HOME_LIMIT])
    return {"decisions_home": {"awaiting": rows}}


def _count(model_qs: Any) -> Coalesce:
    counted = model_qs.filter(vote=OuterRef("pk")).order_by().values("vote").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def home_organiser(request: HttpRequest) -> dict[str, Any]:
    """Context of web/decisions/_home_organiser.html: the votes I run that need something (open, about to
    open, counted but not yet published), with live participation; three queries."""
    user = request.user
    scope = perms.scope_for(user)
    live = (
        selectors.votes_for(user)
        .filter(status__in=(Status.OPEN, Status.ANNOUNCED, Status.CLOSED))
        .annotate(
            n_voters=_count(Voter.objects.all()),
            n_voted=_count(Ballot.objects.filter(is_current=True)),
        )
    )
    rows = [v for v in _ordered(live)[:50] if dperms.can_enter(scope, v.compound)][:HOME_LIMIT]
    for v in rows:
        v.percent = round(100 * v.n_voted / v.n_voters) if v.n_voters else 0
    return {"decisions_organiser": {"rows": rows, "can_create": _organises_any(scope)}}


def _organises_any(scope: perms.Scope) -> bool:
    from guanjia.people.models import Role

    return scope.is_admin or scope.has(Role.COMMITTEE_MEMBER, Role.CADRE, Role.SECRETARY)
