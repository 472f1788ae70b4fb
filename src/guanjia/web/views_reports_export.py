"""The KPI report as an Excel workbook (openpyxl): an overview sheet, one sheet per ranking table, and
the monthly trend. Rates are written as numbers with a percent format, so they can be summed and charted."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from guanjia.appeals import kpis, kpis_rankings

if TYPE_CHECKING:
    from guanjia.web.views_reports import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"


def columns() -> list[tuple[str, str]]:
    """(attribute, heading) of every figure, in the order of the page."""
    return [
        ("submitted", _("提交")),
        ("withdrawn", _("撤回")),
        ("rejected", _("不予受理")),
        ("counted", _("计入")),
        ("response_rate", _("响应率")),
        ("resolution_rate", _("解决率")),
        ("on_time_rate", _("按时办结率")),
        ("reopen_rate", _("重办率")),
        ("satisfaction_rate", _("满意率")),
        ("composite", _("综合得分")),
        ("median_response_hours", _("响应时长中位数(小时)")),
        ("median_resolution_hours", _("办结时长中位数(小时)")),
        ("rated", _("已评价")),
        ("satisfied", _("满意")),
        ("basic", _("基本满意")),
        ("unsatisfied", _("不满意")),
    ]


def _values(k: kpis.Kpis) -> list[Any]:
    out: list[Any] = []
    for attr, _heading in columns():
        value = getattr(k, attr)
        out.append(round(value, 2) if isinstance(value, float) and attr not in kpis.RATES else value)
    return out


def _sheet(wb: Workbook, title: str, head: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    rate_columns = [
        i + len(head) - len(columns()) + 1 for i, (a, _h) in enumerate(columns()) if a in kpis.RATES
    ]
    for col in rate_columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = PERCENT
    ws.freeze_panes = "A2"
    for letter in [c.column_letter for c in ws[1]]:
        ws.column_dimensions[letter].width = 14


def workbook(report: Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    heads = [h for _a, h in columns()]
    period = f"{report.period.first_day:%Y-%m-%d} — {report.period.last_day:%Y-%m-%d}"
    _sheet(
        wb,
        _("概览"),
        [_("范围"), _("期间"), *heads],
        [[report.scope.label, period, *_values(report.figures)]],
    )
    for key, label in kpis_rankings.TABLES.items():
        rows = [[r.rank, r.label, *_values(r.kpis)] for r in report.rankings[key]]
        _sheet(wb, str(label), [_("名次"), _("名称"), *heads], rows)
    _sheet(wb, _("月度趋势"), [_("月份"), *heads], [[f"{m:%Y-%m}", *_values(k)] for m, k in report.trend])
    notes = wb.create_sheet(_("口径"))
    notes.append([_("指标定义见 docs/kpis.md；按提交时间统计，撤回不计入，不予受理只计入响应。")])
    notes.append([_("综合得分 = 100 ×（响应率、解决率、满意率的加权平均）")])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_response(report: Report) -> HttpResponse:
    response = HttpResponse(workbook(report), content_type=XLSX)
    name = f"appeal-kpis-{report.scope.kind}-{report.scope.pk}-{report.period.first_day:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
