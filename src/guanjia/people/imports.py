"""Import of residents from a spreadsheet (.xlsx or .csv) into the registry.

    report = import_residents(user=request.user, path_or_file=upload, filename=upload.name, dry_run=True)

The file has the columns of the template (people/files/residents_template.xlsx): required 社区, 小区,
楼栋, 单元, 房号, 姓名, 关系; optional 证件号码, 手机号, 不动产登记面积, 实测面积, 合同面积, 产权人类型,
出生日期, 是否党员, 网格. Column order is free.

Rules:
- Every bad row is reported (row number as in Excel, column, problem in Chinese) and skipped; the good
  rows are imported in one transaction. A dry run checks and counts the same way and writes nothing.
- Upsert by natural key: compound (community, name), building (compound, name), entrance (building,
  name), dwelling (entrance, number), household (dwelling, label ""), person by ID number if given,
  else by name within the household; residency (person, household), current. Importing the same
  file again changes nothing.
- An empty optional cell means "not given": it never clears what is stored. Nothing is deleted and no
  residency is ended by an import.
- Compounds the import creates are "unmanaged" until the registry admin sets their management mode.
- The user must be allowed to change the registry of each row's community; `user=None` is the system
  (the command line without --user) and may import into every community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from guanjia.core import audit
from guanjia.core.models import AuditEntry
from guanjia.people.import_check import Places, RowError, check_rows
from guanjia.people.import_read import COLUMNS, OPTIONAL, REQUIRED, FileProblem, Source, open_table
from guanjia.people.import_write import KINDS, Upsert

__all__ = [
    "COLUMNS",
    "KIND_LABELS",
    "OPTIONAL",
    "REQUIRED",
    "ImportReport",
    "KindCount",
    "RowError",
    "import_residents",
]

KIND_LABELS = {
    "compound": gettext_lazy("小区"),
    "building": gettext_lazy("楼栋"),
    "entrance": gettext_lazy("单元"),
    "dwelling": gettext_lazy("房屋"),
    "household": gettext_lazy("户"),
    "person": gettext_lazy("人员"),
    "residency": gettext_lazy("居住关系"),
}


@dataclass(frozen=True)
class KindCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do).

    `errors` lists every bad row's problems (RowError: row as numbered in Excel, column, message);
    those rows were skipped. `file_error` set means the file could not be used at all (unreadable,
    missing columns): nothing was read, and `errors` holds that one problem (row 1 = the header, or 0).
    `counts` has one KindCount per kind in KIND_LABELS; `created` / `updated` are their totals."""

    filename: str
    dry_run: bool
    rows_read: int = 0
    rows_ok: int = 0
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, KindCount] = field(default_factory=dict)

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> list[str]:
        """The report as lines of Chinese text, every error included."""
        mode = _("（试运行：检查并统计，未写入任何数据）") if self.dry_run else ""
        lines = [_("导入文件：%(name)s%(mode)s") % {"name": self.filename, "mode": mode}]
        if self.file_error:
            return [*lines, _("无法导入：%(error)s") % {"error": self.file_error}]
        lines.append(
            ngettext(
                "共读取 %(read)d 行，可导入 %(ok)d 行，有问题 %(bad)d 行。",
                "共读取 %(read)d 行，可导入 %(ok)d 行，有问题 %(bad)d 行。",
                self.rows_read,
            )
            % {"read": self.rows_read, "ok": self.rows_ok, "bad": len(self.bad_rows)}
        )
        verb = _("将") if self.dry_run else ""
        for kind, label in KIND_LABELS.items():
            c = self.counts.get(kind, KindCount())
            lines.append(
                _("%(label)s：%(verb)s新增 %(created)d，%(verb)s修改 %(updated)d，无变化 %(unchanged)d")
                % {"label": label, "verb": verb, **c.__dict__}
            )
        if self.errors:
            skipped = _("以下行有问题，未导入：") if not self.dry_run else _("以下行有问题：")
            lines.append(skipped)
            lines.extend(str(e) for e in self.errors)
        return lines


def import_residents(
    *, user: Any, path_or_file: Source, filename: str = "", dry_run: bool = False
) -> ImportReport:
    """Check a residents file and, unless `dry_run`, upsert its good rows in one transaction.

    `path_or_file` is a path or a binary file object (e.g. an uploaded file); `filename` gives the
    type (.xlsx / .csv) when the object has no name. `user=None` acts as the system. Never raises for
    bad content: problems are in the returned report."""
    name = filename or getattr(path_or_file, "name", "") or str(path_or_file)
    report = ImportReport(filename=Path(name).name, dry_run=dry_run)
    try:
        table = open_table(path_or_file, name)
        rows, report.rows_read = check_rows(table, Places(user), report.errors)
    except FileProblem as exc:
        report.file_error = str(exc)
        report.errors = [RowError(exc.row, "", str(exc))]
        return report
    report.rows_ok = len(rows)
    if dry_run:
        plan = Upsert(rows, seal=False)
    else:
        try:
            with transaction.atomic(), audit.acting_as(user, via="import"):
                plan = Upsert(rows)
                if plan.changed:
                    plan.write()
                    _record_file(report.filename, plan)
        except IntegrityError:
            # Someone else added the same places or people meanwhile (PostgreSQL runs imports side
            # by side); nothing of this file was written, and running it again will match them.
            report.file_error = _("导入期间相同的数据被同时修改，本次未写入任何数据，请重新导入")
            report.errors = [RowError(0, "", report.file_error)]
            return report
    report.counts = {kind: KindCount(*plan.counts()[kind]) for kind in KINDS}
    return report


def _record_file(filename: str, plan: Upsert) -> None:
    """One entry naming the file, so the change log shows which import made the changes."""
    counts = {k: {"created": c[0], "updated": c[1]} for k, c in plan.counts().items() if c[0] or c[1]}
    audit.record(
        action=AuditEntry.Action.IMPORT,
        model="people.residency",
        object_repr=_("导入居民：%(name)s") % {"name": filename},
        changes=counts,
    )
