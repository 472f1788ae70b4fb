"""Bill runs: one bill per dwelling and period by the contract's formula; rerunning creates nothing;
bills are never edited — corrections are credit notes or replacement bills pointing at the original."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.property import services
from guanjia.property.errors import RuleError
from guanjia.property.models import Bill, BillRun, ChargeItem, FeeBasis
from tests.property.helpers import sign

pytestmark = pytest.mark.django_db
MAY = dt.date(2024, 5, 1)


def run(world, contract, start=MAY, end=None, user="property"):
    return services.bill_run(user=world.user(user), contract=contract, period_start=start, period_end=end)


def test_a_monthly_run_bills_every_dwelling_20_yuan(world, contract):
    result = run(world, contract)
    bills = Bill.objects.filter(contract=contract)
    assert result.created == 2 == bills.count()
    assert {b.dwelling_id for b in bills} == {world.a101.pk, world.a102.pk}
    assert {b.amount for b in bills} == {Decimal("20.00")}
    assert result.total == Decimal("40.00")
    bill = bills.get(dwelling=world.a101)
    assert (bill.period_start, bill.period_end, bill.due_date) == (
        MAY,
        dt.date(2024, 5, 31),
        dt.date(2024, 5, 31),
    )
    assert bill.lines == [
        {
            "item": "物业服务费",
            "basis": "per_household",
            "rate": "20.00",
            "quantity": "1",
            "months": 1,
            "amount": "20.00",
        }
    ]
    assert bill.household is not None and bill.household.dwelling_id == world.a101.pk


def test_rerunning_a_bill_run_creates_nothing(world, contract):
    run(world, contract)
    before = (Bill.objects.count(), BillRun.objects.count())
    again = run(world, contract)
    assert (again.created, again.skipped, again.overlapping, again.run) == (0, 2, 0, None)
    assert (Bill.objects.count(), BillRun.objects.count()) == before


def test_a_rerun_bills_only_the_dwellings_added_since(world, contract):
    run(world, contract)
    from tests.factories import DwellingFactory

    DwellingFactory(entrance=world.a101.entrance, compound=world.sunshine, number="103")
    again = run(world, contract)
    assert (again.created, again.skipped) == (1, 2)


def test_a_quarterly_period_charges_three_months(world, contract):
    result = run(world, contract, dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert result.total == Decimal("120.00")
    assert Bill.objects.filter(contract=contract).first().number.endswith("-2024-Q2-" + str(world.a101.pk))


Q2 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))


def billed(dwelling):
    return list(
        Bill.objects.filter(dwelling=dwelling).order_by("period_start").values_list("number", "amount")
    )


def test_a_quarter_run_does_not_charge_again_a_dwelling_billed_for_one_of_its_months(world, contract):
    run(world, contract)
    from tests.factories import DwellingFactory

    a103 = DwellingFactory(entrance=world.a101.entrance, compound=world.sunshine, number="103")
    quarter = run(world, contract, *Q2)
    # already pay May: left out whole (April and June go month by month); A-103 is new.
    assert (quarter.created, quarter.skipped, quarter.overlapping) == (1, 0, 2)
    assert quarter.total == Decimal("60.00")
    assert billed(world.a101) == [(f"{contract.pk}-2024-05-{world.a101.pk}", Decimal("20.00"))]
    assert billed(a103) == [(f"{contract.pk}-2024-Q2-{a103.pk}", Decimal("60.00"))]
    assert BillRun.objects.get(pk=quarter.run.pk).skipped == 0
    # The months left over are billed on their own, and then the quarter has nothing left to do.
    assert run(world, contract, dt.date(2024, 4, 1)).created == 2
    assert run(world, contract, dt.date(2024, 6, 1)).created == 2
    again = run(world, contract, *Q2)
    assert (again.created, again.skipped, again.overlapping, again.run) == (0, 1, 2, None)
    assert sum(a for _, a in billed(world.a101)) == Decimal("60.00")


def test_a_month_inside_an_already_billed_quarter_bills_nothing(world, contract):
    run(world, contract, *Q2)
    before = (Bill.objects.count(), BillRun.objects.count())
    for month in (4, 5, 6):
        result = run(world, contract, dt.date(2024, month, 1))
        assert (result.created, result.skipped, result.overlapping, result.run) == (0, 0, 2, None)
    assert (Bill.objects.count(), BillRun.objects.count()) == before


def test_adjacent_periods_bill_normally(world, contract):
    april = run(world, contract, dt.date(2024, 4, 1))
    may = run(world, contract, MAY)
    third_quarter = run(world, contract, dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert [(r.created, r.skipped, r.overlapping) for r in (april, may, third_quarter)] == [(2, 0, 0)] * 3
    assert Bill.objects.filter(dwelling=world.a101).count() == 3


def test_a_credited_bill_still_covers_its_months(world, contract):
    """Cancelling a bill is a credit note (and a replacement if need be) on it, never a second invoice."""
    run(world, contract)
    original = Bill.objects.get(dwelling=world.a101)
    services.bill_replace(user=world.user("property"), bill=original, amount="0.00", reason="空置")
    result = run(world, contract, *Q2)
    assert (result.created, result.overlapping) == (0, 2)


def test_months_before_the_contract_starts_are_not_billed(world, company):
    late = sign(world, world.sunshine, company, start_date=dt.date(2024, 2, 1))
    result = run(world, late, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert result.total == Decimal("80.00")  # February and March, two dwellings
    with pytest.raises(RuleError):
        run(world, late, dt.date(2024, 1, 1), dt.date(2024, 1, 31))


def test_per_square_metre_fees_use_the_chosen_area_and_round_to_the_fen(world, contract):
    ChargeItem.objects.filter(contract=contract).update(basis=FeeBasis.PER_AREA, rate=Decimal("0.65"))
    world.a102.area_registered = None
    world.a102.area_surveyed = None
    world.a102.save()
    result = run(world, contract)
    # 88.50 m² × 0.65 = 57.525 → 57.53; A-102 has no area and is left out, and counted.
    assert (result.created, result.missing_area) == (1, 1)
    assert Bill.objects.get(dwelling=world.a101).amount == Decimal("57.53")


def test_a_one_off_item_is_billed_once_in_its_month(world, contract):
    ChargeItem.objects.create(
        contract=contract, name="化粪池清理", basis=FeeBasis.ONE_OFF, rate=Decimal("35.00"), bill_month=MAY
    )
    run(world, contract, dt.date(2024, 4, 1))
    run(world, contract, MAY)
    run(world, contract, dt.date(2024, 6, 1))
    amounts = list(
        Bill.objects.filter(dwelling=world.a101).order_by("period_start").values_list("amount", flat=True)
    )
    assert amounts == [Decimal("20.00"), Decimal("55.00"), Decimal("20.00")]


@pytest.mark.parametrize("name", ["alice", "cadre1", "secretary", "committee", "official", "grid1"])
def test_only_the_contracts_operators_run_bills(world, contract, name):
    with pytest.raises(PermissionDenied):
        run(world, contract, user=name)
    assert not Bill.objects.exists()


def test_a_credit_note_points_at_the_original_which_is_not_changed(world, contract):
    run(world, contract)
    original = Bill.objects.get(dwelling=world.a101)
    credit = services.bill_credit(
        user=world.user("property"), bill=original, amount="5.00", reason="空置房优惠"
    )
    original.refresh_from_db()
    assert original.amount == Decimal("20.00")
    assert (credit.kind, credit.amount, credit.corrects, credit.period_start) == (
        "credit",
        Decimal("-5.00"),
        original,
        MAY,
    )
    assert credit.number == f"{original.number}-C1"


def test_a_credit_cannot_exceed_what_is_left_of_the_bill(world, contract):
    run(world, contract)
    original = Bill.objects.get(dwelling=world.a101)
    services.bill_credit(user=world.user("property"), bill=original, amount="15.00", reason="减免")
    with pytest.raises(RuleError):
        services.bill_credit(user=world.user("property"), bill=original, amount="5.01", reason="再减免")


def test_a_replacement_cancels_the_rest_and_reissues(world, contract):
    run(world, contract)
    original = Bill.objects.get(dwelling=world.a101)
    credit, replacement = services.bill_replace(
        user=world.user("property"), bill=original, amount="18.00", reason="按实际服务月份更正"
    )
    assert credit.amount == Decimal("-20.00") and replacement.amount == Decimal("18.00")
    assert replacement.corrects == original and replacement.kind == "replacement"
    # Correcting the replacement corrects the same original again.
    services.bill_credit(user=world.user("property"), bill=replacement, amount="3.00", reason="再更正")
    family = Bill.objects.filter(dwelling=world.a101)
    assert sum(b.amount for b in family) == Decimal("15.00")
    assert set(family.exclude(pk=original.pk).values_list("corrects", flat=True)) == {original.pk}


def test_corrections_need_a_reason_and_exact_money(world, contract):
    run(world, contract)
    original = Bill.objects.get(dwelling=world.a101)
    with pytest.raises(RuleError):
        services.bill_credit(user=world.user("property"), bill=original, amount="5.00", reason=" ")
    with pytest.raises(RuleError):
        services.bill_credit(user=world.user("property"), bill=original, amount="0.005", reason="x")
    with pytest.raises(RuleError):
        services.bill_credit(user=world.user("property"), bill=original, amount=1.5, reason="x")
    assert Bill.objects.filter(kind="credit").count() == 0
