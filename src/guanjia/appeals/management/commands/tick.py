from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from guanjia.appeals.jobs import tick
from guanjia.decisions import jobs as decision_jobs


class Command(BaseCommand):
    help = "运行定时任务（诉求预警、超时升级、回访提醒、表决开启与结束）。Run the periodic jobs as of a time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="ISO 8601 time, e.g. 2026-11-21T09:00:00+08:00 (default: now)")

    def handle(self, *args: Any, at: str | None = None, **options: Any) -> None:
        now = timezone.now()
        if at:
            parsed = parse_datetime(at)
            if parsed is None:
                raise CommandError(f"--at 时间格式不正确 / not an ISO 8601 time: {at}")
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        report = tick(now)
        decided = decision_jobs.tick(now)
        self.stdout.write(
            f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} 分派 routed {report.routed}，"
            f"预警 warned {report.warned}，升级 escalated {report.escalated}，"
            f"待回访 callbacks {report.callbacks}，开启表决 votes opened {decided['votes_opened']}，"
            f"结束表决 votes closed {decided['votes_closed']}"
        )
