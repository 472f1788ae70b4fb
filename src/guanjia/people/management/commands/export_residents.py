"""`guanjia export residents FILE [--user USERNAME]` — export residents as .xlsx or .csv (import shape)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from guanjia.people.exports import export_residents
from guanjia.people.management.commands.import_residents import user_named


class Command(BaseCommand):
    help = "导出居民信息（.xlsx 或 .csv，列同导入模板，可直接再导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="导出到的文件（.xlsx 或 .csv）")
        parser.add_argument(
            "--user", help="按该用户可见的范围导出，无权查看的证件号码和手机号脱敏（默认：系统，全部导出）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in {"xlsx", "csv"}:
            raise CommandError("导出文件应以 .xlsx 或 .csv 结尾")
        user = user_named(options["user"])
        data = export_residents(user=user, kind=kind)
        path.write_bytes(data)
        self.stdout.write(f"已导出到 {path}（{len(data):,} 字节）")
