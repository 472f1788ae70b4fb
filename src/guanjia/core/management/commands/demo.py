"""`guanjia demo`: migrate, load the demo county into an empty database, and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from guanjia.core.management.commands.load_demo import report
from guanjia.core.management.commands.serve import add_server_arguments, port_problem, serve_forever
from guanjia.demo import accounts_table


class Command(BaseCommand):
    help = "一条命令启动演示：建库、加载演示数据、启动网站。Migrate, load the demo and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from guanjia.demo.loader import demo_state, load_demo

        # Check the port before migrating and loading, so a busy port fails at once.
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
        self.stdout.write(_("正在准备数据库…") + " Preparing the database…")
        call_command("migrate", verbosity=0, interactive=False)
        state = demo_state()
        if state == "empty":
            self.stdout.write(_("正在加载演示数据…") + " Loading the demo county…")
            result = load_demo()
            self.stdout.write(self.style.SUCCESS(report(result.counts, result.seconds)))
        elif state == "foreign":
            self.stdout.write(
                self.style.WARNING(
                    _("数据库中已有其他数据，未加载演示数据。")
                    + " The database holds other data; demo not loaded."
                )
            )
        if state != "foreign":
            self.stdout.write("")
            self.stdout.write(accounts_table())
            self.stdout.write("")
        connections.close_all()  # the server's threads open their own
        serve_forever(host=host, port=port, threads=threads, write=self.stdout.write)
