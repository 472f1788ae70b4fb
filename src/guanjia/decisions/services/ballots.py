"""Casting a ballot: online by the owner, from a signed paper ballot by staff, or by a proxy with a written
authorisation. One counted ballot per voter; changes until close, the last one counts, all are kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.decisions import permissions as dperms
from guanjia.decisions import tally
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import Ballot, OwnersVote, Voter, VoterOwner
from guanjia.people import permissions as perms


@dataclass(frozen=True)
class Cast:
    ballot: Ballot
    created: bool  # False: the same request seen again (same idempotency key); nothing was written
    replaced: Ballot | None = None


def _same(ballot: Ballot, voter_id: int, choice: str, origin: str, marks: Mapping[str, str]) -> bool:
    return (ballot.voter_id, ballot.choice, ballot.origin, ballot.marks or {}) == (
        voter_id,
        choice,
        origin,
        dict(marks),
    )


def _check_marks(vote: OwnersVote, marks: Mapping[str | int, str] | None) -> dict[str, str]:
    if not vote.is_election:
        if marks:
            raise invalid("marks", _("只有选举表决需要对候选人表态"))
        return {}
    known = {str(pk) for pk in vote.candidates.values_list("pk", flat=True)}
    cleaned = {str(k): v for k, v in (marks or {}).items()}
    if set(cleaned) - known:
        raise invalid("marks", _("候选人不属于该表决"))
    if any(v not in tally.CHOICES for v in cleaned.values()):
        raise invalid("marks", _("对候选人的意见应为同意、反对或弃权"))
    agreeing = sum(1 for v in cleaned.values() if v == tally.AGREE)
    if agreeing > (vote.seats or 0):
        raise invalid("marks", _("同意的候选人不能多于应选名额"))
    return cleaned


def _check_channel(
    user: Any, vote: OwnersVote, voter: Voter, origin: str, proxy_name: str, authorisation: str
) -> None:
    scope = perms.scope_for(user)
    if origin == Ballot.Origin.ONLINE:
        own = (
            scope.person_id is not None
            and VoterOwner.objects.filter(voter=voter, person_id=scope.person_id).exists()
        )
        if not own:  # someone else's entry on the roll is not the caller's to see
            raise Voter.DoesNotExist
        return
    perms.require(dperms.can_enter(scope, vote.compound_id), _("无权录入纸质或委托选票"))
    if origin == Ballot.Origin.PROXY and not (proxy_name.strip() and authorisation.strip()):
        raise invalid("authorisation", _("委托投票须登记代理人和书面委托书"))


def ballot_cast(
    *,
    user: Any,
    vote: OwnersVote | int,
    voter_id: int,
    choice: str,
    origin: str,
    marks: Mapping[str | int, str] | None = None,
    proxy_name: str = "",
    authorisation: str = "",
    paper_reference: str = "",
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> Cast:
    """Records a ballot. Raises OwnersVote.DoesNotExist for a vote the caller may not see, Voter.DoesNotExist
    for a voter not on its roll (or, online, not the caller's)."""
    if choice not in tally.CHOICES:
        raise invalid("choice", _("意见应为同意、反对或弃权"))
    if origin not in Ballot.Origin.values:
        raise invalid("origin", _("来源应为 online、paper 或 proxy"))
    perms.scope_for(user)  # read before the write lock is taken, so the lock is held briefly
    with transaction.atomic():
        return _cast(
            user=user,
            vote=vote,
            voter_id=voter_id,
            choice=choice,
            origin=origin,
            marks=marks,
            proxy_name=proxy_name,
            authorisation=authorisation,
            paper_reference=paper_reference,
            idempotency_key=idempotency_key,
            now=now or timezone.now(),
        )


def _cast(
    *,
    user: Any,
    vote: OwnersVote | int,
    voter_id: int,
    choice: str,
    origin: str,
    marks: Mapping[str | int, str] | None,
    proxy_name: str,
    authorisation: str,
    paper_reference: str,
    idempotency_key: str,
    now: dt.datetime,
) -> Cast:
    # Closing takes this row FOR UPDATE: a ballot is either counted or refused, never acknowledged and lost.
    locked = OwnersVote.objects.select_related("compound").select_for_update(no_key=True, of=("self",))
    vote = locked.get(pk=vote.pk if isinstance(vote, OwnersVote) else vote)
    if not dperms.sees_compound(perms.scope_for(user), vote.compound):
        raise OwnersVote.DoesNotExist
    # The voter row serialises the ballots of one voter (two co-owners at once, a double click).
    voter = Voter.objects.select_for_update().get(vote=vote, pk=voter_id)
    _check_channel(user, vote, voter, origin, proxy_name, authorisation)
    key = idempotency_key.strip()[:100]
    # One query for both: the ballot this key already made, and the voter's counted ballot.
    found = Ballot.objects.filter(
        Q(voter=voter, is_current=True) | Q(idempotency_key=key) if key else Q(voter=voter, is_current=True),
        vote=vote,
    )
    rows = list(found)
    current = next((b for b in rows if b.voter_id == voter.pk and b.is_current), None)
    if key:
        seen = next((b for b in rows if b.idempotency_key == key), None)
        if seen is not None:
            if not _same(seen, voter_id, choice, origin, {str(k): v for k, v in (marks or {}).items()}):
                raise DecisionError("idempotency_key_reused", _("同一幂等键已用于另一张选票"))
            return Cast(seen, created=False)
    if vote.status != OwnersVote.Status.OPEN or not (vote.opens_at <= now < vote.closes_at):
        raise DecisionError("vote_not_open", _("表决未开始或已截止"))
    cleaned = _check_marks(vote, marks)
    if current is not None and current.origin != origin:
        raise DecisionError(
            "other_channel",
            _("该业主已通过“%(origin)s”投票，不能再经其他途径投票；如需更改，请经原途径提交")
            % {"origin": current.get_origin_display()},
        )
    if current is not None:
        current.is_current, current.superseded_at = False, now
        current.save(update_fields=["is_current", "superseded_at"])
    try:
        # No savepoint: on a clash the whole transaction is rolled back anyway.
        ballot = Ballot.objects.create(
            vote=vote,
            voter=voter,
            choice=choice,
            marks=cleaned,
            origin=origin,
            cast_by=user if getattr(user, "is_authenticated", False) else None,
            proxy_name=proxy_name.strip()[:100],
            authorisation=authorisation.strip()[:200],
            paper_reference=paper_reference.strip()[:100],
            cast_at=now,
            idempotency_key=key,
        )
    except IntegrityError:
        raise DecisionError("conflict", _("该选票正被同时提交，请重试")) from None
    return Cast(ballot, created=True, replaced=current)
