"""Reads of property data, scoped by the caller (people.permissions + property.permissions).

Also the contracts other apps rely on: `company_in_charge(compound_id, on)`,
`company_staff_person_ids(company_id)` and `appeal_handler_ids(compound_id, on)` (appeals route
property-service appeals with the last)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from guanjia.people import permissions as perms
from guanjia.places.models import Compound
from guanjia.property import permissions as pp
from guanjia.property.accounts import Account, build_accounts
from guanjia.property.models import (
    Bill,
    CompanyStaff,
    Disclosure,
    EvaluationPeriod,
    Payment,
    PropertyCompany,
    Reminder,
    ServiceContract,
)


def in_force_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day})
    )


def contract_in_force(compound_id: int, on: dt.date) -> ServiceContract | None:
    """The contract serving the compound on that day (the latest started, if a handover overlaps)."""
    return (
        ServiceContract.objects.filter(in_force_q(on), compound_id=compound_id)
        .select_related("company", "compound")
        .order_by("-start_date", "-id")
        .first()
    )


def company_in_charge(compound_id: int, on: dt.date) -> PropertyCompany | None:
    """The property company under contract in the compound on that day, if any."""
    contract = contract_in_force(compound_id, on)
    return contract.company if contract is not None else None


def company_staff_person_ids(company_id: int, on: dt.date | None = None) -> list[int]:
    """Persons who handle appeals for the company, the person in charge first."""
    rows = (
        pp.current_staff(on)
        .filter(company_id=company_id, handles_appeals=True)
        .order_by("-is_in_charge", "start_date", "id")
        .values_list("person_id", flat=True)
    )
    return list(dict.fromkeys(rows))


def appeal_handler_ids(compound_id: int, on: dt.date) -> list[int]:
    """`company_staff_person_ids` of `company_in_charge`, in one round trip: routing asks on every
    submission. Same rules: the latest-started contract in force, staff in post who handle appeals,
    the person in charge first."""
    sql = f"""
        SELECT s.person_id FROM {CompanyStaff._meta.db_table} s
         WHERE s.handles_appeals AND {perms.in_force_sql("s")}
           AND s.company_id = (
               SELECT c.company_id FROM {ServiceContract._meta.db_table} c
                WHERE c.compound_id = %(compound)s AND c.start_date <= %(day)s
                  AND (c.ended_on IS NULL OR c.ended_on >= %(day)s)
                ORDER BY c.start_date DESC, c.id DESC LIMIT 1)
         ORDER BY s.is_in_charge DESC, s.start_date, s.id
    """  # noqa: S608 (table names only)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"compound": compound_id, "day": on.isoformat()})
        return list(dict.fromkeys(row[0] for row in cursor.fetchall()))


def contract_state(contract: ServiceContract, day: dt.date) -> str:
    """upcoming · in_term · notice (ending on a known day) · open_ended (art. 948) · ended."""
    if day < contract.start_date:
        return "upcoming"
    if contract.ended_on is not None and day > contract.ended_on:
        return "ended"
    if contract.ended_on is not None:
        return "notice"
    if contract.end_date is not None and day > contract.end_date:
        return "open_ended"
    return "in_term"


STATE_LABELS = {
    "upcoming": "未开始",
    "in_term": "履行中",
    "notice": "已通知终止",
    "open_ended": "期满未续签，按不定期合同继续履行",
    "ended": "已终止",
}


# --- scoped reads --------------------------------------------------------------------------------


def contracts_for(user: Any) -> QuerySet[ServiceContract]:
    """Contracts of the compounds the caller sees, and those the caller operates."""
    scope = perms.scope_for(user)
    return ServiceContract.objects.filter(
        Q(compound__in=Compound.objects.filter(perms.compound_q(scope))) | pp.operated_contract_q(scope)
    ).select_related("company", "compound__community")


def operated_contracts(user: Any) -> QuerySet[ServiceContract]:
    scope = perms.scope_for(user)
    if not scope.is_authenticated:
        return ServiceContract.objects.none()
    return ServiceContract.objects.filter(pp.operated_contract_q(scope)).select_related(
        "company", "compound__community"
    )


def access_contract(user: Any, pk: int) -> ServiceContract:
    return contracts_for(user).get(pk=pk)


def oversight_compounds(user: Any) -> QuerySet[Compound]:
    return Compound.objects.filter(pp.oversight_compound_q(perms.scope_for(user)))


def bills_for(user: Any) -> QuerySet[Bill]:
    return Bill.objects.filter(pp.household_money_q(perms.scope_for(user)))


def payments_for(user: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(pp.household_money_q(perms.scope_for(user)))


def reminders_for(user: Any) -> QuerySet[Reminder]:
    return Reminder.objects.filter(pp.household_money_q(perms.scope_for(user)))


def access_bill(user: Any, pk: int) -> Bill:
    return bills_for(user).select_related("contract", "dwelling").get(pk=pk)


def access_payment(user: Any, pk: int) -> Payment:
    return (
        payments_for(user)
        .select_related("contract__company", "dwelling__entrance__building", "compound")
        .get(pk=pk)
    )


def account_of(
    user: Any, contract: ServiceContract, dwelling_id: int, as_of: dt.date | None = None
) -> Account:
    """One dwelling's account under one contract, as far as the caller may see it."""
    bills = bills_for(user).filter(contract=contract, dwelling_id=dwelling_id)
    payments = payments_for(user).filter(contract=contract, dwelling_id=dwelling_id)
    accounts = build_accounts(bills, payments, as_of=as_of)
    return accounts.get((contract.pk, dwelling_id), Account(contract.pk, dwelling_id, contract.compound_id))


def contract_accounts(user: Any, contract: ServiceContract) -> dict[tuple[int, int], Account]:
    return build_accounts(
        bills_for(user).filter(contract=contract), payments_for(user).filter(contract=contract)
    )


# --- the public disclosure (公示) ------------------------------------------------------------------


@dataclass
class DisclosurePage:
    compound: Compound
    contract: ServiceContract | None
    state: str
    history: list[ServiceContract]
    disclosures: list[Disclosure]
    evaluation: Any  # the latest published rating of the compound, or None


def disclosure(compound: Compound, today: dt.date | None = None) -> DisclosurePage:
    """What anyone may read about a compound's property service: readable without login."""
    from guanjia.property import evaluation

    today = today or timezone.localdate()
    contract = contract_in_force(compound.pk, today)
    history = list(
        ServiceContract.objects.filter(compound=compound)
        .select_related("company")
        .prefetch_related("service_items", "charge_items")
        .order_by("-start_date", "-id")
    )
    current = next((c for c in history if contract is not None and c.pk == contract.pk), None)
    return DisclosurePage(
        compound=compound,
        contract=current,
        state=contract_state(current, today) if current else "",
        history=history,
        disclosures=list(Disclosure.objects.filter(compound=compound).order_by("-published_on", "-id")[:20]),
        evaluation=evaluation.published_result(compound),
    )


def public_compound(pk: int) -> Compound:
    """Any compound's public page exists (its 公示 is posted at its gate); Compound.DoesNotExist else."""
    return Compound.objects.select_related("community__region").get(pk=pk)


def open_periods(day: dt.date | None = None) -> QuerySet[EvaluationPeriod]:
    day = day or timezone.localdate()
    return EvaluationPeriod.objects.filter(opens_on__lte=day, closes_on__gte=day).select_related("region")
