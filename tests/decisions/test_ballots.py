"""Ballots: one counted ballot per voter, by one channel; changes until close; nothing lost or doubled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.decisions import services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import Ballot, OwnersVote, Voter
from tests.decisions.conftest import NOW, open_vote, voter_of

LATER = NOW + dt.timedelta(hours=1)


def cast(
    world: Any, who: str, vote: Any, voter: Any, choice: str = "agree", origin: str = "online", **kw: Any
) -> Any:
    return services.ballot_cast(
        user=world.user(who),
        vote=vote,
        voter_id=voter.pk,
        choice=choice,
        origin=origin,
        now=kw.pop("now", LATER),
        **kw,
    )


def test_an_owner_votes_online_for_their_own_flat(world: Any) -> None:
    vote = open_vote(world)
    result = cast(world, "alice", vote, voter_of(vote, world.people["alice"]))
    assert (
        result.created and result.ballot.origin == "online" and result.ballot.cast_by == world.user("alice")
    )


def test_nobody_votes_online_for_someone_elses_flat(world: Any) -> None:
    vote = open_vote(world)
    with pytest.raises(Voter.DoesNotExist):
        cast(world, "alice", vote, voter_of(vote, world.people["bob"]))
    assert not Ballot.objects.exists()


def test_a_change_keeps_the_old_ballot_and_the_last_one_counts(world: Any) -> None:
    vote = open_vote(world)
    mine = voter_of(vote, world.people["alice"])
    cast(world, "alice", vote, mine, "agree")
    second = cast(world, "alice", vote, mine, "oppose", now=LATER + dt.timedelta(minutes=5))
    assert second.replaced is not None and second.replaced.choice == "agree"
    assert list(Ballot.objects.filter(voter=mine).values_list("choice", "is_current")) == [
        ("agree", False),
        ("oppose", True),
    ]


def test_a_voter_cannot_vote_again_through_another_channel(world: Any) -> None:
    vote = open_vote(world)
    mine = voter_of(vote, world.people["alice"])
    cast(world, "alice", vote, mine, "agree")
    with pytest.raises(DecisionError) as refused:
        cast(world, "committee", vote, mine, "oppose", origin="paper", paper_reference="No.12")
    assert refused.value.code == "other_channel"
    assert Ballot.objects.filter(voter=mine).count() == 1


def test_the_same_request_twice_is_one_ballot(world: Any) -> None:
    vote = open_vote(world)
    mine = voter_of(vote, world.people["alice"])
    first = cast(world, "alice", vote, mine, idempotency_key="k-1")
    again = cast(world, "alice", vote, mine, idempotency_key="k-1")
    assert again.ballot.pk == first.ballot.pk and not again.created
    with pytest.raises(DecisionError) as reused:
        cast(world, "alice", vote, mine, "oppose", idempotency_key="k-1")
    assert reused.value.code == "idempotency_key_reused"
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("who", ["committee", "cadre1", "secretary", "grid1"])
def test_staff_who_serve_the_compound_enter_signed_paper_ballots(world: Any, who: str) -> None:
    vote = open_vote(world)
    entered = cast(
        world, who, vote, voter_of(vote, world.people["bob"]), origin="paper", paper_reference="No.7"
    )
    assert entered.ballot.origin == "paper" and entered.ballot.cast_by == world.user(who)


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("property", PermissionDenied),
        ("alice", PermissionDenied),
        ("official", PermissionDenied),
        ("grid2", OwnersVote.DoesNotExist),  # another compound's staff do not even see the vote
        ("cadre2", OwnersVote.DoesNotExist),
    ],
)
def test_others_may_not_enter_ballots(world: Any, who: str, refusal: type[Exception]) -> None:
    vote = open_vote(world)
    with pytest.raises(refusal):
        cast(world, who, vote, voter_of(vote, world.people["bob"]), origin="paper")
    assert not Ballot.objects.exists()


def test_a_proxy_ballot_needs_the_written_authorisation(world: Any) -> None:
    vote = open_vote(world)
    bob = voter_of(vote, world.people["bob"])
    with pytest.raises(DecisionError):
        cast(world, "committee", vote, bob, origin="proxy", proxy_name="bob的儿子")
    ok = cast(
        world, "committee", vote, bob, origin="proxy", proxy_name="bob的儿子", authorisation="委托书 2025-017"
    )
    assert (ok.ballot.proxy_name, ok.ballot.authorisation) == ("bob的儿子", "委托书 2025-017")


def test_no_ballot_before_opening_or_after_the_deadline(world: Any) -> None:
    vote = open_vote(world)
    mine = voter_of(vote, world.people["alice"])
    for moment in (NOW - dt.timedelta(seconds=1), vote.closes_at):
        with pytest.raises(DecisionError) as refused:
            cast(world, "alice", vote, mine, now=moment)
        assert refused.value.code == "vote_not_open"


def test_no_ballot_after_close(world: Any) -> None:
    vote = open_vote(world)
    services.vote_close(user=world.user("committee"), vote=vote, reason="测试", now=LATER)
    with pytest.raises(DecisionError):
        cast(world, "alice", vote, voter_of(vote, world.people["alice"]))
