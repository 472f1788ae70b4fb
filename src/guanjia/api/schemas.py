"""Shapes of what the API returns. Areas and money are strings with two decimals ("88.50"), dates
ISO 8601, datetimes ISO 8601 with the time zone."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class ErrorField(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str = Field(description="机器可读的错误代码，如 not_found、forbidden、validation_error")
    message: str = Field(description="给人看的说明（中文）")
    fields: list[ErrorField] | None = None


class ErrorOut(Schema):
    error: ErrorBody


class Ref(Schema):
    id: int
    name: str


class Label(Schema):
    code: str
    label: str


# --- places --------------------------------------------------------------------------------------


class RegionOut(Schema):
    id: int
    name: str
    level: str
    level_label: str
    code: str
    parent_id: int | None


class RegionDetail(RegionOut):
    ancestors: list[Ref] = Field(description="从市到上级，依次排列")


class CommunityOut(Schema):
    id: int
    name: str
    code: str
    address: str
    region: Ref


class CommunityDetail(CommunityOut):
    compound_count: int
    grid_count: int


class CompoundOut(Schema):
    id: int
    name: str
    address: str
    community: Ref
    management_mode: str
    management_mode_label: str
    mode_since: dt.date | None
    built_year: int | None


class ModeChangeOut(Schema):
    from_mode: str
    to_mode: str
    to_mode_label: str
    effective_on: dt.date
    reason: str
    recorded_at: dt.datetime


class CompoundDetail(CompoundOut):
    building_count: int
    dwelling_count: int
    mode_history: list[ModeChangeOut]


class ModeCount(Schema):
    mode: str
    label: str
    count: int


class CoverageOut(Schema):
    total: int
    managed: int
    unmanaged: int
    managed_rate: float = Field(description="有人管理的小区占比（%）")
    by_mode: list[ModeCount]


class GridOut(Schema):
    id: int
    name: str
    serial: str
    code: str = Field(description="CJ/T 349-2010 网格编码")
    community: Ref


class GridDetail(GridOut):
    dwelling_count: int
    compounds: list[Ref]


class DwellingOut(Schema):
    id: int
    number: str
    floor: int | None
    compound: Ref
    building: Ref
    entrance: Ref
    grid: Ref | None
    area_registered: str | None = Field(description="不动产登记面积（㎡）")
    area_surveyed: str | None = Field(description="实测面积（㎡）")
    area_contract: str | None = Field(description="合同面积（㎡）")
    legal_area: str | None = Field(description="计票面积：登记面积，无则实测面积，再无则合同面积")


# --- people --------------------------------------------------------------------------------------


class MemberOut(Schema):
    person_id: int
    name: str
    relation: str
    relation_label: str
    start_date: dt.date | None
    phone: str = Field(description="脱敏手机号")
    id_number: str = Field(description="脱敏证件号码")


class HouseholdOut(Schema):
    id: int
    label: str
    dwelling: DwellingOut
    members: list[MemberOut]


class ResidencyOut(Schema):
    household_id: int
    address: str
    compound: Ref
    relation: str
    relation_label: str
    start_date: dt.date | None
    end_date: dt.date | None


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    age: int | None
    is_party_member: bool
    phone: str = Field(description="脱敏手机号")
    id_number: str = Field(description="脱敏证件号码")
    residencies: list[ResidencyOut]


class RevealIn(Schema):
    fields: list[Literal["phone", "id_number"]] = Field(default=["phone", "id_number"], min_length=1)
    purpose: str = Field(default="", max_length=200, description="查看用途，记入查看记录")


class RevealOut(Schema):
    phone: str | None = None
    id_number: str | None = None


class AssignmentOut(Schema):
    role: str
    role_label: str
    title: str
    target_type: str
    target: Ref
    start_date: dt.date
    end_date: dt.date | None


class MyHousehold(Schema):
    id: int
    address: str
    relation: str
    relation_label: str


class MeOut(Schema):
    username: str
    name: str
    is_admin: bool
    roles: list[Label]
    primary_role: Label
    assignments: list[AssignmentOut] = Field(description="当前负责的网格、小区、社区或区域")
    households: list[MyHousehold]


# --- pages ---------------------------------------------------------------------------------------


class RegionPage(Schema):
    count: int
    items: list[RegionOut]


class CommunityPage(Schema):
    count: int
    items: list[CommunityOut]


class CompoundPage(Schema):
    count: int
    items: list[CompoundOut]


class GridPage(Schema):
    count: int
    items: list[GridOut]


class DwellingPage(Schema):
    count: int
    items: list[DwellingOut]


class PersonPage(Schema):
    count: int
    items: list[PersonOut]
