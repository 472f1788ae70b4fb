"""What a KPI is measured over (`<kind>:<id>`), and who may ask for it.

Only staff roles read KPIs. A scope the caller may not see is "not found" (ObjectDoesNotExist → 404),
and the appeals measured are always also limited to those the caller may see (appeals.permissions)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.appeals.models import Appeal
from guanjia.appeals.permissions import appeal_q
from guanjia.people import permissions as perms
from guanjia.people.models import Person, Role, StaffAssignment
from guanjia.places import selectors as places
from guanjia.places.models import Community, Compound, Grid, Region

KINDS: dict[str, Any] = {
    "region": gettext_lazy("区域"),
    "community": gettext_lazy("社区"),
    "compound": gettext_lazy("小区"),
    "grid": gettext_lazy("网格"),
    "company": gettext_lazy("物业公司"),
    "staff": gettext_lazy("工作人员"),
}
SUPERVISORS = (Role.CADRE, Role.SECRETARY, Role.OFFICIAL)


class BadScope(ValueError):
    """The scope text is not `<kind>:<id>`; the message is for people (Chinese)."""


@dataclass(frozen=True)
class KpiScope:
    kind: str
    pk: int
    label: str
    where: Q  # on Appeal: what belongs to the scope, before the caller's visibility
    community_id: int | None = None  # the place's community and region path, to know when the
    path: str = ""  # caller's own area covers the whole scope

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"


def parse(text: str) -> tuple[str, int]:
    kind, _sep, raw = (text or "").partition(":")
    if kind not in KINDS or not raw.isdigit():
        raise BadScope(_("范围应为 类型:编号，类型可选：%(kinds)s") % {"kinds": ", ".join(KINDS)})
    return kind, int(raw)


def company_staff_model() -> Any | None:
    """The property app's CompanyStaff when the app is there (companies are optional for the KPIs)."""
    try:
        return importlib.import_module("guanjia.property.models").CompanyStaff
    except (ImportError, AttributeError):
        return None


def resolve(user: Any, text: str) -> KpiScope:
    """The scope, if the caller may read its KPIs. BadScope for bad text, PermissionDenied for a
    caller without a staff role, ObjectDoesNotExist for a scope they may not see."""
    kind, pk = parse(text)
    scope = perms.scope_for(user)
    perms.require(scope.is_staff_role, _("只有工作人员可以查看考核指标"))
    return RESOLVERS[kind](user, scope, pk)


def _region(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    region = Region.objects.get(pk=pk)
    if not (scope.is_admin or any(region.path.startswith(p) for p in scope.region_paths)):
        raise Region.DoesNotExist  # an ancestor of one's places is visible, but not its whole subtree
    where = Q(compound__community__region__path__startswith=region.path)
    return KpiScope("region", pk, region.name, where, path=region.path)


def _community(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    community = places.access_community(user, pk)
    return KpiScope("community", pk, community.name, Q(compound__community_id=pk), pk, community.region.path)


def _compound(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    compound = places.access_compound(user, pk)
    label, path = f"{compound.community.name} {compound.name}", compound.community.region.path
    return KpiScope("compound", pk, label, Q(compound_id=pk), compound.community_id, path)


def _grid(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    grid = places.access_grid(user, pk)
    return KpiScope(
        "grid", pk, grid.name, Q(dwelling__grid_id=pk), grid.community_id, grid.community.region.path
    )


def _staff(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    oneself = scope.is_admin or pk == scope.person_id
    if not oneself and not Person.objects.filter(_supervised_staff_q(scope), pk=pk).exists():
        raise Person.DoesNotExist
    person = Person.objects.get(pk=pk)
    return KpiScope("staff", pk, person.name, Q(accountable_id=pk))


def _company(user: Any, scope: perms.Scope, pk: int) -> KpiScope:
    staff_model = company_staff_model()
    if staff_model is None:
        raise ObjectDoesNotExist
    company_model = staff_model._meta.get_field("company").related_model
    company = company_model.objects.get(pk=pk)
    if not (scope.is_admin or _company_visible(scope, pk, staff_model)):
        raise company_model.DoesNotExist
    people = staff_model.objects.filter(company_id=pk).values("person_id")
    return KpiScope("company", pk, company.name, Q(accountable_id__in=people))


RESOLVERS = {
    "region": _region,
    "community": _community,
    "compound": _compound,
    "grid": _grid,
    "staff": _staff,
    "company": _company,
}


def supervised(scope: perms.Scope) -> perms.Scope:
    """The places the caller supervises: 包片 compounds, the secretary's community, an official's
    region — not the places a grid worker or property staff merely works in."""
    targets = scope.roles_by_target
    paths: tuple[str, ...] = ()
    if targets.get(Role.OFFICIAL):
        paths = tuple(Region.objects.filter(pk__in=targets[Role.OFFICIAL]).values_list("path", flat=True))
    return perms.Scope(
        user_id=scope.user_id,
        compound_ids=targets.get(Role.CADRE, frozenset()),
        community_ids=targets.get(Role.SECRETARY, frozenset()),
        region_paths=paths,
    )


def _supervised_staff_q(scope: perms.Scope) -> Q:
    """People (on Person) working in places the caller supervises."""
    if not scope.has(*SUPERVISORS):
        return perms.NOTHING
    sup = supervised(scope)
    compounds = Compound.objects.filter(perms.compound_q(sup))
    assignments = StaffAssignment.objects.filter(
        Q(grid__in=Grid.objects.filter(perms.grid_q(sup)))
        | Q(compound__in=compounds)
        | Q(community__in=Community.objects.filter(pk__in=sup.community_ids))
        | perms._any(*[Q(region__path__startswith=p) for p in sup.region_paths])
    )
    parts = [Q(pk__in=assignments.values("person_id"))]
    staff_model = company_staff_model()
    contracts = _contracts_model()
    if staff_model is not None and contracts is not None:
        served = contracts.objects.filter(compound__in=compounds).values("company_id")
        parts.append(Q(pk__in=staff_model.objects.filter(company_id__in=served).values("person_id")))
    return perms._any(*parts)


def _contracts_model() -> Any | None:
    try:
        return importlib.import_module("guanjia.property.models").ServiceContract
    except (ImportError, AttributeError):
        return None


def _company_visible(scope: perms.Scope, pk: int, staff_model: Any) -> bool:
    mine = staff_model.objects.filter(company_id=pk, person_id=scope.person_id)
    if scope.person_id is not None and mine.exists():
        return True
    contracts = _contracts_model()
    if contracts is None or not scope.has(*SUPERVISORS):
        return False
    compounds = Compound.objects.filter(perms.compound_q(supervised(scope)))
    return bool(contracts.objects.filter(company_id=pk, compound__in=compounds).exists())


def appeals_in(user: Any, kpi_scope: KpiScope) -> QuerySet[Appeal]:
    """The scope's appeals that the caller may see."""
    scope = perms.scope_for(user)
    qs = Appeal.objects.filter(kpi_scope.where)
    return qs if scope.is_admin or covered(scope, kpi_scope) else qs.filter(appeal_q(scope))


def covered(scope: perms.Scope, kpi_scope: KpiScope) -> bool:
    """Whether appeal_q already lets the caller see every appeal of the place (their own grid,
    包片 compound, community or region), so the visibility filter can be left out of the query."""
    targets = scope.roles_by_target
    own = {
        "grid": targets.get(Role.GRID_WORKER, frozenset()),
        "compound": targets.get(Role.CADRE, frozenset()),
        "community": targets.get(Role.SECRETARY, frozenset()),
    }
    if kpi_scope.kind in own and kpi_scope.pk in own[kpi_scope.kind]:
        return True
    if kpi_scope.community_id is not None and kpi_scope.community_id in own["community"]:
        return True
    officials = supervised(scope).region_paths if targets.get(Role.OFFICIAL) else ()
    is_place = kpi_scope.kind in ("region", "community", "compound", "grid")
    return is_place and bool(kpi_scope.path) and any(kpi_scope.path.startswith(p) for p in officials)


# --- the pickers on the pages ----------------------------------------------------------------------


def default_scope(user: Any) -> str | None:
    """The widest place the caller supervises or works in: region, community, compound, grid, self."""
    scope = perms.scope_for(user)
    if not scope.is_staff_role:
        return None
    targets = scope.roles_by_target
    for role, kind in (
        (Role.OFFICIAL, "region"),
        (Role.SECRETARY, "community"),
        (Role.CADRE, "compound"),
        (Role.GRID_WORKER, "grid"),
    ):
        if targets.get(role):
            return f"{kind}:{min(targets[role])}"
    if scope.is_admin:
        top = Region.objects.filter(parent__isnull=True).order_by("path").first()
        return f"region:{top.pk}" if top else None
    return f"staff:{scope.person_id}" if scope.person_id else None


def choices(user: Any, limit: int = 200) -> list[tuple[str, str]]:
    """(value, label) options for the scope picker: regions of one's own subtree, communities,
    compounds and grids one may see, and oneself (bounded: an official of a county sees hundreds)."""
    scope = perms.scope_for(user)
    out: list[tuple[str, str]] = []
    own = perms._paths(scope, "") or perms.NOTHING
    regions = Region.objects.all() if scope.is_admin else Region.objects.filter(own)
    out += [(f"region:{r.pk}", f"{KINDS['region']}·{r.name}") for r in regions.order_by("path")[:limit]]
    for kind, qs in (
        ("community", places.communities_for(user).order_by("region__path", "code")),
        ("compound", places.compounds_for(user).order_by("community_id", "name")),
        ("grid", places.grids_for(user).order_by("code")),
    ):
        out += [(f"{kind}:{o.pk}", f"{KINDS[kind]}·{o}") for o in qs[:limit]]
    if scope.person_id is not None:
        out.append((f"staff:{scope.person_id}", str(_("我本人"))))
    return out
