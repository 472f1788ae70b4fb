"""Categories and agencies are configured here; appeals are read here but only move through the state
machine (appeals.transitions), so their admin is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guanjia.appeals.models import Agency, Appeal, AppealEvent, Category, Holding
from guanjia.appeals.permissions import appeal_q
from guanjia.core.admin_scoped import ReadOnlyInline, ReadOnlyScopedAdmin
from guanjia.people import permissions as perms


class SystemAdminEdits(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return perms.scope_for(request.user).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return perms.scope_for(request.user).is_admin

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # categories in use are deactivated, not deleted


@admin.register(Category)
class CategoryAdmin(SystemAdminEdits):
    list_display = [
        "name",
        "group",
        "handler_kind",
        "case_type",
        "response_hours",
        "resolve_hours",
        "warn_hours",
        "photo_required",
        "active",
        "sort",
    ]
    list_editable = ["active", "sort"]
    list_filter = ["group", "handler_kind", "case_type", "active"]


@admin.register(Agency)
class AgencyAdmin(SystemAdminEdits):
    list_display = ["name", "region", "phone"]
    list_select_related = ["region"]


class EventInline(ReadOnlyInline):
    model = AppealEvent
    fields = ("at", "action", "actor_label", "from_status", "to_status", "note", "data")
    readonly_fields = fields


class HoldingInline(ReadOnlyInline):
    model = Holding
    fields = ("person", "agency", "handed_by", "reason", "since", "until")
    readonly_fields = fields


@admin.register(Appeal)
class AppealAdmin(ReadOnlyScopedAdmin):
    scope_q = staticmethod(appeal_q)
    list_display = [
        "number",
        "title",
        "category",
        "compound",
        "status",
        "assignee",
        "submitted_at",
        "resolve_due",
        "escalation_level",
    ]
    list_filter = ["status", "category", "channel", "escalation_level"]
    list_select_related = ["category", "compound", "assignee"]
    search_fields = ["number", "title"]
    date_hierarchy = "submitted_at"
    inlines = [HoldingInline, EventInline]
