"""Shapes of the appeals API. Datetimes ISO 8601 with the time zone; phones always masked."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from guanjia.api.schemas import Label, Ref


class CategoryRef(Schema):
    id: int
    code: str
    name: str


class CategoryOut(CategoryRef):
    group: str
    handler_kind: Label = Field(description="默认承办：网格员、包片干部、物业公司或职能部门")
    case_type: Label = Field(description="即办件、承诺件或协调件")
    response_hours: int
    resolve_hours: int
    warn_hours: int
    photo_required: bool


class CategoryList(Schema):
    count: int
    items: list[CategoryOut]


# --- in ------------------------------------------------------------------------------------------


class AppealIn(Schema):
    category: int | str = Field(description="类别 id 或代码（如 noise）")
    title: str
    description: str
    location: str = Field("", description="小区内的具体位置")
    household: int | None = Field(None, description="住户 id；居民只有一户时可省略")
    channel: Literal["api", "phone", "visit", "walk_in"] = Field(
        "api", description="工作人员代为登记时填 phone、visit 或 walk_in"
    )
    compound: int | None = Field(None, description="代为登记：小区 id")
    dwelling: int | None = Field(None, description="代为登记：房屋 id")
    submitter: int | None = Field(None, description="代为登记：诉求人（人员 id）")


class ActIn(Schema):
    note: str = Field("", description="说明：办理结果、原因、评价意见等")
    rating: str = Field("", description="评价：satisfied、basically_satisfied 或 unsatisfied")
    committed_due: dt.datetime | None = Field(None, description="延期：新的承诺办结时间")
    to_person: int | None = Field(None, description="转办或指派：接收人（人员 id）")
    to_agency: int | None = Field(None, description="转办：职能部门 id")


# --- out -----------------------------------------------------------------------------------------


class AppealOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    category: CategoryRef
    compound: Ref
    channel: str
    assignee: Ref | None = Field(description="当前承办人")
    submitted_at: dt.datetime
    response_due: dt.datetime
    resolve_due: dt.datetime
    committed_due: dt.datetime | None = Field(description="延期或重办后的承诺办结时间")
    due: dt.datetime = Field(description="现在起作用的时限：待受理时为响应时限，否则为（承诺）办结时限")
    overdue: bool
    escalation_level: int
    urge_count: int
    me_too_count: int
    reopen_count: int
    rating: str


class AppealPage(Schema):
    count: int
    items: list[AppealOut]


class PersonRef(Schema):
    id: int
    name: str
    phone: str = Field(description="脱敏手机号；完整号码经 POST /persons/{id}/reveal 查看并留痕")


class EventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    actor: str
    from_status: str
    to_status: str
    note: str
    data: dict[str, Any]


class HoldingOut(Schema):
    person: Ref | None
    agency: Ref | None
    handed_by: Ref | None
    reason: str
    since: dt.datetime
    until: dt.datetime | None
    hours: float = Field(description="持有时长（小时）；仍在办理的算到现在")


class TransferOut(Schema):
    id: int
    from_person: Ref | None
    to_person: Ref | None
    to_agency: Ref | None
    reason: str
    requested_at: dt.datetime


class PhotoOut(Schema):
    id: int
    stage: str
    url: str


class AppealDetail(AppealOut):
    description: str
    location: str
    address: str
    household_id: int | None
    agency: Ref | None
    accountable: Ref | None = Field(description="首接责任人：转办被接收前一直负责")
    submitter: PersonRef | None
    contact_phone: str = Field(description="脱敏联系电话")
    accepted_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    resolution_note: str
    rating_comment: str
    callback_needed: bool
    events: list[EventOut]
    holdings: list[HoldingOut]
    pending_transfer: TransferOut | None
    photos: list[PhotoOut]
    allowed_actions: list[Label] = Field(
        description="当前用户此刻可以执行的操作（POST /appeals/{id}/{code}）"
    )


class SimilarOut(Schema):
    id: int
    title: str
    category: CategoryRef
    status: str
    status_label: str
    me_too_count: int
    submitted_at: dt.datetime


class SimilarList(Schema):
    count: int
    items: list[SimilarOut]


class MeTooOut(Schema):
    joined: bool = Field(description="false：此前已附议过")
    me_too_count: int
