"""The scheduler opens votes when their time comes and counts them when it is up, once, however often
it runs; a vote that cannot open stays announced and is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanjia.decisions import jobs, services
from guanjia.decisions.models import DecisionEvent, OwnersVote, VoteResult
from tests.decisions.conftest import NOW


def announce(world: Any, **kw: Any) -> OwnersVote:
    return services.vote_create(
        user=world.user("committee"),
        compound=world.sunshine,
        title=kw.pop("title", "续聘物业服务企业"),
        matter=kw.pop("matter", "hire_property_company"),
        opens_at=NOW,
        closes_at=NOW + dt.timedelta(days=10),
        now=NOW - dt.timedelta(days=15),
        **kw,
    )


def test_a_vote_opens_and_closes_on_time_once(world: Any) -> None:
    vote = announce(world)
    assert jobs.tick(NOW - dt.timedelta(minutes=5))["votes_opened"] == 0
    assert jobs.tick(NOW) == {"votes_opened": 1, "votes_closed": 0, "votes_not_opened": 0}
    assert jobs.tick(NOW + dt.timedelta(minutes=5))["votes_opened"] == 0
    vote.refresh_from_db()
    assert vote.status == "open" and vote.voters.count() == 2
    assert jobs.tick(vote.closes_at)["votes_closed"] == 1
    assert jobs.tick(vote.closes_at + dt.timedelta(minutes=5))["votes_closed"] == 0
    vote.refresh_from_db()
    assert vote.status == "closed" and VoteResult.objects.filter(vote=vote).count() == 1
    opened = DecisionEvent.objects.get(vote=vote, kind="vote_opened")
    assert (opened.actor, opened.via) == (None, "scheduler")


def test_an_election_without_enough_candidates_stays_announced_and_is_reported(world: Any) -> None:
    announce(world, matter="elect_committee", seats=5, title="选举业委会")
    assert jobs.tick(NOW)["votes_not_opened"] == 1
    assert OwnersVote.objects.get().status == "announced"


def test_the_periodic_task_is_registered_every_five_minutes() -> None:
    from guanjia.decisions.tasks import decisions_tick

    task = decisions_tick.task_class()
    assert task.validate_datetime(dt.datetime(2025, 6, 1, 9, 5, tzinfo=dt.UTC))
    assert not task.validate_datetime(dt.datetime(2025, 6, 1, 9, 7, tzinfo=dt.UTC))
