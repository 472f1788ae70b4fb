"""Registry pages for places: the compounds a user may see, and one compound in detail."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guanjia.people import permissions as perms
from guanjia.places import selectors as places
from guanjia.places.models import Compound, Dwelling, ManagementMode
from guanjia.web import queries
from guanjia.web.decorators import login_required

PAGE_SIZE = 30


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def compound_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    compounds = places.compounds_for(user).select_related("community__region")
    mode = request.GET.get("mode", "")
    if mode in ManagementMode.values:
        compounds = compounds.filter(management_mode=mode)
    communities = list(places.communities_for(user).order_by("region__path", "code"))
    community_id = _int_or_none(request.GET.get("community"))
    if community_id is not None:
        compounds = compounds.filter(community_id=community_id)
    compounds = queries.with_counts(compounds).order_by("community__region__path", "community__code", "name")
    page = Paginator(compounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/places/compound_list.html",
        {
            "page": page,
            "mode": mode,
            "modes": ManagementMode.choices,
            "communities": communities,
            "community_id": community_id,
            "nav_key": "compounds",
        },
    )


@login_required
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    compounds = queries.with_counts(places.compounds_for(user).select_related("community__region"))
    try:
        compound = compounds.get(pk=pk)
    except Compound.DoesNotExist:
        raise Http404(_("没有找到该小区")) from None
    grids = list(
        queries.with_grid_counts(
            places.grids_for(user).filter(
                pk__in=Dwelling.objects.filter(compound=compound, grid__isnull=False).values("grid_id")
            )
        )
    )
    staff = queries.staff_for(
        compound_ids=[compound.pk], grid_ids=[g.pk for g in grids], community_ids=[compound.community_id]
    )
    scope = perms.scope_for(user)
    return render(
        request,
        "web/places/compound_detail.html",
        {
            "compound": compound,
            "buildings": queries.buildings_of(compound),
            "grids": grids,
            "staff": staff,
            "mode_changes": list(compound.mode_changes.order_by("-effective_on", "-id")),
            # Residents find their own household on the home page; staff search the compound here.
            "can_search": scope.is_staff_role,
            "nav_key": "compounds",
        },
    )
