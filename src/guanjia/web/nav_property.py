"""Navigation entries of the property app, for web.context.nav_items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanjia.people.models import Role

if TYPE_CHECKING:
    from guanjia.people.permissions import Scope
    from guanjia.web.context import NavItem

# Who works with contracts and fees, and who watches coverage across many compounds.
CONTRACT_ROLES = (Role.PROPERTY_STAFF, Role.SECRETARY, Role.CADRE, Role.COMMITTEE_MEMBER, Role.OFFICIAL)
COVERAGE_ROLES = (Role.OFFICIAL, Role.AGENCY_STAFF, Role.SECRETARY)


def items(scope: Scope) -> list[NavItem]:
    from guanjia.web.context import NavItem

    out = []
    if scope.dwelling_ids:
        out.append(NavItem(_("物业费"), reverse("web:property-my"), "property-my"))
    if scope.is_admin or scope.has(*CONTRACT_ROLES):
        out.append(NavItem(_("物业服务"), reverse("web:property-home"), "property"))
    if scope.is_authenticated:
        out.append(NavItem(_("物业评价"), reverse("web:property-evaluations"), "property-eval"))
    if scope.is_admin or scope.has(*COVERAGE_ROLES):
        out.append(NavItem(_("管理覆盖"), reverse("web:property-coverage"), "property-coverage"))
    return out
