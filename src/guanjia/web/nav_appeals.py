"""Navigation entries of the appeals app, for web.context.nav_items: 我要反映 / 我的诉求 for residents,
工作台 for staff, and 通知 with the unread count for everyone (one indexed query)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from guanjia.people.permissions import Scope
    from guanjia.web.context import NavItem

BADGE_CAP = 99


def items(scope: Scope) -> list[NavItem]:
    from guanjia.people.permissions import RESIDENT
    from guanjia.web.context import NavItem
    from guanjia.web.views_notifications import unread_count

    out = []
    if RESIDENT in scope.roles:
        out.append(NavItem(_("我要反映"), reverse("web:appeals-new"), "appeals-new"))
        out.append(NavItem(_("我的诉求"), reverse("web:appeals-mine"), "appeals"))
    if scope.is_staff_role:
        out.append(NavItem(_("工作台"), reverse("web:appeals-workbench"), "workbench"))
    unread = unread_count(scope.user_id, cap=BADGE_CAP + 1)
    label = _("通知")
    if unread:
        shown = f"{BADGE_CAP}+" if unread > BADGE_CAP else str(unread)
        label = _("通知（%(n)s）") % {"n": shown}
    out.append(NavItem(label, reverse("web:notifications"), "notifications"))
    return out
