"""Read endpoints for the place registry. Every query starts from a places.selectors scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from guanjia.api.auth import caller
from guanjia.api.paging import PageParams, paginate
from guanjia.api.schemas import (
    CommunityDetail,
    CommunityPage,
    CompoundDetail,
    CompoundPage,
    CoverageOut,
    DwellingOut,
    DwellingPage,
    ErrorOut,
    GridDetail,
    GridPage,
    RegionDetail,
    RegionPage,
)
from guanjia.places import selectors
from guanjia.places.models import (
    Building,
    Community,
    Compound,
    Dwelling,
    Grid,
    ManagementMode,
    Region,
)

router = Router(tags=["registry"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
M = TypeVar("M", bound=Model)


def area(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def in_region(user: Any, qs: QuerySet[M], region_id: int | None, lookup: str) -> QuerySet[M]:
    """Restrict to a region's subtree; a region the caller can't see yields nothing."""
    if region_id is None:
        return qs
    path = selectors.regions_for(user).filter(pk=region_id).values_list("path", flat=True).first()
    if path is None:
        return qs.none()
    return qs.filter(**{f"{lookup}path__startswith": path})


# --- regions -------------------------------------------------------------------------------------


def region_out(r: Region) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "level": r.level,
        "level_label": str(r.get_level_display()),
        "code": r.code,
        "parent_id": r.parent_id,
    }


@router.get("/regions", response={200: RegionPage, **ERRORS}, summary="行政区域")
def region_list(
    request: HttpRequest,
    page: Query[PageParams],
    parent: int | None = None,
    level: Region.Level | None = None,
) -> Any:
    qs = selectors.regions_for(caller(request))
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if level is not None:
        qs = qs.filter(level=level)
    return paginate(qs.order_by("path", "id"), page, region_out)


@router.get("/regions/{region_id}", response={200: RegionDetail, **ERRORS}, summary="行政区域详情")
def region_detail(request: HttpRequest, region_id: int) -> Any:
    region = selectors.access_region(caller(request), region_id)
    ancestor_ids = [int(p) for p in region.path.strip("/").split("/")[:-1]]
    ancestors = {r.pk: r for r in selectors.regions_for(caller(request)).filter(pk__in=ancestor_ids)}
    return {
        **region_out(region),
        "ancestors": [ref(ancestors[pk]) for pk in ancestor_ids if pk in ancestors],
    }


# --- communities ---------------------------------------------------------------------------------


def community_out(c: Community) -> dict[str, Any]:
    return {"id": c.pk, "name": c.name, "code": c.code, "address": c.address, "region": ref(c.region)}


@router.get("/communities", response={200: CommunityPage, **ERRORS}, summary="社区")
def community_list(request: HttpRequest, page: Query[PageParams], region: int | None = None) -> Any:
    qs = in_region(caller(request), selectors.communities_for(caller(request)), region, "region__")
    return paginate(qs.order_by("region_id", "code", "id"), page, community_out)


@router.get("/communities/{community_id}", response={200: CommunityDetail, **ERRORS}, summary="社区详情")
def community_detail(request: HttpRequest, community_id: int) -> Any:
    community = selectors.access_community(caller(request), community_id)
    return {
        **community_out(community),
        "compound_count": Compound.objects.filter(community=community).count(),
        "grid_count": Grid.objects.filter(community=community).count(),
    }


# --- compounds and coverage ----------------------------------------------------------------------


def compound_out(c: Compound) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": c.name,
        "address": c.address,
        "community": ref(c.community),
        "management_mode": c.management_mode,
        "management_mode_label": str(c.get_management_mode_display()),
        "mode_since": c.mode_since,
        "built_year": c.built_year,
    }


def scoped_compounds(
    request: HttpRequest, *, community: int | None, region: int | None
) -> QuerySet[Compound]:
    qs = selectors.compounds_for(caller(request))
    if community is not None:
        qs = qs.filter(community_id=community)
    return in_region(caller(request), qs, region, "community__region__")


@router.get("/compounds", response={200: CompoundPage, **ERRORS}, summary="小区")
def compound_list(
    request: HttpRequest,
    page: Query[PageParams],
    community: int | None = None,
    region: int | None = None,
    mode: ManagementMode | None = None,
    q: str | None = Query(None, max_length=50, description="按名称查找"),
) -> Any:
    qs = scoped_compounds(request, community=community, region=region)
    if mode is not None:
        qs = qs.filter(management_mode=mode)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    return paginate(qs.order_by("community_id", "name", "id"), page, compound_out)


@router.get("/compounds/{compound_id}", response={200: CompoundDetail, **ERRORS}, summary="小区详情")
def compound_detail(request: HttpRequest, compound_id: int) -> Any:
    compound = selectors.access_compound(caller(request), compound_id)
    history = compound.mode_changes.order_by("effective_on", "id")
    return {
        **compound_out(compound),
        "building_count": Building.objects.filter(compound=compound).count(),
        "dwelling_count": Dwelling.objects.filter(compound=compound).count(),
        "mode_history": [
            {
                "from_mode": h.from_mode,
                "to_mode": h.to_mode,
                "to_mode_label": str(h.get_to_mode_display()),
                "effective_on": h.effective_on,
                "reason": h.reason,
                "recorded_at": timezone.localtime(h.recorded_at),
            }
            for h in history
        ],
    }


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="按管理模式统计小区")
def coverage(request: HttpRequest, community: int | None = None, region: int | None = None) -> Any:
    return selectors.coverage(scoped_compounds(request, community=community, region=region))


# --- grids ---------------------------------------------------------------------------------------


def grid_out(g: Grid) -> dict[str, Any]:
    return {"id": g.pk, "name": g.name, "serial": g.serial, "code": g.code, "community": ref(g.community)}


@router.get("/grids", response={200: GridPage, **ERRORS}, summary="网格")
def grid_list(
    request: HttpRequest, page: Query[PageParams], community: int | None = None, compound: int | None = None
) -> Any:
    qs = selectors.grids_for(caller(request))
    if community is not None:
        qs = qs.filter(community_id=community)
    if compound is not None:
        qs = qs.filter(pk__in=Dwelling.objects.filter(compound_id=compound).values("grid_id"))
    return paginate(qs.order_by("community_id", "serial", "id"), page, grid_out)


@router.get("/grids/{grid_id}", response={200: GridDetail, **ERRORS}, summary="网格详情")
def grid_detail(request: HttpRequest, grid_id: int) -> Any:
    grid = selectors.access_grid(caller(request), grid_id)
    compounds = selectors.compounds_for(caller(request)).filter(
        pk__in=Dwelling.objects.filter(grid=grid).values("compound_id")
    )
    return {
        **grid_out(grid),
        "dwelling_count": Dwelling.objects.filter(grid=grid).count(),
        "compounds": [ref(c) for c in compounds.order_by("name", "id")],
    }


# --- dwellings -----------------------------------------------------------------------------------


def dwelling_out(d: Dwelling) -> dict[str, Any]:
    return {
        "id": d.pk,
        "number": d.number,
        "floor": d.floor,
        "compound": ref(d.compound),
        "building": ref(d.entrance.building),
        "entrance": ref(d.entrance),
        "grid": ref(d.grid) if d.grid is not None else None,
        "area_registered": area(d.area_registered),
        "area_surveyed": area(d.area_surveyed),
        "area_contract": area(d.area_contract),
        "legal_area": area(d.legal_area),
    }


def address(d: Dwelling) -> str:
    return join_address(d.compound.name, d.entrance.building.name, d.entrance.name, d.number)


def join_address(compound: str, building: str, entrance: str, number: str) -> str:
    return f"{compound} {building} {entrance} {number}"


@router.get("/dwellings", response={200: DwellingPage, **ERRORS}, summary="房屋")
def dwelling_list(
    request: HttpRequest,
    page: Query[PageParams],
    compound: int | None = None,
    grid: int | None = None,
    building: int | None = None,
) -> Any:
    qs = selectors.dwellings_for(caller(request))
    for lookup, value in (("compound_id", compound), ("grid_id", grid), ("entrance__building_id", building)):
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return paginate(qs.order_by("compound_id", "entrance_id", "number", "id"), page, dwelling_out)


@router.get("/dwellings/{dwelling_id}", response={200: DwellingOut, **ERRORS}, summary="房屋详情")
def dwelling_detail(request: HttpRequest, dwelling_id: int) -> Any:
    return dwelling_out(selectors.access_dwelling(caller(request), dwelling_id))
