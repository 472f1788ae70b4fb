"""Reading a residents sheet (.xlsx or .csv) into numbered rows, and turning Excel cells into values.

Part of the residents import (people.imports); no database access here. Row numbers are the ones the
user sees in Excel: the header is row 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

REQUIRED = ("社区", "小区", "楼栋", "单元", "房号", "姓名", "关系")
OPTIONAL = (
    "证件号码",
    "手机号",
    "不动产登记面积",
    "实测面积",
    "合同面积",
    "产权人类型",
    "出生日期",
    "是否党员",
    "网格",
)
COLUMNS = REQUIRED + OPTIONAL
# The sheet the template names; any other workbook is read from its first sheet.
SHEET_NAME = "居民信息"

CENT = Decimal("0.01")
MAX_AREA = Decimal("99999999.99")
_FLOAT_NOISE = Decimal("1e-9")
_AREA_UNITS = ("平方米", "平米", "㎡", "m²", "m2")
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")

Source = str | Path | IO[bytes]


class FileProblem(Exception):
    """The file as a whole can't be read (wrong type, broken, missing columns): one message, no rows."""

    def __init__(self, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.row = row  # the header row when a column is missing; 0 when the file is unreadable


class CellProblem(ValueError):
    """One cell holds a value of the wrong shape; the message is shown to the user."""


@dataclass(frozen=True)
class Table:
    header: dict[str, int]  # column name → index in each row
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (Excel row number, raw cell values)


def open_table(source: Source, filename: str = "") -> Table:
    """The header and an iterator of the data rows of an .xlsx or .csv file."""
    name = filename or getattr(source, "name", "") or str(source)
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        lines = _csv_records(_read_bytes(source))
    elif suffix in {".xlsx", ".xlsm"}:
        lines = _xlsx_records(source)
    elif suffix in {".xls", ".et", ".wps"}:
        raise FileProblem(_("不支持旧版Excel格式（.xls），请在Excel中另存为 .xlsx 或 .csv 后再导入"))
    else:
        raise FileProblem(_("只能导入 .xlsx 或 .csv 文件"))
    for number, values in lines:
        if not all(_blank(v) for v in values):
            return Table(_header(number, values), lines)
    raise FileProblem(_("文件是空的：没有表头"))


def _header(number: int, values: tuple[Any, ...]) -> dict[str, int]:
    header: dict[str, int] = {}
    for index, value in enumerate(values):
        name = cell_text(value).lstrip("\ufeff").strip()
        if not name:
            continue
        if name in header:
            raise FileProblem(_("表头中“%(name)s”列出现了两次") % {"name": name}, number)
        header[name] = index
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileProblem(
            _("缺少必填列：%(columns)s（表头应在第一行，可下载导入模板对照）")
            % {"columns": "、".join(missing)},
            number,
        )
    return header


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    source.seek(0)
    return source.read()


def _csv_records(data: bytes) -> Iterator[tuple[int, tuple[Any, ...]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK (a subset of GB18030).
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise FileProblem(_("无法识别CSV文件的编码，请另存为“CSV UTF-8”格式")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    # Excel numbers records, not physical lines: a quoted cell may span lines.
    return ((number, tuple(record)) for number, record in enumerate(reader, start=1))


def _xlsx_records(source: Source) -> Iterator[tuple[int, tuple[Any, ...]]]:
    from zipfile import BadZipFile

    from guanjia.people.import_xlsx import XlsxLayout, sheet_rows

    handle = str(source) if isinstance(source, str | Path) else _rewound(source)
    try:
        return sheet_rows(handle, SHEET_NAME)
    except BadZipFile as exc:
        raise FileProblem(_("无法读取该Excel文件，请确认是 .xlsx 格式且未加密")) from exc
    except XlsxLayout:
        return _openpyxl_records(source)


def _openpyxl_records(source: Source) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The slower, more forgiving reader, for workbooks laid out unusually."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        handle = source if isinstance(source, str | Path) else _rewound(source)
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(_("无法读取该Excel文件，请确认是 .xlsx 格式且未加密")) from exc
    sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    # Some programs write a wrong <dimension>; trusting it would cut the sheet short.
    sheet.reset_dimensions()

    def records() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        finally:
            workbook.close()

    return records()


def _rewound(handle: IO[bytes]) -> IO[bytes]:
    handle.seek(0)
    return handle


# --- cells ---------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: Excel hands numbers over as int or float (房号 101 → 101.0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_area(value: Any) -> Decimal:
    """A floor area in m²: positive, at most two decimals, as Decimal (never via binary float maths)."""
    if isinstance(value, bool):
        raise CellProblem(_("应为数字"))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellProblem(_("应为数字"))
        # repr() is the shortest text that gives back the same float: what the user typed.
        area = Decimal(repr(value))
        if area != area.quantize(CENT) and abs(area - area.quantize(CENT)) < _FLOAT_NOISE:
            area = area.quantize(CENT)  # 0.1+0.2-style noise from an Excel formula
    elif isinstance(value, int):
        area = Decimal(value)
    else:
        text = cell_text(value).replace(",", "")
        for unit in _AREA_UNITS:
            text = text.removesuffix(unit).strip()
        try:
            area = Decimal(text)
        except InvalidOperation as exc:
            raise CellProblem(_("应为数字（单位：平方米）")) from exc
        if not area.is_finite():
            raise CellProblem(_("应为数字（单位：平方米）"))
    if area != area.quantize(CENT):
        raise CellProblem(_("最多保留两位小数"))
    if area <= 0:
        raise CellProblem(_("应大于0"))
    if area > MAX_AREA:
        raise CellProblem(_("数值过大"))
    return area.quantize(CENT)


def parse_date(value: Any, today: dt.date | None = None) -> dt.date:
    """A birth date: an Excel date cell, or YYYY-MM-DD, YYYY/M/D, YYYYMMDD; not in the future."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = cell_text(value)
        match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
        if not match:
            raise CellProblem(_("应为日期，如 1990-03-07、1990/3/7 或 19900307"))
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise CellProblem(_("不是有效的日期")) from exc
    if day > (today or timezone.localdate()):
        raise CellProblem(_("不能晚于今天"))
    if day.year < 1900:
        raise CellProblem(_("早于1900年，请核对"))
    return day


def parse_yes_no(value: Any) -> bool:
    text = cell_text(value)
    if text == "是":
        return True
    if text == "否":
        return False
    raise CellProblem(_("应填“是”或“否”"))


def number_text(value: Any, column: str) -> str:
    """ID and phone numbers must arrive as text: Excel keeps only 15 significant digits of a number."""
    if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e15):
        raise CellProblem(
            _("被Excel存成了数字，末几位已丢失；请把%(column)s列设为文本格式后重新填写") % {"column": column}
        )
    return cell_text(value)
