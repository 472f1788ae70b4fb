"""Who may see an appeal and who may move it, built on people.permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from guanjia.appeals.models import Agency, Appeal, Holding, Transfer
from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.places.models import Compound, Dwelling


def appeal_q(scope: perms.Scope) -> Q:
    """Appeals the caller may see.

    Residents: what they filed and what concerns their own household. Grid workers: their grids' dwellings.
    Cadres, secretaries, officials: their compounds / community / region. Everyone: what they hold, held,
    or have been asked to take over."""
    parts = appeal_parts(scope, row_by_row=True)
    return perms.EVERYTHING if parts is None else perms._any(*parts)


def appeal_parts(scope: perms.Scope, *, row_by_row: bool = False) -> list[Q] | None:
    """The reasons an appeal is visible to the caller (appeal_q is their OR): None for the admin, who
    sees everything; [] for nobody.

    By default each part is one column compared with constants or with an uncorrelated subquery, so
    that one index answers it alone: a page of a large scope (selectors.queue) reads them as a UNION,
    because their OR makes SQLite and PostgreSQL test every open appeal of the database row by row.
    `row_by_row` (appeal_q) asks about the caller's own appeals and trail per row instead (a column, an
    EXISTS), cheaper where other filters already pin the rows: one appeal's detail, a transition."""
    if scope.is_admin:
        return None
    if not scope.is_authenticated:
        return []
    targets = scope.roles_by_target
    user_id, person_id = scope.user_id, scope.person_id

    def trail(model: type[Holding] | type[Transfer], **match: Any) -> Q:
        if row_by_row:
            return Q(Exists(model.objects.filter(appeal=OuterRef("pk"), **match)))
        return Q(pk__in=model.objects.filter(**match).values("appeal_id"))

    def own(**match: Any) -> Q:
        # Filed by or for the caller, in the UNION as subqueries: where these columns are mostly empty
        # (imported history, generated data) SQLite's statistics rate `submitter_id = ?` as matching
        # most rows, and it would read the queue's `status IN (...)` through the status index instead.
        return Q(**match) if row_by_row else Q(pk__in=Appeal.objects.filter(**match).values("pk"))

    parts = [own(submitted_by_id=user_id)]
    if person_id is not None:
        parts += [
            own(submitter_id=person_id),
            Q(assignee_id=person_id),
            trail(Holding, person_id=person_id),
            trail(Transfer, to_person_id=person_id),
        ]
    if scope.household_ids:
        parts.append(Q(household_id__in=sorted(scope.household_ids)))
    if targets.get(Role.GRID_WORKER):
        grids = sorted(targets[Role.GRID_WORKER])
        parts.append(Q(dwelling_id__in=Dwelling.objects.filter(grid_id__in=grids).values("pk")))
    if targets.get(Role.CADRE):
        parts.append(Q(compound_id__in=sorted(targets[Role.CADRE])))
    if targets.get(Role.SECRETARY):
        communities = sorted(targets[Role.SECRETARY])
        parts.append(Q(compound_id__in=Compound.objects.filter(community_id__in=communities).values("pk")))
    if targets.get(Role.OFFICIAL) or targets.get(Role.AGENCY_STAFF):
        official = region_scope(scope, Role.OFFICIAL)
        if official:
            parts.append(Q(compound_id__in=Compound.objects.filter(perms.compound_q(official)).values("pk")))
        agency = region_scope(scope, Role.AGENCY_STAFF)
        if agency:
            paths = perms._any(*[Q(region__path__startswith=p) for p in agency.region_paths])
            parts.append(Q(agency_id__in=Agency.objects.filter(paths).values("pk")))
    return parts


def region_scope(scope: perms.Scope, role: str) -> perms.Scope | None:
    from guanjia.places.models import Region

    regions = scope.roles_by_target.get(role)
    if not regions:
        return None
    paths = tuple(Region.objects.filter(pk__in=regions).values_list("path", flat=True))
    return perms.Scope(user_id=scope.user_id, region_paths=paths)


def is_resident_of(scope: perms.Scope, appeal: Appeal) -> bool:
    return scope.is_authenticated and (
        appeal.submitted_by_id == scope.user_id
        or (appeal.submitter_id is not None and appeal.submitter_id == scope.person_id)
    )


def is_supervisor_of(scope: perms.Scope, appeal: Appeal) -> bool:
    targets = scope.roles_by_target
    return (
        scope.is_admin
        or appeal.compound_id in targets.get(Role.CADRE, frozenset())
        or appeal.compound.community_id in targets.get(Role.SECRETARY, frozenset())
    )


def is_handler_of(scope: perms.Scope, appeal: Appeal) -> bool:
    return (scope.person_id is not None and appeal.assignee_id == scope.person_id) or is_supervisor_of(
        scope, appeal
    )


def is_receiver_of(scope: perms.Scope, appeal: Appeal) -> bool:
    pending = (
        appeal.transfers.filter(state=Transfer.State.PENDING).select_related("to_agency__region").first()
    )
    if pending is None:
        return False
    if pending.to_person_id is not None:
        return pending.to_person_id == scope.person_id
    agency_scope = region_scope(scope, Role.AGENCY_STAFF)
    if agency_scope is None or pending.to_agency is None:
        return False
    return any(pending.to_agency.region.path.startswith(p) for p in agency_scope.region_paths)


def may(scope: perms.Scope, actor: str, appeal: Appeal) -> bool:
    """Whether the caller fills the `actor` role of a transition for this appeal."""
    checks: dict[str, Any] = {
        "resident": lambda: is_resident_of(scope, appeal),
        "handler": lambda: is_handler_of(scope, appeal),
        "supervisor": lambda: is_supervisor_of(scope, appeal),
        "receiver": lambda: is_receiver_of(scope, appeal),
        "staff": lambda: scope.is_staff_role,
        "participant": lambda: is_resident_of(scope, appeal) or scope.is_staff_role,
    }
    return bool(checks[actor]())
