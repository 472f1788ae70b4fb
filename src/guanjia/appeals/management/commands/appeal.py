"""guanjia appeal ACTION NUMBER_OR_ID --user USERNAME [--note ..] [--rating ..] [--to USERNAME] [--agency ID]
[--due ISO]: one transition of the state machine from the command line, as a named user. It goes through
appeals.transitions.act like every other face, so the same table and the same role checks apply."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from guanjia.appeals import selectors, states
from guanjia.appeals.models import Agency, Appeal, Status
from guanjia.appeals.transitions import Act, act
from guanjia.core.audit import acting_as
from guanjia.people.models import Person


class Command(BaseCommand):
    help = "对诉求执行一个办理操作（与网页、接口同一状态机）。Apply one appeal transition as a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=sorted(states.TABLE), help="操作 / action")
        parser.add_argument("appeal", help="诉求编号或 id / appeal number or id")
        parser.add_argument("--user", required=True, help="以哪个账号操作 / act as this username")
        parser.add_argument("--note", default="", help="说明（办理结果、原因、评价意见）")
        parser.add_argument("--rating", default="", help="satisfied / basically_satisfied / unsatisfied")
        parser.add_argument("--to", dest="to_user", help="转办或指派给（用户名）/ transfer or assign to")
        parser.add_argument("--agency", type=int, help="转办给职能部门（id）/ transfer to an agency")
        parser.add_argument("--due", help="延期的新承诺时间，ISO 8601 / new committed time for defer")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {opts['user']}")
        appeal = _find(user, opts["appeal"])
        request = Act(
            action=opts["action"],
            note=opts["note"],
            rating=opts["rating"],
            committed_due=_due(opts["due"]),
            to_person=_person(opts["to_user"]),
            to_agency=_agency(opts["agency"]),
        )
        try:
            with acting_as(user, via="cli"):
                done = act(user=user, appeal=appeal, request=request)
        except states.TransitionRefused as e:
            raise CommandError(e.message) from None
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from None
        except Appeal.DoesNotExist:
            raise CommandError(f"诉求不存在或无权查看 / not found: {opts['appeal']}") from None
        self.stdout.write(f"{done.number} {Status(done.status).label} ({done.status})")


def _find(user: Any, key: str) -> Appeal:
    match = Q(number=key) | (Q(pk=int(key)) if key.isdigit() and len(key) < 12 else Q(pk__in=[]))
    appeal = selectors.appeals_for(user).filter(match).first()
    if appeal is None:
        # Not visible and not existing read the same: the CLI reveals no more than the web.
        raise CommandError(f"诉求不存在或无权查看 / not found: {key}")
    return appeal


def _due(value: str | None) -> Any:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise CommandError(f"--due 时间格式不正确 / not an ISO 8601 time: {value}")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _person(username: str | None) -> Person | None:
    if not username:
        return None
    person = Person.objects.filter(user__username=username).first()
    if person is None:
        raise CommandError(f"--to 用户不存在或未关联人员 / no person for user: {username}")
    return person


def _agency(pk: int | None) -> Agency | None:
    if pk is None:
        return None
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise CommandError(f"--agency 职能部门不存在 / no such agency: {pk}")
    return agency
