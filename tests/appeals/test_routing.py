"""Routing: place + category → the one person who answers for it."""

from __future__ import annotations

import datetime as dt

from guanjia.appeals.routing import route
from guanjia.people.models import StaffAssignment
from tests.appeals.conftest import category, file

DAY = dt.date(2026, 11, 2)


def test_grid_matters_go_to_the_grid_worker_of_the_dwelling(world):
    assert route(
        category=category("noise"), compound=world.sunshine, dwelling=world.a101, day=DAY
    ).person_id == (world.people["grid1"].pk)


def test_cadre_matters_go_to_the_compounds_cadre(world):
    chosen = route(category=category("greening"), compound=world.sunshine, dwelling=world.a101, day=DAY)
    assert (chosen.person_id, chosen.rule) == (world.people["cadre1"].pk, "cadre")


def test_property_matters_in_a_managed_compound_go_to_the_property_company(world):
    chosen = route(category=category("public-repair"), compound=world.sunshine, dwelling=None, day=DAY)
    assert (chosen.person_id, chosen.rule) == (world.people["property"].pk, "property_company")


def test_property_matters_in_a_self_governed_compound_go_to_the_self_governance_group(world):
    from tests.factories import make_staff

    keeper = make_staff("keeper", "committee_member", world.west_compound)
    chosen = route(category=category("public-repair"), compound=world.west_compound, dwelling=None, day=DAY)
    assert (chosen.person_id, chosen.rule) == (keeper.pk, "self_governance")


def test_nobody_there_falls_back_to_the_cadre_then_the_secretary(world):
    StaffAssignment.objects.filter(person=world.people["grid1"]).update(end_date=dt.date(2026, 1, 1))
    assert route(
        category=category("noise"), compound=world.sunshine, dwelling=world.a101, day=DAY
    ).person_id == (world.people["cadre1"].pk)
    StaffAssignment.objects.filter(person=world.people["cadre1"]).update(end_date=dt.date(2026, 1, 1))
    chosen = route(category=category("noise"), compound=world.sunshine, dwelling=world.a101, day=DAY)
    assert (chosen.person_id, chosen.rule) == (world.people["secretary"].pk, "secretary")


def test_the_trail_starts_with_the_first_receiver(world):
    appeal = file(world)
    holding = appeal.holdings.get()
    assert (holding.person, holding.until, holding.reason) == (world.people["grid1"], None, "grid_worker")


def test_a_new_posting_routes_the_very_next_submission(world):
    # Submissions memoise routing for seconds (core.memo); a posting saved here is seen at once.
    assert file(world).assignee_id == world.people["grid1"].pk
    posting = StaffAssignment.objects.get(person=world.people["grid1"], role="grid_worker")
    posting.end_date = dt.date(2026, 1, 1)
    posting.save()
    assert file(world).assignee_id == world.people["cadre1"].pk


def test_a_change_made_behind_the_models_back_reaches_routing_within_seconds(world, monkeypatch):
    from guanjia.core import memo

    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    assert file(world).assignee_id == world.people["grid1"].pk
    StaffAssignment.objects.filter(person=world.people["grid1"]).update(end_date=dt.date(2026, 1, 1))
    clock[0] += 11  # an update() sends no signal (nor does another process's save): the memo expires
    assert file(world).assignee_id == world.people["cadre1"].pk
