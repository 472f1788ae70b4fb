"""The life of an owners' vote: announce → open (roll frozen) → close (counted) → publish; or cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.decisions import law, roll, tally
from guanjia.decisions import permissions as dperms
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import (
    Ballot,
    Candidate,
    CandidateResult,
    Matter,
    OwnersCommittee,
    OwnersVote,
    Voter,
    VoteResult,
)
from guanjia.decisions.services.events import record_event
from guanjia.people import permissions as perms
from guanjia.people.models import Person, Residency
from guanjia.places.models import Compound

SEATS = range(5, 12, 2)  # 5, 7, 9 or 11 members


def _require_organiser(user: Any, compound: Compound | int) -> None:
    if user is None:  # the scheduler (opening and closing on time)
        return
    perms.require(
        dperms.can_organise(perms.scope_for(user), compound),
        _("只有业委会委员、包片干部或社区书记可以组织表决"),
    )


def _locked(vote: OwnersVote) -> OwnersVote:
    return OwnersVote.objects.select_for_update().get(pk=vote.pk)


@transaction.atomic
def vote_create(
    *,
    user: Any,
    compound: Compound,
    title: str,
    matter: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    description: str = "",
    abstain_counts_as_participating: bool = True,
    include_parking: bool = False,
    notice_override_reason: str = "",
    seats: int | None = None,
    committee: OwnersCommittee | None = None,
    candidate_ids: Sequence[int] = (),
    now: dt.datetime | None = None,
) -> OwnersVote:
    """Announces a vote. Owners must be told 15 days ahead (物业管理条例 第14条) unless a reason is given."""
    now = now or timezone.now()
    _require_organiser(user, compound)
    if matter not in Matter.values:
        raise invalid("matter", _("事项类别无效"))
    if not title.strip():
        raise invalid("title", _("请填写表决事项"))
    if closes_at <= opens_at:
        raise invalid("closes_at", _("截止时间应晚于开始时间"))
    if opens_at < now - dt.timedelta(minutes=5):
        raise invalid("opens_at", _("开始时间不能早于现在"))
    reason = notice_override_reason.strip()
    if not law.notice_given(announced_at=now, opens_at=opens_at) and not reason:
        raise invalid("opens_at", _("应于表决开始15日前公告；如需缩短，请填写理由"), code="notice_too_short")
    if matter == Matter.ELECT_COMMITTEE:
        if seats not in SEATS:
            raise invalid("seats", _("业委会委员应为5至11人的单数"))
    elif seats is not None or candidate_ids:
        raise invalid("seats", _("只有选举业委会的表决才有候选人和名额"))
    if committee is not None and committee.compound_id != compound.pk:
        raise invalid("committee_id", _("委员会不属于该小区"))
    vote = OwnersVote.objects.create(
        compound=compound,
        title=title.strip(),
        description=description,
        matter=matter,
        announced_at=now,
        opens_at=opens_at,
        closes_at=closes_at,
        notice_override_reason=reason,
        abstain_counts_as_participating=abstain_counts_as_participating,
        include_parking=include_parking,
        seats=seats,
        committee=committee,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    for person_id in candidate_ids:
        candidate_add(user=user, vote=vote, person_id=person_id, now=now)
    record_event(
        "vote_announced",
        user=user,
        at=now,
        reason=reason,
        vote=vote,
        data={
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "notice_shortened": bool(reason),
        },
    )
    return vote


@transaction.atomic
def candidate_add(
    *, user: Any, vote: OwnersVote, person_id: int, statement: str = "", now: dt.datetime | None = None
) -> Candidate:
    """A candidate for an owners' committee must be an owner in the compound (物管会 elections excepted)."""
    now = now or timezone.now()
    _require_organiser(user, vote.compound_id)
    vote = _locked(vote)
    if not vote.is_election or vote.status != OwnersVote.Status.ANNOUNCED:
        raise DecisionError("wrong_state", _("只能在选举表决开始前提名候选人"))
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise invalid("candidate_ids", _("候选人不存在"))
    is_owner = Residency.objects.filter(
        perms.in_force(now.date()),
        person_id=person_id,
        relation=Residency.Relation.OWNER,
        household__dwelling__compound_id=vote.compound_id,
    ).exists()
    pmc = vote.committee is not None and vote.committee.kind == OwnersCommittee.Kind.PROPERTY_MANAGEMENT
    if not is_owner and not pmc:
        raise invalid("candidate_ids", _("业委会候选人应为本小区业主：%(name)s") % {"name": person.name})
    if Candidate.objects.filter(vote=vote, person_id=person_id).exists():
        raise invalid("candidate_ids", _("候选人重复：%(name)s") % {"name": person.name})
    candidate = Candidate.objects.create(
        vote=vote,
        person=person,
        position=Candidate.objects.filter(vote=vote).count() + 1,
        is_owner=is_owner,
        is_party_member=person.is_party_member,
        statement=statement,
    )
    record_event("candidate_added", user=user, at=now, vote=vote, data={"person_id": person_id})
    return candidate


@transaction.atomic
def vote_open(*, user: Any, vote: OwnersVote, now: dt.datetime | None = None) -> OwnersVote:
    """Opens the vote and freezes the roll: later changes of ownership do not change who votes."""
    now = now or timezone.now()
    _require_organiser(user, vote.compound_id)
    vote = _locked(vote)
    if vote.status != OwnersVote.Status.ANNOUNCED:
        raise DecisionError("wrong_state", _("表决不在待开始状态"))
    if now < vote.opens_at:
        raise DecisionError("too_early", _("未到公告的开始时间"))
    if vote.is_election and vote.candidates.count() < (vote.seats or 0):
        raise DecisionError("too_few_candidates", _("候选人少于应选名额"))
    voters = roll.freeze(vote, timezone.localdate(now))
    if voters == 0:
        raise DecisionError("empty_roll", _("该小区没有可计入的专有部分"))
    vote.status, vote.opened_at = OwnersVote.Status.OPEN, now
    vote.save(update_fields=["status", "opened_at"])
    record_event("vote_opened", user=user, at=now, vote=vote, data={"voters": voters})
    return vote


def _as_area(value: Fraction) -> Decimal:
    # Sums of two-decimal areas are themselves two-decimal: this is exact.
    return Decimal(value.numerator) / Decimal(value.denominator)


def count_vote(vote: OwnersVote) -> tuple[tally.Figures, list[tally.CandidateFigures]]:
    """The figures from the frozen roll and the current ballots (also used for a live count)."""
    voters = [
        (pk, Fraction(a)) for pk, a in Voter.objects.filter(vote=vote).values_list("pk", "area").iterator()
    ]
    current = Ballot.objects.filter(vote=vote, is_current=True)
    choices: dict[int, str] = {}
    marks: dict[int, dict[int, str]] = {}
    fields = ("voter_id", "choice", "marks") if vote.is_election else ("voter_id", "choice")
    for row in current.values_list(*fields).iterator():
        choices[row[0]] = row[1]
        if vote.is_election:
            marks[row[0]] = {int(k): v for k, v in (row[2] or {}).items()}
    figures = tally.count(
        matter=vote.matter,
        voters=voters,
        choices=choices,
        abstain_counts=vote.abstain_counts_as_participating,
    )
    candidates: list[tally.CandidateFigures] = []
    if vote.is_election:
        candidates = tally.count_candidates(
            voters=voters,
            marks=marks,
            candidate_ids=list(vote.candidates.values_list("pk", flat=True)),
            seats=vote.seats or 0,
            abstain_counts=vote.abstain_counts_as_participating,
        )
    return figures, candidates


@transaction.atomic
def vote_close(
    *, user: Any, vote: OwnersVote, reason: str = "", now: dt.datetime | None = None
) -> VoteResult:
    """Counts the vote. Closing before the announced time needs a recorded reason."""
    now = now or timezone.now()
    _require_organiser(user, vote.compound_id)
    vote = _locked(vote)
    if vote.status != OwnersVote.Status.OPEN:
        raise DecisionError("wrong_state", _("表决不在进行中"))
    if now < vote.closes_at and not reason.strip():
        raise invalid("reason", _("提前结束表决须说明理由"), code="early_close")
    figures, candidates = count_vote(vote)
    result = VoteResult.objects.create(
        vote=vote,
        total_area=_as_area(figures.total.area),
        total_owners=figures.total.owners,
        participating_area=_as_area(figures.participating.area),
        participating_owners=figures.participating.owners,
        agreeing_area=_as_area(figures.agreeing.area),
        agreeing_owners=figures.agreeing.owners,
        opposing_area=_as_area(figures.opposing.area),
        opposing_owners=figures.opposing.owners,
        abstaining_area=_as_area(figures.abstaining.area),
        abstaining_owners=figures.abstaining.owners,
        quorum_met=figures.quorum_met,
        majority_met=figures.majority_met,
        passed=figures.passed,
        ballots_received=Ballot.objects.filter(vote=vote).count(),
        counted_at=now,
    )
    CandidateResult.objects.bulk_create(
        [
            CandidateResult(
                vote=vote,
                candidate_id=c.candidate_id,
                participating_area=_as_area(c.figures.participating.area),
                participating_owners=c.figures.participating.owners,
                agreeing_area=_as_area(c.figures.agreeing.area),
                agreeing_owners=c.figures.agreeing.owners,
                passed=c.figures.passed,
                elected=c.elected,
                rank=c.rank,
            )
            for c in candidates
        ]
    )
    vote.status, vote.closed_at = OwnersVote.Status.CLOSED, now
    vote.save(update_fields=["status", "closed_at"])
    record_event(
        "vote_closed",
        user=user,
        at=now,
        reason=reason.strip(),
        vote=vote,
        data={"passed": figures.passed, "quorum_met": figures.quorum_met, "early": now < vote.closes_at},
    )
    return result


@transaction.atomic
def vote_publish(*, user: Any, vote: OwnersVote, now: dt.datetime | None = None) -> OwnersVote:
    """Publishes the result to the compound; the law wants it within 3 days of the count (lateness kept)."""
    now = now or timezone.now()
    _require_organiser(user, vote.compound_id)
    vote = _locked(vote)
    if vote.status != OwnersVote.Status.CLOSED:
        raise DecisionError("wrong_state", _("只有已计票的表决可以公布"))
    vote.status, vote.published_at = OwnersVote.Status.PUBLISHED, now
    vote.save(update_fields=["status", "published_at"])
    record_event(
        "vote_published", user=user, at=now, vote=vote, data={"late": now > (vote.publish_due or now)}
    )
    return vote


@transaction.atomic
def vote_cancel(*, user: Any, vote: OwnersVote, reason: str, now: dt.datetime | None = None) -> OwnersVote:
    now = now or timezone.now()
    _require_organiser(user, vote.compound_id)
    vote = _locked(vote)
    if vote.status not in (OwnersVote.Status.ANNOUNCED, OwnersVote.Status.OPEN):
        raise DecisionError("wrong_state", _("已计票的表决不能取消"))
    if not reason.strip():
        raise invalid("reason", _("取消表决须说明理由"))
    vote.status = OwnersVote.Status.CANCELLED
    vote.save(update_fields=["status"])
    record_event("vote_cancelled", user=user, at=now, reason=reason.strip(), vote=vote)
    return vote


def votes_due(now: dt.datetime) -> tuple[list[OwnersVote], list[OwnersVote]]:
    """Votes the scheduler should open, and those it should close, at `now`."""
    to_open = list(OwnersVote.objects.filter(status=OwnersVote.Status.ANNOUNCED, opens_at__lte=now))
    to_close = list(OwnersVote.objects.filter(status=OwnersVote.Status.OPEN, closes_at__lte=now))
    return to_open, to_close
