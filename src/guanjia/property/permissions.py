"""Who may do what with property contracts, bills and ratings; built on people.permissions.

- Contracts and what they disclose are public (the 公示 page); registering a contract or recording an
  owners' decision about it is a registry change (admin; the community's secretary).
- A contract is *operated* (bill runs, payments, service items, disclosures) by the staff of its
  company (CompanyStaff) and by the property staff assigned to its compound.
- A household's bills and payments are seen by the household, the contract's operators, the 包片
  cadre of the compound and the community's secretary; nobody else sees named households.
- Totals (collection rates, ratings, coverage) are for every staff role over the places they see."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.places.models import Compound, Region
from guanjia.property.models import CompanyStaff, ServiceContract


def current_staff(day: dt.date | None = None) -> Any:
    day = day or timezone.localdate()
    return CompanyStaff.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


def company_ids_q(scope: perms.Scope, field: str = "company_id") -> Q | None:
    if scope.person_id is None:
        return None
    return Q(**{f"{field}__in": current_staff().filter(person_id=scope.person_id).values("company_id")})


def operated_contract_q(scope: perms.Scope, prefix: str = "") -> Q:
    """Contracts the caller runs billing and disclosure for; `prefix` roots it on a related model."""
    if scope.is_admin:
        return perms.EVERYTHING
    compounds = scope.roles_by_target.get(Role.PROPERTY_STAFF, frozenset())
    return perms._any(
        company_ids_q(scope, f"{prefix}company_id"),
        Q(**{f"{prefix}compound_id__in": sorted(compounds)}) if compounds else None,
    )


def can_operate(scope: perms.Scope, contract: ServiceContract) -> bool:
    return scope.is_authenticated and (
        scope.is_admin or ServiceContract.objects.filter(operated_contract_q(scope), pk=contract.pk).exists()
    )


def can_register_contract(scope: perms.Scope, compound: Compound) -> bool:
    return perms.can_change_registry(scope, compound.community_id)


def can_record_owners_decision(scope: perms.Scope, compound: Compound) -> bool:
    """Dismissal is the owners' decision: recorded by the registry editors or a committee member."""
    committee = scope.roles_by_target.get(Role.COMMITTEE_MEMBER, frozenset())
    return can_register_contract(scope, compound) or compound.pk in committee


def household_money_q(scope: perms.Scope) -> Q:
    """Bills, payments and reminders (all have contract, compound and dwelling) the caller may see."""
    if scope.is_admin:
        return perms.EVERYTHING
    if not scope.is_authenticated:
        return perms.NOTHING
    cadre = scope.roles_by_target.get(Role.CADRE, frozenset())
    secretary = scope.roles_by_target.get(Role.SECRETARY, frozenset())
    return perms._any(
        operated_contract_q(scope, "contract__")
        if scope.has(Role.PROPERTY_STAFF) or scope.person_id
        else None,
        Q(compound_id__in=sorted(cadre)) if cadre else None,
        Q(compound__community_id__in=sorted(secretary)) if secretary else None,
        Q(dwelling_id__in=sorted(scope.dwelling_ids)) if scope.dwelling_ids else None,
    )


def oversight_compound_q(scope: perms.Scope) -> Q:
    """Compounds whose totals (collection rate, ratings) the caller may read: staff roles only."""
    if scope.is_admin:
        return perms.EVERYTHING
    companies = company_ids_q(scope)
    by_company = (
        Q(pk__in=ServiceContract.objects.filter(companies).values("compound_id")) if companies else None
    )
    staff_only = dataclasses.replace(scope, dwelling_ids=frozenset(), household_ids=frozenset())
    return perms._any(perms.compound_q(staff_only) if staff_only.is_staff_role else None, by_company)


def can_run_evaluation(scope: perms.Scope, region: Region) -> bool:
    """Rating rounds are opened and published by officials for their region (and by the admin)."""
    if scope.is_admin:
        return True
    officials = scope.roles_by_target.get(Role.OFFICIAL, frozenset())
    if not officials:
        return False
    return any(region.path.startswith(p) for p in scope.region_paths)


def can_manage_company(scope: perms.Scope, company_id: int) -> bool:
    if scope.is_admin:
        return True
    if scope.person_id is None:
        return False
    return (
        current_staff().filter(person_id=scope.person_id, company_id=company_id, is_in_charge=True).exists()
    )
