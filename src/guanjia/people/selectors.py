"""Reads of people, always scoped by the caller."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from guanjia.people import permissions as perms
from guanjia.people.models import Household, Person


def persons_for(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(perms.person_q(perms.scope_for(user)))


def households_for(user: Any) -> QuerySet[Household]:
    return Household.objects.filter(perms.household_q(perms.scope_for(user))).select_related(
        "dwelling__entrance__building", "dwelling__compound"
    )


def access_person(user: Any, pk: int) -> Person:
    return persons_for(user).get(pk=pk)


def access_household(user: Any, pk: int) -> Household:
    return households_for(user).get(pk=pk)


def access_contact(user: Any, pk: int, field: str) -> Person:
    """A person whose `field` the caller may see in some form: anyone visible, plus the staff who serve a
    resident (whose phone the resident may call). Person.DoesNotExist otherwise."""
    scope = perms.scope_for(user)
    return Person.objects.filter(perms.person_q(scope) | perms.unmask_q(scope, field)).distinct().get(pk=pk)
