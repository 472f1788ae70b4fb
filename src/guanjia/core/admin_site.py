"""The Django admin, in Chinese, let in and scoped by the same rules as the web pages and the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guanjia.people.permissions import can_use_admin, scope_for


class ScopedAuthenticationForm(AdminAuthenticationForm):
    """Staff roles from StaffAssignment open the admin, not Django's is_staff flag."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not can_use_admin(scope_for(user)):
            raise ValidationError(_("该账号无权使用后台管理。"), code="invalid_login")


class GuanjiaAdminSite(admin.AdminSite):
    site_header = _("管家 · 后台管理")
    site_title = _("管家后台")
    index_title = _("登记数据管理")
    login_form = ScopedAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and can_use_admin(scope_for(user)))
