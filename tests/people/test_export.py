"""Exporting residents in the import's shape: scoped to what the user may see, personal data masked
unless the user may unmask it (each full read logged), and an export re-imports without changes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from guanjia.core.models import PiiAccessLog
from guanjia.people import permissions as perms
from guanjia.people.exports import build_template, export_residents, template_bytes
from guanjia.people.imports import COLUMNS, import_residents
from guanjia.people.models import Person
from guanjia.people.permissions import unmask_q
from tests.people.test_import import resident_rows, write_file


def xlsx_rows(data: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert tuple(header) == COLUMNS
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["姓名"]: row for row in rows}


def reimport(tmp_path: Path, data: bytes, suffix: str, user: Any) -> Any:
    path = tmp_path / f"export{suffix}"
    path.write_bytes(data)
    return import_residents(user=user, path_or_file=path)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(world, tmp_path, kind):
    # given the world plus some imported residents with areas, grids, phones, party members
    import_residents(user=None, path_or_file=write_file(tmp_path / "seed.csv", resident_rows(40)))
    # when everything is exported and imported again
    report = reimport(tmp_path, export_residents(user=None, kind=kind), f".{kind}", None)
    # then every row is good and nothing changes
    assert report.ok, report.summary()
    assert report.rows_read == 44
    assert report.created == 0 and report.updated == 0


def test_secretary_round_trip_within_their_community(world, tmp_path):
    secretary = world.user("secretary")
    data = export_residents(user=secretary)
    assert set(by_name(xlsx_rows(data))) == {"alice的姓名", "bob的姓名", "carol的姓名"}
    report = reimport(tmp_path, data, ".xlsx", secretary)
    assert report.ok and not report.changed


def test_secretary_export_is_full_and_every_person_read_is_logged(world):
    rows = by_name(xlsx_rows(export_residents(user=world.user("secretary"))))
    alice = rows["alice的姓名"]
    assert (alice["手机号"], alice["证件号码"]) == ("13812345678", "110101199003074514")
    logs = PiiAccessLog.objects.filter(actor=world.user("secretary"), via="export")
    assert sorted(logs.values_list("person__name", "field")) == [
        ("alice的姓名", "id_number"),
        ("alice的姓名", "phone"),
        ("bob的姓名", "phone"),
        ("carol的姓名", "phone"),
    ]


def test_property_staff_export_is_masked_and_logs_nothing(world, tmp_path):
    data = export_residents(user=world.user("property"))
    rows = by_name(xlsx_rows(data))
    assert set(rows) == {"alice的姓名", "bob的姓名"}  # only their compound
    assert (rows["alice的姓名"]["手机号"], rows["alice的姓名"]["证件号码"]) == (
        "138****5678",
        "1101**********4514",
    )
    assert not PiiAccessLog.objects.exists()
    # a masked export can't be fed back in: the masked numbers are refused, row by row
    report = reimport(tmp_path, data, ".xlsx", world.user("secretary"))
    assert {(e.column, "星号" in e.message) for e in report.errors} == {("证件号码", True), ("手机号", True)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cadre2", {"carol的姓名"}),
        ("grid1", {"alice的姓名", "bob的姓名"}),
        ("alice", {"alice的姓名"}),
        ("official2", {"dave的姓名"}),
        ("official", {"alice的姓名", "bob的姓名", "carol的姓名"}),
        ("admin", {"alice的姓名", "bob的姓名", "carol的姓名", "dave的姓名"}),
    ],
)
def test_export_is_scoped_to_what_the_user_may_see(world, name, expected):
    assert set(by_name(xlsx_rows(export_residents(user=world.user(name))))) == expected


def test_resident_sees_own_numbers_in_full_but_not_the_neighbours(world):
    rows = by_name(xlsx_rows(export_residents(user=world.user("bob"))))
    assert set(rows) == {"bob的姓名"} and rows["bob的姓名"]["手机号"] == "13900001111"


def test_bulk_unmask_rule_agrees_with_can_unmask(world):
    people = list(Person.objects.all())
    for name in ["alice", "bob", "grid1", "grid2", "cadre1", "cadre2", "secretary", "property", "official"]:
        scope = perms.scope_for(world.user(name))
        bulk = set(Person.objects.filter(unmask_q(scope)).values_list("pk", flat=True))
        assert bulk == {p.pk for p in people if perms.can_unmask(scope, p.pk)}, name


def test_csv_export_has_bom_and_the_import_columns(world):
    data = export_residents(user=None, kind="csv")
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines()[0].split(",") == list(COLUMNS)


def test_templates_are_shipped_and_import_as_empty(world, tmp_path):
    csv_data = template_bytes("csv")
    assert csv_data == build_template("csv")
    assert csv_data.decode("utf-8-sig").strip().split(",") == list(COLUMNS)
    workbook = load_workbook(io.BytesIO(template_bytes("xlsx")))
    assert workbook.sheetnames == ["居民信息", "填写说明"]
    assert [c.value for c in workbook["居民信息"][1]] == list(COLUMNS)
    for kind in ("xlsx", "csv"):
        report = reimport(tmp_path, template_bytes(kind), f".{kind}", None)
        assert report.ok and report.rows_read == 0


def test_export_command_writes_the_file(world, tmp_path, capsys):
    path = tmp_path / "out.xlsx"
    call_command("export_residents", str(path), "--user", "cadre2")
    assert set(by_name(xlsx_rows(path.read_bytes()))) == {"carol的姓名"}
    assert "已导出" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("export_residents", str(tmp_path / "out.pdf"))
