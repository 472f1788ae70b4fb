"""The permission matrix on the API: anonymous, resident, neighbour, another grid's worker, another
compound's cadre, another street's official, property staff. A denied request changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from guanjia.core.models import AuditEntry, PiiAccessLog
from tests.api.conftest import error_of

ENDPOINTS = [
    "/me",
    "/regions",
    "/communities",
    "/compounds",
    "/coverage",
    "/grids",
    "/dwellings",
    "/persons",
]


def names(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item.get("name") or item.get("number") for item in response.json()["items"]}


def household_of(world: Any, name: str) -> int:
    return world.people[name].residencies.get().household_id


@pytest.mark.parametrize("path", ENDPOINTS)
def test_anonymous_gets_401_everywhere(world, api, path):
    response = api(None).get(path)
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_anonymous_gets_401_on_details_and_reveal(world, api):
    alice = world.people["alice"].pk
    for path in (f"/persons/{alice}", f"/households/{household_of(world, 'alice')}", "/compounds/1"):
        assert api(None).get(path).status_code == 401
    assert api(None).post(f"/persons/{alice}/reveal").status_code == 401


def test_resident_sees_own_household_only(world, api):
    alice = api("alice")
    assert names(alice.get("/persons")) == {"alice的姓名"}
    assert names(alice.get("/dwellings")) == {"101"}
    assert names(alice.get("/compounds")) == {"阳光小区"}
    assert alice.get(f"/households/{household_of(world, 'alice')}").status_code == 200
    assert alice.get(f"/households/{household_of(world, 'bob')}").status_code == 404
    assert alice.get(f"/persons/{world.people['bob'].pk}").status_code == 404


def test_resident_may_not_search_people_by_phone(world, api):
    response = api("alice").get("/persons", phone="13900001111")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_neighbour_gets_404_on_alice(world, api):
    bob = api("bob")
    assert bob.get(f"/households/{household_of(world, 'alice')}").status_code == 404
    assert bob.get(f"/persons/{world.people['alice'].pk}").status_code == 404
    assert bob.get(f"/dwellings/{world.a101.pk}").status_code == 404
    assert "alice的姓名" not in names(bob.get("/persons"))
    assert bob.post(f"/persons/{world.people['alice'].pk}/reveal").status_code == 404


def test_grid_worker_of_another_grid_does_not_see_alice(world, api):
    grid2 = api("grid2")
    assert "alice的姓名" not in names(grid2.get("/persons"))
    assert names(grid2.get("/persons", phone="13812345678")) == set()
    assert grid2.get(f"/persons/{world.people['alice'].pk}").status_code == 404
    assert grid2.get(f"/households/{household_of(world, 'alice')}").status_code == 404
    assert names(grid2.get("/dwellings")) == {"201"}
    assert grid2.get(f"/grids/{world.grid1.pk}").status_code == 404


def test_grid_worker_finds_their_resident_by_phone(world, api):
    assert names(api("grid1").get("/persons", phone="138 1234 5678")) == {"alice的姓名"}


def test_cadre_of_another_compound_does_not_see_sunshine(world, api):
    cadre2 = api("cadre2")
    assert "阳光小区" not in names(cadre2.get("/compounds"))
    assert cadre2.get(f"/compounds/{world.sunshine.pk}").status_code == 404
    assert cadre2.get("/coverage").json()["total"] == 1
    assert names(cadre2.get("/dwellings", compound=world.sunshine.pk)) == set()


def test_official_of_another_street_sees_none_of_east_streets_compounds(world, api):
    official2 = api("official2")
    assert names(official2.get("/compounds")) == {"西苑"}
    assert names(official2.get("/compounds", region=world.east.pk)) == set()
    assert official2.get(f"/compounds/{world.sunshine.pk}").status_code == 404
    assert official2.get(f"/compounds/{world.rose.pk}").status_code == 404
    assert official2.get(f"/regions/{world.east.pk}").status_code == 404
    assert "东社区" not in names(official2.get("/communities"))
    assert "东街道" not in names(official2.get("/regions"))
    assert official2.get("/coverage", region=world.east.pk).json()["total"] == 0


def test_official_sees_their_street(world, api):
    assert names(api("official").get("/compounds")) == {"阳光小区", "月季小区"}
    assert api("official").get("/coverage").json()["total"] == 2


def test_property_staff_see_masked_phones_and_may_not_reveal(world, api):
    # given
    prop = api("property")
    alice = world.people["alice"].pk
    audit_before = AuditEntry.objects.count()
    # when
    detail = prop.get(f"/persons/{alice}")
    reveal = prop.post(f"/persons/{alice}/reveal")
    # then
    assert detail.json()["phone"] == "138****5678"
    assert detail.json()["id_number"] == "1101**********4514"
    assert reveal.status_code == 403
    assert error_of(reveal)["code"] == "forbidden"
    assert not PiiAccessLog.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_grid_worker_reveal_works_and_is_logged(world, api):
    alice = world.people["alice"]
    response = api("grid1").post(f"/persons/{alice.pk}/reveal", {"purpose": "入户走访核实"})
    assert response.status_code == 200
    assert response.json() == {"phone": "13812345678", "id_number": "110101199003074514"}
    logs = PiiAccessLog.objects.filter(person=alice)
    assert {row.field for row in logs} == {"phone", "id_number"}
    assert {(row.actor, row.via, row.purpose) for row in logs} == {
        (world.user("grid1"), "api", "入户走访核实")
    }


def test_reveal_of_one_field_logs_one_read(world, api):
    alice = world.people["alice"]
    response = api("grid1").post(f"/persons/{alice.pk}/reveal", {"fields": ["phone"]})
    assert response.json() == {"phone": "13812345678", "id_number": None}
    assert list(PiiAccessLog.objects.values_list("field", flat=True)) == ["phone"]


def test_residents_may_reveal_their_own_data(world, api):
    response = api("alice").post(f"/persons/{world.people['alice'].pk}/reveal")
    assert response.status_code == 200
    assert PiiAccessLog.objects.filter(via="api").count() == 2
