"""The home page: one per role (people.permissions.primary_role), each a thin read of its selectors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.people.selectors import households_for, persons_for
from guanjia.places import selectors as places
from guanjia.places.models import ManagementMode
from guanjia.web import queries
from guanjia.web.context import can_import
from guanjia.web.decorators import login_required

HomeBuilder = Callable[[HttpRequest, perms.Scope], dict[str, Any]]


def _targets(scope: perms.Scope, *roles: str) -> list[int]:
    return sorted({pk for role in roles for pk in scope.roles_by_target.get(role, frozenset())})


def resident(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    return {"home": queries.resident_home(request.user)}


def grid_worker(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    grid_ids = _targets(scope, Role.GRID_WORKER)
    grids = list(queries.with_grid_counts(places.grids_for(request.user).filter(pk__in=grid_ids)))
    rows, total = queries.search_residents(request.user, grid_ids=grid_ids)
    return {"grids": grids, "rows": rows, "total": total, "limit": queries.SEARCH_LIMIT}


def _compound_cards(request: HttpRequest, scope: perms.Scope, *roles: str) -> list[Any]:
    compounds = places.compounds_for(request.user).filter(pk__in=_targets(scope, *roles))
    return list(queries.with_counts(compounds).select_related("community__region"))


def cadre(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    compounds = _compound_cards(request, scope, Role.CADRE)
    queries.attach_grid_workers(compounds)
    return {"compounds": compounds}


def property_or_committee(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    return {"compounds": _compound_cards(request, scope, Role.PROPERTY_STAFF, Role.COMMITTEE_MEMBER)}


def secretary(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    community_ids = _targets(scope, Role.SECRETARY)
    user = request.user
    communities = list(places.communities_for(user).filter(pk__in=community_ids))
    compounds = list(
        queries.with_counts(places.compounds_for(user).filter(community_id__in=community_ids)).order_by(
            "community_id", "name"
        )
    )
    grids = list(queries.with_grid_counts(places.grids_for(user).filter(community_id__in=community_ids)))
    staff = queries.staff_for(
        community_ids=community_ids,
        compound_ids=[c.pk for c in compounds],
        grid_ids=[g.pk for g in grids],
    )
    for grid in grids:
        grid.grid_workers = [a for a in staff if a.grid_id == grid.pk]  # type: ignore[attr-defined]
    totals = {
        "compounds": len(compounds),
        "grids": len(grids),
        "households": sum(c.household_count for c in compounds),  # type: ignore[attr-defined]
        "residents": sum(c.resident_count for c in compounds),  # type: ignore[attr-defined]
    }
    return {
        "communities": communities,
        "compounds": compounds,
        "grids": grids,
        "staff": staff,
        "totals": totals,
        "can_import": can_import(scope),
    }


def official(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    compounds = places.compounds_for(request.user)
    coverage = places.coverage(compounds)
    mode = request.GET.get("mode", "")
    listed = compounds.select_related("community__region").order_by(
        "community__region__path", "community__code", "name"
    )
    if mode in ManagementMode.values:
        listed = listed.filter(management_mode=mode)
    page = Paginator(listed, 50).get_page(request.GET.get("page"))
    streets = queries.coverage_by_street(compounds)
    chart = {
        "modes": [{"name": m["label"], "value": m["count"]} for m in coverage["by_mode"]],
        "streets": [s["name"] for s in streets],
        "by_street": [s["counts"] for s in streets],
    }
    return {
        "coverage": coverage,
        "streets": streets,
        "page": page,
        "mode": mode,
        "modes": ManagementMode.choices,
        "chart": chart,
    }


def admin(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    user = request.user
    counts = {
        "communities": places.communities_for(user).count(),
        "compounds": places.compounds_for(user).count(),
        "dwellings": places.dwellings_for(user).count(),
        "households": households_for(user).count(),
        "persons": persons_for(user).count(),
        "users": get_user_model().objects.count(),
    }
    return {"counts": counts}


def nobody(request: HttpRequest, scope: perms.Scope) -> dict[str, Any]:
    return {}


HOMES: dict[str, tuple[str, HomeBuilder]] = {
    perms.RESIDENT: ("web/home/resident.html", resident),
    Role.GRID_WORKER: ("web/home/grid_worker.html", grid_worker),
    Role.CADRE: ("web/home/cadre.html", cadre),
    Role.SECRETARY: ("web/home/secretary.html", secretary),
    Role.PROPERTY_STAFF: ("web/home/compound_staff.html", property_or_committee),
    Role.COMMITTEE_MEMBER: ("web/home/compound_staff.html", property_or_committee),
    Role.OFFICIAL: ("web/home/official.html", official),
    Role.AGENCY_STAFF: ("web/home/official.html", official),
    perms.ADMIN: ("web/home/admin.html", admin),
    "none": ("web/home/no_role.html", nobody),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = perms.scope_for(request.user)
    role = perms.primary_role(scope)
    template, build = HOMES[role]
    context = {"role": role, "nav_key": "home", **build(request, scope), **widgets(request, role)}
    return render(request, template, context)


def widgets(request: HttpRequest, role: str) -> dict[str, Any]:
    """Each domain's card on the home page (web/home/_widgets.html includes the ones present)."""
    from guanjia.web import views_appeals, views_decisions, views_property, views_property_billing

    if role == "none":
        return {}
    if role == perms.RESIDENT:
        return {
            **views_appeals.home_resident(request),
            **views_decisions.home_resident(request),
            **views_property_billing.resident_home_context(request),
        }
    cards = {**views_appeals.home_staff(request), **views_property.home_context(request)}
    scope = perms.scope_for(request.user)
    if scope.has(Role.CADRE, Role.SECRETARY, Role.GRID_WORKER, Role.COMMITTEE_MEMBER):
        cards.update(views_decisions.home_organiser(request))
    return cards
