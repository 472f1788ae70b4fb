from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guanjia.core.models import ApiToken, AuditEntry, PiiAccessLog
from guanjia.people.permissions import scope_for


class SystemAdminOnly(admin.ModelAdmin):
    """Logs are evidence: read-only, and only the system admin browses them across the whole system."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return scope_for(request.user).is_admin

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope_for(request.user).is_admin

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(SystemAdminOnly):
    list_display = ["at", "actor_label", "action", "model", "object_repr", "via", "reason"]
    list_filter = ["action", "model", "via"]
    search_fields = ["object_repr", "actor_label", "object_pk"]
    date_hierarchy = "at"


@admin.register(PiiAccessLog)
class PiiAccessLogAdmin(SystemAdminOnly):
    list_display = ["at", "actor", "person", "field", "via", "purpose"]
    list_filter = ["field", "via"]
    list_select_related = ["actor", "person"]
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(SystemAdminOnly):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return scope_for(request.user).is_admin
