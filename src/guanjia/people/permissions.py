"""The one place that decides what each role may see and change.

`scope_for(user)` reads the user's current assignments and residencies once per request; the
`*_q` helpers turn that scope into filters for each kind of object; the `access_*` helpers return an
object only if the user may see it. Web views, API endpoints and the admin all go through here."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from guanjia.people.models import Residency, Role, StaffAssignment

RESIDENT = "resident"
ADMIN = "admin"
# Roles that work with named households and so may read full phone and ID numbers (each read logged).
UNMASK_ROLES = frozenset({Role.GRID_WORKER, Role.CADRE, Role.SECRETARY})
ADMIN_SITE_ROLES = frozenset({Role.SECRETARY, Role.CADRE, Role.OFFICIAL})


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    person_id: int | None = None
    is_admin: bool = False
    roles: frozenset[str] = frozenset()
    region_paths: tuple[str, ...] = ()
    community_ids: frozenset[int] = frozenset()
    compound_ids: frozenset[int] = frozenset()
    grid_ids: frozenset[int] = frozenset()
    household_ids: frozenset[int] = frozenset()
    dwelling_ids: frozenset[int] = frozenset()
    # Compounds a grid worker's grids reach into (a grid may span several small compounds).
    grid_compound_ids: frozenset[int] = frozenset()
    # Compounds of the caller's own homes (a resident's compound).
    home_compound_ids: frozenset[int] = frozenset()
    roles_by_target: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff_role(self) -> bool:
        return self.is_admin or bool(self.roles - {RESIDENT})

    def has(self, *roles: str) -> bool:
        return any(r in self.roles for r in roles)


ANONYMOUS = Scope()


def scope_for(user: Any, today: dt.date | None = None) -> Scope:
    """The caller's scope, computed once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_guanjia_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user, today or timezone.localdate())
    user._guanjia_scope = scope
    return scope


def in_force(day: dt.date | None = None) -> Q:
    """Rows with start_date/end_date (assignments, residencies, company jobs) in force on `day` (today)."""
    day = day or timezone.localdate()
    return (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


# Every request needs the caller's scope, so it is read in one round trip rather than five ORM queries
# (person, assignments, residencies, region paths, the compounds of one's grids): on the API's write
# paths those queries were a third of the work. Each part tags its rows with its kind; the first part
# types the columns (PostgreSQL reads a bare NULL as text).
_SCOPE_SQL = """
SELECT 'person', p.id, CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS TEXT), CAST(NULL AS BIGINT),
       CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
  FROM {person} p WHERE p.user_id = %(user)s
UNION ALL
SELECT 'duty', NULL, a.role, a.region_id, r.path, a.community_id, a.compound_id, a.grid_id, NULL, NULL
  FROM {assignment} a JOIN {person} p ON p.id = a.person_id LEFT JOIN {region} r ON r.id = a.region_id
 WHERE p.user_id = %(user)s {assignment_in_force}
UNION ALL
SELECT 'home', NULL, NULL, NULL, NULL, NULL, d.compound_id, NULL, res.household_id, h.dwelling_id
  FROM {residency} res JOIN {person} p ON p.id = res.person_id
  JOIN {household} h ON h.id = res.household_id JOIN {dwelling} d ON d.id = h.dwelling_id
 WHERE p.user_id = %(user)s {residency_in_force}
UNION ALL
SELECT 'grid', NULL, NULL, NULL, NULL, NULL, reach.compound_id, NULL, NULL, NULL
  FROM (SELECT DISTINCT d.compound_id
          FROM {dwelling} d JOIN {assignment} a ON a.grid_id = d.grid_id JOIN {person} p ON p.id = a.person_id
         WHERE p.user_id = %(user)s {assignment_in_force}) reach
"""


def in_force_sql(alias: str) -> str:
    """`in_force` as SQL for raw queries on the hot paths: rows of `alias` in force on %(day)s."""
    return (
        f"({alias}.start_date IS NULL OR {alias}.start_date <= %(day)s) "
        f"AND ({alias}.end_date IS NULL OR {alias}.end_date >= %(day)s)"
    )


@functools.cache
def _scope_sql() -> str:
    from guanjia.people.models import Household, Person
    from guanjia.places.models import Dwelling, Region

    return _SCOPE_SQL.format(
        person=Person._meta.db_table,
        assignment=StaffAssignment._meta.db_table,
        region=Region._meta.db_table,
        residency=Residency._meta.db_table,
        household=Household._meta.db_table,
        dwelling=Dwelling._meta.db_table,
        assignment_in_force="AND " + in_force_sql("a"),
        residency_in_force="AND " + in_force_sql("res"),
    )


def _build_scope(user: Any, day: dt.date) -> Scope:
    with connection.cursor() as cursor:
        cursor.execute(_scope_sql(), {"user": user.pk, "day": day.isoformat()})
        rows = cursor.fetchall()
    person_id: int | None = None
    roles: set[str] = set()
    by_role: dict[str, set[int]] = {}
    found: dict[str, set[Any]] = {
        k: set()
        for k in ("path", "region", "community", "compound", "grid", "household", "dwelling", "home", "reach")
    }
    for kind, pid, role, region, path, community, compound, grid, household, dwelling in rows:
        if kind == "person":
            person_id = pid
        elif kind == "duty":
            roles.add(role)
            by_role.setdefault(role, set()).add(region or community or compound or grid)
            for key, value in (
                ("region", region),
                ("path", path),
                ("community", community),
                ("compound", compound),
                ("grid", grid),
            ):
                if value is not None:
                    found[key].add(value)
        elif kind == "home":
            found["household"].add(household)
            found["dwelling"].add(dwelling)
            found["home"].add(compound)
        else:  # a compound one's grids reach into
            found["reach"].add(compound)
    if found["household"]:
        roles.add(RESIDENT)
    is_admin = bool(user.is_superuser)
    if is_admin:
        roles.add(ADMIN)
    return Scope(
        user_id=user.pk,
        person_id=person_id,
        is_admin=is_admin,
        roles=frozenset(roles),
        region_paths=tuple(sorted(found["path"])),
        community_ids=frozenset(found["community"]),
        compound_ids=frozenset(found["compound"]),
        grid_ids=frozenset(found["grid"]),
        household_ids=frozenset(found["household"]),
        dwelling_ids=frozenset(found["dwelling"]),
        home_compound_ids=frozenset(found["home"]),
        grid_compound_ids=frozenset(found["reach"]),
        roles_by_target={k: frozenset(v) for k, v in by_role.items()},
    )


# --- filters -------------------------------------------------------------------------------------

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


def _any(*qs: Q | None) -> Q:
    qs_ = [q for q in qs if q is not None]
    return reduce(or_, qs_) if qs_ else NOTHING


def _paths(scope: Scope, prefix: str) -> Q | None:
    if not scope.region_paths:
        return None
    return _any(*[Q(**{f"{prefix}path__startswith": p}) for p in scope.region_paths])


def _ids(lookup: str, ids: frozenset[int]) -> Q | None:
    return Q(**{f"{lookup}__in": sorted(ids)}) if ids else None


def dwelling_q(scope: Scope) -> Q:
    """Dwellings the caller may see. A resident sees only their own dwelling."""
    if scope.is_admin:
        return EVERYTHING
    return _any(
        _paths(scope, "compound__community__region__"),
        _ids("compound__community_id", scope.community_ids),
        _ids("compound_id", scope.compound_ids),
        _ids("grid_id", scope.grid_ids),
        _ids("pk", scope.dwelling_ids),
    )


def household_q(scope: Scope, prefix: str = "") -> Q:
    """Households the caller may see; `prefix` roots the filter on a related model (e.g. "household__")."""
    if scope.is_admin:
        return EVERYTHING
    return _any(
        _paths(scope, f"{prefix}dwelling__compound__community__region__"),
        _ids(f"{prefix}dwelling__compound__community_id", scope.community_ids),
        _ids(f"{prefix}dwelling__compound_id", scope.compound_ids),
        _ids(f"{prefix}dwelling__grid_id", scope.grid_ids),
        _ids(f"{prefix}pk", scope.household_ids),
    )


def person_q(scope: Scope, day: dt.date | None = None) -> Q:
    """People the caller may see: current residents of visible households, and oneself."""
    if scope.is_admin:
        return EVERYTHING
    oneself = _ids("pk", frozenset({scope.person_id}) if scope.person_id else frozenset())
    hq = household_q(scope, "household__")
    if hq is NOTHING:
        return _any(oneself)
    # A correlated EXISTS lets the planner walk from each person to their residencies, instead of
    # materialising every visible residency first (10x faster for a whole community).
    lived = Residency.objects.filter(in_force(day or timezone.localdate()), hq, person_id=OuterRef("pk"))
    return _any(Q(Exists(lived)), oneself)


def compound_q(scope: Scope) -> Q:
    if scope.is_admin:
        return EVERYTHING
    return _any(
        _paths(scope, "community__region__"),
        _ids("community_id", scope.community_ids),
        _ids("pk", scope.compound_ids | scope.grid_compound_ids | scope.home_compound_ids),
    )


def community_q(scope: Scope) -> Q:
    if scope.is_admin:
        return EVERYTHING
    from guanjia.places.models import Compound

    return _any(
        _paths(scope, "region__"),
        _ids("pk", scope.community_ids),
        Q(pk__in=Compound.objects.filter(compound_q(scope)).values("community_id"))
        if scope.compound_ids or scope.grid_compound_ids or scope.dwelling_ids
        else None,
    )


def grid_q(scope: Scope) -> Q:
    if scope.is_admin:
        return EVERYTHING
    from guanjia.places.models import Dwelling

    compounds = scope.compound_ids
    return _any(
        _paths(scope, "community__region__"),
        _ids("community_id", scope.community_ids),
        _ids("pk", scope.grid_ids),
        Q(pk__in=Dwelling.objects.filter(compound_id__in=sorted(compounds)).values("grid_id"))
        if compounds
        else None,
        Q(pk__in=Dwelling.objects.filter(pk__in=sorted(scope.dwelling_ids)).values("grid_id"))
        if scope.dwelling_ids
        else None,
    )


def region_q(scope: Scope) -> Q:
    """Regions in the caller's subtree, and the ancestors of every place they can see."""
    if scope.is_admin:
        return EVERYTHING
    from guanjia.places.models import Community, Region

    own_paths = set(scope.region_paths)
    street_paths = Region.objects.filter(
        pk__in=Community.objects.filter(community_q(scope)).values("region_id")
    ).values_list("path", flat=True)
    ancestors: set[int] = set()
    for path in [*own_paths, *street_paths]:
        ancestors.update(int(p) for p in path.strip("/").split("/") if p)
    return _any(_paths(scope, ""), _ids("pk", frozenset(ancestors)))


# --- decisions -----------------------------------------------------------------------------------


def unmask_q(scope: Scope, field: str = "id_number") -> Q:
    """People whose full `field` ("phone" or "id_number") the caller may read; each read is logged.

    Admin: everyone. Grid worker, cadre, secretary: the residents they answer for. Anyone: oneself and
    one's own household. A resident may also call the grid worker and 包片 cadre who serve them, so their
    phone (never their ID number) is open to the households of their grid or compound."""
    if scope.is_admin:
        return EVERYTHING
    day = timezone.localdate()
    parts: list[Q | None] = [_ids("pk", frozenset({scope.person_id}) if scope.person_id else frozenset())]
    if scope.roles & UNMASK_ROLES:
        targets = scope.roles_by_target
        parts.append(
            person_q(
                Scope(
                    community_ids=targets.get(Role.SECRETARY, frozenset()),
                    compound_ids=targets.get(Role.CADRE, frozenset()),
                    grid_ids=targets.get(Role.GRID_WORKER, frozenset()),
                ),
                day,
            )
        )
    if scope.household_ids:
        housemates = Residency.objects.filter(in_force(day), household_id__in=sorted(scope.household_ids))
        parts.append(Q(pk__in=housemates.values("person_id")))
    if field == "phone" and scope.dwelling_ids:
        parts.append(Q(pk__in=_serving_staff(scope, day)))
    return _any(*parts)


def _serving_staff(scope: Scope, day: dt.date) -> Any:
    from guanjia.places.models import Dwelling

    homes = Dwelling.objects.filter(pk__in=sorted(scope.dwelling_ids))
    serving = Q(role=Role.GRID_WORKER, grid_id__in=homes.values("grid_id")) | Q(
        role=Role.CADRE, compound_id__in=homes.values("compound_id")
    )
    return StaffAssignment.objects.filter(in_force(day), serving).values("person_id")


def can_unmask(scope: Scope, person_id: int, field: str = "id_number") -> bool:
    from guanjia.people.models import Person

    return (
        scope.is_admin
        or scope.person_id == person_id
        or (scope.is_authenticated and Person.objects.filter(unmask_q(scope, field), pk=person_id).exists())
    )


def revealable(scope: Scope, person_ids: list[int], field: str) -> set[int]:
    """Which of these people the caller may reveal `field` for, in one query (for reveal buttons)."""
    from guanjia.people.models import Person

    if not person_ids or not scope.is_authenticated:
        return set()
    if scope.is_admin:
        return set(person_ids)
    return set(Person.objects.filter(unmask_q(scope, field), pk__in=person_ids).values_list("pk", flat=True))


def can_change_registry(scope: Scope, community_id: int | None) -> bool:
    """Registry edits: system admin anywhere; community secretary inside their community."""
    if scope.is_admin:
        return True
    return community_id is not None and community_id in scope.community_ids


def can_use_admin(scope: Scope) -> bool:
    return scope.is_admin or bool(scope.roles & ADMIN_SITE_ROLES)


def require(condition: bool, message: str = "无权执行此操作") -> None:
    if not condition:
        raise PermissionDenied(message)


def primary_role(scope: Scope) -> str:
    """The role whose home page a user lands on, most powerful first."""
    order = [
        ADMIN,
        Role.OFFICIAL,
        Role.AGENCY_STAFF,
        Role.SECRETARY,
        Role.CADRE,
        Role.GRID_WORKER,
        Role.PROPERTY_STAFF,
        Role.COMMITTEE_MEMBER,
        RESIDENT,
    ]
    for role in order:
        if role in scope.roles:
            return str(role)
    return "none"
