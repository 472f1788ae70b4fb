"""Registry pages for people: a household, the resident search, and revealing a full number."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guanjia.people.models import Household, Person
from guanjia.people.selectors import access_contact
from guanjia.people.services import REVEALABLE, person_reveal
from guanjia.web import queries
from guanjia.web.decorators import login_required


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        household = queries.household_page(request.user, pk)
    except Household.DoesNotExist:
        raise Http404(_("没有找到该户")) from None
    return render(request, "web/people/household_detail.html", {"household": household})


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """The htmx list under a search box: grid workers search their grids, staff a compound."""
    compound = request.GET.get("compound", "")
    rows, total = queries.search_residents(
        request.user,
        request.GET.get("q", ""),
        grid_ids=_ints(request.GET.getlist("grid")),
        compound_id=int(compound) if compound.isdigit() else None,
    )
    return render(
        request,
        "web/people/_resident_rows.html",
        {"rows": rows, "total": total, "limit": queries.SEARCH_LIMIT},
    )


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Swaps a masked number for the full one. Allowed or not is person_reveal's call; it logs."""
    field = request.POST.get("field", "phone")
    if field not in REVEALABLE:
        raise Http404
    try:
        person = access_contact(request.user, pk, field)
    except Person.DoesNotExist:
        raise Http404(_("没有找到该人员")) from None
    try:
        values = person_reveal(user=request.user, person=person, fields=(field,), via="web")
    except PermissionDenied:
        refused = render(request, "web/people/_revealed.html", {"denied": True}, status=403)
        refused["X-Guanjia-Fragment"] = "1"  # app.js shows this refusal in place of the button
        return refused
    return render(request, "web/people/_revealed.html", {"value": values[field] or "—"})
