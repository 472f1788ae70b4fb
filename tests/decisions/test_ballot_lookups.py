"""The cheap lookups of a ballot give the same answers as the ORM selectors they stand in for, and the
write transaction holds only what must be read under the lock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.decisions import permissions as dperms
from guanjia.decisions import selectors, services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import Ballot, OwnersVote, Voter, VoterOwner
from guanjia.decisions.services import ballots
from guanjia.decisions.services.ballots import visible_vote, voter_on_roll
from guanjia.people import permissions as perms
from guanjia.places.models import Compound
from tests.decisions.conftest import NOW, flat, open_vote, person, voter_of

LATER = NOW + dt.timedelta(hours=1)
EVERYONE = [
    "alice",
    "bob",
    "carol",
    "dave",
    "grid1",
    "grid2",
    "cadre1",
    "cadre2",
    "secretary",
    "property",
    "committee",
    "official",
    "official2",
    "agency",
    "admin",
]


@pytest.mark.parametrize("who", EVERYONE)
def test_sees_compound_agrees_with_compound_q(world: Any, who: str) -> None:
    scope = perms.scope_for(world.user(who))
    for compound in Compound.objects.all():
        expected = Compound.objects.filter(perms.compound_q(scope), pk=compound.pk).exists()
        assert dperms.sees_compound(scope, compound) == expected, compound


@pytest.mark.parametrize("who", EVERYONE)
def test_visible_vote_agrees_with_access_vote(world: Any, who: str) -> None:
    vote = open_vote(world)
    user = world.user(who)
    try:
        expected: OwnersVote | None = selectors.access_vote(user, vote.pk)
    except OwnersVote.DoesNotExist:
        expected = None
    try:
        got, place = visible_vote(perms.scope_for(user), vote.pk)
    except OwnersVote.DoesNotExist:
        assert expected is None
        return
    assert expected is not None
    assert (got.pk, got.status, got.opens_at, got.closes_at) == (
        expected.pk,
        expected.status,
        expected.opens_at,
        expected.closes_at,
    )
    assert (place.pk, place.community_id) == (expected.compound.pk, expected.compound.community_id)


@pytest.mark.parametrize("who", ["alice", "bob", "committee", "admin"])
def test_voter_on_roll_knows_whose_entry_it_is(world: Any, who: str) -> None:
    vote = open_vote(world)
    scope = perms.scope_for(world.user(who))
    for entry in Voter.objects.filter(vote=vote):
        found = voter_on_roll(scope, vote, entry.pk)
        own = VoterOwner.objects.filter(voter=entry, person_id=scope.person_id).exists()
        assert (found.pk, found.label, found.area, found.is_own) == (entry.pk, entry.label, entry.area, own)


def test_a_voter_of_another_vote_is_not_on_the_roll(world: Any) -> None:
    vote = open_vote(world)
    other = open_vote(world, title="另一表决")
    scope = perms.scope_for(world.user("committee"))
    with pytest.raises(Voter.DoesNotExist):
        voter_on_roll(scope, vote, voter_of(other, world.people["bob"]).pk)


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (NOW, True),  # the opening instant
        (NOW + dt.timedelta(days=10) - dt.timedelta(microseconds=1), True),
        (NOW + dt.timedelta(days=10), False),  # the deadline itself is too late
    ],
)
def test_the_voting_window_is_opens_at_inclusive_to_closes_at_exclusive(
    world: Any, moment: dt.datetime, accepted: bool
) -> None:
    vote = open_vote(world)
    cast = lambda: services.ballot_cast(  # noqa: E731
        user=world.user("alice"),
        vote=vote.pk,
        voter_id=voter_of(vote, world.people["alice"]).pk,
        choice="agree",
        origin="online",
        now=moment,
    )
    if accepted:
        assert cast().created
    else:
        with pytest.raises(DecisionError):
            cast()


def test_a_paper_ballot_reads_the_rules_before_the_write_transaction(world: Any) -> None:
    vote = open_vote(world)
    user = world.user("committee")
    perms.scope_for(user)  # the caller's scope is read once per request, by the authentication
    bob = voter_of(vote, world.people["bob"])
    with CaptureQueriesContext(connection) as queries:
        services.ballot_cast(
            user=user,
            vote=vote.pk,
            voter_id=bob.pk,
            choice="agree",
            origin="paper",
            paper_reference="No.1",
            idempotency_key="k-1",
            now=LATER,
        )
    sql = [q["sql"] for q in queries.captured_queries]
    # Inside the test's own transaction the service's transaction is a savepoint.
    start = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    end = next(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    assert start == 2, sql  # before: the vote with its compound, the voter with its owners
    assert end - start - 1 == 3, sql  # under the lock: the vote's state, the voter's ballots, the insert


def test_the_stored_ballot_is_the_one_returned(world: Any) -> None:
    owners = [person(f"候选{n}") for n in range(5)]
    for n, p in enumerate(owners):
        flat(world, f"s{n}", "90", p)
    vote = open_vote(world, matter="elect_committee", seats=5, candidate_ids=[p.pk for p in owners])
    first, second = vote.candidates.order_by("position")[:2]
    cast = services.ballot_cast(
        user=world.user("committee"),
        vote=vote.pk,
        voter_id=voter_of(vote, world.people["bob"]).pk,
        choice="agree",
        origin="proxy",
        marks={first.pk: "agree", str(second.pk): "oppose"},
        proxy_name=" bob的儿子 ",
        authorisation="委托书 2025-017",
        paper_reference="No.9",
        idempotency_key="k-9",
        now=LATER,
    )
    stored = Ballot.objects.get(pk=cast.ballot.pk)
    fields = [f.attname for f in Ballot._meta.concrete_fields]
    assert {f: getattr(stored, f) for f in fields} == {f: getattr(cast.ballot, f) for f in fields}
    assert stored.marks == {str(first.pk): "agree", str(second.pk): "oppose"}
    assert (stored.proxy_name, stored.cast_by, stored.is_current) == (
        "bob的儿子",
        world.user("committee"),
        True,
    )


def test_the_ballots_of_a_voter_are_found_by_the_unique_indexes_not_by_reading_the_vote(world: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the plan is SQLite's; PostgreSQL's depends on its statistics")
    sql = ballots._sql(ballots._BALLOTS_SQL + ballots._BY_KEY_SQL).replace("%s", "?")
    with connection.cursor() as cursor:
        plan = " ".join(str(row) for row in cursor.execute(f"EXPLAIN QUERY PLAN {sql}", [1, 2, 1, "k"]))
    assert "ballot_one_current_per_voter" in plan and "ballot_idempotency_key_once" in plan, plan
