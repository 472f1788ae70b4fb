"""Registry pages show only what the caller's scope allows; anything else is "not found"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.places.models import ManagementMode
from guanjia.places.services import compound_set_management_mode
from tests.factories import BuildingFactory, CompoundFactory, EntranceFactory


def test_resident_opens_own_household(world, alice_household):
    html = world.client("alice").get(f"/households/{alice_household.pk}/").content.decode()
    assert "alice的姓名" in html
    assert "138****5678" in html
    assert "13812345678" not in html


@pytest.mark.parametrize("name", ["bob", "carol", "grid2", "cadre2", "official2"])
def test_outsiders_get_404_on_alice_household(world, alice_household, name):
    assert world.client(name).get(f"/households/{alice_household.pk}/").status_code == 404


@pytest.mark.parametrize("name", ["grid1", "cadre1", "secretary", "official", "property", "admin"])
def test_people_answering_for_alice_open_her_household(world, alice_household, name):
    assert world.client(name).get(f"/households/{alice_household.pk}/").status_code == 200


def test_cadre_of_another_compound_gets_404_on_its_page(world):
    assert world.client("cadre2").get(f"/compounds/{world.sunshine.pk}/").status_code == 404
    assert world.client("cadre1").get(f"/compounds/{world.sunshine.pk}/").status_code == 200


def test_official_of_another_street_neither_lists_nor_opens_its_compounds(world):
    client = world.client("official2")
    html = client.get("/compounds/").content.decode()
    assert "西苑" in html
    assert "阳光小区" not in html and "月季小区" not in html
    for compound in (world.sunshine, world.rose):
        assert client.get(f"/compounds/{compound.pk}/").status_code == 404


def test_unknown_ids_are_404_too(world):
    client = world.client("admin")
    assert client.get("/compounds/999999/").status_code == 404
    assert client.get("/households/999999/").status_code == 404


def test_compound_page_shows_structure_staff_and_mode_history(world):
    compound_set_management_mode(
        user=world.user("secretary"), compound=world.sunshine, mode=ManagementMode.FALLBACK, reason="物业撤场"
    )
    html = world.client("cadre1").get(f"/compounds/{world.sunshine.pk}/").content.decode()
    assert "1单元" in html  # entrances of the building
    assert "阳光一网格" in html
    for name in ["cadre1的姓名", "grid1的姓名", "property的姓名", "secretary的姓名"]:
        assert name in html
    assert "物业撤场" in html
    assert "政府兜底物业" in html


def test_compound_list_filters_by_mode_and_community(world):
    client = world.client("official")
    html = client.get("/compounds/", {"mode": "fallback"}).content.decode()
    assert "月季小区" in html and "阳光小区" not in html
    html = client.get("/compounds/", {"community": world.community.pk}).content.decode()
    assert "月季小区" in html and "阳光小区" in html
    html = client.get("/compounds/", {"community": world.west_community.pk}).content.decode()
    assert "阳光小区" not in html and "西苑" not in html


def test_official_home_filters_the_compound_table_by_mode(world):
    html = world.client("agency").get("/", {"mode": "self_governed"}).content.decode()
    table = html.split('id="compounds"', 1)[1]
    assert "西苑" in table and "阳光小区" not in table


LIST_QUERIES = 11


def _add_compounds(world, first, count):
    for i in range(first, first + count):
        compound = CompoundFactory(community=world.community, name=f"批量小区{i:02d}")
        EntranceFactory(building=BuildingFactory(compound=compound))


def test_compound_list_runs_the_same_bounded_queries_for_5_and_30_compounds(world):
    client = world.client("official")
    client.get("/compounds/")  # the session and language are settled on the first request

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/compounds/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    _add_compounds(world, 0, 3)  # + 阳光, 月季 = 5
    five, html = count_queries()
    assert html.count("批量小区") == 3
    _add_compounds(world, 3, 25)  # 30
    thirty, html = count_queries()
    assert html.count("批量小区") == 28
    assert five == thirty <= LIST_QUERIES
