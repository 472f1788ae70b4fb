"""Consultations (a household's answer; landlord and tenant both for a rented flat; door-to-door entry and
progress by building and grid), owners' committees (members, terms, elections → terms, registration) and
self-governance groups (projects and their public ledger). Thin, as the other decisions pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.decisions import selectors, services
from guanjia.decisions.models import (
    CommitteeMember,
    CommitteeTerm,
    Consultation,
    ConsultationResponse,
    ConsultationUnit,
    GroupProject,
    LedgerEntry,
    OwnersCommittee,
    OwnersVote,
)
from guanjia.decisions.services.committees import MAX_YEARS
from guanjia.decisions.services.committees import _years_later as years_later
from guanjia.decisions.services.groups import Balance
from guanjia.people import permissions as perms
from guanjia.people.models import Residency
from guanjia.people.permissions import in_force
from guanjia.web import views_decisions_common as common
from guanjia.web.decorators import login_required

PAGE = 20
ZERO = Decimal("0.00")
SEARCH_LIMIT = 20
OWNER, TENANT = ConsultationResponse.Party.OWNER, ConsultationResponse.Party.TENANT


def consultation_or_404(user: Any, pk: int) -> Consultation:
    found = selectors.consultations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.consultations_for(request.user).order_by("-opens_at", "-id")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/decisions/consultations.html",
        {"nav_key": "decisions", "tab": "consultations", "page": page},
    )


def _my_units(user: Any, c: Consultation) -> list[ConsultationUnit]:
    """My dwellings in this consultation, the parties I may answer for, and both parties' answers."""
    scope = perms.scope_for(user)
    if not scope.dwelling_ids or scope.person_id is None:
        return []
    units = list(
        ConsultationUnit.objects.filter(consultation=c, dwelling_id__in=sorted(scope.dwelling_ids)).order_by(
            "id"
        )
    )
    mine = Residency.objects.filter(
        in_force(timezone.localdate()),
        person_id=scope.person_id,
        household__dwelling_id__in=[u.dwelling_id for u in units],
    ).values_list("household__dwelling_id", "relation")
    relations: dict[int, set[str]] = {}
    for dwelling_id, relation in mine:
        relations.setdefault(dwelling_id, set()).add(relation)
    answers = ConsultationResponse.objects.filter(unit__in=units, is_current=True)
    by_unit: dict[int, dict[str, ConsultationResponse]] = {}
    for a in answers:
        by_unit.setdefault(a.unit_id, {})[a.party] = a
    for u in units:
        mine_here = relations.get(u.dwelling_id, set())
        u.parties = [  # type: ignore[attr-defined]
            {
                "code": party,
                "label": ConsultationResponse.Party(party).label,
                "answer": by_unit.get(u.pk, {}).get(party),
                "mine": relation in mine_here,
                "key": common.new_form_key(),
            }
            for party, relation in ((OWNER, Residency.Relation.OWNER), (TENANT, Residency.Relation.TENANT))
            if party == OWNER or u.rented
        ]
    return units


@login_required
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    c = consultation_or_404(user, pk)
    roles = common.Roles.of(user, c.compound_id)
    query = request.GET.get("q", "").strip()
    found: list[ConsultationUnit] = []
    if roles.enter and query:
        found = list(
            ConsultationUnit.objects.filter(consultation=c, label__icontains=query)
            .prefetch_related(
                Prefetch(
                    "responses", queryset=ConsultationResponse.objects.filter(is_current=True), to_attr="now"
                )
            )
            .order_by("id")[:SEARCH_LIMIT]
        )
        for u in found:
            u.answers = {a.party: a for a in u.now}  # type: ignore[attr-defined]
            u.key = common.new_form_key()  # type: ignore[attr-defined]
    return render(
        request,
        "web/decisions/consultation.html",
        {
            "nav_key": "decisions",
            "c": c,
            "roles": roles,
            "mine": _my_units(user, c),
            "open_now": c.status == Consultation.Status.OPEN and timezone.now() < c.closes_at,
            "progress": selectors.consultation_result(c) if roles.see_roll else None,
            "query": query,
            "found": found,
        },
    )


@login_required
@require_POST
def consultation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """One party's answer for one dwelling: online for oneself, door to door or from paper by staff."""
    c = consultation_or_404(request.user, pk)
    post = request.POST
    with common.rule_messages(request) as refused:
        try:
            response, created = services.consultation_answer(
                user=request.user,
                consultation=c,
                dwelling_id=common.int_or_none(post.get("dwelling")) or 0,
                party=post.get("party", ""),
                agrees=post.get("agrees") == "yes",
                origin=post.get("origin", ConsultationResponse.Origin.ONLINE),
                note=post.get("note", ""),
                idempotency_key=post.get("key", ""),
            )
        except ConsultationUnit.DoesNotExist:
            raise Http404 from None
        except PermissionDenied as e:
            return common.refused(request, str(e))
    if not refused:
        word = _("同意") if response.agrees else _("不同意")
        messages.success(
            request, _("已记录：%(word)s") % {"word": word} if created else _("这条意见已经记录过了。")
        )
    back = reverse("web:decisions-consultation", args=[c.pk])
    return redirect(f"{back}?q={post.get('q')}#entry" if post.get("q") else f"{back}#mine")


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    c = consultation_or_404(request.user, pk)
    with common.rule_messages(request) as refused:
        try:
            services.consultation_close(user=request.user, consultation=c)
        except PermissionDenied as e:
            return common.refused(request, str(e))
    if not refused:
        messages.success(request, _("征求意见已结束，结果已固定。"))
    return redirect("web:decisions-consultation", pk=c.pk)


# --- committees ----------------------------------------------------------------------------------


def _terms() -> Prefetch:
    members = CommitteeMember.objects.select_related("person").order_by("position", "id")
    return Prefetch(
        "terms",
        queryset=CommitteeTerm.objects.order_by("-number").prefetch_related(
            Prefetch("members", queryset=members)
        ),
    )


def _composition(term: CommitteeTerm) -> dict[str, int]:
    sitting = [m for m in term.members.all() if m.left_on is None]
    return {
        "members": len(sitting),
        "owners": sum(m.is_owner for m in sitting),
        "party": sum(m.is_party_member for m in sitting),
    }


@login_required
@require_GET
def committee_list(request: HttpRequest) -> HttpResponse:
    """Committees of my compound(s): who sits on them, for which term, registered or not; past terms."""
    user = request.user
    committees = selectors.committees_for(user).prefetch_related(_terms()).order_by("compound__name", "id")
    page = Paginator(committees, PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    pending = _elections_without_term([c for c in rows if common.Roles.of(user, c.compound_id).organise])
    for c in rows:
        terms = list(c.terms.all())
        c.current = terms[0] if terms else None
        c.history = terms[1:]
        c.composition = _composition(terms[0]) if terms else None
        c.organise = common.Roles.of(user, c.compound_id).organise
        c.pending = pending.get(c.pk, [])
    return render(
        request,
        "web/decisions/committees.html",
        {
            "nav_key": "decisions",
            "tab": "committees",
            "page": page,
            "rows": rows,
            "today": timezone.localdate(),
        },
    )


def _elections_without_term(committees: list[OwnersCommittee]) -> dict[int, list[OwnersVote]]:
    """Counted elections of these committees that no term has been formed from yet."""
    if not committees:
        return {}
    used = CommitteeTerm.objects.filter(election=OuterRef("pk"))
    votes = (
        OwnersVote.objects.filter(
            committee__in=committees,
            matter="elect_committee",
            status__in=(OwnersVote.Status.CLOSED, OwnersVote.Status.PUBLISHED),
        )
        .exclude(Exists(used))
        .prefetch_related("candidates__person", "candidates__result")
    )
    found: dict[int, list[OwnersVote]] = {}
    for v in votes:
        v.elected = sorted(  # type: ignore[attr-defined]
            (c for c in v.candidates.all() if c.result.elected), key=lambda c: c.result.rank or 0
        )
        v.default_ends = _term_end(v)  # type: ignore[attr-defined]
        found.setdefault(v.committee_id or 0, []).append(v)
    return found


def _term_end(vote: OwnersVote) -> str:
    years = MAX_YEARS[OwnersCommittee.Kind(vote.committee.kind)] if vote.committee else 5
    return f"{years_later(timezone.localdate(), years) - dt.timedelta(days=1):%Y-%m-%d}"


@login_required
@require_POST
def term_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A new term from a counted election: the elected candidates, their positions, the term's dates."""
    committee = selectors.committees_for(request.user).filter(pk=pk).first()
    if committee is None:
        raise Http404
    election = OwnersVote.objects.filter(
        pk=common.int_or_none(request.POST.get("election")) or 0, committee=committee
    ).first()
    if election is None:
        raise Http404
    elected = election.candidates.filter(result__elected=True).values_list("person_id", flat=True)
    members = [(pid, request.POST.get(f"position_{pid}", "member")) for pid in elected]
    starts_on, ends_on = (
        parse_date(request.POST.get("starts_on", "")),
        parse_date(request.POST.get("ends_on", "")),
    )
    if starts_on is None or ends_on is None:
        messages.error(request, _("请填写任期起止日期"))
        return redirect("web:decisions-committees")
    with common.rule_messages(request) as refused:
        try:
            term = services.term_start(
                user=request.user,
                committee=committee,
                members=members,
                starts_on=starts_on,
                ends_on=ends_on,
                election=election,
            )
        except PermissionDenied as e:
            return common.refused(request, str(e))
    if not refused:
        messages.success(
            request,
            _("第%(n)d届已组成，请于 %(due)s 前备案。") % {"n": term.number, "due": term.registration_due},
        )
    return redirect("web:decisions-committees")


@login_required
@require_POST
def term_register(request: HttpRequest, pk: int) -> HttpResponse:
    term = (
        CommitteeTerm.objects.filter(pk=pk, committee__in=selectors.committees_for(request.user))
        .select_related("committee")
        .first()
    )
    if term is None:
        raise Http404
    on = parse_date(request.POST.get("registered_on", "")) or timezone.localdate()
    with common.rule_messages(request) as refused:
        try:
            services.term_register(user=request.user, term=term, registered_on=on)
        except PermissionDenied as e:
            return common.refused(request, str(e))
    if not refused:
        messages.success(request, _("已登记备案日期。"))
    return redirect("web:decisions-committees")


# --- self-governance groups ----------------------------------------------------------------------


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.groups_for(request.user).prefetch_related("projects").order_by("compound__name", "id")
    page = Paginator(groups, PAGE).get_page(request.GET.get("page"))
    return render(
        request, "web/decisions/groups.html", {"nav_key": "decisions", "tab": "groups", "page": page}
    )


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's members, its projects, how each was decided, and each project's public ledger."""
    group = selectors.groups_for(request.user).filter(pk=pk).first()
    if group is None:
        raise Http404
    projects = list(
        GroupProject.objects.filter(group=group)
        .select_related("consultation", "vote")
        .prefetch_related(Prefetch("ledger", queryset=LedgerEntry.objects.order_by("on", "id")))
        .order_by("id")
    )
    for p in projects:
        # From the prefetched lines: the same sums as services.project_balance, without a query each.
        lines = list(p.ledger.all())
        p.balance = Balance(  # type: ignore[attr-defined]
            contributions=sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.CONTRIBUTION), ZERO),
            expenses=sum((e.amount for e in lines if e.kind == LedgerEntry.Kind.EXPENSE), ZERO),
        )
    members = group.members.filter(left_on__isnull=True).select_related("person").order_by("role", "id")
    return render(
        request,
        "web/decisions/group.html",
        {"nav_key": "decisions", "tab": "groups", "group": group, "projects": projects, "members": members},
    )
