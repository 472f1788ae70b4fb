"""Navigation entries of the decisions app, for web.context.nav_items: 共同决定 (votes, consultations,
committees, self-governance groups) for everyone who lives or works in a compound."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from guanjia.people.permissions import Scope
    from guanjia.web.context import NavItem


def items(scope: Scope) -> list[NavItem]:
    from guanjia.web.context import NavItem

    if not (scope.is_admin or scope.roles):
        return []
    return [NavItem(_("业主表决"), reverse("web:decisions-votes"), "decisions")]
