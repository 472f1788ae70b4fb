"""Owners' committees and 物管会: preparation, terms from elections, registration, members.

Rules: 5–11 members, an odd number; a 业委会 term at most 5 years, a 物管会 term at most 3; at least half
of a 物管会 are owners; a new term is registered (备案) within 30 days of its election."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.decisions import permissions as dperms
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import CommitteeMember, CommitteeTerm, OwnersCommittee, OwnersVote
from guanjia.decisions.services.events import record_event
from guanjia.people import permissions as perms
from guanjia.people.models import Person, Residency
from guanjia.people.permissions import in_force
from guanjia.places.models import Compound

REGISTER_WITHIN = dt.timedelta(days=30)
MAX_YEARS = {OwnersCommittee.Kind.OWNERS: 5, OwnersCommittee.Kind.PROPERTY_MANAGEMENT: 3}
Kind = OwnersCommittee.Kind


def _require(user: Any, compound_id: int) -> None:
    perms.require(dperms.can_organise(perms.scope_for(user), compound_id), _("无权维护业委会信息"))


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def committee_prepare(
    *, user: Any, compound: Compound, kind: str = Kind.OWNERS, name: str = "", since: dt.date | None = None
) -> OwnersCommittee:
    """A committee in preparation (筹备组 formed): it counts as "preparing" on the coverage dashboard."""
    _require(user, compound.pk)
    if (
        OwnersCommittee.objects.filter(compound=compound)
        .exclude(status=OwnersCommittee.Status.DISSOLVED)
        .exists()
    ):
        raise DecisionError("exists", _("该小区已有业委会或物管会"))
    committee = OwnersCommittee.objects.create(
        compound=compound,
        kind=kind,
        name=name or f"{compound.name}{Kind(kind).label}",
        preparing_since=since or timezone.localdate(),
    )
    record_event("committee_preparing", user=user, at=timezone.now(), committee=committee)
    return committee


def check_composition(kind: str, members: Sequence[tuple[Person, bool]]) -> None:
    """`members`: (person, is_owner). Raises for a size or make-up the rules do not allow."""
    n = len(members)
    if n < 5 or n > 11 or n % 2 == 0:
        raise invalid("members", _("委员应为5至11人的单数"))
    if len({p.pk for p, _ in members}) != n:
        raise invalid("members", _("委员重复"))
    owners = sum(1 for _, is_owner in members if is_owner)
    if kind == Kind.PROPERTY_MANAGEMENT and Fraction(owners, n) < Fraction(1, 2):
        raise invalid("members", _("物管会中业主代表应不少于一半"))
    if kind == Kind.OWNERS and owners != n:
        raise invalid("members", _("业委会委员应为本小区业主"))


@transaction.atomic
def term_start(
    *,
    user: Any,
    committee: OwnersCommittee,
    members: Sequence[tuple[int, str]],
    starts_on: dt.date,
    ends_on: dt.date,
    elected_on: dt.date | None = None,
    election: OwnersVote | None = None,
) -> CommitteeTerm:
    """A new term with its members [(person id, position)]. From an election, the members are the elected
    candidates; a 物管会 may be appointed by the street office without one."""
    _require(user, committee.compound_id)
    committee = OwnersCommittee.objects.select_for_update().get(pk=committee.pk)
    if committee.status == OwnersCommittee.Status.DISSOLVED:
        raise DecisionError("wrong_state", _("委员会已解散"))
    if election is not None:
        if election.compound_id != committee.compound_id or not election.is_election:
            raise invalid("election_id", _("选举表决不属于该小区"))
        if election.status not in (OwnersVote.Status.CLOSED, OwnersVote.Status.PUBLISHED):
            raise DecisionError("wrong_state", _("选举尚未计票"))
        elected = set(election.candidates.filter(result__elected=True).values_list("person_id", flat=True))
        if {pk for pk, _ in members} != elected:
            raise invalid("members", _("委员应为选举中当选的候选人"))
        elected_on = elected_on or timezone.localdate(election.closed_at)
    elif committee.kind == Kind.OWNERS:
        raise invalid("election_id", _("业委会委员须经业主大会选举产生"))
    elected_on = elected_on or starts_on
    if ends_on <= starts_on or ends_on > _years_later(starts_on, MAX_YEARS[Kind(committee.kind)]):
        raise invalid("ends_on", _("任期不能超过%(n)d年") % {"n": MAX_YEARS[Kind(committee.kind)]})
    people = Person.objects.in_bulk([pk for pk, _ in members])
    if len(people) != len({pk for pk, _ in members}):
        raise invalid("members", _("成员不存在"))
    owners = set(
        Residency.objects.filter(
            in_force(starts_on),
            relation=Residency.Relation.OWNER,
            household__dwelling__compound_id=committee.compound_id,
            person_id__in=list(people),
        ).values_list("person_id", flat=True)
    )
    check_composition(committee.kind, [(people[pk], pk in owners) for pk, _ in members])
    number = (committee.terms.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    term = CommitteeTerm.objects.create(
        committee=committee,
        number=number,
        election=election,
        elected_on=elected_on,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_due=elected_on + REGISTER_WITHIN,
    )
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                term=term,
                person=people[pk],
                position=position,
                is_owner=pk in owners,
                is_party_member=people[pk].is_party_member,
            )
            for pk, position in members
        ]
    )
    if committee.status != OwnersCommittee.Status.FORMED:
        committee.status, committee.formed_on = OwnersCommittee.Status.FORMED, starts_on
        committee.save(update_fields=["status", "formed_on"])
    record_event(
        "term_started",
        user=user,
        at=timezone.now(),
        committee=committee,
        data={"term": number, "members": len(members)},
    )
    return term


@transaction.atomic
def term_register(*, user: Any, term: CommitteeTerm, registered_on: dt.date) -> CommitteeTerm:
    """备案 with the street office; a registration after the 30-day deadline is kept as late."""
    _require(user, term.committee.compound_id)
    if term.registered_on is not None:
        raise DecisionError("wrong_state", _("已备案"))
    term.registered_on = registered_on
    term.save(update_fields=["registered_on"])
    record_event(
        "term_registered",
        user=user,
        at=timezone.now(),
        committee=term.committee,
        data={"term": term.number, "late": registered_on > term.registration_due},
    )
    return term


@transaction.atomic
def member_leave(*, user: Any, member: CommitteeMember, left_on: dt.date, reason: str) -> CommitteeMember:
    _require(user, member.term.committee.compound_id)
    if not reason.strip():
        raise invalid("reason", _("请说明离任原因"))
    member.left_on, member.left_reason = left_on, reason.strip()[:200]
    member.save(update_fields=["left_on", "left_reason"])
    record_event(
        "member_left",
        user=user,
        at=timezone.now(),
        reason=reason,
        committee=member.term.committee,
        data={"person_id": member.person_id},
    )
    return member


@transaction.atomic
def committee_dissolve(*, user: Any, committee: OwnersCommittee, on: dt.date, reason: str) -> OwnersCommittee:
    _require(user, committee.compound_id)
    if not reason.strip():
        raise invalid("reason", _("请说明解散原因"))
    committee.status, committee.dissolved_on = OwnersCommittee.Status.DISSOLVED, on
    committee.save(update_fields=["status", "dissolved_on"])
    record_event("committee_dissolved", user=user, at=timezone.now(), reason=reason, committee=committee)
    return committee
