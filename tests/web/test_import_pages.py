"""Community staff import residents from the web: upload → dry-run report → confirm."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.people.models import Person

CSV_HEADER = "社区,小区,楼栋,单元,房号,姓名,关系\n"


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def fake_import(monkeypatch):
    """Stands in for the import and export services so the pages are tested on their own contract."""
    from guanjia.people import imports

    calls: list[dict[str, Any]] = []

    def import_residents(*, user, path_or_file, filename, dry_run):
        with open(path_or_file, "rb") as f:
            calls.append({"user": user, "filename": filename, "dry_run": dry_run, "data": f.read()})
        return imports.ImportReport(
            filename=filename,
            dry_run=dry_run,
            rows_read=3,
            rows_ok=2,
            errors=[imports.RowError(4, "关系", "应为 业主/家庭成员/租户")],
            counts={"person": imports.KindCount(created=2)},
        )

    monkeypatch.setattr(imports, "import_residents", import_residents)
    return calls


def upload(name="居民.csv", body=CSV_HEADER):
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


def test_dry_run_report_then_confirm(world, fake_import):
    client = world.client("secretary")
    assert "上传并预检" in client.get("/import/residents/").content.decode()

    html = client.post("/import/residents/", {"file": upload()}).content.decode()
    assert fake_import[-1]["dry_run"] is True
    assert fake_import[-1]["filename"] == "居民.csv"
    assert "预检结果" in html and "应为 业主/家庭成员/租户" in html and "确认导入" in html

    html = client.post("/import/residents/confirm/").content.decode()
    assert fake_import[-1]["dry_run"] is False
    assert fake_import[-1]["data"] == CSV_HEADER.encode()
    assert "导入完成" in html

    # The uploaded file is used once: a second confirm asks for a new upload.
    response = client.post("/import/residents/confirm/", follow=True)
    assert "请重新上传" in response.content.decode()
    assert len(fake_import) == 2


def test_only_xlsx_and_csv_are_accepted(world, fake_import):
    response = world.client("secretary").post("/import/residents/", {"file": upload("x.exe")})
    assert response.status_code == 400
    assert "只支持" in response.content.decode()
    assert fake_import == []


@pytest.mark.parametrize("name", ["alice", "grid1", "cadre1", "property", "official"])
def test_other_roles_may_not_import_or_export(world, fake_import, name):
    client = world.client(name)
    assert client.get("/import/residents/").status_code == 403
    assert client.post("/import/residents/", {"file": upload()}).status_code == 403
    assert client.get("/import/template.xlsx").status_code == 403
    assert client.get("/export/residents.xlsx").status_code == 403
    assert fake_import == []


def test_template_and_export_downloads(world):
    client = world.client("secretary")
    response = client.get("/import/template.xlsx")
    assert response.content.startswith(b"PK")  # an .xlsx is a zip
    assert "attachment" in response["Content-Disposition"]
    assert "社区" in client.get("/import/template.csv").content.decode("utf-8-sig")
    assert client.get("/import/template.pdf").status_code == 404
    export = client.get("/export/residents.xlsx")
    assert export.status_code == 200 and export.content.startswith(b"PK")


def test_real_import_service_end_to_end(world):
    client = world.client("secretary")
    body = (
        CSV_HEADER
        + "东社区,阳光小区,1号楼,1单元,501,新居民甲,业主\n"
        + "东社区,阳光小区,1号楼,1单元,502,新居民乙,亲戚\n"  # not a relation the registry knows
    )
    html = client.post("/import/residents/", {"file": upload(body=body)}).content.decode()
    assert "预检结果" in html
    assert '<td class="num">3</td><td>关系</td>' in html  # the bad relation on row 3, reported in place
    assert not Person.objects.filter(name="新居民甲").exists()
    client.post("/import/residents/confirm/")
    assert Person.objects.filter(name="新居民甲").exists()
    assert not Person.objects.filter(name="新居民乙").exists()


def test_unconfirmed_uploads_do_not_linger(world, fake_import, tmp_path):
    stale = tmp_path / "uploads" / "import-old.csv"
    stale.parent.mkdir()
    stale.write_text("姓名\n某人\n")
    os.utime(stale, (0, 0))
    world.client("secretary").post("/import/residents/", {"file": upload()})
    assert not stale.exists()
    assert len(list((tmp_path / "uploads").iterdir())) == 1  # the one just checked, awaiting confirmation
