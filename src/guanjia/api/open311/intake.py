"""POST requests.{fmt}: a GeoReport v2 service request becomes an appeal through services.submit_appeal.

An appeal needs a compound. A resident names it through their own household: attribute[household], or
their only household (in the jurisdiction_id community, when given). Staff filing on a resident's behalf
(e.g. a 12345 hotline system forwarding a call) give attribute[compound], optionally address_id (a
dwelling id) and attribute[channel] (phone by default: how the resident reached us). The api_key is a
Guanjia API token (POST /api/v1/auth/token) and the appeal is filed as that account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from guanjia.api.open311.render import Open311Error
from guanjia.api.open311.shapes import STAFF_CHANNELS, find_jurisdiction
from guanjia.appeals import services
from guanjia.appeals.models import Appeal, Category, Channel
from guanjia.people import permissions as perms
from guanjia.people import selectors as people
from guanjia.places import selectors as places
from guanjia.places.models import Community

MAX_DESCRIPTION = 4000  # the spec's limit; the appeal's own (2000) is checked by the service
TITLE_LENGTH = 30
# The service's field names, as the Open311 client knows them.
PARAMS = {
    "category": "service_code",
    "title": "attribute[title]",
    "household": "attribute[household]",
    "compound": "attribute[compound]",
    "dwelling": "address_id",
    "channel": "attribute[channel]",
    "photos": "media",
}


def attributes(data: QueryDict) -> dict[str, str]:
    """attribute[code]=value pairs (a multi-valued list keeps its first value: ours are single)."""
    found = {}
    for key in data:
        if key.startswith("attribute[") and key.endswith("]"):
            found[key[len("attribute[") : -1].removesuffix("][")] = data.get(key, "").strip()
    return found


def submit(request: HttpRequest, user: Any, idempotency_key: str) -> tuple[Appeal, bool]:
    data = request.POST
    category = _category(data.get("service_code", "").strip())
    community = _jurisdiction(data.get("jurisdiction_id", ""))
    attrs = attributes(data)
    description = data.get("description", "").strip()
    location = _location(data)
    problems = []
    if not description:
        problems.append(_("description：请描述问题"))
    elif len(description) > MAX_DESCRIPTION:
        problems.append(_("description：不超过4000字"))
    if problems:
        raise Open311Error(400, *problems)
    place = _staff_place(user, attrs, data, community) if attrs.get("compound") else None
    if place is None:
        place = {"household": _household(user, attrs, community), "channel": Channel.OPEN311}
    title = attrs.get("title") or description.splitlines()[0][:TITLE_LENGTH]
    try:
        return services.submit_appeal(
            user=user,
            category=category,
            title=title,
            description=description,
            location=location,
            photos=request.FILES.getlist("media"),
            idempotency_key=idempotency_key,
            **place,
        )
    except ValidationError as e:
        pairs = e.message_dict.items() if hasattr(e, "error_dict") else [("", e.messages)]
        raise Open311Error(
            400, *[f"{PARAMS.get(field, field)}：{'；'.join(msgs)}".lstrip("：") for field, msgs in pairs]
        ) from None
    except PermissionDenied as e:
        raise Open311Error(403, str(e) or _("无权提交")) from None


def _category(code: str) -> Category:
    if not code:
        raise Open311Error(400, _("service_code 未提供"))
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise Open311Error(404, _("service_code 不存在：%(code)s") % {"code": code})
    return category


def _jurisdiction(value: str) -> Community | None:
    if not value.strip():
        return None
    community = find_jurisdiction(value)
    if community is None:
        raise Open311Error(404, _("jurisdiction_id 不存在：%(id)s") % {"id": value.strip()})
    return community


def _location(data: QueryDict) -> str:
    """The spec wants one of address_string, lat & long, address_id. We keep no coordinates, so lat &
    long are kept as text when they are all there is."""
    text = data.get("address_string", "").strip()
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if lat or long:
        try:
            if not (-90 <= float(lat) <= 90 and -180 <= float(long) <= 180):
                raise ValueError
        except ValueError:
            raise Open311Error(400, _("lat 和 long 应为 WGS84 经纬度，且须同时提供")) from None
        text = text or f"{lat},{long}"
    if not text and not data.get("address_id", "").strip():
        raise Open311Error(400, _("请提供位置：address_string、lat 和 long，或 address_id"))
    return text


def _number(attrs: dict[str, str] | QueryDict, key: str, param: str) -> int | None:
    value = attrs.get(key, "") or ""
    if not value:
        return None
    if not value.isdigit():
        raise Open311Error(400, _("%(param)s 应为整数") % {"param": param})
    return int(value)


def _household(user: Any, attrs: dict[str, str], community: Community | None) -> Any:
    """The resident's own household: the one named, or their only one (in the jurisdiction, if given)."""
    scope = perms.scope_for(user)
    own = people.households_for(user).filter(pk__in=sorted(scope.household_ids))
    if community is not None:
        own = own.filter(dwelling__compound__community=community)
    named = _number(attrs, "household", "attribute[household]")
    if named is not None:
        own = own.filter(pk=named)
    found = list(own[:2])
    if len(found) == 1:
        return found[0]
    if named is not None or not found:
        where = _("该社区") if community is not None else ""
        message = _("没有找到您在%(where)s的住户；工作人员代为登记请提供 attribute[compound]")
        raise Open311Error(400, message % {"where": where})
    raise Open311Error(400, _("您有多个住户，请用 attribute[household] 指明"))


def _staff_place(
    user: Any, attrs: dict[str, str], data: QueryDict, community: Community | None
) -> dict[str, Any]:
    channel = attrs.get("channel") or "phone"
    if channel not in STAFF_CHANNELS:
        raise Open311Error(400, _("attribute[channel] 应为 phone、visit 或 walk_in"))
    if not perms.scope_for(user).is_staff_role:
        raise Open311Error(403, _("只有工作人员可以代为登记诉求"))
    compound_id = _number(attrs, "compound", "attribute[compound]")
    compound = places.compounds_for(user).filter(pk=compound_id or 0).first()
    if compound is None or (community is not None and compound.community_id != community.pk):
        raise Open311Error(400, _("attribute[compound] 不存在或不在您负责的范围内"))
    dwelling_id = _number(data, "address_id", "address_id")
    dwelling = None
    if dwelling_id is not None:
        dwelling = places.dwellings_for(user).filter(pk=dwelling_id, compound=compound).first()
        if dwelling is None:
            raise Open311Error(400, _("address_id 不是该小区的房屋"))
    return {"compound": compound, "dwelling": dwelling, "channel": channel}
