"""Reads of the place registry, always scoped by the caller."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from guanjia.people import permissions as perms
from guanjia.places.models import Community, Compound, Dwelling, Grid, ManagementMode, Region


def regions_for(user: Any) -> QuerySet[Region]:
    return Region.objects.filter(perms.region_q(perms.scope_for(user)))


def communities_for(user: Any) -> QuerySet[Community]:
    return Community.objects.filter(perms.community_q(perms.scope_for(user))).select_related("region")


def compounds_for(user: Any) -> QuerySet[Compound]:
    return Compound.objects.filter(perms.compound_q(perms.scope_for(user))).select_related("community")


def grids_for(user: Any) -> QuerySet[Grid]:
    return Grid.objects.filter(perms.grid_q(perms.scope_for(user))).select_related("community")


def dwellings_for(user: Any) -> QuerySet[Dwelling]:
    return Dwelling.objects.filter(perms.dwelling_q(perms.scope_for(user))).select_related(
        "entrance__building", "compound", "grid"
    )


def access_compound(user: Any, pk: int) -> Compound:
    """The compound, if the user may see it; Compound.DoesNotExist otherwise (never leaks existence)."""
    return compounds_for(user).get(pk=pk)


def access_dwelling(user: Any, pk: int) -> Dwelling:
    return dwellings_for(user).get(pk=pk)


def access_grid(user: Any, pk: int) -> Grid:
    return grids_for(user).get(pk=pk)


def access_community(user: Any, pk: int) -> Community:
    return communities_for(user).get(pk=pk)


def access_region(user: Any, pk: int) -> Region:
    return regions_for(user).get(pk=pk)


def coverage(compounds: QuerySet[Compound]) -> dict[str, Any]:
    """How many compounds have someone in charge, by management mode (a county at a glance)."""
    counts = {
        row["management_mode"]: row["n"]
        for row in compounds.order_by().values("management_mode").annotate(n=Count("id"))
    }
    total = sum(counts.values())
    by_mode = [
        {"mode": m.value, "label": str(m.label), "count": counts.get(m.value, 0)} for m in ManagementMode
    ]
    managed = total - counts.get(ManagementMode.UNMANAGED, 0)
    return {
        "total": total,
        "managed": managed,
        "unmanaged": total - managed,
        "by_mode": by_mode,
        "managed_rate": round(managed / total * 100, 1) if total else 0.0,
    }
