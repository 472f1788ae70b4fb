"""Navigation entries of the reports (KPIs and rankings), for web.context.nav_items."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guanjia.people.permissions import Scope
    from guanjia.web.context import NavItem


def items(scope: Scope) -> list[NavItem]:
    return []
