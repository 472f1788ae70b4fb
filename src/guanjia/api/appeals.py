"""API routes for the appeals app (thin: parse, call services/selectors, render).

POST /appeals takes JSON, or multipart/form-data with the same fields plus photo files in "photos" (the
category may require a photo, so it comes with the submission, not after). An `Idempotency-Key` header
makes a retry return the appeal the first attempt stored: 201 the first time, 200 with the header
`Idempotent-Replayed: true` on a replay, same body shape. Every transition is POST /appeals/{id}/{action}
through the one state machine (appeals.transitions.act): 409 when the state does not allow it, 403 when
the caller's role does not, 404 when the caller may not see the appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus
from pydantic import Field

from guanjia.api import appeals_body as body
from guanjia.api.appeals_out import appeal_detail, appeal_out, category_out, category_ref, local
from guanjia.api.appeals_schemas import (
    ActIn,
    AppealDetail,
    AppealIn,
    AppealOut,
    AppealPage,
    CategoryList,
    MeTooOut,
    SimilarList,
)
from guanjia.api.auth import caller
from guanjia.api.errors import field_error, not_found
from guanjia.api.paging import PageParams, paginate
from guanjia.api.schemas import ErrorOut
from guanjia.appeals import selectors, services
from guanjia.appeals.models import Appeal, Channel, Status
from guanjia.appeals.transitions import Act, act
from guanjia.people import permissions as perms
from guanjia.places import selectors as places

router = Router(tags=["appeals"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
STATUS_FILTERS = ("open", "all", *Status.values)


@router.get("/appeal-categories", response={200: CategoryList, 401: ErrorOut}, summary="诉求类别")
def category_list(request: HttpRequest) -> Any:
    items = [category_out(c) for c in selectors.active_categories()]
    return {"count": len(items), "items": items}


# --- intake --------------------------------------------------------------------------------------


@router.post(
    "/appeals",
    response={200: AppealOut, 201: AppealOut, **ERRORS},
    summary="提交诉求（可带 Idempotency-Key 请求头；照片用 multipart/form-data 的 photos 字段）",
    openapi_extra=body.form_schema(AppealIn),
)
def appeal_create(request: HttpRequest, response: HttpResponse) -> Any:
    user = caller(request)
    payload, photos = body.parse(request, AppealIn)
    refs = body.intake_refs(user, payload)
    appeal, created = services.submit_appeal(
        user=user,
        title=payload.title,
        description=payload.description,
        location=payload.location,
        channel=Channel.API if payload.channel == "api" else payload.channel,
        photos=photos,
        idempotency_key=body.idempotency_key(request),
        **refs,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    # Answered from the object just stored (its category and compound are the ones passed in): the
    # submitter always sees their own appeal, so reading it back through the scope would only cost time.
    return HttpStatus(201 if created else 200, appeal_out(appeal))


# --- reads ---------------------------------------------------------------------------------------


class AppealFilters(Schema):
    status: str | None = Field(None, description="open（默认，办理中的）、all，或一个状态代码")
    mine: bool = Field(False, description="只看我承办的（含转给我待接收的）")
    overdue: bool = Field(False, description="只看已超时的")
    compound: int | None = None
    category: str | None = Field(None, description="类别 id 或代码")
    since: dt.date | None = Field(None, alias="from", description="提交日期起（含）")
    until: dt.date | None = Field(None, alias="to", description="提交日期止（含）")
    sort: Literal["due", "newest"] = Field("due", description="due：时限最近的在前；newest：最新提交的在前")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@router.get("/appeals", response={200: AppealPage, **ERRORS}, summary="诉求列表（按权限范围）")
def appeal_list(request: HttpRequest, page: Query[PageParams], filters: Query[AppealFilters]) -> Any:
    user = caller(request)
    if filters.status is not None and filters.status not in STATUS_FILTERS:
        raise field_error("status", _("取值无效，可选：%(values)s") % {"values": ", ".join(STATUS_FILTERS)})
    category = body.category(filters.category)
    if filters.category and category is None:
        raise field_error("category", _("类别不存在"))
    now = timezone.now()
    wanted: dict[str, Any] = {
        "mine": filters.mine,
        "status": None if filters.status == "open" else filters.status,
        "overdue": filters.overdue,
        "compound_id": filters.compound,
        "category_id": category.pk if category else None,
        "since": _day_start(filters.since) if filters.since else None,
        "until": _day_start(filters.until + dt.timedelta(days=1)) if filters.until else None,
        "now": now,
    }
    qs = selectors.queue(user, **wanted)
    if filters.sort == "newest":
        qs = qs.order_by("-submitted_at", "-id")
    return paginate(
        qs,
        page,
        lambda a: appeal_out(a, now),
        count=lambda: selectors.queue_count(user, **wanted),
        rows_of=selectors.queue_page,
    )


@router.get(
    "/appeals/similar",
    response={200: SimilarList, **ERRORS},
    summary="同小区正在办理的类似诉求（只给标题，可“我也遇到”）",
)
def appeal_similar(request: HttpRequest, compound: int | None = None, category: str | None = None) -> Any:
    user = caller(request)
    if compound is None:
        homes = places.dwellings_for(user).filter(pk__in=sorted(perms.scope_for(user).dwelling_ids))
        compound_ids = set(homes.values_list("compound_id", flat=True))
        if len(compound_ids) != 1:
            raise field_error("compound", _("请选择小区"))
        compound = compound_ids.pop()
    if not places.compounds_for(user).filter(pk=compound).exists():
        raise not_found()
    found = body.category(category)
    if category and found is None:
        raise field_error("category", _("类别不存在"))
    rows = selectors.similar_open(user, compound_id=compound, category_id=found.pk if found else None)
    items = [
        {
            "id": a.pk,
            "title": a.title,
            "category": category_ref(a.category),
            "status": a.status,
            "status_label": str(Status(a.status).label),
            "me_too_count": a.me_too_count,
            "submitted_at": local(a.submitted_at),
        }
        for a in rows
    ]
    return {"count": len(items), "items": items}


@router.get("/appeals/{int:appeal_id}", response={200: AppealDetail, **ERRORS}, summary="诉求详情")
def appeal_get(request: HttpRequest, appeal_id: int) -> Any:
    user = caller(request)
    return appeal_detail(request, user, selectors.access_appeal(user, appeal_id))


# --- actions -------------------------------------------------------------------------------------


@router.post(
    "/appeals/{int:appeal_id}/me-too",
    response={200: MeTooOut, **ERRORS},
    summary="我也遇到（附议本小区正在办理的诉求）",
)
def appeal_me_too(request: HttpRequest, appeal_id: int) -> Any:
    user = caller(request)
    appeal = selectors.joinable(user, appeal_id)
    joined = services.me_too(user=user, appeal=appeal)
    count = Appeal.objects.filter(pk=appeal.pk).values_list("me_too_count", flat=True).get()
    return {"joined": joined, "me_too_count": count}


@router.post(
    "/appeals/{int:appeal_id}/{action}",
    response={200: AppealDetail, **ERRORS},
    summary="办理操作：accept、start、resolve、confirm、reopen、defer、reject、approve_rejection、"
    "overturn_rejection、withdraw、urge、transfer、accept_transfer、decline_transfer、assign、callback、comment",
    openapi_extra=body.form_schema(ActIn),
)
def appeal_act(request: HttpRequest, appeal_id: int, action: str) -> Any:
    user = caller(request)
    appeal = selectors.access_appeal(user, appeal_id)
    payload, photos = body.parse(request, ActIn)
    refs = body.act_refs(payload) if action in ("transfer", "assign", "defer") else {}
    request_ = Act(action=action, note=payload.note, rating=payload.rating, photos=photos, **refs)
    done = act(user=user, appeal=appeal, request=request_)
    try:
        appeal = selectors.access_appeal(user, done.pk)
    except Appeal.DoesNotExist:
        appeal = done  # handed on to someone the caller no longer sees through: show the result anyway
    return appeal_detail(request, user, appeal)
