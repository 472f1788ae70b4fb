"""Registry read endpoints: what they return, their filters, pagination and formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from guanjia.places.models import Dwelling
from guanjia.places.services import compound_set_management_mode
from tests.factories import BuildingFactory, DwellingFactory, EntranceFactory


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def names(response: Any) -> list[str]:
    return [i["name"] for i in items(response)]


def test_regions_filter_by_parent_and_level(world, api):
    agency = api("agency")
    assert set(names(agency.get("/regions", parent=world.district.pk))) == {"东街道", "西街道"}
    assert names(agency.get("/regions", level="district")) == ["示范区"]
    detail = agency.get(f"/regions/{world.east.pk}").json()
    assert detail["level_label"] == "街道/乡镇"
    assert [a["name"] for a in detail["ancestors"]] == ["示范市", "示范区"]


def test_communities_filter_by_region_subtree(world, api):
    agency = api("agency")
    assert set(names(agency.get("/communities", region=world.district.pk))) == {"东社区", "西社区"}
    assert names(agency.get("/communities", region=world.west.pk)) == ["西社区"]
    detail = agency.get(f"/communities/{world.community.pk}").json()
    assert (detail["compound_count"], detail["grid_count"]) == (2, 2)
    assert detail["region"] == {"id": world.east.pk, "name": "东街道"}


def test_compounds_filter_by_community_mode_region_and_name(world, api):
    admin = api("admin")
    assert set(names(admin.get("/compounds", community=world.community.pk))) == {"阳光小区", "月季小区"}
    assert names(admin.get("/compounds", mode="fallback")) == ["月季小区"]
    assert names(admin.get("/compounds", region=world.west.pk)) == ["西苑"]
    assert names(admin.get("/compounds", q="阳光")) == ["阳光小区"]
    item = items(admin.get("/compounds", q="阳光"))[0]
    assert item["management_mode_label"] == "物业公司管理"
    assert item["community"] == {"id": world.community.pk, "name": "东社区"}


def test_compound_detail_counts_and_mode_history(world, api):
    compound_set_management_mode(
        user=world.user("admin"),
        compound=world.rose,
        mode="professional",
        effective_on=dt.date(2024, 3, 1),
        reason="引入物业公司",
    )
    detail = api("cadre2").get(f"/compounds/{world.rose.pk}").json()
    assert (detail["building_count"], detail["dwelling_count"]) == (1, 1)
    assert detail["management_mode"] == "professional"
    assert detail["mode_since"] == "2024-03-01"
    [change] = detail["mode_history"]
    assert (change["from_mode"], change["to_mode"], change["effective_on"]) == (
        "fallback",
        "professional",
        "2024-03-01",
    )
    assert change["reason"] == "引入物业公司"
    assert dt.datetime.fromisoformat(change["recorded_at"]).utcoffset() == dt.timedelta(hours=8)


def test_coverage_counts_by_mode_within_scope(world, api):
    data = api("official").get("/coverage").json()
    by_mode = {m["mode"]: m["count"] for m in data["by_mode"]}
    assert by_mode == {"professional": 1, "fallback": 1, "self_governed": 0, "unmanaged": 0}
    assert (data["total"], data["managed"], data["managed_rate"]) == (2, 2, 100.0)
    assert api("admin").get("/coverage", community=world.west_community.pk).json()["total"] == 1
    assert api("admin").get("/coverage", region=world.district.pk).json()["total"] == 3


def test_grids_filter_by_community_and_compound(world, api):
    secretary = api("secretary")
    assert names(secretary.get("/grids", community=world.community.pk)) == ["阳光一网格", "月季网格"]
    assert names(secretary.get("/grids", compound=world.rose.pk)) == ["月季网格"]
    detail = secretary.get(f"/grids/{world.grid1.pk}").json()
    assert detail["code"] == "00000014010900100101"
    assert detail["dwelling_count"] == 2
    assert detail["compounds"] == [{"id": world.sunshine.pk, "name": "阳光小区"}]


def test_dwellings_carry_names_and_areas_as_two_decimal_strings(world, api):
    building = BuildingFactory(compound=world.sunshine, name="2号楼")
    entrance = EntranceFactory(building=building, name="3单元")
    DwellingFactory(
        entrance=entrance,
        compound=world.sunshine,
        number="301",
        area_registered=None,
        area_surveyed=Decimal("90"),
        area_contract=Decimal("91.5"),
    )
    [item] = items(api("cadre1").get("/dwellings", building=building.pk))
    assert (item["building"]["name"], item["entrance"]["name"], item["number"]) == ("2号楼", "3单元", "301")
    assert item["grid"] is None
    assert (item["area_registered"], item["area_surveyed"], item["area_contract"]) == (None, "90.00", "91.50")
    assert item["legal_area"] == "90.00"


def test_dwellings_filter_by_compound_and_grid(world, api):
    admin = api("admin")
    assert [i["number"] for i in items(admin.get("/dwellings", compound=world.sunshine.pk))] == ["101", "102"]
    assert [i["number"] for i in items(admin.get("/dwellings", grid=world.grid2.pk))] == ["201"]
    assert admin.get(f"/dwellings/{world.a101.pk}").json()["area_registered"] == "88.50"


def test_pages_are_stable_and_cover_everything_once(world, api):
    admin = api("admin")
    for n in range(7):
        DwellingFactory(entrance=world.a101.entrance, compound=world.sunshine, number=f"5{n:02d}")
    total = Dwelling.objects.count()
    seen: list[int] = []
    for offset in range(0, total, 3):
        page = admin.get("/dwellings", limit=3, offset=offset).json()
        assert page["count"] == total
        seen += [i["id"] for i in page["items"]]
    assert sorted(seen) == sorted(Dwelling.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen))
    assert admin.get("/dwellings", limit=3, offset=total).json() == {"count": total, "items": []}
