"""Shapes of the property API. Money is a string with two decimals ("20.00"), in and out: a JSON
number would pass through a binary float."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from guanjia.api.schemas import Ref

MONEY = r"^\d{1,10}(\.\d{1,2})?$"
Money = str


class MoneyIn(Schema):
    amount: str = Field(pattern=MONEY, description='金额（元），字符串，最多两位小数，如 "20.00"')


class CompanyOut(Schema):
    id: int
    name: str
    is_fallback: bool = Field(description="政府兜底物业")
    has_party_org: bool = Field(description="建有党组织")
    service_phone: str


class ServiceItemOut(Schema):
    category: str
    category_label: str
    title: str
    frequency: str


class ChargeItemOut(Schema):
    name: str
    basis: str
    basis_label: str
    rate: Money
    area_basis: str
    bill_month: dt.date | None


class ContractOut(Schema):
    id: int
    compound: Ref
    company: CompanyOut
    party_kind: str
    party_kind_label: str
    party_name: str
    signed_on: dt.date
    start_date: dt.date
    end_date: dt.date | None = Field(description="约定期满日；为空表示未约定期限")
    ended_on: dt.date | None = Field(description="服务终止日（已通知解聘、不续聘或已由新合同接替）")
    state: str = Field(description="upcoming / in_term / notice / open_ended / ended")
    state_label: str
    billing_cycle: str
    manager_name: str
    service_phone: str


class ContractDetail(ContractOut):
    notice_kind: str
    notice_given_on: dt.date | None
    notice_reason: str
    previous_id: int | None
    service_items: list[ServiceItemOut]
    charge_items: list[ChargeItemOut]


class ContractPage(Schema):
    count: int
    items: list[ContractOut]


class NoticeIn(Schema):
    kind: Literal["dismissal", "non_renewal", "open_ended_end"]
    given_on: dt.date
    reason: str = Field(min_length=1, max_length=200)


class DisclosureItemOut(Schema):
    kind: str
    kind_label: str
    title: str
    body: str
    amount: Money | None
    published_on: dt.date


class RatingOut(Schema):
    period: str
    responses: int
    overall: Money | None = Field(description="六项平均分（1–5）")
    means: dict[str, Money]
    company_score: Money | None = Field(description="物业公司综合得分（0–100）")


class DisclosureOut(Schema):
    compound: Ref
    management_mode: str
    management_mode_label: str
    contract: ContractDetail | None
    disclosures: list[DisclosureItemOut]
    rating: RatingOut | None


class BillRunIn(Schema):
    period: str = Field(
        pattern=r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$", description='账期："2024-05"、"2024-Q2" 或 "2024"'
    )


class BillRunOut(Schema):
    created: int
    skipped: int = Field(description="已有账单而跳过的房屋数（重复出账不产生新账单）")
    overlapping: int = Field(
        description="已有其他账期的账单覆盖本账期部分月份而未出账的房屋数（同一月份不重复收费；其余月份请按月出账）"
    )
    missing_area: int
    total: Money


class BillOut(Schema):
    id: int
    number: str
    kind: str
    contract_id: int
    dwelling_id: int
    period_start: dt.date
    period_end: dt.date
    amount: Money
    lines: list[dict[str, str | int]]
    due_date: dt.date
    corrects_id: int | None
    reason: str


class BillPage(Schema):
    count: int
    items: list[BillOut]


class CorrectionIn(MoneyIn):
    reason: str = Field(min_length=1, max_length=200)


class ReplacementOut(Schema):
    credit: BillOut | None
    replacement: BillOut


class PaymentIn(MoneyIn):
    contract: int
    dwelling: int
    method: Literal["cash", "wechat", "alipay", "bank"]
    reference: str = Field("", max_length=64)
    paid_on: dt.date
    note: str = Field("", max_length=200)


class PaymentOut(Schema):
    id: int
    contract_id: int
    dwelling_id: int
    amount: Money
    method: str
    reference: str
    paid_on: dt.date
    status: str
    status_label: str
    receipt_number: str | None
    receipt_url: str | None


class PaymentPage(Schema):
    count: int
    items: list[PaymentOut]


class ReasonIn(Schema):
    reason: str = Field("", max_length=200)


class PeriodOut(Schema):
    start: dt.date
    end: dt.date
    net: Money
    collected: Money
    due: dt.date


class AccountOut(Schema):
    contract_id: int
    dwelling_id: int
    charged: Money
    paid: Money
    balance: Money = Field(description="欠费为正，预存为负")
    overdue: Money
    overdue_periods: int
    paid_up_to: dt.date | None = Field(description="物业费缴至（含）")
    last_paid_on: dt.date | None
    periods: list[PeriodOut]


class ArrearsOut(Schema):
    as_of: dt.date
    total: Money
    items: list[AccountOut]


class CollectionRow(Schema):
    id: int
    name: str
    charged: Money
    collected: Money
    rate: Money | None = Field(description="收缴率（%）")
    accounts: int
    settled: int


class CollectionOut(Schema):
    period_from: dt.date
    period_to: dt.date
    by: str
    total: CollectionRow
    items: list[CollectionRow]


class EvaluationPeriodOut(Schema):
    id: int
    name: str
    region: Ref
    opens_on: dt.date
    closes_on: dt.date
    published: bool


class EvaluationIn(Schema):
    household: int
    cleanliness: int = Field(ge=1, le=5)
    order: int = Field(ge=1, le=5)
    repairs: int = Field(ge=1, le=5)
    greening: int = Field(ge=1, le=5)
    parking: int = Field(ge=1, le=5)
    attitude: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


class EvaluationOut(Schema):
    id: int
    period_id: int
    compound: Ref
    company: Ref
    household_id: int


class RankingRow(Schema):
    rank: int
    company: Ref
    responses: int
    resident_score: Money | None
    appeal_score: Money | None
    total: Money | None


class EvaluationResultsOut(Schema):
    period: EvaluationPeriodOut
    compounds: list[dict[str, str | int | None]]
    ranking: list[RankingRow]


class CoverageRow(Schema):
    kind: str
    id: int
    name: str
    total: int
    managed: int
    managed_rate: float
    modes: dict[str, int]
    committees: dict[str, int]


class CoverageMonth(Schema):
    month: str
    counts: list[int] = Field(description="按 professional、fallback、self_governed、unmanaged 顺序")
    total: int
    managed: int


class CoverageBoardOut(Schema):
    node: CoverageRow
    children: list[CoverageRow]
    months: list[CoverageMonth]
    unmanaged: list[dict[str, str | int]]
    committee_formed: int
    committee_preparing: int
