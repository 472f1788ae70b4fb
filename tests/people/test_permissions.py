"""Who sees what: the scope rules behind every face (web, API, admin)."""

from __future__ import annotations

from guanjia.people import permissions as perms
from guanjia.people.selectors import persons_for
from guanjia.places import selectors


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(o) for o in qs}


def test_resident_sees_only_own_dwelling_and_household(world):
    alice = world.user("alice")
    assert names(selectors.dwellings_for(alice)) == {"101"}
    assert {p.name for p in persons_for(alice)} == {"alice的姓名"}
    assert names(selectors.compounds_for(alice)) == {"阳光小区"}


def test_neighbour_does_not_see_alice(world):
    bob = world.user("bob")
    assert "alice的姓名" not in {p.name for p in persons_for(bob)}
    assert names(selectors.dwellings_for(bob)) == {"102"}


def test_grid_worker_sees_only_their_grid(world):
    assert names(selectors.dwellings_for(world.user("grid1"))) == {"101", "102"}
    assert names(selectors.dwellings_for(world.user("grid2"))) == {"201"}
    assert "alice的姓名" not in {p.name for p in persons_for(world.user("grid2"))}


def test_cadre_sees_only_their_compounds(world):
    assert names(selectors.compounds_for(world.user("cadre1"))) == {"阳光小区"}
    assert names(selectors.compounds_for(world.user("cadre2"))) == {"月季小区"}
    assert names(selectors.dwellings_for(world.user("cadre2"))) == {"201"}


def test_official_sees_their_street_subtree_only(world):
    assert names(selectors.compounds_for(world.user("official"))) == {"阳光小区", "月季小区"}
    assert names(selectors.compounds_for(world.user("official2"))) == {"西苑"}
    assert "东街道" not in names(selectors.regions_for(world.user("official2")))
    assert {"示范市", "示范区", "西街道"} <= names(selectors.regions_for(world.user("official2")))


def test_secretary_sees_whole_community(world):
    assert names(selectors.compounds_for(world.user("secretary"))) == {"阳光小区", "月季小区"}
    residents = {p.name for p in persons_for(world.user("secretary"))} - {"secretary的姓名"}
    assert residents == {"alice的姓名", "bob的姓名", "carol的姓名"}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.compounds_for(AnonymousUser()).exists()
    assert not persons_for(AnonymousUser()).exists()


def test_full_phone_only_for_roles_that_work_with_households(world):
    alice_id = world.people["alice"].pk
    allowed = {"alice", "grid1", "cadre1", "secretary", "admin"}
    denied = {"bob", "grid2", "cadre2", "property", "committee", "official", "official2", "agency"}
    for name in allowed:
        assert perms.can_unmask(perms.scope_for(world.user(name)), alice_id), name
    for name in denied:
        assert not perms.can_unmask(perms.scope_for(world.user(name)), alice_id), name


def test_ended_assignment_gives_no_access(world):
    from guanjia.people.models import StaffAssignment

    StaffAssignment.objects.filter(person=world.people["grid1"]).update(end_date="2020-12-31")
    assert not selectors.dwellings_for(world.user("grid1")).exists()
