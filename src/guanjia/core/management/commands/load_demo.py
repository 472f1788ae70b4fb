"""`guanjia load-demo`: load the synthetic demo county into an empty database, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from guanjia.demo import accounts_table
from guanjia.demo.plan import SEED


class Command(BaseCommand):
    help = "加载演示数据：虚构的阳川县（131个小区），其中兴华路社区为完整细节。Load the demo county."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=SEED, help="随机种子 random seed (default %(default)s)"
        )

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        from guanjia.demo.loader import DemoRefused, load_demo

        try:
            result = load_demo(seed=seed)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if result.status == "present":
            self.stdout.write(
                _("演示数据已存在，未做任何更改。") + " The demo is already loaded; nothing changed."
            )
        else:
            self.stdout.write(self.style.SUCCESS(report(result.counts, result.seconds)))
        self.stdout.write(accounts_table())


def report(counts: dict[str, int], seconds: float) -> str:
    return _(
        "已加载演示数据（用时 %(seconds).1f 秒）：%(compounds)s 个小区，%(dwellings)s 套房屋，"
        "%(households)s 户，%(persons)s 人，%(grids)s 个网格。"
    ) % {"seconds": seconds, **counts}
