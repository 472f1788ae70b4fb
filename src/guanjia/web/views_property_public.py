"""The public disclosure (公示) of a compound's property service: no login needed, fit for a phone,
and a printable poster whose QR code opens the same page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from guanjia.places.models import Compound
from guanjia.property import evaluation, selectors
from guanjia.property.poster import qr_svg


def _page(pk: int) -> selectors.DisclosurePage:
    try:
        return selectors.disclosure(selectors.public_compound(pk))
    except Compound.DoesNotExist:
        raise Http404(_("没有找到该小区")) from None


def _dimensions() -> list[tuple[str, str]]:
    return evaluation.dimension_labels()


def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(pk)
    return render(
        request,
        "web/property/disclosure.html",
        {
            "page": page,
            "dimensions": _dimensions(),
            "state_label": selectors.STATE_LABELS.get(page.state, ""),
        },
    )


def poster(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page(pk)
    url = request.build_absolute_uri(reverse("web:property-disclosure", args=[pk]))
    # The SVG is generated here from our own URL, so it is safe to inline.
    qr = mark_safe(qr_svg(url))  # noqa: S308
    return render(request, "web/property/poster.html", {"page": page, "qr": qr, "url": url})
