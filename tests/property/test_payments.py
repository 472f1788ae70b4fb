"""Payments: staff record money (it counts at once, with a receipt); a resident's "I paid" waits for
staff to confirm it; partial payments settle the oldest bills first and leave the rest owed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanjia.property import selectors, services
from guanjia.property.errors import RuleError
from guanjia.property.models import Payment, PaymentEvent, Reminder

pytestmark = pytest.mark.django_db
JAN = dt.date(2024, 1, 1)
TODAY = dt.date(2024, 6, 15)


def bill_months(world, contract, n):
    for i in range(n):
        services.bill_run(
            user=world.user("property"), contract=contract, period_start=dt.date(2024, 1 + i, 1)
        )


def pay(world, contract, amount, dwelling=None, **kw):
    fields = {"method": "cash", "paid_on": dt.date(2024, 6, 1)} | kw
    return services.payment_record(
        user=world.user("property"),
        contract=contract,
        dwelling=dwelling or world.a101,
        amount=amount,
        **fields,
    )


def account(world, contract, user="property", as_of=TODAY):
    return selectors.account_of(world.user(user), contract, world.a101.pk, as_of=as_of)


def test_a_partial_payment_settles_the_oldest_months_and_leaves_the_rest_owed(world, contract):
    bill_months(world, contract, 5)  # January to May: 100 yuan
    pay(world, contract, "50.00")
    acc = account(world, contract)
    assert acc.charged == Decimal("100.00") and acc.paid == Decimal("50.00")
    assert acc.balance == Decimal("50.00") == acc.overdue(TODAY)
    assert [p.collected for p in acc.periods] == [Decimal("20.00"), Decimal("20.00"), Decimal("10.00"), 0, 0]
    assert acc.paid_up_to == dt.date(2024, 2, 29)
    assert acc.overdue_periods(TODAY) == 3


def test_paying_in_advance_leaves_a_credit_and_no_arrears(world, contract):
    bill_months(world, contract, 2)
    pay(world, contract, "100.00")
    acc = account(world, contract)
    assert acc.balance == Decimal("-60.00") and acc.overdue(TODAY) == 0
    assert acc.paid_up_to == dt.date(2024, 2, 29)


def test_staff_payments_get_a_receipt_and_an_event(world, contract):
    payment = pay(world, contract, "20.00", method="wechat", reference="4200001234")
    assert payment.status == "confirmed"
    assert payment.receipt_number == f"SJ202406{payment.pk:07d}"
    event = PaymentEvent.objects.get(payment=payment)
    assert (event.action, event.actor) == ("recorded", world.user("property"))


def test_electronic_payments_need_a_reference(world, contract):
    with pytest.raises(RuleError):
        pay(world, contract, "20.00", method="alipay")
    with pytest.raises(RuleError):
        pay(world, contract, "20.00", paid_on=timezone.localdate() + dt.timedelta(days=1))
    assert not Payment.objects.exists()


def test_the_same_idempotency_key_records_one_payment(world, contract):
    first = pay(world, contract, "20.00", idempotency_key="k-1")
    again = pay(world, contract, "20.00", idempotency_key="k-1")
    assert first.pk == again.pk and Payment.objects.count() == 1


def claim(world, contract, user="alice", dwelling=None, **kw):
    fields = {"amount": "40.00", "method": "wechat", "reference": "WX-1", "paid_on": dt.date(2024, 6, 2)} | kw
    return services.payment_claim(
        user=world.user(user), contract=contract, dwelling=dwelling or world.a101, **fields
    )


def test_a_residents_claim_counts_only_once_staff_confirm_it(world, contract):
    bill_months(world, contract, 2)
    claimed = claim(world, contract)
    assert claimed.status == "claimed" and claimed.receipt_number is None
    assert account(world, contract, "alice").balance == Decimal("40.00")
    services.payment_confirm(user=world.user("property"), payment=claimed)
    claimed.refresh_from_db()
    assert claimed.status == "confirmed" and claimed.receipt_number
    assert account(world, contract, "alice").balance == 0
    assert list(claimed.events.values_list("action", flat=True)) == ["claimed", "confirmed"]


def test_a_rejected_claim_never_counts_and_says_why(world, contract):
    bill_months(world, contract, 1)
    claimed = claim(world, contract)
    with pytest.raises(RuleError):
        services.payment_reject(user=world.user("property"), payment=claimed, reason="")
    services.payment_reject(user=world.user("property"), payment=claimed, reason="未查到该笔转账")
    claimed.refresh_from_db()
    assert claimed.status == "rejected"
    assert claimed.events.last().reason == "未查到该笔转账"
    with pytest.raises(RuleError):
        services.payment_confirm(user=world.user("property"), payment=claimed)
    assert account(world, contract, "alice").balance == Decimal("20.00")


def test_a_neighbour_cannot_claim_for_alices_flat(world, contract):
    with pytest.raises(PermissionDenied):
        claim(world, contract, user="bob")
    assert not Payment.objects.exists()


@pytest.mark.parametrize("name", ["alice", "cadre1", "secretary", "committee"])
def test_only_operators_confirm_claims(world, contract, name):
    claimed = claim(world, contract)
    with pytest.raises(PermissionDenied):
        services.payment_confirm(user=world.user(name), payment=claimed)
    claimed.refresh_from_db()
    assert claimed.status == "claimed"


def test_reminders_go_to_households_with_overdue_fees_once_a_week(world, contract):
    bill_months(world, contract, 3)
    pay(world, contract, "60.00", dwelling=world.a102)
    sent = services.reminders_send(user=world.user("property"), contract=contract, as_of=TODAY)
    assert sent == 1
    reminder = Reminder.objects.get()
    assert (reminder.dwelling_id, reminder.amount_due) == (world.a101.pk, Decimal("60.00"))
    assert "60.00" in reminder.message
    assert services.reminders_send(user=world.user("property"), contract=contract, as_of=TODAY) == 0


def test_a_household_sees_only_its_own_bills(world, contract):
    bill_months(world, contract, 1)
    assert set(selectors.bills_for(world.user("alice")).values_list("dwelling_id", flat=True)) == {
        world.a101.pk
    }
    assert set(selectors.bills_for(world.user("bob")).values_list("dwelling_id", flat=True)) == {
        world.a102.pk
    }
    assert selectors.bills_for(world.user("property")).count() == 2
    assert selectors.bills_for(world.user("cadre1")).count() == 2
    assert selectors.bills_for(world.user("secretary")).count() == 2
    for outsider in ("cadre2", "grid1", "committee", "official", "official2", "agency", "carol"):
        assert selectors.bills_for(world.user(outsider)).count() == 0, outsider
