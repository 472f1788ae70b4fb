"""Reads the web pages need beyond the plain selectors: counts, who answers for a place, search.

Every function starts from a queryset the caller's scope already limits (places.selectors,
people.selectors), or from place ids taken out of one, so nothing here widens what a user sees."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from guanjia.core import pii
from guanjia.people import permissions as perms
from guanjia.people.models import Household, Residency, StaffAssignment
from guanjia.people.selectors import households_for
from guanjia.places.models import Building, Compound, Dwelling, Entrance, Grid, ManagementMode

SEARCH_LIMIT = 50
# Who answers first for a place, as residents would ask: the community, the 包片 cadre, the grid worker.
STAFF_ORDER = [
    perms.Role.SECRETARY,
    perms.Role.CADRE,
    perms.Role.GRID_WORKER,
    perms.Role.PROPERTY_STAFF,
    perms.Role.COMMITTEE_MEMBER,
    perms.Role.OFFICIAL,
    perms.Role.AGENCY_STAFF,
]


def _count(qs: QuerySet[Any], outer: str, what: str = "pk", distinct: bool = False) -> Coalesce:
    """A correlated COUNT: one subquery per annotation, so list pages stay at a fixed query count."""
    inner = (
        qs.filter(**{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(n=Count(what, distinct=distinct))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), 0)


def with_counts(compounds: QuerySet[Compound]) -> QuerySet[Compound]:
    current = Residency.objects.filter(perms.in_force())
    return compounds.annotate(
        building_count=_count(Building.objects.all(), "compound"),
        dwelling_count=_count(Dwelling.objects.all(), "compound"),
        household_count=_count(Household.objects.all(), "dwelling__compound"),
        resident_count=_count(current, "household__dwelling__compound", "person", distinct=True),
        grid_count=_count(Dwelling.objects.filter(grid__isnull=False), "compound", "grid", distinct=True),
    )


def with_grid_counts(grids: QuerySet[Grid]) -> QuerySet[Grid]:
    current = Residency.objects.filter(perms.in_force())
    return grids.annotate(
        dwelling_count=_count(Dwelling.objects.all(), "grid"),
        household_count=_count(Household.objects.all(), "dwelling__grid"),
        resident_count=_count(current, "household__dwelling__grid", "person", distinct=True),
    )


def staff_for(
    *,
    compound_ids: Iterable[int] = (),
    grid_ids: Iterable[int] = (),
    community_ids: Iterable[int] = (),
    roles: Iterable[str] | None = None,
) -> list[StaffAssignment]:
    """Current assignments answering for these places (targets taken from scoped querysets)."""
    where = Q(pk__in=[])
    targets = {"compound_id": compound_ids, "grid_id": grid_ids, "community_id": community_ids}
    for lookup, ids in targets.items():
        wanted = sorted(set(ids))
        if wanted:
            where |= Q(**{f"{lookup}__in": wanted})
    qs = StaffAssignment.objects.filter(perms.in_force()).filter(where)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    staff = list(qs.select_related("person", "compound", "grid", "community").order_by("person__name", "id"))
    rank = {role.value: i for i, role in enumerate(STAFF_ORDER)}
    return sorted(staff, key=lambda a: rank.get(a.role, len(rank)))


def grids_by_compound(compound_ids: Iterable[int]) -> dict[int, set[int]]:
    pairs = (
        Dwelling.objects.filter(compound_id__in=sorted(set(compound_ids)), grid__isnull=False)
        .order_by()
        .values_list("compound_id", "grid_id")
        .distinct()
    )
    out: dict[int, set[int]] = defaultdict(set)
    for compound_id, grid_id in pairs:
        out[compound_id].add(grid_id)
    return out


def attach_grid_workers(compounds: list[Compound]) -> None:
    """Sets `compound.grid_workers`: the grid workers of every grid reaching into the compound."""
    grids = grids_by_compound(c.pk for c in compounds)
    all_grids = set().union(*grids.values()) if grids else set()
    staff = staff_for(grid_ids=all_grids, roles=[perms.Role.GRID_WORKER])
    for compound in compounds:
        mine = grids.get(compound.pk, set())
        compound.grid_workers = [a for a in staff if a.grid_id in mine]  # type: ignore[attr-defined]


def mark_revealable(scope: perms.Scope, rows: Iterable[Any], field: str = "id_number") -> None:
    """Set `can_reveal` on rows that carry a person_id: one query for the whole list."""
    rows = list(rows)
    allowed = perms.revealable(scope, [r.person_id for r in rows], field)
    for row in rows:
        row.can_reveal = row.person_id in allowed


RELATION_ORDER = Case(
    When(relation=Residency.Relation.OWNER, then=Value(0)),
    When(relation=Residency.Relation.FAMILY, then=Value(1)),
    default=Value(2),
)


def current_members() -> Prefetch:
    """Current residents of a household, owners first."""
    members = (
        Residency.objects.filter(perms.in_force()).select_related("person").order_by(RELATION_ORDER, "id")
    )
    return Prefetch("residencies", queryset=members, to_attr="members")


def household_page(user: Any, pk: int) -> Household:
    """One visible household with its dwelling and current members; Household.DoesNotExist otherwise."""
    household = (
        households_for(user)
        .select_related("dwelling__compound__community__region", "dwelling__grid")
        .prefetch_related(current_members())
        .get(pk=pk)
    )
    mark_revealable(perms.scope_for(user), household.members)  # type: ignore[attr-defined]
    return household


@dataclass
class ResidentHome:
    households: list[Household]
    grid_workers: list[StaffAssignment]
    cadres: list[StaffAssignment]


def resident_home(user: Any) -> ResidentHome:
    scope = perms.scope_for(user)
    households = list(
        households_for(user)
        .filter(pk__in=sorted(scope.household_ids))
        .select_related("dwelling__compound__community__region", "dwelling__grid")
        .prefetch_related(current_members())
    )
    compounds = {h.dwelling.compound_id for h in households}
    grids = {h.dwelling.grid_id for h in households if h.dwelling.grid_id}
    staff = staff_for(
        compound_ids=compounds, grid_ids=grids, roles=[perms.Role.CADRE, perms.Role.GRID_WORKER]
    )
    # "有事就找网格员": residents may call the staff who serve them. The home page shows phones only.
    members = [m for h in households for m in h.members]  # type: ignore[attr-defined]
    mark_revealable(scope, [*members, *staff], field="phone")
    return ResidentHome(
        households=households,
        grid_workers=[a for a in staff if a.role == perms.Role.GRID_WORKER],
        cadres=[a for a in staff if a.role == perms.Role.CADRE],
    )


# What a result row shows: leaves the ciphertexts and areas unread.
SEARCH_FIELDS = (
    "relation",
    "person__name",
    "person__phone_masked",
    "person__user",
    "household__label",
    "household__dwelling__number",
    "household__dwelling__entrance__name",
    "household__dwelling__entrance__building__name",
    "household__dwelling__compound__name",
)
_PHONE_LIKE = re.compile(r"^[\d\s-]{7,}$")


def search_residents(
    user: Any, q: str = "", *, grid_ids: Iterable[int] = (), compound_id: int | None = None
) -> tuple[list[Residency], int]:
    """Current residents of households the user may see, by name, room, building or full phone."""
    rows = Residency.objects.filter(perms.in_force(), household__in=households_for(user).values("pk"))
    grid_ids = sorted(set(grid_ids))
    if grid_ids:
        rows = rows.filter(household__dwelling__grid_id__in=grid_ids)
    if compound_id is not None:
        rows = rows.filter(household__dwelling__compound_id=compound_id)
    q = q.strip()
    if q:
        match = (
            Q(person__name__icontains=q)
            | Q(household__dwelling__number=q)
            | Q(household__dwelling__entrance__building__name__icontains=q)
        )
        if _PHONE_LIKE.match(q):
            match |= Q(person__phone_hash=pii.lookup_hash("phone", q))
        rows = rows.filter(match)
    total = rows.count()
    page = list(
        rows.select_related(
            "person", "household__dwelling__entrance__building", "household__dwelling__compound"
        )
        .only(*SEARCH_FIELDS)
        .order_by(
            "household__dwelling__compound_id",
            "household__dwelling__entrance__building_id",
            "household__dwelling__entrance_id",
            "household__dwelling__number",
            "id",
        )[:SEARCH_LIMIT]
    )
    mark_revealable(perms.scope_for(user), page)
    return page, total


def buildings_of(compound: Compound) -> list[Building]:
    entrances = Entrance.objects.annotate(dwelling_count=Count("dwellings")).order_by("id")
    return list(
        Building.objects.filter(compound=compound)
        .annotate(dwelling_count=Count("entrances__dwellings"))
        .prefetch_related(Prefetch("entrances", queryset=entrances))
        .order_by("id")
    )


def coverage_by_street(compounds: QuerySet[Compound]) -> list[dict[str, Any]]:
    """Per street: compounds by management mode and the share with someone in charge."""
    rows = (
        compounds.order_by()
        .values("community__region_id", "community__region__name", "management_mode")
        .annotate(n=Count("id"))
    )
    streets: dict[int, dict[str, Any]] = {}
    for row in rows:
        street = streets.setdefault(
            row["community__region_id"],
            {"name": row["community__region__name"], "total": 0, **{m.value: 0 for m in ManagementMode}},
        )
        street[row["management_mode"]] += row["n"]
        street["total"] += row["n"]
    for street in streets.values():
        managed = street["total"] - street[ManagementMode.UNMANAGED]
        street["managed_rate"] = round(managed / street["total"] * 100, 1) if street["total"] else 0.0
        street["counts"] = [street[m.value] for m in ManagementMode]
    return sorted(streets.values(), key=lambda s: s["name"])
