"""Routing in one function: place + category → the one person who answers for the appeal.

    grid_worker → the grid worker of the dwelling's grid
    cadre       → the 包片 cadre of the compound
    property    → the property company under contract (professional or fallback compound); in a
                  self-governed compound the self-governance group (a committee member); in an unmanaged
                  one the cadre
    agency      → the category's agency (a staff member of it), with the cadre accountable

Whoever is missing, the next one up answers: grid worker → cadre → community secretary. Nobody at all
(a registry gap) leaves the appeal unassigned and flagged, and the deadline job escalates it.

Submissions memoise the answer for ten seconds per process (appeals.services, core.memo): a posting
saved in the admin or the API routes the next submission at once in that process, and everywhere
within ten seconds."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from django.db import connection

from guanjia.appeals.models import Agency, Category, HandlerKind
from guanjia.people.models import Role, StaffAssignment
from guanjia.people.permissions import in_force, in_force_sql
from guanjia.places.models import Compound, Dwelling, ManagementMode


@dataclass(frozen=True)
class Route:
    person_id: int | None
    agency_id: int | None
    rule: str  # which rule chose the person, for the event log


def _first(day: dt.date, role: str, **target: int) -> int | None:
    """The longest-serving person in `role` for the target (e.g. grid_id=…) on the day.

    Raw SQL: routing runs inside every submission, and the ORM's query building cost ten times the
    lookup itself."""
    ((column, value),) = target.items()
    if column not in _TARGETS:
        raise ValueError(column)
    sql = (
        f"SELECT a.person_id FROM {StaffAssignment._meta.db_table} a "  # noqa: S608 (fixed names)
        f"WHERE a.role = %(role)s AND a.{column} = %(target)s AND {in_force_sql('a')} "
        "ORDER BY a.start_date, a.id LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"role": role, "target": value, "day": day.isoformat()})
        row = cursor.fetchone()
    return row[0] if row else None


_TARGETS = frozenset({"grid_id", "compound_id", "community_id", "region_id"})


def grid_worker_of(dwelling: Dwelling | None, day: dt.date) -> int | None:
    if dwelling is None or dwelling.grid_id is None:
        return None
    return _first(day, role=Role.GRID_WORKER, grid_id=dwelling.grid_id)


def cadre_of(compound: Compound, day: dt.date) -> int | None:
    return _first(day, role=Role.CADRE, compound_id=compound.pk)


def secretary_of(compound: Compound, day: dt.date) -> int | None:
    return _first(day, role=Role.SECRETARY, community_id=compound.community_id)


def street_official_of(compound: Compound, day: dt.date) -> int | None:
    return _first(day, role=Role.OFFICIAL, region_id=compound.community.region_id)


def property_handler_of(compound: Compound, day: dt.date) -> tuple[int | None, str]:
    mode = compound.management_mode
    if mode in (ManagementMode.PROFESSIONAL, ManagementMode.FALLBACK):
        person = _company_person(compound, day) or _first(
            day, role=Role.PROPERTY_STAFF, compound_id=compound.pk
        )
        return person, "property_company"
    if mode == ManagementMode.SELF_GOVERNED:
        return _first(day, role=Role.COMMITTEE_MEMBER, compound_id=compound.pk), "self_governance"
    return None, "unmanaged"


def _company_person(compound: Compound, day: dt.date) -> int | None:
    """The contracted company's handler, when the property app knows the contract."""
    try:
        property_selectors = importlib.import_module("guanjia.property.selectors")
    except ImportError:
        return None
    handlers = getattr(property_selectors, "appeal_handler_ids", None)
    if handlers is None:
        return None
    people = handlers(compound.pk, day)
    return people[0] if people else None


def agency_staff_of(agency: Agency | None, compound: Compound, day: dt.date) -> int | None:
    if agency is None:
        return None
    region = agency.region
    return (
        StaffAssignment.objects.filter(
            in_force(day), role=Role.AGENCY_STAFF, region__path__startswith=region.path
        )
        .order_by("start_date", "id")
        .values_list("person_id", flat=True)
        .first()
    )


def route(*, category: Category, compound: Compound, dwelling: Dwelling | None, day: dt.date) -> Route:
    kind = category.handler_kind
    if kind == HandlerKind.GRID_WORKER:
        person = grid_worker_of(dwelling, day)
        if person is not None:
            return Route(person, None, "grid_worker")
    elif kind == HandlerKind.PROPERTY:
        person, rule = property_handler_of(compound, day)
        if person is not None:
            return Route(person, None, rule)
    elif kind == HandlerKind.AGENCY:
        person = agency_staff_of(category.agency, compound, day)
        if person is not None:
            return Route(person, category.agency_id, "agency")
    for rule, finder in (("cadre", cadre_of), ("secretary", secretary_of)):
        person = finder(compound, day)
        if person is not None:
            return Route(person, category.agency_id if kind == HandlerKind.AGENCY else None, rule)
    return Route(None, None, "nobody")


def escalation_chain(compound: Compound, day: dt.date) -> list[tuple[int, str, int | None]]:
    """Who is told at each escalation level: 1 包片 cadre, 2 community secretary, 3 street official."""
    return [
        (1, "cadre", cadre_of(compound, day)),
        (2, "secretary", secretary_of(compound, day)),
        (3, "street", street_official_of(compound, day)),
    ]
