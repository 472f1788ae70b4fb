"""Money never drifts: whatever sequence of bill runs, partial payments, claims, credit notes and
replacement bills happens, what the arrears list says equals the bills minus the credit notes minus
the confirmed payments — to the fen — and every collected amount is accounted for exactly once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanjia.property import services
from guanjia.property.accounts import arrears, build_accounts, collection
from guanjia.property.errors import RuleError
from guanjia.property.models import Bill, ChargeItem, FeeBasis, Payment

pytestmark = pytest.mark.django_db
FAR = dt.date(2099, 1, 1)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500.00"), places=2)
who = st.sampled_from(["a101", "a102"])
operation = st.one_of(
    st.tuples(st.just("run"), st.integers(1, 6)),
    st.tuples(st.just("pay"), who, money),
    st.tuples(st.just("claim"), money, st.sampled_from(["confirm", "reject", "wait"])),
    st.tuples(st.just("credit"), st.integers(0, 20), money),
    st.tuples(st.just("replace"), st.integers(0, 20), money),
)


class Ledger:
    """What the test itself counts, independently of the accounts code."""

    def __init__(self) -> None:
        self.charged: dict[int, Decimal] = {}
        self.paid: dict[int, Decimal] = {}

    def add(self, book: dict[int, Decimal], dwelling: int, amount: Decimal) -> None:
        book[dwelling] = book.get(dwelling, Decimal("0.00")) + amount

    def balance(self, dwelling: int) -> Decimal:
        return self.charged.get(dwelling, Decimal("0.00")) - self.paid.get(dwelling, Decimal("0.00"))


def apply(world, contract, op, ledger: Ledger) -> None:
    staff = world.user("property")
    kind = op[0]
    if kind == "run":
        result = services.bill_run(user=staff, contract=contract, period_start=dt.date(2024, op[1], 1))
        if result.run is not None:
            for bill in result.run.bills.all():
                ledger.add(ledger.charged, bill.dwelling_id, bill.amount)
    elif kind == "pay":
        dwelling = getattr(world, op[1])
        services.payment_record(
            user=staff,
            contract=contract,
            dwelling=dwelling,
            amount=op[2],
            method="cash",
            paid_on=dt.date(2024, 6, 1),
        )
        ledger.add(ledger.paid, dwelling.pk, op[2])
    elif kind == "claim":
        p = services.payment_claim(
            user=world.user("alice"),
            contract=contract,
            dwelling=world.a101,
            amount=op[1],
            method="wechat",
            reference="WX",
            paid_on=dt.date(2024, 6, 1),
        )
        if op[2] == "confirm":
            services.payment_confirm(user=staff, payment=p)
            ledger.add(ledger.paid, world.a101.pk, op[1])
        elif op[2] == "reject":
            services.payment_reject(user=staff, payment=p, reason="未到账")
    else:
        originals = list(Bill.objects.filter(kind="invoice").order_by("pk"))
        if not originals:
            return
        bill = originals[op[1] % len(originals)]
        before = Bill.objects.count()
        try:
            if kind == "credit":
                credit = services.bill_credit(user=staff, bill=bill, amount=op[2], reason="减免")
                ledger.add(ledger.charged, bill.dwelling_id, credit.amount)
            else:
                credit, replacement = services.bill_replace(
                    user=staff, bill=bill, amount=op[2], reason="更正"
                )
                ledger.add(
                    ledger.charged, bill.dwelling_id, (credit.amount if credit else 0) + replacement.amount
                )
        except RuleError:
            assert Bill.objects.count() == before  # a refused correction writes nothing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=14), per_area=st.booleans())
def test_the_arrears_list_always_equals_bills_minus_credits_minus_payments(world, contract, ops, per_area):
    with transaction.atomic():
        if per_area:  # 88.50 m² × 0.67 per month: amounts that need rounding
            ChargeItem.objects.filter(contract=contract).update(basis=FeeBasis.PER_AREA, rate=Decimal("0.67"))
        ledger = Ledger()
        for op in ops:
            apply(world, contract, op, ledger)
        bills = Bill.objects.filter(contract=contract)
        payments = Payment.objects.filter(contract=contract)
        accounts = build_accounts(bills, payments)
        invoiced = sum((b.amount for b in bills if b.kind != "credit"), Decimal("0.00"))
        credited = sum((b.amount for b in bills if b.kind == "credit"), Decimal("0.00"))
        received = sum((p.amount for p in payments if p.status == "confirmed"), Decimal("0.00"))

        listed = arrears(accounts.values(), FAR)
        owed = sum((a.overdue(FAR) for a in listed), Decimal("0.00"))
        ahead = sum((-a.balance for a in accounts.values() if a.balance < 0), Decimal("0.00"))
        assert owed - ahead == invoiced + credited - received
        for dwelling in (world.a101.pk, world.a102.pk):
            acc = accounts.get((contract.pk, dwelling))
            assert (acc.balance if acc else Decimal("0.00")) == ledger.balance(dwelling)
        for acc in accounts.values():
            assert acc.balance.as_tuple().exponent == -2
            collected = sum((p.collected for p in acc.periods), Decimal("0.00"))
            assert collected == min(acc.paid, acc.charged)
        totals = collection(accounts.values(), dt.date(2024, 1, 1), dt.date(2024, 12, 31)).get(None)
        if totals is not None:
            assert totals.collected + totals.outstanding == totals.charged == invoiced + credited
        transaction.set_rollback(True)
