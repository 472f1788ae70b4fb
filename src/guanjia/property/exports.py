"""Excel export of a contract's accounts for its operators: collection by period, arrears, payments."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db.models import QuerySet

from guanjia.places.models import Dwelling
from guanjia.property.accounts import Account, arrears, collection
from guanjia.property.models import Payment, ServiceContract
from guanjia.property.periods import period_label


def dwelling_labels(ids: list[int]) -> dict[int, str]:
    rows = Dwelling.objects.filter(pk__in=ids).values_list(
        "pk", "entrance__building__name", "entrance__name", "number"
    )
    return {pk: f"{b} {e} {n}" for pk, b, e, n in rows}


def contract_workbook(
    contract: ServiceContract,
    accounts: dict[tuple[int, int], Account],
    payments: QuerySet[Payment],
    as_of: dt.date,
) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    periods = sorted({(p.start, p.end) for acc in accounts.values() for p in acc.periods})
    sheet: Any = book.create_sheet("收缴率")
    sheet.append(["账期", "应收（元）", "实收（元）", "收缴率（%）", "户数", "已缴清户数"])
    for start, end in periods:
        c = collection(accounts.values(), start, start).get(None)
        if c is not None:
            sheet.append([period_label(start, end), c.charged, c.collected, c.rate, c.accounts, c.settled])
    owing = arrears(accounts.values(), as_of)
    labels = dwelling_labels([a.dwelling_id for a in owing])
    sheet = book.create_sheet("欠费清单")
    sheet.append(["房屋", "欠费（元）", "欠费期数", "缴至", "最近缴费日"])
    for acc in owing:
        sheet.append(
            [
                labels.get(acc.dwelling_id, ""),
                acc.overdue(as_of),
                acc.overdue_periods(as_of),
                acc.paid_up_to,
                acc.last_paid_on,
            ]
        )
    sheet = book.create_sheet("缴费记录")
    sheet.append(["收据号", "房屋", "金额（元）", "方式", "交易单号", "缴费日期", "状态"])
    rows = list(payments.select_related("dwelling__entrance__building").order_by("paid_on", "id"))
    for p in rows:
        d = p.dwelling
        sheet.append(
            [p.receipt_number or "", f"{d.entrance.building.name} {d.entrance.name} {d.number}", p.amount,
             p.get_method_display(), p.reference, p.paid_on, p.get_status_display()]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
