"""Base class for every registry ModelAdmin: the queryset, the permissions and the choices all come
from people.permissions, and the object's history shows our change records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from guanjia.core.models import AuditEntry
from guanjia.people import permissions as perms


class ScopedAdmin(admin.ModelAdmin):
    # How to filter this model by the caller's scope, and which community an object belongs to.
    scope_q: Callable[[perms.Scope], Q] = staticmethod(lambda scope: perms.NOTHING)
    community_of: Callable[[Any], int | None] = staticmethod(lambda obj: None)
    # Related-object choices in forms: field name → filter builder for the related model.
    choice_scopes: dict[str, Callable[[perms.Scope], Q]] = {}

    def _scope(self, request: HttpRequest) -> perms.Scope:
        return perms.scope_for(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(self.scope_q(self._scope(request)))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return perms.can_use_admin(self._scope(request))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return perms.can_use_admin(self._scope(request))

    def has_add_permission(self, request: HttpRequest) -> bool:
        scope = self._scope(request)
        return scope.is_admin or bool(scope.community_ids)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scope = self._scope(request)
        if obj is None:
            return scope.is_admin or bool(scope.community_ids)
        return perms.can_change_registry(scope, self.community_of(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._scope(request).is_admin

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        builder = self.choice_scopes.get(db_field.name)
        if builder is not None:
            kwargs["queryset"] = db_field.related_model.objects.filter(builder(self._scope(request)))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # A secretary may not move an object out of (or create it outside) their community.
        if not perms.can_change_registry(self._scope(request), self.community_of(obj)):
            raise PermissionDenied("无权修改该社区以外的数据")
        super().save_model(request, obj, form, change)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        entries = AuditEntry.objects.filter(model=obj._meta.label_lower, object_pk=str(obj.pk))[:200]
        context = {
            **self.admin_site.each_context(request),
            "title": f"变更记录：{obj}",
            "object": obj,
            "opts": self.model._meta,
            "entries": entries,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/guanjia_audit_history.html", context)


class ScopedInline(admin.TabularInline):
    """Inlines follow the parent's rules (registry editors are admins and secretaries), not Django's
    per-model permissions, which Guanjia does not hand out."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        scope = perms.scope_for(request.user)
        return scope.is_admin or bool(scope.community_ids)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return perms.scope_for(request.user).is_admin


class ReadOnlyScopedAdmin(admin.ModelAdmin):
    """For records that move only through their app's services (appeals, votes): shown to those let into
    the admin, rows limited by `scope_q`, no add, change or delete."""

    scope_q: Callable[[perms.Scope], Q] = staticmethod(lambda scope: perms.NOTHING)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(self.scope_q(perms.scope_for(request.user)))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline of a read-only record (its events, its trail)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return perms.can_use_admin(perms.scope_for(request.user))
