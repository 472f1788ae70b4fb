"""Builders for vote tests: flats with owners in the world's compound 阳光, and a vote ready to cast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from guanjia.decisions import services
from guanjia.people.models import Household, OwnerKind, Person, Residency
from guanjia.places.models import Dwelling
from tests.factories import DwellingFactory

NOW = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def flat(world: Any, number: str, area: str | None = "100", *owners: Person, **areas: Any) -> Dwelling:
    """A flat in 阳光 owned by `owners` (each a current owner residency)."""
    dwelling = DwellingFactory(
        entrance=world.a101.entrance,
        compound=world.sunshine,
        grid=world.grid1,
        number=number,
        area_registered=Decimal(area) if area else None,
        **areas,
    )
    household = Household.objects.create(dwelling=dwelling)
    for person in owners:
        Residency.objects.create(
            person=person, household=household, relation="owner", start_date=dt.date(2020, 1, 1)
        )
    return dwelling


def person(name: str, kind: str = OwnerKind.INDIVIDUAL, *, party: bool = False) -> Person:
    return Person.objects.create(name=name, owner_kind=kind, is_party_member=party)


def open_vote(world: Any, *, matter: str = "hire_property_company", now: dt.datetime = NOW, **kw: Any) -> Any:
    """A vote in 阳光 announced 15 days before `now` and opened at `now`, by the committee member."""
    user = world.user("committee")
    announced = now - dt.timedelta(days=15)
    vote = services.vote_create(
        user=user,
        compound=world.sunshine,
        title=kw.pop("title", "续聘物业服务企业"),
        matter=matter,
        opens_at=now,
        closes_at=now + dt.timedelta(days=10),
        now=announced,
        **kw,
    )
    return services.vote_open(user=user, vote=vote, now=now)


def voter_of(vote: Any, person_: Person) -> Any:
    return vote.voters.get(owners__person=person_)


@pytest.fixture
def now() -> dt.datetime:
    return timezone.localtime(NOW)
