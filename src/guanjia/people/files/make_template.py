"""Writes the residents import template next to this file:

    .venv/bin/python -m guanjia.people.files.make_template

residents_template.xlsx (drop-down lists, text-formatted number columns, a sheet of instructions) and
residents_template.csv (the header in UTF-8 with BOM, so Excel opens it as Chinese text). Run it
again after changing the import's columns; tests check the shipped files still match."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# (column, what to fill in); the required ones are marked from import_read.REQUIRED.
NOTES = {
    "社区": "社区名称，须与系统中的社区名称完全一致",
    "小区": "小区名称；系统中没有的小区会新建（管理模式先记为“无人管理”，请管理员随后设置）",
    "楼栋": "如：3号楼",
    "单元": "如：1单元",
    "房号": "如：502",
    "姓名": "",
    "关系": "业主 / 家庭成员 / 租户",
    "证件号码": "18位居民身份证号码，末位可为X；请保持文本格式，否则Excel会丢失末几位",
    "手机号": "11位手机号，或带区号的固定电话",
    "不动产登记面积": "平方米，正数，最多两位小数",
    "实测面积": "平方米，正数，最多两位小数",
    "合同面积": "平方米，正数，最多两位小数",
    "产权人类型": "个人 / 建设单位 / 单位",
    "出生日期": "如：1990-03-07（也可写 1990/3/7 或 19900307）",
    "是否党员": "是 / 否",
    "网格": "本社区已有网格的名称、两位序号或网格编码",
}
CHOICES = {
    "关系": "业主,家庭成员,租户",
    "产权人类型": "个人,建设单位,单位",
    "是否党员": "是,否",
}
TEXT_COLUMNS = ("楼栋", "单元", "房号", "证件号码", "手机号", "网格")
EXAMPLE = {
    "社区": "东社区",
    "小区": "阳光小区",
    "楼栋": "3号楼",
    "单元": "1单元",
    "房号": "502",
    "姓名": "张示例",
    "关系": "业主",
    "证件号码": "110101199003074514",
    "手机号": "13800000000",
    "不动产登记面积": "89.50",
    "产权人类型": "个人",
    "出生日期": "1990-03-07",
    "是否党员": "否",
}
GENERAL = [
    "表头必须在第一行；列的顺序可以调整，多余的列会被忽略。",
    "带 * 的列为必填。空白的选填项表示“不提供”，不会清除系统中已有的信息。",
    "同一房屋出现在多行时，面积和网格要么留空，要么填写一致。",
    "有证件号码的人按证件号码识别，没有的按“同一户中的姓名”识别；同一文件重复导入不会产生重复数据。",
    "导入前请先“预检”：系统会列出每一个有问题的行（行号与Excel中一致）、列和原因；有问题的行不会导入。",
]
ROWS = 10000  # how far down the drop-down lists and formats reach


def template_workbook(columns: Sequence[str], required: Sequence[str]) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from guanjia.people.import_read import SHEET_NAME

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.freeze_panes = "A2"
    must = PatternFill("solid", fgColor="FDE9D9")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        if column in required:
            cell.fill = must
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(10, len(column) * 2 + 4) if column != "证件号码" else 22
        if column in TEXT_COLUMNS:
            dimension.number_format = "@"
        if column == "出生日期":
            dimension.number_format = "yyyy-mm-dd"
        if column in CHOICES:
            rule = DataValidation(
                type="list", formula1=f'"{CHOICES[column]}"', allow_blank=True, showErrorMessage=True
            )
            rule.error, rule.errorTitle = f"请从列表中选择：{CHOICES[column]}", column
            sheet.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{ROWS + 1}")
    _instructions(workbook.create_sheet("填写说明"), columns, required)
    workbook.properties.creator = "Guanjia"
    return workbook


def _instructions(sheet: Any, columns: Sequence[str], required: Sequence[str]) -> None:
    from openpyxl.styles import Font

    sheet.append(["居民信息导入模板 · 填写说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in GENERAL:
        sheet.append([line])
    sheet.append([])
    sheet.append(["列", "必填", "填写要求", "示例"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append(
            [column, "*" if column in required else "", NOTES.get(column, ""), EXAMPLE.get(column, "")]
        )
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 6
    sheet.column_dimensions["C"].width = 70
    sheet.column_dimensions["D"].width = 22


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanjia.settings")
    django.setup()
    from guanjia.people.exports import TEMPLATE_NAME, build_template

    for kind in ("xlsx", "csv"):
        path = HERE / f"{TEMPLATE_NAME}.{kind}"
        path.write_bytes(build_template(kind))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
