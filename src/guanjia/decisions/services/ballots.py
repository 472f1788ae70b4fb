"""Casting a ballot: online by the owner, from a signed paper ballot by staff, or by a proxy with a written
authorisation. One counted ballot per voter; changes until close, the last one counts, all are kept."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import rows
from guanjia.core.rows import Rows
from guanjia.decisions import permissions as dperms
from guanjia.decisions import tally
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import Ballot, OwnersVote, Voter, VoterOwner
from guanjia.people import permissions as perms
from guanjia.places.models import Compound


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
    scope: perms.Scope, place: Compound, voter: Voter, origin: str, proxy_name: str, authorisation: str
) -> None:
    if origin == Ballot.Origin.ONLINE:
        if not voter.is_own:  # type: ignore[attr-defined]  # someone else's entry is not the caller's to see
            raise Voter.DoesNotExist
        return
    perms.require(dperms.can_enter(scope, place), _("无权录入纸质或委托选票"))
    if origin == Ballot.Origin.PROXY and not (proxy_name.strip() and authorisation.strip()):
        raise invalid("authorisation", _("委托投票须登记代理人和书面委托书"))


# The lookups of every ballot are raw SQL: building the ORM's queries (select_related, select_for_update)
# cost more than a millisecond of Python per ballot, several times the queries themselves.
_VOTE_SQL = """
SELECT v.*, c.community_id AS compound_community_id
  FROM {vote} v JOIN {compound} c ON c.id = v.compound_id
 WHERE v.id = %s
"""
_VOTER_SQL = """
SELECT r.*, EXISTS (SELECT 1 FROM {owner} o WHERE o.voter_id = r.id AND o.person_id = %s) AS is_own
  FROM {voter} r
 WHERE r.id = %s AND r.vote_id = %s
"""
# The vote's row is held FOR SHARE: closing takes it FOR UPDATE, so a ballot is either counted or refused,
# never acknowledged and lost; yet ballots for different voters do not queue behind each other's commits
# (on PostgreSQL each commit waits for its WAL flush). The voter's row, FOR UPDATE, serialises the ballots
# of one voter (two co-owners at once, a double click).
_STATUS_SQL = """
SELECT v.status
  FROM {vote} v JOIN {voter} r ON r.vote_id = v.id AND r.id = %s
 WHERE v.id = %s{locks}
"""
# One query for both: the voter's counted ballot, and the ballot this idempotency key already made. Each
# half is the predicate of one partial unique index; written as one OR, it read every ballot of the vote.
_BALLOTS_SQL = "SELECT * FROM {ballot} WHERE vote_id = %s AND voter_id = %s AND is_current"
_BY_KEY_SQL = """
 UNION ALL
SELECT * FROM {ballot} WHERE vote_id = %s AND idempotency_key = %s AND NOT (idempotency_key = '')
"""


@functools.cache
def _rows(model: type[Any], template: str) -> Rows[Any]:
    return Rows(model, _sql(template))


@functools.cache
def _sql(template: str, **parts: str) -> str:
    return template.format(
        vote=OwnersVote._meta.db_table,
        compound=Compound._meta.db_table,
        voter=Voter._meta.db_table,
        owner=VoterOwner._meta.db_table,
        ballot=Ballot._meta.db_table,
        **parts,
    )


def _row_locks() -> str:
    features = connection.features
    if connection.vendor == "postgresql":
        return " FOR SHARE OF v FOR UPDATE OF r"
    # SQLite: the write transaction (BEGIN IMMEDIATE) already keeps every other writer out.
    return " FOR UPDATE" if features.has_select_for_update else ""


def visible_vote(scope: perms.Scope, vote_id: int) -> tuple[OwnersVote, Compound]:
    """The vote and (the two ids of) its compound, if the caller sees the compound; else
    OwnersVote.DoesNotExist. The same answer as selectors.access_vote, in one raw query."""
    vote = _rows(OwnersVote, _VOTE_SQL).first([vote_id])
    if vote is None:
        raise OwnersVote.DoesNotExist
    # Only what the permission checks read; never attached to the vote, whose .compound stays lazy.
    place = Compound(pk=vote.compound_id, community_id=vote.compound_community_id)
    if not dperms.sees_compound(scope, place):
        raise OwnersVote.DoesNotExist
    return vote, place


def voter_on_roll(scope: perms.Scope, vote: OwnersVote, voter_id: int) -> Voter:
    """The voter on the vote's frozen roll, with `is_own`: whether the caller is one of its owners (and so
    may cast its ballot online); Voter.DoesNotExist if not on this roll."""
    voter = _rows(Voter, _VOTER_SQL).first([scope.person_id, voter_id, vote.pk])
    if voter is None:
        raise Voter.DoesNotExist
    voter.is_own = bool(voter.is_own)  # SQLite answers 0 or 1
    return voter


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
    scope = perms.scope_for(user)
    # What no state change alters (the vote's compound and dates, the frozen roll and its owners, who may
    # enter ballots) is read before the write transaction, so the write lock is held briefly.
    vote, place = visible_vote(scope, vote.pk if isinstance(vote, OwnersVote) else vote)
    voter = voter_on_roll(scope, vote, voter_id)
    _check_channel(scope, place, voter, origin, proxy_name, authorisation)
    with transaction.atomic():
        return _cast(
            user=user,
            vote=vote,
            voter=voter,
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
    vote: OwnersVote,
    voter: Voter,
    choice: str,
    origin: str,
    marks: Mapping[str | int, str] | None,
    proxy_name: str,
    authorisation: str,
    paper_reference: str,
    idempotency_key: str,
    now: dt.datetime,
) -> Cast:
    with connection.cursor() as cursor:
        cursor.execute(_sql(_STATUS_SQL, locks=_row_locks()), [voter.pk, vote.pk])
        row = cursor.fetchone()
    if row is None:  # deleted since it was read
        raise OwnersVote.DoesNotExist
    vote.status = row[0]
    key = idempotency_key.strip()[:100]
    found = _rows(Ballot, _BALLOTS_SQL + _BY_KEY_SQL if key else _BALLOTS_SQL).all(
        [vote.pk, voter.pk, vote.pk, key] if key else [vote.pk, voter.pk]
    )
    current = next((b for b in found if b.voter_id == voter.pk and b.is_current), None)
    if key:
        seen = next((b for b in found if b.idempotency_key == key), None)
        if seen is not None:
            if not _same(seen, voter.pk, choice, origin, {str(k): v for k, v in (marks or {}).items()}):
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
    ballot = Ballot(
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
    try:
        # No savepoint: on a clash the whole transaction is rolled back anyway.
        # One plain INSERT (core.rows): the ORM's save() took ~0.4 ms of Python per ballot, inside the
        # write lock. Ballots have no save signals to miss (DecisionEvent does not repeat them).
        rows.insert(ballot)
    except IntegrityError:
        raise DecisionError("conflict", _("该选票正被同时提交，请重试")) from None
    return Cast(ballot, created=True, replaced=current)
