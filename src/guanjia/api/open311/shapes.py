"""Guanjia's appeals in GeoReport v2 terms.

- service = an active appeal category; service_code = the category code; group = the category group.
- service_request_id = the appeal number (the 编号 residents quote), e.g. "202611020000123".
- jurisdiction_id = the community's 12-digit code: the 9-digit street code (GB/T 10114) followed by the
  community's 3-digit number within the street, which is how the statistical division code
  (统计用区划代码) numbers a 居委会. Unique nationwide, stable, and printed on official forms.
- status: open while the appeal waits or is worked on; closed once resolved, closed, rejected or
  withdrawn. The finer state, the result and the reason go to status_notes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.appeals.models import Appeal, Category, Rating, Status
from guanjia.places.models import Community

SPEC = "http://wiki.open311.org/GeoReport_v2"
CLOSED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.WITHDRAWN})
STAFF_CHANNELS = ("phone", "visit", "walk_in")


def jurisdiction_id(community: Community) -> str:
    return f"{community.region.code}{community.code}"


def find_jurisdiction(value: str) -> Community | None:
    """Communities are public names; looking one up by its code reveals nothing private."""
    value = value.strip()
    if len(value) != 12 or not value.isdigit():
        return None
    return Community.objects.filter(region__code=value[:9], code=value[9:]).select_related("region").first()


def notice(c: Category) -> str:
    return _("%(type)s：%(response)d小时内响应，%(resolve)d小时内办结") % {
        "type": c.get_case_type_display(),
        "response": c.response_hours,
        "resolve": c.resolve_hours,
    }


def service(c: Category) -> dict[str, Any]:
    description = notice(c)
    if c.photo_required:
        description += _("；须附现场照片")
    return {
        "service_code": c.code,
        "service_name": c.name,
        "description": description,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(k for k in (c.group, c.name) if k),
        "group": c.group,
    }


def _attribute(code: str, datatype: str, order: int, description: str, **extra: Any) -> dict[str, Any]:
    # Element order as in the spec's example: variable, code, datatype, required, ...
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": False,
        "datatype_description": None,
        "order": order,
        "description": description,
        **extra,
    }


def attributes() -> list[dict[str, Any]]:
    """The same optional fields for every service: where the appeal belongs, and a title."""
    channels = [("phone", _("电话")), ("visit", _("走访")), ("walk_in", _("来访"))]
    return [
        _attribute("household", "number", 1, _("居民：您的住户 id（只有一户时可不填；见 GET /api/v1/me）")),
        _attribute("compound", "number", 2, _("工作人员代为登记：小区 id（居民不填）")),
        _attribute(
            "channel",
            "singlevaluelist",
            3,
            _("工作人员代为登记：群众反映的渠道，默认电话"),
            values=[{"key": key, "name": name} for key, name in channels],
        ),
        _attribute("title", "string", 4, _("标题（不填则取描述的开头）")),
    ]


def definition(c: Category) -> dict[str, Any]:
    return {"service_code": c.code, "attributes": attributes()}


def status_notes(a: Appeal) -> str:
    label = str(Status(a.status).label)
    detail = ""
    if a.status in (Status.RESOLVED, Status.CLOSED):
        detail = a.resolution_note
        if a.rating:
            detail += _("（评价：%(rating)s）") % {"rating": Rating(a.rating).label}
    elif a.status in (Status.REJECTED, Status.REJECTION_PENDING):
        rejections = getattr(a, "rejections", None)
        detail = rejections[0].note if rejections else ""
    elif a.committed_due is not None and a.status in (Status.ACCEPTED, Status.IN_PROGRESS):
        detail = _("承诺 %(due)s 前办结") % {"due": f"{timezone.localtime(a.committed_due):%Y-%m-%d %H:%M}"}
    return f"{label}：{detail}" if detail else label


def address(a: Appeal) -> str:
    """Most specific first, as the spec asks: the spot, the compound, the community, the street."""
    community = a.compound.community
    parts = [a.location, a.compound.name, community.name, community.region.name]
    return "，".join(p for p in parts if p)


def updated(a: Appeal) -> Any:
    if a.status in CLOSED:
        return a.closed_at or a.resolved_at or a.updated_at
    return a.updated_at


def request_out(http: HttpRequest, a: Appeal) -> dict[str, Any]:
    """Needs category, compound__community__region and agency loaded; photos and rejections prefetched."""
    photos = list(a.photos.all())
    return {
        "service_request_id": a.number,
        "status": "closed" if a.status in CLOSED else "open",
        "status_notes": status_notes(a),
        "service_name": a.category.name,
        "service_code": a.category.code,
        "description": a.description,
        "agency_responsible": a.agency.name if a.agency else a.compound.community.name,
        "service_notice": notice(a.category),
        "requested_datetime": a.submitted_at,
        "updated_datetime": updated(a),
        "expected_datetime": a.effective_due,
        "address": address(a),
        "address_id": a.dwelling_id,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": http.build_absolute_uri(photos[0].image.url) if photos else None,
    }
