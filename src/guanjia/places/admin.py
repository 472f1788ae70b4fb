from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core.admin_scoped import ScopedAdmin, ScopedInline
from guanjia.people import permissions as perms
from guanjia.places.models import (
    Building,
    Community,
    Compound,
    Dwelling,
    Entrance,
    Grid,
    ManagementModeChange,
    Region,
)
from guanjia.places.services import compound_set_management_mode


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    scope_q = staticmethod(perms.region_q)
    choice_scopes = {"parent": perms.region_q}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._scope(request).is_admin


@admin.register(Community)
class CommunityAdmin(ScopedAdmin):
    list_display = ["name", "code", "region", "compound_count"]
    list_select_related = ["region"]
    search_fields = ["name"]
    scope_q = staticmethod(perms.community_q)
    community_of = staticmethod(lambda obj: obj.pk)
    choice_scopes = {"region": perms.region_q}

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_compounds=Count("compounds"))

    @admin.display(description=_("小区数"), ordering="n_compounds")
    def compound_count(self, obj: Any) -> int:
        return obj.n_compounds

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin


class ModeChangeInline(ScopedInline):
    model = ManagementModeChange
    extra = 0
    can_delete = False
    fields = ("effective_on", "from_mode", "to_mode", "reason", "recorded_by", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # history is written only by compound_set_management_mode

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CompoundForm(forms.ModelForm):
    mode_effective_on = forms.DateField(
        label=_("管理模式生效日期"), required=False, help_text=_("变更管理模式时填写，默认今天")
    )
    mode_reason = forms.CharField(label=_("变更原因"), required=False, max_length=200)

    class Meta:
        model = Compound
        fields = ["community", "name", "address", "management_mode", "built_year"]


@admin.register(Compound)
class CompoundAdmin(ScopedAdmin):
    form = CompoundForm
    list_display = ["name", "community", "management_mode", "mode_since"]
    list_filter = ["management_mode", "community__region"]
    list_select_related = ["community"]
    search_fields = ["name", "address"]
    readonly_fields = ["mode_since"]
    inlines = [ModeChangeInline]
    scope_q = staticmethod(perms.compound_q)
    community_of = staticmethod(lambda obj: obj.community_id)
    choice_scopes = {"community": perms.community_q}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The mode is only ever changed through the service, which keeps the dated history.
        new_mode = obj.management_mode
        mode_changed = not change or "management_mode" in form.changed_data
        if change and mode_changed:
            obj.management_mode = form.initial["management_mode"]
        super().save_model(request, obj, form, change)
        if mode_changed:
            effective: dt.date = form.cleaned_data.get("mode_effective_on") or timezone.localdate()
            compound_set_management_mode(
                user=request.user,
                compound=obj,
                mode=new_mode,
                effective_on=effective,
                reason=form.cleaned_data.get("mode_reason", ""),
            )


@admin.register(Building)
class BuildingAdmin(ScopedAdmin):
    list_display = ["name", "compound", "floors"]
    list_select_related = ["compound"]
    search_fields = ["name", "compound__name"]
    scope_q = staticmethod(lambda s: _under("compound__", perms.compound_q(s)))
    community_of = staticmethod(lambda obj: obj.compound.community_id)
    choice_scopes = {"compound": perms.compound_q}


@admin.register(Entrance)
class EntranceAdmin(ScopedAdmin):
    list_display = ["name", "building"]
    list_select_related = ["building__compound"]
    search_fields = ["building__name", "building__compound__name"]
    scope_q = staticmethod(lambda s: _under("building__compound__", perms.compound_q(s)))
    community_of = staticmethod(lambda obj: obj.building.compound.community_id)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "building":
            kwargs["queryset"] = Building.objects.filter(
                _under("compound__", perms.compound_q(self._scope(request)))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Grid)
class GridAdmin(ScopedAdmin):
    list_display = ["name", "code", "community", "dwelling_count"]
    list_select_related = ["community"]
    readonly_fields = ["code"]
    search_fields = ["name", "code"]
    scope_q = staticmethod(perms.grid_q)
    community_of = staticmethod(lambda obj: obj.community_id)
    choice_scopes = {"community": perms.community_q}

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(n_dwellings=Count("dwellings"))

    @admin.display(description=_("房屋数"), ordering="n_dwellings")
    def dwelling_count(self, obj: Any) -> int:
        return obj.n_dwellings


@admin.register(Dwelling)
class DwellingAdmin(ScopedAdmin):
    list_display = [
        "__str__",
        "compound",
        "building_name",
        "entrance",
        "grid",
        "area_registered",
        "area_surveyed",
        "area_contract",
    ]
    list_select_related = ["compound", "entrance__building", "grid"]
    list_filter = ["compound__community"]
    search_fields = ["number", "compound__name", "entrance__building__name"]
    raw_id_fields = ["entrance"]
    scope_q = staticmethod(perms.dwelling_q)
    community_of = staticmethod(
        lambda obj: (
            obj.compound.community_id
            if obj.compound_id
            else Entrance.objects.get(pk=obj.entrance_id).building.compound.community_id
        )
    )
    choice_scopes = {
        "grid": perms.grid_q,
        "entrance": lambda s: _under("building__compound__", perms.compound_q(s)),
    }

    @admin.display(description=_("楼栋"))
    def building_name(self, obj: Any) -> str:
        return obj.entrance.building.name


def _under(prefix: str, q: Q) -> Q:
    """A compound filter re-rooted on a related path: building → compound__in=…"""
    return Q(**{f"{prefix}in": Compound.objects.filter(q)})
