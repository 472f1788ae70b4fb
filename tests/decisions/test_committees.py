"""Committees: size, make-up and terms as the rules set them; elections become terms; coverage counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guanjia.decisions import selectors, services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import OwnersCommittee
from tests.decisions.conftest import flat, open_vote, person

START = dt.date(2025, 7, 1)


def owners(world: Any, n: int, party: int = 0) -> list[Any]:
    people = [person(f"委员{i}", party=i < party) for i in range(n)]
    for i, p in enumerate(people):
        flat(world, f"m{i}", "90", p)
    return people


@pytest.mark.parametrize(("size", "ok"), [(4, False), (5, True), (6, False), (11, True), (13, False)])
def test_five_to_eleven_members_an_odd_number(size: int, ok: bool, db: Any) -> None:
    members = [(person(f"p{i}"), True) for i in range(size)]
    if ok:
        services.check_composition("owners", members)
    else:
        with pytest.raises(DecisionError):
            services.check_composition("owners", members)


@pytest.mark.parametrize(("owners_", "ok"), [(3, True), (2, False)])
def test_a_property_management_committee_is_at_least_half_owners(owners_: int, ok: bool, db: Any) -> None:
    members = [(person(f"p{i}"), i < owners_) for i in range(5)]
    if ok:
        services.check_composition("property_management", members)
    else:
        with pytest.raises(DecisionError):
            services.check_composition("property_management", members)


def test_an_election_becomes_a_term_with_a_registration_deadline(world: Any) -> None:
    user = world.user("committee")
    committee = services.committee_prepare(user=user, compound=world.sunshine)
    assert selectors.committee_status([world.sunshine.pk, world.rose.pk]) == {
        world.sunshine.pk: "preparing",
        world.rose.pk: "none",
    }
    people = owners(world, 5, party=3)
    vote = open_vote(
        world, matter="elect_committee", seats=5, candidate_ids=[p.pk for p in people], committee=committee
    )
    for voter in vote.voters.all():
        marks = {str(c.pk): "agree" for c in vote.candidates.all()}
        services.ballot_cast(
            user=user,
            vote=vote,
            voter_id=voter.pk,
            choice="agree",
            origin="paper",
            marks=marks,
            now=vote.opens_at + dt.timedelta(hours=1),
        )
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    vote.refresh_from_db()
    members = [(p.pk, "chair" if i == 0 else "member") for i, p in enumerate(people)]
    with pytest.raises(DecisionError):
        services.term_start(
            user=user,
            committee=committee,
            members=members,
            election=vote,
            starts_on=START,
            ends_on=dt.date(2030, 7, 2),
        )
    term = services.term_start(
        user=user,
        committee=committee,
        members=members,
        election=vote,
        starts_on=START,
        ends_on=dt.date(2030, 6, 30),
    )
    assert term.registration_due == term.elected_on + dt.timedelta(days=30)
    assert term.members.filter(is_party_member=True).count() == 3
    assert selectors.committee_status([world.sunshine.pk]) == {world.sunshine.pk: "formed"}
    services.term_register(user=user, term=term, registered_on=term.registration_due + dt.timedelta(days=1))
    assert committee.events.get(kind="term_registered").data["late"] is True


def test_an_owners_committee_needs_an_election(world: Any) -> None:
    user = world.user("committee")
    committee = services.committee_prepare(user=user, compound=world.sunshine)
    people = owners(world, 5)
    with pytest.raises(DecisionError):
        services.term_start(
            user=user,
            committee=committee,
            members=[(p.pk, "member") for p in people],
            starts_on=START,
            ends_on=dt.date(2028, 1, 1),
        )


def test_a_property_management_committee_serves_at_most_three_years(world: Any) -> None:
    user = world.user("secretary")
    pmc = services.committee_prepare(
        user=user, compound=world.rose, kind=OwnersCommittee.Kind.PROPERTY_MANAGEMENT
    )
    people = [person(f"代表{i}") for i in range(2)]
    residents = [person(f"业主{i}") for i in range(3)]
    from guanjia.people.models import Household, Residency
    from tests.factories import DwellingFactory

    for i, p in enumerate(residents):
        d = DwellingFactory(entrance=world.rose_dwelling.entrance, compound=world.rose, number=f"r{i}")
        Residency.objects.create(person=p, household=Household.objects.create(dwelling=d), relation="owner")
    members = [(p.pk, "member") for p in people + residents]
    with pytest.raises(DecisionError):
        services.term_start(
            user=user, committee=pmc, members=members, starts_on=START, ends_on=dt.date(2028, 7, 2)
        )
    term = services.term_start(
        user=user, committee=pmc, members=members, starts_on=START, ends_on=dt.date(2028, 7, 1)
    )
    assert term.members.filter(is_owner=True).count() == 3


def test_one_living_committee_per_compound(world: Any) -> None:
    user = world.user("committee")
    services.committee_prepare(user=user, compound=world.sunshine)
    with pytest.raises(DecisionError):
        services.committee_prepare(user=user, compound=world.sunshine)
