"""Navigation entries of the reports (KPIs and rankings), for web.context.nav_items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from guanjia.people.permissions import Scope
    from guanjia.web.context import NavItem


def items(scope: Scope) -> list[NavItem]:
    from guanjia.web.context import NavItem

    if not scope.is_staff_role:
        return []
    return [NavItem(_("考核指标"), reverse("web:reports-appeals"), "reports")]
