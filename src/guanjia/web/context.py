"""What every page's header needs: who is logged in, in which role, and where they may go.

Built lazily: pages that never show the header (admin, errors) pay no queries for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.web import nav_appeals, nav_decisions, nav_property, nav_reports

ROLE_LABELS: dict[str, Any] = {
    perms.ADMIN: _("系统管理员"),
    perms.RESIDENT: _("居民"),
    "none": _("未分配角色"),
    **{role.value: role.label for role in Role},
}

# The roles that work on the registry and may import residents.
IMPORT_ROLES = (Role.SECRETARY,)


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    key: str


@dataclass(frozen=True)
class Navigation:
    name: str = ""
    role: str = "none"
    role_label: Any = ""
    items: list[NavItem] = field(default_factory=list)


def display_name(user: Any) -> str:
    person = getattr(user, "person", None)
    return (person.name if person else "") or user.get_full_name() or user.get_username()


def role_label(role: str) -> Any:
    return ROLE_LABELS.get(role, role)


def can_import(scope: perms.Scope) -> bool:
    return scope.is_admin or scope.has(*IMPORT_ROLES)


def nav_items(scope: perms.Scope) -> list[NavItem]:
    role = perms.primary_role(scope)
    items = [NavItem(_("我的家") if role == perms.RESIDENT else _("首页"), reverse("web:home"), "home")]
    items += [*nav_appeals.items(scope), *nav_property.items(scope), *nav_decisions.items(scope)]
    items += nav_reports.items(scope)
    if role == perms.RESIDENT:
        return items
    if role != "none":
        items.append(NavItem(pgettext_lazy("列表", "小区"), reverse("web:compounds"), "compounds"))
    if can_import(scope):
        items.append(NavItem(_("导入居民"), reverse("web:import-residents"), "import"))
    if perms.can_use_admin(scope):
        items.append(NavItem(_("后台管理"), "/admin/", "admin"))
    if scope.is_admin:
        items.append(NavItem(_("接口文档"), "/api/v1/docs", "api"))
    return items


def _build(request: HttpRequest) -> Navigation:
    user = request.user
    if not user.is_authenticated:
        return Navigation()
    scope = perms.scope_for(user)
    role = perms.primary_role(scope)
    return Navigation(name=display_name(user), role=role, role_label=role_label(role), items=nav_items(scope))


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav": SimpleLazyObject(lambda: _build(request))}
