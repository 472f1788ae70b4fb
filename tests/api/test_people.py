"""People endpoints: who am I, households, persons (masked), filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guanjia.people.models import Residency
from tests.factories import make_resident


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_me_tells_a_grid_worker_what_they_answer_for(world, api):
    me = api("grid1").get("/me").json()
    assert me["username"] == "grid1"
    assert me["name"] == "grid1的姓名"
    assert me["primary_role"] == {"code": "grid_worker", "label": "网格员"}
    [assignment] = me["assignments"]
    assert assignment["target_type"] == "grid"
    assert assignment["target"] == {"id": world.grid1.pk, "name": "阳光一网格"}
    assert assignment["start_date"] == "2020-01-01"
    assert me["households"] == []


def test_me_tells_a_resident_their_household(world, api):
    me = api("alice").get("/me").json()
    assert me["roles"] == [{"code": "resident", "label": "居民"}]
    [home] = me["households"]
    assert home["relation"] == "owner"
    assert home["address"].endswith("101")
    assert me["assignments"] == []


def test_household_shows_dwelling_and_current_members_masked(world, api):
    family = make_resident("alice_son", world.a101, relation=Residency.Relation.FAMILY, phone="13500001234")
    moved_out = make_resident("lodger", world.a101, relation=Residency.Relation.TENANT)
    moved_out.residencies.update(end_date=dt.date(2021, 1, 1))
    household_id = family.residencies.get().household_id
    data = api("alice").get(f"/households/{household_id}").json()
    assert data["dwelling"]["number"] == "101"
    members = {m["name"]: m for m in data["members"]}
    assert set(members) == {"alice的姓名", "alice_son的姓名"}
    assert members["alice_son的姓名"]["phone"] == "135****1234"
    assert members["alice_son的姓名"]["relation_label"] == "家庭成员"


def test_person_detail_is_masked_with_age_party_and_residencies(world, api):
    alice = world.people["alice"]
    alice.birth_date = dt.date(timezone.localdate().year - 40, 1, 1)
    alice.is_party_member = True
    alice.save()
    data = api("cadre1").get(f"/persons/{alice.pk}").json()
    assert (data["age"], data["is_party_member"]) == (40, True)
    assert (data["phone"], data["id_number"]) == ("138****5678", "1101**********4514")
    [home] = data["residencies"]
    assert home["compound"]["name"] == "阳光小区"
    assert (home["relation"], home["start_date"], home["end_date"]) == ("owner", "2020-01-01", None)
    assert "13812345678" not in str(data)


def test_residencies_outside_the_callers_scope_are_left_out(world, api):
    alice = world.people["alice"]
    Residency.objects.create(
        person=alice, household=world.people["carol"].residencies.get().household, relation="tenant"
    )
    cadre1 = api("cadre1").get(f"/persons/{alice.pk}").json()
    assert {r["compound"]["name"] for r in cadre1["residencies"]} == {"阳光小区"}
    secretary = api("secretary").get(f"/persons/{alice.pk}").json()
    assert {r["compound"]["name"] for r in secretary["residencies"]} == {"阳光小区", "月季小区"}


def test_persons_filter_by_place_relation_and_name(world, api):
    make_resident("tenant_t", world.a102, relation=Residency.Relation.TENANT)
    secretary = api("secretary")
    by_compound = {p["name"] for p in items(secretary.get("/persons", compound=world.rose.pk))}
    assert by_compound == {"carol的姓名"}
    by_grid = {p["name"] for p in items(secretary.get("/persons", grid=world.grid1.pk))}
    assert by_grid == {"alice的姓名", "bob的姓名", "tenant_t的姓名"}
    tenants = {p["name"] for p in items(secretary.get("/persons", relation="tenant"))}
    assert tenants == {"tenant_t的姓名"}
    household = world.people["bob"].residencies.get().household_id
    assert {p["name"] for p in items(secretary.get("/persons", household=household))} == {
        "bob的姓名",
        "tenant_t的姓名",
    }
    assert [p["name"] for p in items(secretary.get("/persons", q="caro"))] == ["carol的姓名"]


def test_persons_list_shows_masked_phones_and_current_homes(world, api):
    [alice] = [p for p in items(api("grid1").get("/persons")) if p["name"] == "alice的姓名"]
    assert alice["phone"] == "138****5678"
    assert [r["address"].split()[-1] for r in alice["residencies"]] == ["101"]


def test_reveal_refuses_unknown_fields(world, api):
    response = api("grid1").post(f"/persons/{world.people['alice'].pk}/reveal", {"fields": ["salary"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "fields.0"
