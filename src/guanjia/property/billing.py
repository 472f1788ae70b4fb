"""Bills and payments. Bill runs are idempotent per (contract, dwelling, period) and never charge a
dwelling twice for one month, whatever periods they are run for; a bill is never edited once issued —
corrections are credit notes or replacement bills pointing at the original; payments recorded by staff
are confirmed at once, a resident's "I paid" waits for staff to confirm it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from guanjia.people import permissions as perms
from guanjia.people.models import Household
from guanjia.places.models import Dwelling
from guanjia.property import permissions as pp
from guanjia.property.accounts import ZERO, arrears, build_accounts
from guanjia.property.bulk import insert_rows
from guanjia.property.errors import RuleError, choice, to_money
from guanjia.property.models import (
    CENT,
    AreaBasis,
    Bill,
    BillRun,
    ChargeItem,
    FeeBasis,
    Payment,
    PaymentEvent,
    PaymentMethod,
    Reminder,
    ServiceContract,
)
from guanjia.property.periods import months_between, period_for, period_label

BATCH = 2000
AREA_COLUMNS = ("area_registered", "area_surveyed", "area_contract")


@dataclass(frozen=True)
class RunResult:
    run: BillRun | None
    created: int
    skipped: int  # already billed for exactly this period
    overlapping: int  # a bill for other dates covers some of its months: not billed, see bill_run
    missing_area: int
    total: Decimal


def _who(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def billed_months(contract: ServiceContract, start: dt.date, end: dt.date) -> list[dt.date]:
    """Months of the period charged under the contract: those whose first day it is in force on."""
    return [m for m in months_between(start, end) if contract.in_force(m)]


def _area(basis: str, registered: Decimal | None, surveyed: Decimal | None, contract: Decimal | None) -> Any:
    if basis == AreaBasis.LEGAL:
        return registered or surveyed or contract
    return {AreaBasis.REGISTERED: registered, AreaBasis.SURVEYED: surveyed, AreaBasis.CONTRACT: contract}[
        AreaBasis(basis)
    ]


def bill_lines(
    items: list[ChargeItem], months: int, start: dt.date, end: dt.date, areas: tuple[Any, Any, Any]
) -> tuple[list[dict[str, Any]], Decimal, bool]:
    """The formula applied to one dwelling: (lines, total, an area was missing)."""
    lines: list[dict[str, Any]] = []
    missing = False
    for item in items:
        if item.basis == FeeBasis.PER_HOUSEHOLD:
            quantity, n = Decimal(1), months
        elif item.basis == FeeBasis.PER_AREA:
            area = _area(item.area_basis, *areas)
            if area is None:
                missing = True
                continue
            quantity, n = area, months
        elif item.bill_month is not None and start <= item.bill_month <= end:
            quantity, n = Decimal(1), 1
        else:
            continue
        amount = (item.rate * quantity * n).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(
            {"item": item.name, "basis": item.basis, "rate": str(item.rate), "quantity": str(quantity),
             "months": n, "amount": str(amount)}
        )  # fmt: skip
    return lines, sum((Decimal(line["amount"]) for line in lines), ZERO), missing


@transaction.atomic
def bill_run(
    *, user: Any, contract: ServiceContract, period_start: dt.date, period_end: dt.date | None = None
) -> RunResult:
    """Bill every dwelling of the compound for the period; no month is ever charged twice.

    A dwelling is not billed if it already has an invoice under this contract whose period overlaps
    this one (credit notes and replacements hang off that invoice, so a credited bill still counts):
    `skipped` counts those billed for exactly this period, so running it again creates nothing;
    `overlapping` those with a bill for other dates — May billed, then the second quarter run. Such a
    dwelling is left out whole rather than billed for its remaining months: a bill is one contiguous
    period with one number, and April and June around a billed May are not; bill them month by month."""
    perms.require(pp.can_operate(perms.scope_for(user), contract), "无权为该合同出账")
    if period_end is None:
        period_start, period_end = period_for(contract.billing_cycle, period_start)
    if period_end < period_start:
        raise RuleError("账期结束不能早于开始", "period")
    # One run per contract at a time: the lock makes a concurrent rerun wait, then skip everything.
    contract = ServiceContract.objects.select_for_update().get(pk=contract.pk)
    months = billed_months(contract, period_start, period_end)
    if not months:
        raise RuleError("该账期不在合同服务期内", "period")
    items = list(contract.charge_items.all())
    # Under the lock, so a concurrent run's bills are seen; one query for the whole compound.
    exact: set[int] = set()
    other: set[int] = set()
    for dwelling_id, start, end in Bill.objects.filter(
        contract=contract, kind=Bill.Kind.INVOICE, period_start__lte=period_end, period_end__gte=period_start
    ).values_list("dwelling_id", "period_start", "period_end"):
        (exact if (start, end) == (period_start, period_end) else other).add(dwelling_id)
    households: dict[int, int] = {}
    for dwelling_id, household_id in (
        Household.objects.filter(dwelling__compound_id=contract.compound_id)
        .order_by("dwelling_id", "label", "id")
        .values_list("dwelling_id", "id")
    ):
        households.setdefault(dwelling_id, household_id)
    label, now, who = period_label(period_start, period_end), timezone.now(), _who(user)
    bills, skipped, overlapping, missing, total = [], 0, 0, 0, ZERO
    for dwelling_id, *areas in (
        Dwelling.objects.filter(compound_id=contract.compound_id)
        .order_by("pk")
        .values_list("pk", *AREA_COLUMNS)
    ):
        if dwelling_id in exact:
            skipped += 1
            continue
        if dwelling_id in other:
            overlapping += 1
            continue
        lines, amount, no_area = bill_lines(items, len(months), period_start, period_end, tuple(areas))
        missing += no_area
        if not lines:
            continue
        total += amount
        bills.append(
            Bill(
                number=f"{contract.pk}-{label}-{dwelling_id}",
                contract_id=contract.pk,
                compound_id=contract.compound_id,
                dwelling_id=dwelling_id,
                household_id=households.get(dwelling_id),
                period_start=period_start,
                period_end=period_end,
                amount=amount,
                lines=lines,
                due_date=period_end,
                issued_at=now,
                issued_by=who,
            )
        )
    run = None
    if bills:
        run = BillRun.objects.create(
            contract=contract,
            period_start=period_start,
            period_end=period_end,
            created=len(bills),
            skipped=skipped,
            missing_area=missing,
            total=total,
            run_by=who,
        )
        for bill in bills:
            bill.run_id = run.pk
        insert_rows(Bill, bills)
    return RunResult(run, len(bills), skipped, overlapping, missing, total)


# --- corrections ---------------------------------------------------------------------------------


def _original_for_update(user: Any, bill: Bill) -> tuple[Bill, Decimal]:
    original = Bill.objects.select_for_update().select_related("contract").get(pk=bill.corrects_id or bill.pk)
    perms.require(pp.can_operate(perms.scope_for(user), original.contract), "无权更正该账单")
    corrections = original.corrections.aggregate(s=Sum("amount"))["s"] or ZERO
    return original, (original.amount + corrections).quantize(CENT)


def _correction(user: Any, original: Bill, kind: str, amount: Decimal, reason: str, suffix: str) -> Bill:
    n = original.corrections.count() + 1
    return Bill.objects.create(
        number=f"{original.number}-{suffix}{n}",
        kind=kind,
        contract_id=original.contract_id,
        compound_id=original.compound_id,
        dwelling_id=original.dwelling_id,
        household_id=original.household_id,
        period_start=original.period_start,
        period_end=original.period_end,
        amount=amount,
        lines=[
            {"item": "红冲" if kind == Bill.Kind.CREDIT else "更正", "amount": str(amount), "reason": reason}
        ],
        due_date=original.due_date,
        corrects=original,
        reason=reason,
        issued_at=timezone.now(),
        issued_by=_who(user),
    )


def _reason(reason: str) -> str:
    if not reason.strip():
        raise RuleError("请写明更正原因", "reason")
    return reason.strip()[:200]


@transaction.atomic
def bill_credit(*, user: Any, bill: Bill, amount: Decimal | str, reason: str) -> Bill:
    """A credit note taking `amount` off a bill (e.g. a vacant flat's discount, a wrong area)."""
    original, net = _original_for_update(user, bill)
    amount, reason = to_money(amount), _reason(reason)
    if amount > net:
        raise RuleError(f"红冲金额不能超过该账单未冲销的 {net} 元", "amount")
    return _correction(user, original, Bill.Kind.CREDIT, -amount, reason, "C")


@transaction.atomic
def bill_replace(*, user: Any, bill: Bill, amount: Decimal | str, reason: str) -> tuple[Bill | None, Bill]:
    """Cancel what is left of a bill with a credit note and issue a replacement for `amount`."""
    original, net = _original_for_update(user, bill)
    amount, reason = to_money(amount, positive=False), _reason(reason)
    if amount < 0:
        raise RuleError("金额不能为负", "amount")
    credit = _correction(user, original, Bill.Kind.CREDIT, -net, reason, "C") if net > 0 else None
    return credit, _correction(user, original, Bill.Kind.REPLACEMENT, amount, reason, "R")


# --- payments ------------------------------------------------------------------------------------


def receipt_number(payment: Payment) -> str:
    return f"SJ{payment.paid_on:%Y%m}{payment.pk:07d}"


def _event(payment: Payment, action: str, user: Any, reason: str = "") -> None:
    PaymentEvent.objects.create(
        payment=payment, action=action, status=payment.status, actor=_who(user), reason=reason[:200]
    )


def _check_payment(method: str, reference: str, paid_on: dt.date) -> None:
    choice(PaymentMethod, method, "method")
    if method != PaymentMethod.CASH and not reference.strip():
        raise RuleError("微信、支付宝、银行转账应填写交易单号", "reference")
    if paid_on > timezone.localdate():
        raise RuleError("缴费日期不能晚于今天", "paid_on")


def _replayed(user: Any, key: str | None) -> tuple[str | None, Payment | None]:
    """The same request sent twice with one Idempotency-Key records one payment."""
    if not key:
        return None, None
    scoped = f"{getattr(user, 'pk', '')}:{key}"[:100]
    return scoped, Payment.objects.filter(idempotency_key=scoped).first()


def _create_payment(key: str | None, **fields: Any) -> Payment:
    try:
        with transaction.atomic():
            return Payment.objects.create(idempotency_key=key, **fields)
    except IntegrityError:
        if key and (existing := Payment.objects.filter(idempotency_key=key).first()) is not None:
            return existing
        raise


@transaction.atomic
def payment_record(
    *,
    user: Any,
    contract: ServiceContract,
    dwelling: Dwelling,
    amount: Decimal | str,
    method: str,
    paid_on: dt.date,
    reference: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """Staff record money received; it counts at once and gets a receipt number."""
    perms.require(pp.can_operate(perms.scope_for(user), contract), "无权为该合同登记缴费")
    key, existing = _replayed(user, idempotency_key)
    if existing is not None:
        return existing
    if dwelling.compound_id != contract.compound_id:
        raise RuleError("该房屋不属于合同所在小区", "dwelling")
    value = to_money(amount)
    _check_payment(method, reference, paid_on)
    payment = _create_payment(
        key,
        contract=contract,
        compound_id=contract.compound_id,
        dwelling=dwelling,
        household=Household.objects.filter(dwelling=dwelling).order_by("label", "id").first(),
        amount=value,
        method=method,
        reference=reference.strip(),
        paid_on=paid_on,
        status=Payment.Status.CONFIRMED,
        confirmed_at=timezone.now(),
        note=note.strip()[:200],
        created_by=_who(user),
    )
    if payment.receipt_number is None:
        payment.receipt_number = receipt_number(payment)
        payment.save(update_fields=["receipt_number"])
        _event(payment, "recorded", user, note)
    return payment


@transaction.atomic
def payment_claim(
    *,
    user: Any,
    contract: ServiceContract,
    dwelling: Dwelling,
    amount: Decimal | str,
    method: str,
    paid_on: dt.date,
    reference: str = "",
    note: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """A resident says "I paid" (e.g. by WeChat to the company's account); staff confirm it later."""
    scope = perms.scope_for(user)
    perms.require(dwelling.pk in scope.dwelling_ids, "只能为自家房屋申报缴费")
    key, existing = _replayed(user, idempotency_key)
    if existing is not None:
        return existing
    if dwelling.compound_id != contract.compound_id:
        raise RuleError("该房屋不属于合同所在小区", "contract")
    value = to_money(amount)
    _check_payment(method, reference, paid_on)
    payment = _create_payment(
        key,
        contract=contract,
        compound_id=contract.compound_id,
        dwelling=dwelling,
        household_id=min(
            scope.household_ids & set(dwelling.households.values_list("pk", flat=True)), default=None
        ),
        amount=value,
        method=method,
        reference=reference.strip(),
        paid_on=paid_on,
        status=Payment.Status.CLAIMED,
        note=note.strip()[:200],
        created_by=_who(user),
    )
    if not payment.events.exists():
        _event(payment, "claimed", user, note)
    return payment


def _claimed_for_update(user: Any, payment: Payment) -> Payment:
    locked = Payment.objects.select_for_update().select_related("contract").get(pk=payment.pk)
    perms.require(pp.can_operate(perms.scope_for(user), locked.contract), "无权确认该笔缴费")
    if locked.status != Payment.Status.CLAIMED:
        raise RuleError("该笔缴费不在待确认状态", "status")
    return locked


@transaction.atomic
def payment_confirm(*, user: Any, payment: Payment, reason: str = "") -> Payment:
    """The money arrived: the claim counts from now on and gets a receipt."""
    payment = _claimed_for_update(user, payment)
    payment.status, payment.confirmed_at = Payment.Status.CONFIRMED, timezone.now()
    payment.receipt_number = receipt_number(payment)
    payment.save(update_fields=["status", "confirmed_at", "receipt_number"])
    _event(payment, "confirmed", user, reason)
    return payment


@transaction.atomic
def payment_reject(*, user: Any, payment: Payment, reason: str) -> Payment:
    if not reason.strip():
        raise RuleError("请写明驳回原因，居民会看到", "reason")
    payment = _claimed_for_update(user, payment)
    payment.status = Payment.Status.REJECTED
    payment.save(update_fields=["status"])
    _event(payment, "rejected", user, reason.strip())
    return payment


@transaction.atomic
def reminders_send(
    *, user: Any, contract: ServiceContract, as_of: dt.date | None = None, min_periods: int = 1
) -> int:
    """Remind every household with overdue fees (at most once a week each); returns how many."""
    perms.require(pp.can_operate(perms.scope_for(user), contract), "无权为该合同催缴")
    as_of = as_of or timezone.localdate()
    accounts = build_accounts(
        Bill.objects.filter(contract=contract), Payment.objects.filter(contract=contract)
    )
    recent = set(
        Reminder.objects.filter(
            contract=contract, sent_at__gte=timezone.now() - dt.timedelta(days=7)
        ).values_list("dwelling_id", flat=True)
    )
    rows = [
        Reminder(
            contract=contract,
            dwelling_id=acc.dwelling_id,
            amount_due=acc.overdue(as_of),
            message=f"截至{as_of:%Y-%m-%d}，您家尚欠物业费{acc.overdue(as_of)}元（{acc.overdue_periods(as_of)}期），请及时缴纳。",
            sent_by=_who(user),
        )
        for acc in arrears(accounts.values(), as_of)
        if acc.overdue_periods(as_of) >= min_periods and acc.dwelling_id not in recent
    ]
    Reminder.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
