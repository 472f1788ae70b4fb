"""Who may run, enter and see owners' decisions; built on people.permissions.

- Organisers (run votes and consultations, keep committee and group records): the compound's
  owners' committee members, its 包片 cadre, the community secretary, the admin. Officials read.
- Ballot and door-to-door entry: organisers and the grid workers whose grids reach the compound.
- Property staff see the compound's votes but never run or enter them: owners may be deciding
  whether to keep their company.
- Residents see their own compound's votes and consultations, cast their own ballots and read
  results once published.
"""

from __future__ import annotations

from django.db.models import Q

from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.places.models import Compound


def _community_of(compound: Compound | int) -> int | None:
    if isinstance(compound, Compound):
        return compound.community_id
    return Compound.objects.filter(pk=compound).values_list("community_id", flat=True).first()


def _pk(compound: Compound | int) -> int:
    return compound.pk if isinstance(compound, Compound) else compound


def can_organise(scope: perms.Scope, compound: Compound | int) -> bool:
    if scope.is_admin:
        return True
    pk = _pk(compound)
    targets = scope.roles_by_target
    if pk in targets.get(Role.COMMITTEE_MEMBER, frozenset()) | targets.get(Role.CADRE, frozenset()):
        return True
    secretary_of = targets.get(Role.SECRETARY, frozenset())
    return bool(secretary_of) and _community_of(compound) in secretary_of


def can_enter(scope: perms.Scope, compound: Compound | int) -> bool:
    """Paper ballots, proxy ballots and door-to-door answers."""
    if can_organise(scope, compound):
        return True
    return Role.GRID_WORKER in scope.roles and _pk(compound) in scope.grid_compound_ids


def can_see_roll(scope: perms.Scope, compound: Compound | int) -> bool:
    """The roll names owners and their areas: for those who run or supervise the vote."""
    return can_enter(scope, compound) or (
        scope.has(Role.OFFICIAL)
        and Compound.objects.filter(perms.compound_q(scope), pk=_pk(compound)).exists()
    )


def compounds_q(scope: perms.Scope, prefix: str = "compound__") -> Q:
    """Decisions of the compounds the caller may see (residents: their own compound)."""
    if scope.is_admin:
        return perms.EVERYTHING
    return Q(**{f"{prefix}in": Compound.objects.filter(perms.compound_q(scope)).values("pk")})


def sees_compound(scope: perms.Scope, compound: Compound) -> bool:
    """Whether the caller sees this compound (and so its votes): the same answer as compound_q, with no
    query unless the caller's reach is a region (a ballot request must be cheap)."""
    if scope.is_admin or compound.community_id in scope.community_ids:
        return True
    if compound.pk in scope.compound_ids | scope.grid_compound_ids | scope.home_compound_ids:
        return True
    if not scope.region_paths:
        return False
    return Compound.objects.filter(perms.compound_q(scope), pk=compound.pk).exists()


def sees_unpublished_results(scope: perms.Scope, compound: Compound | int) -> bool:
    return can_see_roll(scope, compound)
