"""What each household owes, derived from bills and confirmed payments — never stored, so never drifting.

An account is one dwelling under one contract. Its payments settle its bills oldest period first
(FIFO, as HC小区管理 computes 缴费截止时间): that gives the paid-up-to date, the arrears, and how much
of each period was collected (收缴率 = collected / charged for the periods asked about)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Q, QuerySet, Sum

from guanjia.property.models import CENT, Bill, Payment

ZERO = Decimal("0.00")


def cents(value: Decimal | None) -> Decimal:
    """A database sum as exact yuan: SQLite adds decimals as binary floats, so round back to the fen."""
    return ZERO if value is None else Decimal(value).quantize(CENT)


Key = tuple[int, int]  # (contract_id, dwelling_id)


@dataclass
class Period:
    start: dt.date
    end: dt.date
    due: dt.date
    net: Decimal  # invoices + replacements + credit notes (negative) of the period
    collected: Decimal = ZERO


@dataclass
class Account:
    contract_id: int
    dwelling_id: int
    compound_id: int
    periods: list[Period] = field(default_factory=list)
    paid: Decimal = ZERO
    last_paid_on: dt.date | None = None

    @property
    def charged(self) -> Decimal:
        return sum((p.net for p in self.periods), ZERO)

    @property
    def balance(self) -> Decimal:
        """Owed (positive) or paid in advance (negative), over every bill issued."""
        return self.charged - self.paid

    @property
    def advance(self) -> Decimal:
        """Paid ahead of the bills issued so far."""
        return max(-self.balance, ZERO)

    def overdue(self, as_of: dt.date) -> Decimal:
        due = sum((p.net for p in self.periods if p.due < as_of), ZERO)
        return max(due - self.paid, ZERO)

    def overdue_periods(self, as_of: dt.date) -> int:
        return sum(1 for p in self.periods if p.due < as_of and p.collected < p.net)

    @property
    def paid_up_to(self) -> dt.date | None:
        """The last day of the last period that is settled, with every period before it settled too."""
        last = None
        for p in self.periods:
            if p.collected < p.net:
                break
            last = p.end
        return last

    def settle(self) -> None:
        """Spread the payments over the periods, oldest first."""
        left = self.paid
        for p in self.periods:
            p.collected = min(max(left, ZERO), max(p.net, ZERO))
            left -= max(p.net, ZERO)


def build_accounts(
    bills: QuerySet[Bill], payments: QuerySet[Payment], *, as_of: dt.date | None = None
) -> dict[Key, Account]:
    """Accounts for these bills and payments; payments count once confirmed (and paid by `as_of`)."""
    accounts: dict[Key, Account] = {}

    def account(contract_id: int, dwelling_id: int, compound_id: int) -> Account:
        key = (contract_id, dwelling_id)
        if key not in accounts:
            accounts[key] = Account(contract_id, dwelling_id, compound_id)
        return accounts[key]

    rows = (
        bills.order_by()
        .values("contract_id", "dwelling_id", "compound_id", "period_start", "period_end")
        .annotate(net=Sum("amount"), due=Min("due_date"))
        .order_by("contract_id", "dwelling_id", "period_start")
    )
    for row in rows:
        account(row["contract_id"], row["dwelling_id"], row["compound_id"]).periods.append(
            Period(row["period_start"], row["period_end"], row["due"], cents(row["net"]))
        )
    confirmed = payments.filter(status=Payment.Status.CONFIRMED)
    if as_of is not None:
        confirmed = confirmed.filter(paid_on__lte=as_of)
    for row in (
        confirmed.order_by()
        .values("contract_id", "dwelling_id", "compound_id")
        .annotate(paid=Sum("amount"), last=Max("paid_on"))
    ):
        acc = account(row["contract_id"], row["dwelling_id"], row["compound_id"])
        acc.paid, acc.last_paid_on = cents(row["paid"]), row["last"]
    for acc in accounts.values():
        acc.settle()
    return accounts


def arrears(accounts: Iterable[Account], as_of: dt.date) -> list[Account]:
    """Accounts with overdue money, the largest first."""
    rows = [a for a in accounts if a.overdue(as_of) > 0]
    return sorted(rows, key=lambda a: (-a.overdue(as_of), a.dwelling_id))


@dataclass
class Collection:
    charged: Decimal = ZERO
    collected: Decimal = ZERO
    accounts: int = 0
    settled: int = 0

    @property
    def rate(self) -> Decimal | None:
        """收缴率 in percent with one decimal; None when nothing was charged."""
        if self.charged <= 0:
            return None
        return (self.collected * 100 / self.charged).quantize(Decimal("0.1"))

    @property
    def outstanding(self) -> Decimal:
        return self.charged - self.collected


def collection(
    accounts: Iterable[Account],
    start: dt.date,
    end: dt.date,
    group: Callable[[Account], object] = lambda a: None,
) -> dict[object, Collection]:
    """Charged and collected for the periods that start within [start, end], grouped by `group`."""
    out: dict[object, Collection] = defaultdict(Collection)
    for acc in accounts:
        periods = [p for p in acc.periods if start <= p.start <= end]
        if not periods:
            continue
        c = out[group(acc)]
        net = sum((p.net for p in periods), ZERO)
        got = sum((p.collected for p in periods), ZERO)
        c.charged += net
        c.collected += got
        c.accounts += 1
        c.settled += got >= net
    return dict(out)


def bills_q_between(start: dt.date, end: dt.date) -> Q:
    return Q(period_start__gte=start, period_start__lte=end)
