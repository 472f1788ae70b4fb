"""Importing residents from a spreadsheet: every bad row reported in Chinese, good rows upserted by
natural key, a second import of the same file changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from guanjia.core import pii
from guanjia.core.models import AuditEntry
from guanjia.people.import_read import CellProblem, parse_area, parse_date
from guanjia.people.imports import COLUMNS, import_residents
from guanjia.people.models import Household, Person, Residency, Role
from guanjia.places.models import Building, Compound, Dwelling, ManagementMode
from tests.factories import make_staff

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰红"


def id_number(n: int) -> str:
    """A valid, unique citizen ID for synthetic person n (birth date derived from n)."""
    born = dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000)
    first17 = f"110101{born:%Y%m%d}{n // 20000 % 1000:03d}"
    return first17 + pii.id_check_digit(first17)


def resident_rows(count: int, community: str = "东社区") -> list[dict[str, Any]]:
    """`count` rows of 1–3 person households in a few new compounds; no two rows clash."""
    rows: list[dict[str, Any]] = []
    h = 0
    while len(rows) < count:
        area = Decimal(60 + h % 70) + Decimal(h % 100) / 100
        dwelling = {
            "社区": community,
            "小区": f"新村{h // 2000 + 1}区",
            "楼栋": f"{h // 40 % 50 + 1}号楼",
            "单元": f"{h // 10 % 4 + 1}单元",
            "房号": f"{h % 10 // 2 + 1}0{h % 2 + 1}",
            "不动产登记面积": f"{area:.2f}",
            "实测面积": f"{area + 1:.2f}" if h % 3 == 2 else "",
            "网格": "01" if h % 2 == 0 else "月季网格",
        }
        for member in range(1 + h % 3):
            n = len(rows)
            with_id = n % 10 != 9
            rows.append(
                {
                    **dwelling,
                    "姓名": f"{SURNAMES[n % 20]}{GIVEN[n // 20 % len(GIVEN)]}{n}",
                    "关系": "租户" if h % 7 == 6 else ("业主" if member == 0 else "家庭成员"),
                    "证件号码": id_number(n) if with_id else "",
                    "手机号": f"139{n:08d}" if n % 3 == 0 else "",
                    "产权人类型": "单位" if h % 50 == 49 and member == 0 else "个人",
                    "出生日期": str(dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000)) if with_id else "",
                    "是否党员": "是" if n % 11 == 0 else "否",
                    "合同面积": "",
                }
            )
            if len(rows) == count:
                break
        h += 1
    return rows


def write_file(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = COLUMNS, **kw: Any) -> Path:
    if path.suffix == ".csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([[row.get(c, "") for c in columns] for row in rows])
        path.write_bytes(out.getvalue().encode(kw.get("encoding", "utf-8-sig")))
        return path
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民信息")
    sheet.append(list(columns))
    for row in rows:
        sheet.append([(row.get(c) if row.get(c) != "" else None) for c in columns])
    workbook.save(path)
    return path


def spoil(rows: list[dict[str, Any]]) -> dict[int, str]:
    """Spoil 20 rows, one column each, in as many ways; return {row number in Excel: column}."""
    bad: dict[int, str] = {}

    def at(index: int, column: str, value: Any) -> None:
        rows[index][column] = value
        bad[index + 2] = column

    at(101, "姓名", "")
    at(502, "关系", "房东")
    good_id = rows[903]["证件号码"]
    at(903, "证件号码", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    at(1204, "手机号", "1234567")
    at(1505, "不动产登记面积", "-5")
    at(1806, "实测面积", "88.123")
    at(2107, "合同面积", "约九十")
    at(2408, "产权人类型", "公司")
    at(2709, "出生日期", "2099-01-01")
    at(3010, "出生日期", "1990-02-30")
    at(3311, "是否党员", "Y")
    at(3612, "社区", "不存在的社区")
    at(3913, "社区", "西社区")  # exists, but the secretary of 东社区 may not fill it
    at(4214, "网格", "99")
    at(4515, "房号", "1" * 21)
    at(4816, "小区", "")
    # Rows that contradict an earlier row of the same household:
    second = next(i for i in range(6000, 7000) if _same_household(rows, i - 1, i) and rows[i]["实测面积"])
    at(second, "实测面积", "999.00")
    dup = next(i for i in range(7000, 8000) if _same_household(rows, i - 1, i) and rows[i - 1]["证件号码"])
    rows[dup] = dict(rows[dup - 1])
    bad[dup + 2] = "姓名"
    noid = next(i for i in range(8000, 9000) if _same_household(rows, i - 1, i) and not rows[i]["证件号码"])
    at(noid, "姓名", rows[noid - 1]["姓名"])
    # One ID number, two names (in another household): the second is refused.
    other = rows[9500]
    takes = next(i for i in range(9600, 9700) if rows[i]["证件号码"] and not _same_household(rows, 9500, i))
    for column in ("证件号码", "出生日期", "手机号", "是否党员", "产权人类型"):
        rows[takes][column] = other[column]
    bad[takes + 2] = "姓名"
    assert len(bad) == 20
    return bad


def _same_household(rows: list[dict[str, Any]], i: int, j: int) -> bool:
    keys = ("小区", "楼栋", "单元", "房号")
    return all(rows[i][k] == rows[j][k] for k in keys)


def counts(report: Any) -> dict[str, tuple[int, int, int]]:
    return {k: (c.created, c.updated, c.unchanged) for k, c in report.counts.items()}


@pytest.mark.slow
def test_ten_thousand_rows_with_twenty_bad_ones(world, tmp_path):
    # given a 10,000-row workbook with 20 bad rows
    rows = resident_rows(10_000)
    bad = spoil(rows)
    path = write_file(tmp_path / "居民.xlsx", rows)
    secretary = world.user("secretary")
    people_before, audit_before = Person.objects.count(), AuditEntry.objects.count()

    # when checked (dry run) then every bad row is reported, and nothing is written
    report = import_residents(user=secretary, path_or_file=path, filename=path.name, dry_run=True)
    assert {(e.row, e.column) for e in report.errors} == set(bad.items())
    assert report.bad_rows == sorted(bad)
    assert report.rows_read == 10_000 and report.rows_ok == 9_980
    assert report.counts["residency"].created == 9_980
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people_before, audit_before)
    assert str(next(e for e in report.errors if e.column == "手机号")).startswith(
        f"第{1206}行 手机号：应为11位手机号"
    )

    # when imported then the good rows are in, the bad ones skipped and reported again
    report = import_residents(user=secretary, path_or_file=path, filename=path.name, dry_run=False)
    assert report.bad_rows == sorted(bad)
    assert report.counts["residency"].created == 9_980
    assert report.counts["person"].created == 9_980
    assert Person.objects.count() == people_before + 9_980
    assert Compound.objects.filter(name__startswith="新村").count() == 3
    assert AuditEntry.objects.filter(via="import", actor=secretary).count() > 9_980 * 2

    # when imported again then nothing changes and nothing is logged
    audit_after = AuditEntry.objects.count()
    again = import_residents(user=secretary, path_or_file=path, filename=path.name, dry_run=False)
    assert again.created == 0 and again.updated == 0
    assert again.counts["residency"].unchanged == 9_980
    assert AuditEntry.objects.count() == audit_after


def small_rows() -> list[dict[str, Any]]:
    return resident_rows(12)


def test_csv_and_xlsx_import_the_same(world, tmp_path):
    rows = small_rows()
    results = []
    for suffix in (".csv", ".xlsx"):
        path = write_file(tmp_path / f"居民{suffix}", rows)
        report = import_residents(user=None, path_or_file=path, filename=path.name)
        assert report.ok, report.summary()
        results.append(counts(report))
    assert results[0]["residency"] == (12, 0, 0)
    assert results[1]["residency"] == (0, 0, 12)
    assert results[1]["person"] == (0, 0, 12)


def test_gb18030_csv_from_chinese_excel(world, tmp_path):
    rows = small_rows()
    path = write_file(tmp_path / "居民.csv", rows, encoding="gb18030")
    report = import_residents(user=None, path_or_file=path, filename=path.name)
    assert report.ok, report.summary()
    assert Person.objects.filter(name=rows[0]["姓名"]).exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_uploaded_file_object_is_accepted(world, tmp_path, suffix):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = write_file(tmp_path / f"x{suffix}", small_rows()).read_bytes()
    upload = SimpleUploadedFile(f"上传{suffix}", data)
    report = import_residents(user=None, path_or_file=upload, filename=upload.name, dry_run=True)
    assert report.ok and report.filename == f"上传{suffix}" and report.rows_ok == 12


def test_changed_phone_updates_one_person_and_is_audited(world, tmp_path):
    rows = small_rows()
    import_residents(user=None, path_or_file=write_file(tmp_path / "a.csv", rows))
    rows[3]["手机号"] = "13512345678"
    before = AuditEntry.objects.count()
    report = import_residents(user=world.user("admin"), path_or_file=write_file(tmp_path / "b.csv", rows))
    assert counts(report)["person"] == (0, 1, 11)
    assert report.created == 0 and report.updated == 1
    person = Person.objects.get(phone_hash=pii.lookup_hash("phone", "13512345678"))
    assert person.name == rows[3]["姓名"] and person.phone_masked == "135****5678"
    entry = AuditEntry.objects.get(action="update", model="people.person", object_pk=str(person.pk))
    assert entry.via == "import" and entry.actor == world.user("admin")
    assert entry.changes["phone_hash"] == ["…", "…"]
    assert "13512345678" not in str(entry.changes)
    assert AuditEntry.objects.count() == before + 2  # the person, and the import itself


def test_created_objects_are_in_the_change_log_without_personal_data(world, tmp_path):
    from django.utils import timezone

    rows = small_rows()
    secretary = world.user("secretary")
    import_residents(user=secretary, path_or_file=write_file(tmp_path / "a.csv", rows))
    person = Person.objects.get(name=rows[0]["姓名"])
    entry = AuditEntry.objects.get(model="people.person", object_pk=str(person.pk))
    assert (entry.action, entry.via, entry.actor, entry.object_repr) == (
        "create",
        "import",
        secretary,
        person.name,
    )
    assert entry.changes["name"] == [None, person.name]
    assert entry.changes["phone_masked"] == [None, person.phone_masked]
    assert rows[0]["手机号"] not in str(entry.changes) and "phone_enc" not in entry.changes
    assert abs(timezone.now() - entry.at).total_seconds() < 60
    kinds = set(AuditEntry.objects.filter(via="import").values_list("model", flat=True))
    assert kinds >= {f"places.{k}" for k in ("compound", "building", "entrance", "dwelling")} | {
        "people.household",
        "people.person",
        "people.residency",
    }


def test_empty_optional_cell_keeps_what_is_stored(world, tmp_path):
    rows = small_rows()
    import_residents(user=None, path_or_file=write_file(tmp_path / "a.csv", rows))
    for row in rows:
        row["手机号"] = row["不动产登记面积"] = row["网格"] = ""
    report = import_residents(user=None, path_or_file=write_file(tmp_path / "b.csv", rows))
    assert report.created == 0 and report.updated == 0
    assert Person.objects.filter(name=rows[0]["姓名"]).get().phone_masked


def test_secretary_of_another_community_gets_row_errors(world, tmp_path):
    west = make_staff("west_secretary", Role.SECRETARY, world.west_community).user
    west_rows = [
        {**r, "网格": "", "证件号码": "", "出生日期": ""} for r in resident_rows(2, community="西社区")
    ]
    rows = [*resident_rows(3, community="东社区"), *west_rows]
    path = write_file(tmp_path / "x.csv", rows)
    report = import_residents(user=west, path_or_file=path)
    # 东社区 is outside what west_secretary may see, so the message doesn't even confirm it exists
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (r, "社区", "未找到该社区（请核对名称，或确认您有权查看）") for r in (2, 3, 4)
    ]
    assert report.counts["residency"].created == 2
    assert not Compound.objects.filter(community=world.community, name__startswith="新村").exists()


@pytest.mark.parametrize("name", ["property", "grid1", "cadre1", "official", "alice"])
def test_roles_that_may_not_change_the_registry_import_nothing(world, tmp_path, name):
    path = write_file(tmp_path / "x.csv", small_rows())
    report = import_residents(user=world.user(name), path_or_file=path)
    assert report.rows_ok == 0 and len(report.bad_rows) == 12
    assert {(e.column, e.message) for e in report.errors} == {("社区", "无权导入该社区的数据")}
    assert not Compound.objects.filter(name__startswith="新村").exists()


def test_missing_required_column_is_one_error_for_the_file(world, tmp_path):
    columns = tuple(c for c in COLUMNS if c not in {"关系", "房号"})
    path = write_file(tmp_path / "x.xlsx", small_rows(), columns=columns)
    report = import_residents(user=None, path_or_file=path, dry_run=True)
    assert len(report.errors) == 1 and report.rows_read == 0
    assert "缺少必填列：房号、关系" in report.file_error
    assert report.errors[0].row == 1


def test_unreadable_files_are_refused_clearly(world, tmp_path):
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "另存为 .xlsx" in import_residents(user=None, path_or_file=old).file_error
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"not a zip")
    assert "无法读取" in import_residents(user=None, path_or_file=broken).file_error


def test_upsert_by_natural_key_into_existing_places(world, tmp_path):
    # given alice's flat (阳光小区 A-101), a row naming it with a new family member and alice by ID
    building = world.a101.entrance.building
    base = {"社区": "东社区", "小区": "阳光小区", "楼栋": building.name, "单元": "1单元", "房号": "101"}
    rows = [
        {**base, "姓名": "alice的姓名", "关系": "业主", "证件号码": "110101199003074514", "实测面积": "90.5"},
        {**base, "姓名": "新成员", "关系": "家庭成员", "网格": "阳光一网格"},
    ]
    report = import_residents(user=world.user("secretary"), path_or_file=write_file(tmp_path / "x.csv", rows))
    assert report.ok, report.summary()
    assert counts(report)["dwelling"] == (0, 1, 0)
    assert counts(report)["person"] == (1, 0, 1)
    assert counts(report)["residency"] == (1, 0, 1)
    assert Dwelling.objects.get(pk=world.a101.pk).area_surveyed == Decimal("90.50")
    household = Household.objects.get(dwelling=world.a101)
    assert set(household.residencies.values_list("person__name", flat=True)) == {"alice的姓名", "新成员"}


def test_person_is_found_by_id_number_across_households_and_gets_an_id_later(world, tmp_path):
    rows = resident_rows(4)
    owner = dict(rows[0])
    elsewhere = {
        **rows[3],
        "姓名": owner["姓名"],
        "证件号码": owner["证件号码"],
        "出生日期": owner["出生日期"],
    }
    elsewhere["手机号"], elsewhere["是否党员"], elsewhere["产权人类型"] = (
        owner["手机号"],
        owner["是否党员"],
        "个人",
    )
    rows[0]["证件号码"] = rows[0]["出生日期"] = ""
    import_residents(user=None, path_or_file=write_file(tmp_path / "a.csv", rows[:3]))
    rows[0]["证件号码"], rows[0]["出生日期"] = owner["证件号码"], owner["出生日期"]
    report = import_residents(user=None, path_or_file=write_file(tmp_path / "b.csv", [*rows[:3], elsewhere]))
    assert report.ok, report.summary()
    assert counts(report)["person"] == (0, 1, 2)  # the owner got an ID number instead of a twin
    assert counts(report)["residency"] == (1, 0, 3)  # and now lives in a second household
    person = Person.objects.get(id_number_hash=pii.lookup_hash("id_number", owner["证件号码"]))
    assert person.residencies.count() == 2


def test_compounds_made_by_import_are_unmanaged_until_the_admin_decides(world, tmp_path):
    import_residents(user=None, path_or_file=write_file(tmp_path / "x.csv", small_rows()))
    assert set(
        Compound.objects.filter(name__startswith="新村").values_list("management_mode", flat=True)
    ) == {ManagementMode.UNMANAGED}
    assert Building.objects.filter(compound__name__startswith="新村").exists()


def test_excel_cells_as_numbers_and_dates(world, tmp_path):
    row = {
        **resident_rows(1)[0],
        "房号": 1502,
        "手机号": 13912345678,
        "不动产登记面积": 88.5,
        "实测面积": 0.1 + 90.2,
        "出生日期": dt.datetime(1990, 3, 7),  # noqa: DTZ001 - what openpyxl gives for a date cell
    }
    row["证件号码"] = "110101199003074514"
    report = import_residents(user=None, path_or_file=write_file(tmp_path / "x.xlsx", [row]))
    assert report.ok, report.summary()
    dwelling = Dwelling.objects.get(number="1502")
    assert (dwelling.area_registered, dwelling.area_surveyed) == (Decimal("88.50"), Decimal("90.30"))
    assert Person.objects.get(name=row["姓名"]).birth_date == dt.date(1990, 3, 7)
    row["证件号码"] = 110101199003074514.0  # Excel kept it as a number: the last digits are gone
    report = import_residents(user=None, path_or_file=write_file(tmp_path / "y.xlsx", [row]), dry_run=True)
    assert [(e.column, "文本格式" in e.message) for e in report.errors] == [("证件号码", True)]


def test_header_names_are_trimmed_and_order_is_free(world, tmp_path):
    columns = tuple(reversed(COLUMNS))
    path = tmp_path / "x.csv"
    rows = small_rows()
    body = io.StringIO(newline="")
    writer = csv.writer(body)
    writer.writerow([f" {c} " for c in columns])
    writer.writerows([[r.get(c, "") for c in columns] for r in rows])
    path.write_text(body.getvalue(), encoding="utf-8")
    report = import_residents(user=None, path_or_file=path, dry_run=True)
    assert report.ok, report.summary()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("88.5", "88.50"), (88.55, "88.55"), (0.1 + 0.2, "0.30"), (120, "120.00"), ("95.00㎡", "95.00")],
)
def test_areas_are_decimals_with_two_places(value, expected):
    assert parse_area(value) == Decimal(expected)


@pytest.mark.parametrize("value", ["0", "-1", "88.123", 88.125, "abc", "NaN", float("inf")])
def test_bad_areas(value):
    with pytest.raises(CellProblem):
        parse_area(value)


@pytest.mark.parametrize("text", ["1990-03-07", "1990/3/7", "19900307", "1990.3.7", "1990年3月7日"])
def test_birth_dates(text):
    assert parse_date(text) == dt.date(1990, 3, 7)


def test_dry_run_command_lists_errors_and_exits_1(world, tmp_path, capsys):
    rows = small_rows()
    rows[2]["手机号"] = "12345"
    path = write_file(tmp_path / "x.csv", rows)
    with pytest.raises(SystemExit) as exit_:
        call_command("import_residents", str(path), "--dry-run")
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "第4行 手机号：应为11位手机号或带区号的固定电话" in out and "试运行" in out
    assert not Residency.objects.filter(person__name=rows[0]["姓名"]).exists()

    call_command("import_residents", str(path), "--user", "secretary")
    out = capsys.readouterr().out
    assert "第4行 手机号" in out and "可导入 11 行" in out
    assert Residency.objects.filter(person__name=rows[0]["姓名"]).exists()


def test_fast_xlsx_reader_gives_what_openpyxl_gives(tmp_path):
    from openpyxl import Workbook, load_workbook

    from guanjia.people.import_read import _openpyxl_records
    from guanjia.people.import_xlsx import sheet_rows

    # given a workbook as Excel writes it: shared strings, styles, gaps, dates, a sheet before ours
    workbook = Workbook()
    workbook.active.title = "封面"
    workbook.active["A1"] = "不是这一页"
    sheet = workbook.create_sheet("居民信息")
    sheet.append(["社区", "房号", "面积", "日期", "布尔", "公式"])
    sheet.append(["东社区", 1502, 88.5, dt.date(1990, 3, 7), True, "=1+1"])
    sheet["C2"].number_format = "0.00"
    sheet["B4"] = "隔一行"
    sheet["F4"] = dt.datetime(2020, 1, 2, 3, 4, 5)  # noqa: DTZ001 - Excel cells have no time zone
    path = tmp_path / "x.xlsx"
    workbook.save(path)

    # when read both ways then the values agree, row numbers included
    fast = [(n, _trimmed(v)) for n, v in sheet_rows(str(path), "居民信息")]
    slow = [(n, _trimmed(v)) for n, v in _openpyxl_records(path) if any(x is not None for x in v)]
    assert [(n, v) for n, v in fast if v] == slow
    assert slow[1] == (2, ("东社区", 1502, 88.5, dt.datetime(1990, 3, 7), True))  # noqa: DTZ001
    assert load_workbook(path).sheetnames == ["封面", "居民信息"]


def _trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    values = tuple(values)
    while values and values[-1] is None:
        values = values[:-1]
    return values


def test_a_clash_with_a_concurrent_import_writes_nothing_and_says_so(world, tmp_path, monkeypatch):
    from django.db import IntegrityError

    from guanjia.people import import_write

    def clash(self: Any) -> None:
        Compound.objects.bulk_create(self.changes["compound"].created)
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(import_write.Upsert, "write", clash)
    report = import_residents(user=None, path_or_file=write_file(tmp_path / "x.csv", small_rows()))
    assert "重新导入" in report.file_error and report.counts == {}
    assert not Compound.objects.filter(name__startswith="新村").exists()
