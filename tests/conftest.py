"""The test world: two streets, each with a community; compounds, grids, dwellings; and named users.

alice     resident (owner) of dwelling A-101 in compound 阳光 (grid G1)
bob       neighbour: resident of A-102, another household in the same compound and grid
grid1     grid worker of G1;    grid2     grid worker of G2 (another grid, compound 月季)
cadre1    包片 cadre of 阳光;    cadre2    cadre of 月季 (another compound)
secretary secretary of community 东社区
property  property staff of 阳光;  committee  committee member of 阳光
official  official of street 东街道;  official2  official of street 西街道 (another street)
agency    agency staff for the district
admin     system admin
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from guanjia.people.models import Role
from guanjia.places.models import Region
from tests.factories import (
    PASSWORD,
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    DwellingFactory,
    EntranceFactory,
    GridFactory,
    RegionFactory,
    make_resident,
    make_staff,
    make_user,
)


@pytest.fixture(autouse=True)
def _settings_for_tests(settings: Any) -> None:
    from guanjia.core import memo

    memo.clear_all()  # rows a previous test memoised may share keys with this test's rows
    settings.PII_KEY = "test-key-not-secret"
    # The default hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Background jobs run inline in tests, right where they are enqueued (on commit).
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    city: Any
    district: Any
    east: Any
    west: Any
    community: Any
    west_community: Any
    sunshine: Any
    rose: Any
    west_compound: Any
    grid1: Any
    grid2: Any
    a101: Any
    a102: Any
    rose_dwelling: Any
    west_dwelling: Any
    people: dict[str, Any]

    def user(self, name: str) -> Any:
        if name == "admin":
            from django.contrib.auth import get_user_model

            return get_user_model().objects.get(username="admin")
        return self.people[name].user

    def client(self, name: str | None) -> Client:
        client = Client()
        if name is not None:
            assert client.login(username=name, password=PASSWORD)
        return client


def build_world() -> World:
    city = RegionFactory(name="示范市", level=Region.Level.CITY, code="140100")
    district = RegionFactory(name="示范区", level=Region.Level.DISTRICT, code="140109", parent=city)
    east = RegionFactory(name="东街道", level=Region.Level.STREET, code="140109001", parent=district)
    west = RegionFactory(name="西街道", level=Region.Level.STREET, code="140109002", parent=district)
    community = CommunityFactory(region=east, name="东社区", code="001")
    west_community = CommunityFactory(region=west, name="西社区", code="001")
    sunshine = CompoundFactory(community=community, name="阳光小区", management_mode="professional")
    rose = CompoundFactory(community=community, name="月季小区", management_mode="fallback")
    west_compound = CompoundFactory(community=west_community, name="西苑", management_mode="self_governed")
    grid1 = GridFactory(community=community, serial="01", name="阳光一网格")
    grid2 = GridFactory(community=community, serial="02", name="月季网格")
    west_grid = GridFactory(community=west_community, serial="01", name="西苑网格")

    def dwelling(compound: Any, grid: Any, number: str) -> Any:
        building = (
            BuildingFactory(compound=compound, name=f"{compound.pk}-1号楼")
            if not hasattr(compound, "_b")
            else compound._b
        )
        compound._b = building
        entrance = getattr(building, "_e", None) or EntranceFactory(building=building)
        building._e = entrance
        return DwellingFactory(entrance=entrance, compound=compound, grid=grid, number=number)

    a101 = dwelling(sunshine, grid1, "101")
    a102 = dwelling(sunshine, grid1, "102")
    rose_dwelling = dwelling(rose, grid2, "201")
    west_dwelling = dwelling(west_compound, west_grid, "301")
    people = {
        "alice": make_resident("alice", a101, phone="13812345678", id_number="110101199003074514"),
        "bob": make_resident("bob", a102, phone="13900001111"),
        "carol": make_resident("carol", rose_dwelling, phone="13700002222"),
        "dave": make_resident("dave", west_dwelling, phone="13600003333"),
        "grid1": make_staff("grid1", Role.GRID_WORKER, grid1),
        "grid2": make_staff("grid2", Role.GRID_WORKER, grid2),
        "cadre1": make_staff("cadre1", Role.CADRE, sunshine),
        "cadre2": make_staff("cadre2", Role.CADRE, rose),
        "secretary": make_staff("secretary", Role.SECRETARY, community),
        "property": make_staff("property", Role.PROPERTY_STAFF, sunshine),
        "committee": make_staff("committee", Role.COMMITTEE_MEMBER, sunshine),
        "official": make_staff("official", Role.OFFICIAL, east),
        "official2": make_staff("official2", Role.OFFICIAL, west),
        "agency": make_staff("agency", Role.AGENCY_STAFF, district),
    }
    make_user("admin", superuser=True)
    return World(
        city,
        district,
        east,
        west,
        community,
        west_community,
        sunshine,
        rose,
        west_compound,
        grid1,
        grid2,
        a101,
        a102,
        rose_dwelling,
        west_dwelling,
        people,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()
