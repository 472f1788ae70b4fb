"""Races on a real database: two ballots for one voter at once, and a ballot racing the close. An
acknowledged ballot is never lost nor doubled: one counted ballot per voter, and a ballot the caller was
told is recorded is in the count. Threads need a database that several connections share, so the
in-memory SQLite of the default test run skips; CI's PostgreSQL run covers them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from guanjia.decisions import services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import Ballot, OwnersVote, VoteResult
from tests.web.decisions_world import open_vote_now, voter

# serialized_rollback restores the rows data migrations wrote (e.g. appeal categories) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _real_database() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("threads need a database shared by several connections; CI's PostgreSQL run covers races")


def race(*jobs: Callable[[], Any]) -> list[Any]:
    """Runs the jobs at the same instant, each on its own connection; returns results or exceptions."""
    results: list[Any] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as e:  # what each side got is the point of the test
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def cast(
    username: str, vote_id: int, voter_id: int, choice: str, origin: str = "online", key: str = ""
) -> Any:
    def job() -> Any:
        user = get_user_model().objects.get(username=username)  # each thread its own scope
        return services.ballot_cast(
            user=user, vote=vote_id, voter_id=voter_id, choice=choice, origin=origin, idempotency_key=key
        )

    return job


def test_two_ballots_for_one_voter_at_once_leave_one_counted_and_keep_both(world: Any) -> None:
    vote = open_vote_now(world)
    alices = voter(vote, world, "alice").pk
    for _ in range(3):
        got = race(cast("alice", vote.pk, alices, "agree"), cast("alice", vote.pk, alices, "oppose"))
        acknowledged = [r.ballot.pk for r in got if isinstance(r, services.Cast)]
        assert all(isinstance(r, services.Cast | DecisionError) for r in got), got
        stored = set(Ballot.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
        assert stored == set(acknowledged)  # nothing acknowledged was lost
        assert Ballot.objects.filter(voter_id=alices, is_current=True).count() == 1


def test_the_same_request_twice_at_once_records_one_ballot(world: Any) -> None:
    vote = open_vote_now(world)
    alices = voter(vote, world, "alice").pk
    got = race(
        cast("alice", vote.pk, alices, "agree", key="k"), cast("alice", vote.pk, alices, "agree", key="k")
    )
    casts = [r for r in got if isinstance(r, services.Cast)]
    assert Ballot.objects.filter(voter_id=alices).count() == 1
    assert all(c.ballot.pk == casts[0].ballot.pk for c in casts)
    assert sum(c.created for c in casts) == 1


def test_two_channels_at_once_never_count_twice(world: Any) -> None:
    vote = open_vote_now(world)
    alices = voter(vote, world, "alice").pk
    got = race(
        cast("alice", vote.pk, alices, "agree"), cast("grid1", vote.pk, alices, "oppose", origin="paper")
    )
    assert sum(isinstance(r, services.Cast) for r in got) == 1
    refused = [r for r in got if isinstance(r, DecisionError)]
    assert [e.code for e in refused] in (["other_channel"], ["conflict"])
    assert Ballot.objects.filter(voter_id=alices).count() == 1


def test_a_ballot_racing_the_close_is_either_counted_or_refused(world: Any) -> None:
    for round_ in range(4):
        vote = open_vote_now(world, title=f"表决{round_}")
        bobs = voter(vote, world, "bob").pk

        def close(vote_id: int = vote.pk) -> Any:
            user = get_user_model().objects.get(username="committee")
            target = OwnersVote.objects.get(pk=vote_id)
            return services.vote_close(user=user, vote=target, reason="业主大会决定提前结束")

        got = race(cast("bob", vote.pk, bobs, "agree"), close)
        ballot, result = got
        assert isinstance(result, VoteResult), result
        if isinstance(ballot, services.Cast):
            assert result.participating_owners == 1 and result.agreeing_owners == 1
        else:
            assert isinstance(ballot, DecisionError) and ballot.code == "vote_not_open"
            assert result.participating_owners == 0 and not Ballot.objects.filter(vote=vote).exists()
