"""Open311 GeoReport v2 endpoints (see docs/open311.md). Thin: parse the GeoReport parameters, call the
appeals selectors and services as the api_key's account, render XML or JSON.

Services, service definitions and discovery are public. Requests are residents' business, so reading
them needs an api_key too (the spec leaves it optional) and shows only the appeals that account may see
anywhere else in Guanjia."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from guanjia.api.open311 import intake, shapes
from guanjia.api.open311.render import FORMATS, Open311Error, error, respond, w3
from guanjia.appeals import selectors
from guanjia.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, Category, Photo
from guanjia.core import tokens
from guanjia.core.audit import acting_as

logger = logging.getLogger("guanjia.open311")
WINDOW = dt.timedelta(days=90)
MAX_REQUESTS = 1000
# The service list as first shipped; later edits in the admin move the changeset on.
BASELINE_CHANGESET = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """Answer only `methods`, in the format of the path, with spec-shaped errors for anything refused."""

    def wrap(view: View) -> View:
        @csrf_exempt  # no cookies are read here: the api_key is the only credential
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str = "xml", **kwargs: Any) -> HttpResponse:
            fmt = fmt if fmt in FORMATS else "xml"
            try:
                if request.method not in methods:
                    raise Open311Error(400, _("不支持该请求方法：%(m)s") % {"m": request.method})
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as e:
                return error(fmt, e)
            except Exception:  # still in the spec's shape, so clients can show something sensible
                logger.exception("Open311 error on %s %s", request.method, request.path)
                return error(fmt, Open311Error(500, _("服务器内部错误，请稍后再试")))

        return wrapped

    return wrap


def api_user(request: HttpRequest, required: bool = True) -> Any:
    """The account behind api_key (a Guanjia API token), from the form, the query or a Bearer header."""
    key = request.POST.get("api_key") or request.GET.get("api_key") or ""
    header = request.headers.get("Authorization", "")
    if not key and header.startswith("Bearer "):
        key = header.removeprefix("Bearer ")
    if not key.strip():
        if not required:
            return None
        raise Open311Error(403, _("缺少 api_key"))
    record = tokens.token_verify(key.strip())
    if record is None:
        raise Open311Error(403, _("api_key 无效或已过期"))
    return record.user


def _jurisdiction(request: HttpRequest) -> Any:
    value = request.GET.get("jurisdiction_id", "").strip()
    if not value:
        return None
    community = shapes.find_jurisdiction(value)
    if community is None:
        raise Open311Error(404, _("jurisdiction_id 不存在：%(id)s") % {"id": value})
    return community


# --- discovery and services ----------------------------------------------------------------------


def changeset() -> dt.datetime:
    kind = ContentType.objects.get_for_model(Category)
    edited = LogEntry.objects.filter(content_type=kind).order_by("-action_time").first()
    return max(BASELINE_CHANGESET, edited.action_time) if edited else BASELINE_CHANGESET


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    stamp = w3(changeset())
    return respond(
        fmt,
        "discovery",
        {
            "changeset": stamp,
            "contact": _("请联系所在社区居委会，或本系统管理员"),
            "key_service": _(
                "api_key 即管家 API 令牌：用账号密码 POST /api/v1/auth/token 换取（居民用自己的账号）"
            ),
            "endpoints": [
                {
                    "specification": shapes.SPEC,
                    "url": request.build_absolute_uri("/open311/v2"),
                    "changeset": stamp,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request)  # the same services everywhere, but an unknown jurisdiction is still a 404
    return respond(fmt, "services", [shapes.service(c) for c in selectors.active_categories()])


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    category = selectors.active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code 不存在：%(code)s") % {"code": code})
    return respond(fmt, "service_definition", shapes.definition(category))


# --- requests ------------------------------------------------------------------------------------


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    return _create(request, fmt) if request.method == "POST" else _search(request, fmt)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    user = api_user(request)
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    with acting_as(user, via="open311"):
        appeal, _created = intake.submit(request, user, key)
    appeal = selectors.appeals_for(user).select_related("assignee", "category").get(pk=appeal.pk)
    notice = shapes.notice(appeal.category)
    if appeal.assignee is not None:
        notice = _("已交%(name)s办理。%(notice)s") % {"name": appeal.assignee.name, "notice": notice}
    reply = {"service_request_id": appeal.number, "service_notice": notice, "account_id": None}
    return respond(fmt, "service_requests", [reply])


def visible(user: Any) -> QuerySet[Appeal]:
    return (
        selectors.appeals_for(user)
        .select_related("category", "compound__community__region", "agency")
        .prefetch_related(
            Prefetch("photos", queryset=Photo.objects.order_by("uploaded_at", "id")),
            Prefetch(
                "events",
                queryset=AppealEvent.objects.filter(action="reject").order_by("-at", "-id"),
                to_attr="rejections",
            ),
        )
    )


def _moment(value: str, name: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as a space
        day = None if moment else parse_date(value)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = dt.datetime.combine(day, dt.time.min)
    if moment is None:
        message = _("%(name)s 应为 W3C 日期时间，如 %(example)s")
        raise Open311Error(400, message % {"name": name, "example": "2026-11-01T00:00:00+08:00"})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _window(request: HttpRequest) -> tuple[dt.datetime, dt.datetime]:
    """The spec's default: the most recent 90 days; an explicit range may not span more than 90 days."""
    start = _moment(request.GET.get("start_date", ""), "start_date")
    end = _moment(request.GET.get("end_date", ""), "end_date")
    if end is None:
        end = start + WINDOW if start is not None else timezone.now()
    if start is None:
        start = end - WINDOW
    if end < start:
        raise Open311Error(400, _("end_date 不能早于 start_date"))
    if end - start > WINDOW:
        raise Open311Error(400, _("start_date 到 end_date 不能超过90天"))
    return start, end


def _listed(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _search(request: HttpRequest, fmt: str) -> HttpResponse:
    user = api_user(request)
    qs = visible(user)
    community = _jurisdiction(request)
    if community is not None:
        qs = qs.filter(compound__community=community)
    ids = _listed(request.GET.get("service_request_id", ""))
    if ids:
        qs = qs.filter(number__in=ids)  # the spec: ids override every other filter
    else:
        codes = _listed(request.GET.get("service_code", ""))
        if codes:
            qs = qs.filter(category__code__in=codes)
        statuses = set(_listed(request.GET.get("status", "")))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status 只能是 open 或 closed"))
        if statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
        start, end = _window(request)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    rows = qs.order_by("-submitted_at", "-id")[:MAX_REQUESTS]
    return respond(fmt, "service_requests", [shapes.request_out(request, a) for a in rows])


@endpoint("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    user = api_user(request)
    qs = visible(user)
    community = _jurisdiction(request)
    if community is not None:
        qs = qs.filter(compound__community=community)
    appeal = qs.filter(number=request_id).first()
    if appeal is None:
        raise Open311Error(404, _("service_request_id 不存在：%(id)s") % {"id": request_id})
    return respond(fmt, "service_requests", [shapes.request_out(request, appeal)])


@endpoint("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Our services are realtime: POST answers with the service_request_id at once and hands out no
    tokens. For clients that ask anyway, a service_request_id used as a token maps to itself."""
    user = api_user(request)
    _jurisdiction(request)
    number = selectors.appeals_for(user).filter(number=token).values_list("number", flat=True).first()
    if number is None:
        raise Open311Error(404, _("token 不存在：%(token)s") % {"token": token})
    return respond(fmt, "service_requests", [{"service_request_id": number, "token": token}])


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, fmt: str) -> HttpResponse:
    raise Open311Error(404, _("没有这个接口：%(path)s") % {"path": request.path})
