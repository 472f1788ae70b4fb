"""List endpoints run a bounded number of queries whatever the page size (no N+1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.people.models import Household, Person, Residency
from guanjia.places.models import Region
from tests.factories import CommunityFactory, CompoundFactory, DwellingFactory, GridFactory, RegionFactory

MANY = 60
# Token lookup, scope (assignments, residencies, regions, grid compounds), count, page, prefetch.
BOUND = 10


@pytest.fixture
def crowded(world: Any) -> Any:
    """More than a page of 50 of everything each role can list."""
    entrance = world.a101.entrance
    for n in range(MANY):
        street = RegionFactory(
            name=f"街道{n}", level=Region.Level.STREET, code=f"140109{n + 100:03d}", parent=world.district
        )
        CommunityFactory(region=street, name=f"社区{n}", code="001")
        CompoundFactory(community=world.community, name=f"小区{n:02d}")
        GridFactory(community=world.community, serial=f"{n + 3:02d}", name=f"网格{n}")
        dwelling = DwellingFactory(
            entrance=entrance, compound=world.sunshine, grid=world.grid1, number=f"9{n:02d}"
        )
        household = Household.objects.create(dwelling=dwelling)
        person = Person(name=f"居民{n}", birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=n))
        person.set_phone(f"1381000{n:04d}")
        person.save()
        Residency.objects.create(person=person, household=household, relation="owner")
    return world


def queries_for(client: Any, path: str, limit: int) -> tuple[int, int]:
    client.get(path, limit=limit)  # warm: the first use of a token records last_used_at
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, limit=limit)
    assert response.status_code == 200, response.content
    data = response.json()
    assert len(data["items"]) == limit
    assert data["count"] > 50
    return len(ctx.captured_queries), data["count"]


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("agency", "/regions"),
        ("agency", "/communities"),
        ("official", "/compounds"),
        ("secretary", "/grids"),
        ("grid1", "/dwellings"),
        ("cadre1", "/dwellings"),
        ("grid1", "/persons"),
        ("secretary", "/persons"),
        ("admin", "/persons"),
    ],
)
def test_list_queries_do_not_grow_with_the_page(crowded, api, user, path):
    client = api(user)
    small, _ = queries_for(client, path, 5)
    large, _ = queries_for(client, path, 50)
    assert small == large <= BOUND, (small, large)


def test_query_bound_holds_for_details(crowded, api, django_assert_max_num_queries):
    client = api("secretary")
    client.get("/me")
    alice = crowded.people["alice"]
    for path in (
        "/me",
        f"/compounds/{crowded.sunshine.pk}",
        f"/grids/{crowded.grid1.pk}",
        f"/persons/{alice.pk}",
        f"/households/{alice.residencies.get().household_id}",
        "/coverage",
    ):
        with django_assert_max_num_queries(BOUND):
            assert client.get(path).status_code == 200
