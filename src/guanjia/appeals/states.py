"""The one state machine of an appeal (GB/T 30428's closed loop: collect → register → dispatch → handle →
report back → verify and close → evaluate). Every face (web, API, admin, CLI) goes through this table:
a transition that is not here is refused.

Who may act, in the table's words:
- resident: the person who filed it (or the account that filed it for themselves);
- handler: the current holder, or those answering above them (包片 cadre of the compound, community
  secretary), or the system admin;
- supervisor: the 包片 cadre of the compound, the community secretary, the system admin;
- receiver: the person (or an agency's staff member) a pending transfer is addressed to;
- staff: any staff role who may see the appeal (for callbacks and comments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from guanjia.appeals.models import Status

S = Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: Any  # lazy translation
    sources: tuple[str, ...]
    target: str | None  # None: the status does not change (urge, defer, transfer request, callback, comment)
    actor: str  # resident / handler / supervisor / receiver / staff / participant


WORKING = (S.ACCEPTED, S.IN_PROGRESS)
OPEN = (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS)

TABLE: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("accept", _("受理"), (S.SUBMITTED,), S.ACCEPTED, "handler"),
        Transition("start", _("开始办理"), (S.ACCEPTED,), S.IN_PROGRESS, "handler"),
        # 即办件 are often settled on the spot: resolving a new appeal accepts it too.
        Transition("resolve", _("办结"), OPEN, S.RESOLVED, "handler"),
        Transition("confirm", _("确认并评价"), (S.RESOLVED,), S.CLOSED, "resident"),
        Transition("reopen", _("未解决，重新办理"), (S.RESOLVED,), S.IN_PROGRESS, "resident"),
        Transition("defer", _("延期"), WORKING, None, "handler"),
        Transition("reject", _("不予受理"), OPEN, S.REJECTION_PENDING, "handler"),
        Transition("approve_rejection", _("同意不予受理"), (S.REJECTION_PENDING,), S.REJECTED, "supervisor"),
        Transition(
            "overturn_rejection", _("驳回，继续办理"), (S.REJECTION_PENDING,), S.ACCEPTED, "supervisor"
        ),
        Transition("withdraw", _("撤回"), (*OPEN, S.REJECTION_PENDING), S.WITHDRAWN, "resident"),
        Transition("urge", _("催办"), OPEN, None, "resident"),
        Transition("transfer", _("转办"), OPEN, None, "handler"),
        Transition("accept_transfer", _("接收转办"), OPEN, None, "receiver"),
        Transition("decline_transfer", _("退回转办"), OPEN, None, "receiver"),
        Transition("assign", _("指派"), OPEN, None, "supervisor"),
        Transition("callback", _("回访"), (S.RESOLVED, S.CLOSED), None, "staff"),
        Transition("comment", _("留言"), (*OPEN, S.RESOLVED, S.REJECTION_PENDING), None, "participant"),
    ]
}

# Actions the system itself records; never requested by a person.
SYSTEM_ACTIONS = ("submit", "route", "warn", "escalate", "me_too", "callback_due")


class TransitionRefused(Exception):
    """A transition not in the table, or not for this caller; the message is for people (Chinese)."""

    def __init__(self, message: str, code: str = "invalid_transition") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def transition(action: str, status: str) -> Transition:
    """The table row for `action` from `status`, or TransitionRefused with a clear reason."""
    row = TABLE.get(action)
    if row is None:
        raise TransitionRefused(str(_("未知的操作：%(action)s")) % {"action": action}, "unknown_action")
    if status not in row.sources:
        raise TransitionRefused(
            str(_("当前状态为“%(status)s”，不能%(label)s"))
            % {"status": Status(status).label, "label": row.label}
        )
    return row
