"""Reads of owners' decisions, scoped by the caller; and the published figures of a vote, in full."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from guanjia.decisions import law
from guanjia.decisions import permissions as dperms
from guanjia.decisions.models import (
    Ballot,
    Consultation,
    OwnersCommittee,
    OwnersVote,
    SelfGovernanceGroup,
    Voter,
    VoteResult,
    VoterOwner,
)
from guanjia.people import permissions as perms


def votes_for(user: Any) -> QuerySet[OwnersVote]:
    return OwnersVote.objects.filter(dperms.compounds_q(perms.scope_for(user))).select_related("compound")


def access_vote(user: Any, pk: int) -> OwnersVote:
    """The vote, if the caller may see it; OwnersVote.DoesNotExist otherwise (never leaks existence)."""
    vote = OwnersVote.objects.select_related("compound").get(pk=pk)
    if not dperms.sees_compound(perms.scope_for(user), vote.compound):
        raise OwnersVote.DoesNotExist
    return vote


def roll_for(user: Any, vote: OwnersVote) -> QuerySet[Voter]:
    """The whole frozen roll, for those who run or supervise the vote; PermissionDenied for others."""
    perms.require(dperms.can_see_roll(perms.scope_for(user), vote.compound_id), _("无权查看表决权人名册"))
    return Voter.objects.filter(vote=vote).order_by("id")


def my_voters(user: Any, vote: OwnersVote) -> list[Voter]:
    """The roll entries the caller may vote for online (their own dwellings), with their current ballot."""
    scope = perms.scope_for(user)
    if scope.person_id is None:
        return []
    voters = list(Voter.objects.filter(vote=vote, owners__person_id=scope.person_id).order_by("id"))
    current = {b.voter_id: b for b in Ballot.objects.filter(vote=vote, voter__in=voters, is_current=True)}
    for v in voters:
        v.current_ballot = current.get(v.pk)  # type: ignore[attr-defined]
    return voters


def awaiting_my_ballot(user: Any) -> QuerySet[OwnersVote]:
    """Open votes where the caller is on the roll for a voter with no counted ballot yet ("待我投票")."""
    person_id = perms.scope_for(user).person_id
    if person_id is None:
        return OwnersVote.objects.none()
    unvoted = VoterOwner.objects.filter(vote=OuterRef("pk"), person_id=person_id).exclude(
        Exists(Ballot.objects.filter(voter=OuterRef("voter"), is_current=True))
    )
    return votes_for(user).filter(Exists(unvoted), status=OwnersVote.Status.OPEN)


def result_visible(user: Any, vote: OwnersVote) -> bool:
    if vote.status == OwnersVote.Status.PUBLISHED:
        return True
    return vote.status == OwnersVote.Status.CLOSED and dperms.sees_unpublished_results(
        perms.scope_for(user), vote.compound_id
    )


# --- figures -------------------------------------------------------------------------------------


def _area(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _exact(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _rounded(value: Fraction) -> str:
    as_decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return str(as_decimal.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def threshold(
    name: str, label: str, rule: law.Rule, actual: Decimal | int, whole: Decimal | int
) -> dict[str, Any]:
    """One line of the result: actual figure, the share it must reach, the exact bound, met or not."""
    is_count = isinstance(actual, int)
    bound = rule.bound(whole)
    return {
        "name": name,
        "label": label,
        "share": _exact(rule.share),
        "inclusive": rule.inclusive,
        "comparison": "≥" if rule.inclusive else ">",
        "of": str(whole) if is_count else _area(Decimal(whole)),
        "bound": _exact(bound),
        "bound_rounded": _rounded(bound),
        "fewest": rule.fewest_owners(int(whole)) if is_count else None,
        "actual": str(actual) if is_count else _area(Decimal(actual)),
        "met": rule.met(actual, whole),
    }


def thresholds(matter: str, r: VoteResult | Any) -> list[dict[str, Any]]:
    majority = law.majority_for(matter)
    return [
        threshold("quorum_area", _("参与表决的专有部分面积"), law.QUORUM, r.participating_area, r.total_area),
        threshold(
            "quorum_owners", _("参与表决的业主人数"), law.QUORUM, r.participating_owners, r.total_owners
        ),
        threshold("majority_area", _("同意的专有部分面积"), majority, r.agreeing_area, r.participating_area),
        threshold(
            "majority_owners", _("同意的业主人数"), majority, r.agreeing_owners, r.participating_owners
        ),
    ]


def result_figures(vote: OwnersVote) -> dict[str, Any]:
    """Everything a published result shows: totals, who took part, who agreed, each threshold, met or not."""
    r = vote.result
    figures: dict[str, Any] = {
        "vote_id": vote.pk,
        "matter": vote.matter,
        "matter_label": vote.get_matter_display(),
        "special_matter": vote.matter in law.SPECIAL_MATTERS,
        "abstain_counts_as_participating": vote.abstain_counts_as_participating,
        "include_parking": vote.include_parking,
        **{
            kind: {"area": _area(getattr(r, f"{kind}_area")), "owners": getattr(r, f"{kind}_owners")}
            for kind in ("total", "participating", "agreeing", "opposing", "abstaining")
        },
        "thresholds": thresholds(vote.matter, r),
        "quorum_met": r.quorum_met,
        "majority_met": r.majority_met,
        "passed": r.passed,
        "ballots_received": r.ballots_received,
        "counted_at": r.counted_at,
        "published_at": vote.published_at,
        "publish_due": vote.publish_due,
        "published_late": _late(vote),
        "candidates": [],
    }
    if vote.is_election:
        rows = vote.candidates.select_related("person", "result").order_by("position")
        figures["candidates"] = [_candidate(vote, c) for c in rows]
    return figures


def _late(vote: OwnersVote) -> bool:
    due = vote.publish_due
    return bool(vote.published_at and due and vote.published_at > due)


def _candidate(vote: OwnersVote, c: Any) -> dict[str, Any]:
    r = c.result
    return {
        "candidate_id": c.pk,
        "name": c.person.name,
        "is_owner": c.is_owner,
        "is_party_member": c.is_party_member,
        "participating": {"area": _area(r.participating_area), "owners": r.participating_owners},
        "agreeing": {"area": _area(r.agreeing_area), "owners": r.agreeing_owners},
        "thresholds": [
            threshold(
                "majority_area", _("同意面积"), law.ORDINARY_MAJORITY, r.agreeing_area, r.participating_area
            ),
            threshold(
                "majority_owners",
                _("同意人数"),
                law.ORDINARY_MAJORITY,
                r.agreeing_owners,
                r.participating_owners,
            ),
        ],
        "passed": r.passed,
        "elected": r.elected,
        "rank": r.rank,
    }


# --- committees ----------------------------------------------------------------------------------

FORMED, PREPARING, NONE = "formed", "preparing", "none"


def committee_status(compound_ids: Iterable[int]) -> dict[int, str]:
    """For each compound: "formed" (a committee is in office), "preparing" or "none". One query."""
    ids = list(compound_ids)
    status = dict.fromkeys(ids, NONE)
    rows = OwnersCommittee.objects.filter(compound_id__in=ids).exclude(
        status=OwnersCommittee.Status.DISSOLVED
    )
    for compound_id, state in rows.values_list("compound_id", "status"):
        status[compound_id] = FORMED if state == OwnersCommittee.Status.FORMED else PREPARING
    return status


def committee_counts(compounds: QuerySet[Any]) -> dict[str, int]:
    """How many of these compounds have a committee formed, one preparing, or none (coverage)."""
    status = committee_status(compounds.values_list("pk", flat=True))
    counts = dict.fromkeys((FORMED, PREPARING, NONE), 0)
    for state in status.values():
        counts[state] += 1
    return counts


# --- consultations -------------------------------------------------------------------------------


def consultations_for(user: Any) -> QuerySet[Consultation]:
    return Consultation.objects.filter(dperms.compounds_q(perms.scope_for(user))).select_related("compound")


def committees_for(user: Any) -> QuerySet[OwnersCommittee]:
    return OwnersCommittee.objects.filter(dperms.compounds_q(perms.scope_for(user))).select_related(
        "compound"
    )


def groups_for(user: Any) -> QuerySet[SelfGovernanceGroup]:
    """Self-governance groups and their public ledgers: seen by whoever sees the compound."""
    scope = perms.scope_for(user)
    return SelfGovernanceGroup.objects.filter(dperms.compounds_q(scope)).select_related("compound")


def _progress(p: Any) -> dict[str, Any]:
    share = p.share()
    return {
        "units": p.units,
        "answered": p.answered,
        "consenting": p.consenting,
        "rented": p.rented,
        "share": _exact(share),
        "percent": _rounded(share * 100),
    }


def consultation_result(consultation: Consultation) -> dict[str, Any]:
    """Progress while open, the result once closed: by dwelling, building and grid."""
    from guanjia.decisions.services.consultations import consultation_tally
    from guanjia.places.models import Grid

    counted = consultation_tally(consultation)
    grids = dict(Grid.objects.filter(pk__in=[g for g in counted.by_grid if g]).values_list("pk", "name"))
    return {
        "consultation_id": consultation.pk,
        "target_percent": str(consultation.target_percent),
        "target_met": counted.target_met,
        "total": _progress(counted.total),
        "by_building": [
            {"id": pk, "name": name, **_progress(p)} for (pk, name), p in sorted(counted.by_building.items())
        ],
        "by_grid": [
            {"id": pk, "name": grids.get(pk, _("未划网格")) if pk else _("未划网格"), **_progress(p)}
            for pk, p in sorted(counted.by_grid.items(), key=lambda kv: kv[0] or 0)
        ],
    }
