"""收缴率 = collected ÷ charged for the periods asked, by compound, company and period; and the
coverage dashboard: compounds by management mode over the region tree, month by month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from guanjia.places.models import ManagementModeChange
from guanjia.property import coverage, selectors, services
from guanjia.property.accounts import build_accounts, collection
from guanjia.property.models import Bill, Payment

pytestmark = pytest.mark.django_db


def test_collection_rate_by_period_compound_and_company(world, contract, fallback_contract):
    staff = world.user("admin")
    for c in (contract, fallback_contract):
        for month in (4, 5):
            services.bill_run(user=staff, contract=c, period_start=dt.date(2024, month, 1))
    pay = {"user": staff, "method": "cash", "paid_on": dt.date(2024, 5, 20)}
    services.payment_record(contract=contract, dwelling=world.a101, amount="40.00", **pay)
    services.payment_record(contract=contract, dwelling=world.a102, amount="10.00", **pay)  # partial
    accounts = build_accounts(Bill.objects.all(), Payment.objects.all()).values()

    april = collection(accounts, dt.date(2024, 4, 1), dt.date(2024, 4, 30), lambda a: a.compound_id)
    assert april[world.sunshine.pk].rate == Decimal("75.0")  # 20 + 10 of 40
    assert april[world.rose.pk].rate == Decimal("0.0")
    may = collection(accounts, dt.date(2024, 5, 1), dt.date(2024, 5, 31), lambda a: a.compound_id)
    assert may[world.sunshine.pk].rate == Decimal("50.0")
    by_company = collection(accounts, dt.date(2024, 4, 1), dt.date(2024, 5, 31), lambda a: a.contract_id)
    assert by_company[contract.pk].rate == Decimal("62.5") and by_company[contract.pk].settled == 1
    county = collection(accounts, dt.date(2024, 4, 1), dt.date(2024, 5, 31))[None]
    assert (county.charged, county.collected, county.rate) == (
        Decimal("120.00"),
        Decimal("50.00"),
        Decimal("41.7"),
    )
    assert collection(accounts, dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == {}


def test_the_dashboard_counts_modes_under_each_child_of_the_region(world):
    board = coverage.dashboard(
        selectors.oversight_compounds(world.user("admin")), world.district, dt.date(2024, 6, 15)
    )
    assert board.node.total == 3
    assert [(r.name, r.total, r.managed) for r in board.children] == [("东街道", 2, 2), ("西街道", 1, 1)]
    street = coverage.dashboard(
        selectors.oversight_compounds(world.user("official")), world.east, dt.date(2024, 6, 15)
    )
    assert [(r.kind, r.name, r.counts) for r in street.children] == [("community", "东社区", [1, 1, 0, 0])]


def test_month_by_month_follows_the_mode_changes(world):
    world.rose.management_mode = "fallback"
    world.rose.save()
    ManagementModeChange.objects.create(
        compound=world.rose, from_mode="unmanaged", to_mode="fallback", effective_on=dt.date(2024, 5, 10)
    )
    board = coverage.dashboard(
        selectors.oversight_compounds(world.user("admin")), world.district, dt.date(2024, 6, 15), months=3
    )
    assert [m["month"] for m in board.months] == ["2024-04", "2024-05", "2024-06"]
    assert [m["counts"][3] for m in board.months] == [1, 0, 0]  # unmanaged until May
    assert [m["managed"] for m in board.months] == [2, 3, 3]


def test_unmanaged_compounds_are_listed_with_their_committee_status(world):
    world.west_compound.management_mode = "unmanaged"
    world.west_compound.save()
    board = coverage.dashboard(selectors.oversight_compounds(world.user("admin")), None, dt.date(2024, 6, 15))
    assert [u["name"] for u in board.unmanaged] == ["西苑"]
    assert board.unmanaged[0]["committee"] in coverage.COMMITTEE_STATES


def test_officials_see_only_their_street_and_residents_see_no_totals(world):
    assert set(selectors.oversight_compounds(world.user("official2"))) == {world.west_compound}
    assert not selectors.oversight_compounds(world.user("alice")).exists()
    assert set(selectors.oversight_compounds(world.user("committee"))) == {world.sunshine}
