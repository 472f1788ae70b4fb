"""`guanjia import residents FILE [--dry-run] [--user USERNAME]` — import residents from .xlsx / .csv."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from guanjia.people.imports import import_residents


class Command(BaseCommand):
    help = "导入居民信息（.xlsx 或 .csv，列同导入模板）。--dry-run 只检查并列出所有问题行，不写入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="居民信息文件（.xlsx 或 .csv）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")
        parser.add_argument("--user", help="以该用户的权限导入（默认：系统，可导入所有社区）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_named(options["user"])
        try:
            report = import_residents(
                user=user, path_or_file=options["file"], filename=options["file"], dry_run=options["dry_run"]
            )
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{options['file']}") from exc
        for line in report.summary():
            self.stdout.write(line)
        if report.file_error or (options["dry_run"] and report.errors):
            raise SystemExit(1)


def user_named(username: str | None) -> Any:
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist as exc:
        raise CommandError(f"没有用户名为 {username} 的用户") from exc
