"""The admin is let in and scoped by the same rules as the web pages and the API."""

from __future__ import annotations

import pytest

from guanjia.core.models import AuditEntry
from guanjia.places.models import Compound, ManagementModeChange


def change_url(obj) -> str:  # type: ignore[no-untyped-def]
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.mark.parametrize("name", [None, "alice", "bob", "grid1", "grid2", "property", "committee", "agency"])
def test_roles_without_admin_work_are_sent_to_the_login_page(world, name):
    response = world.client(name).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_resident_cannot_log_in_to_the_admin(world):
    response = world.client(None).post("/admin/login/", {"username": "alice", "password": "guanjia-test"})
    assert response.status_code == 200
    assert "无权使用后台管理" in response.content.decode()


def test_cadre_logs_in_to_the_admin_without_is_staff(world):
    response = world.client(None).post(
        "/admin/login/?next=/admin/", {"username": "cadre1", "password": "guanjia-test"}
    )
    assert response.status_code == 302


def test_cadre_of_another_compound_sees_only_their_own(world):
    client = world.client("cadre2")
    listing = client.get("/admin/places/compound/").content.decode()
    assert "月季小区" in listing
    assert "阳光小区" not in listing
    assert client.get(change_url(world.sunshine)).status_code == 302  # "does not exist", back to index


def test_cadre_may_view_but_not_change(world):
    client = world.client("cadre1")
    assert client.get(change_url(world.sunshine)).status_code == 200
    response = client.post(
        change_url(world.sunshine),
        {"community": world.community.pk, "name": "改名", "management_mode": "professional"},
    )
    assert response.status_code == 403
    assert Compound.objects.get(pk=world.sunshine.pk).name == "阳光小区"


def test_official_of_another_street_sees_none_of_this_street(world):
    listing = world.client("official2").get("/admin/places/compound/").content.decode()
    assert "西苑" in listing
    assert "阳光小区" not in listing and "月季小区" not in listing


def test_secretary_changes_a_compound_and_the_change_is_audited(world):
    client = world.client("secretary")
    response = client.post(
        change_url(world.sunshine),
        {
            "community": world.community.pk,
            "name": "阳光新城",
            "address": "",
            "management_mode": "fallback",
            "built_year": "",
            "mode_effective_on": "2026-06-01",
            "mode_reason": "原物业撤场，政府兜底",
            "mode_changes-TOTAL_FORMS": "0",
            "mode_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    compound = Compound.objects.get(pk=world.sunshine.pk)
    assert (compound.name, compound.management_mode) == ("阳光新城", "fallback")
    change = ManagementModeChange.objects.get(compound=compound)
    assert (change.from_mode, change.to_mode, change.reason) == (
        "professional",
        "fallback",
        "原物业撤场，政府兜底",
    )
    entries = AuditEntry.objects.filter(model="places.compound", object_pk=str(compound.pk), action="update")
    assert {e.actor_label for e in entries} == {"secretary"}
    assert any(e.changes.get("name") == ["阳光小区", "阳光新城"] for e in entries)
    history = client.get(change_url(world.sunshine).replace("change/", "history/")).content.decode()
    assert "阳光新城" in history
    # the dated mode history is shown on the compound's page
    assert "原物业撤场，政府兜底" in client.get(change_url(world.sunshine)).content.decode()


def test_secretary_cannot_touch_another_community(world):
    client = world.client("secretary")
    assert client.get(change_url(world.west_compound)).status_code == 302
    client.post(
        change_url(world.west_compound),
        {"community": world.west_community.pk, "name": "被改", "management_mode": "unmanaged"},
    )
    assert Compound.objects.get(pk=world.west_compound.pk).name == "西苑"


def test_secretary_cannot_move_a_compound_into_another_community(world):
    client = world.client("secretary")
    response = client.post(
        change_url(world.sunshine),
        {
            "community": world.west_community.pk,
            "name": "阳光小区",
            "management_mode": "professional",
            "mode_changes-TOTAL_FORMS": "0",
            "mode_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form refuses a community outside the secretary's choices
    assert Compound.objects.get(pk=world.sunshine.pk).community_id == world.community.pk


def test_grid_worker_of_another_grid_sees_nothing_in_admin_persons(world):
    # grid workers have no admin at all; the person list for the secretary is scoped to the community
    listing = world.client("secretary").get("/admin/people/person/").content.decode()
    assert "alice的姓名" in listing
    assert "dave的姓名" not in listing
    assert "13812345678" not in listing  # masked in lists


def test_audit_log_is_only_for_the_system_admin(world):
    assert world.client("secretary").get("/admin/core/auditentry/").status_code == 403
    assert world.client("admin").get("/admin/core/auditentry/").status_code == 200


def test_secretary_cannot_attach_a_person_to_a_household_elsewhere(world):
    from guanjia.people.models import Household, Person

    west_household = Household.objects.get(dwelling=world.west_dwelling)
    response = world.client("secretary").post(
        "/admin/people/person/add/",
        {
            "name": "新居民",
            "owner_kind": "individual",
            "residencies-TOTAL_FORMS": "1",
            "residencies-INITIAL_FORMS": "0",
            "residencies-0-household": west_household.pk,
            "residencies-0-relation": "tenant",
        },
    )
    assert response.status_code == 200  # the form refuses the household id
    assert not Person.objects.filter(name="新居民").exists()


def test_secretary_adds_a_tenant_in_their_community(world):
    from guanjia.people.models import Household, Person

    household = Household.objects.get(dwelling=world.a101)
    response = world.client("secretary").post(
        "/admin/people/person/add/",
        {
            "name": "新租户",
            "owner_kind": "individual",
            "new_phone": "13600009999",
            "residencies-TOTAL_FORMS": "1",
            "residencies-INITIAL_FORMS": "0",
            "residencies-0-household": household.pk,
            "residencies-0-relation": "tenant",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    person = Person.objects.get(name="新租户")
    assert person.phone_masked == "136****9999"
    assert person.residencies.get().household == household
