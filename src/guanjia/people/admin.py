from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.core import pii
from guanjia.core.admin_scoped import ScopedAdmin, ScopedInline
from guanjia.people import permissions as perms
from guanjia.people.models import ROLE_TARGET, Household, Person, Residency, Role, StaffAssignment
from guanjia.places.models import Dwelling


def _person_communities(person: Person) -> set[int]:
    day = timezone.localdate()
    rows = Residency.objects.filter(perms.in_force(day), person=person)
    return set(rows.values_list("household__dwelling__compound__community_id", flat=True))


class PersonForm(forms.ModelForm):
    """Phone and ID number are typed in clear and sealed on save; the stored values are never shown here."""

    new_phone = forms.CharField(label=_("手机号"), required=False, help_text=_("填写即更新；留空则不变"))
    new_id_number = forms.CharField(
        label=_("证件号码"), required=False, help_text=_("填写即更新；留空则不变")
    )

    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "is_party_member", "owner_kind", "user"]

    def clean_new_phone(self) -> str:
        value = self.cleaned_data["new_phone"].strip()
        if value and (problem := pii.phone_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def clean_new_id_number(self) -> str:
        value = self.cleaned_data["new_id_number"].strip()
        if value and (problem := pii.id_number_problem(value)):
            raise forms.ValidationError(problem)
        return value

    def save(self, commit: bool = True) -> Any:
        person = super().save(commit=False)
        if self.cleaned_data.get("new_phone"):
            person.set_phone(self.cleaned_data["new_phone"])
        if self.cleaned_data.get("new_id_number"):
            person.set_id_number(self.cleaned_data["new_id_number"])
        if commit:
            person.save()
        return person


class ResidencyInline(ScopedInline):
    model = Residency
    extra = 0
    fields = ["household", "relation", "start_date", "end_date"]
    raw_id_fields = ["household"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A raw id typed by hand is checked against this queryset: only households the caller can see.
        if db_field.name == "household":
            kwargs["queryset"] = Household.objects.filter(perms.household_q(perms.scope_for(request.user)))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonForm
    list_display = ["name", "phone_masked", "id_number_masked", "is_party_member", "owner_kind"]
    list_filter = ["is_party_member", "owner_kind"]
    search_fields = ["name"]
    readonly_fields = ["phone_masked", "id_number_masked"]
    raw_id_fields = ["user"]
    inlines = [ResidencyInline]
    scope_q = staticmethod(perms.person_q)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        # A full phone or ID number typed in the search box is matched by its keyed hash.
        qs, dup = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term and (not pii.phone_problem(term) or not pii.id_number_problem(term)):
            kind = "phone" if not pii.phone_problem(term) else "id_number"
            qs = qs | queryset.filter(**{f"{kind}_hash": pii.lookup_hash(kind, term)})
        return qs, dup

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        scope = self._scope(request)
        if obj is None or scope.is_admin:
            return scope.is_admin or bool(scope.community_ids)
        return bool(_person_communities(obj) & scope.community_ids)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        scope = self._scope(request)
        if change and not (scope.is_admin or _person_communities(obj) & scope.community_ids):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("无权修改该人员")
        admin.ModelAdmin.save_model(self, request, obj, form, change)


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["__str__", "compound_name", "label"]
    list_select_related = ["dwelling__compound"]
    search_fields = ["dwelling__number", "dwelling__compound__name"]
    raw_id_fields = ["dwelling"]
    inlines = [ResidencyInline]
    scope_q = staticmethod(perms.household_q)
    choice_scopes = {"dwelling": perms.dwelling_q}
    community_of = staticmethod(
        lambda obj: Dwelling.objects.values_list("compound__community_id", flat=True).get(pk=obj.dwelling_id)
    )

    @admin.display(description=_("小区"))
    def compound_name(self, obj: Household) -> str:
        return obj.dwelling.compound.name


def _assignment_q(scope: perms.Scope) -> Q:
    """Assignments for places the caller can see."""
    if scope.is_admin:
        return Q()
    from guanjia.places.models import Community, Compound, Grid

    return (
        Q(compound__in=Compound.objects.filter(perms.compound_q(scope)))
        | Q(grid__in=Grid.objects.filter(perms.grid_q(scope)))
        | Q(community__in=Community.objects.filter(perms.community_q(scope)))
        | Q(person_id=scope.person_id)
    )


def _assignment_community(obj: StaffAssignment) -> int | None:
    target = ROLE_TARGET[Role(obj.role)]
    if target == "region":
        return None
    if target == "community":
        return obj.community_id
    return getattr(obj, target).community_id


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(ScopedAdmin):
    list_display = ["person", "role", "title", "target_name", "start_date", "end_date"]
    list_filter = ["role"]
    list_select_related = ["person", "region", "community", "compound", "grid"]
    search_fields = ["person__name", "title"]
    raw_id_fields = ["person"]
    scope_q = staticmethod(_assignment_q)
    community_of = staticmethod(_assignment_community)
    choice_scopes = {
        "community": perms.community_q,
        "compound": perms.compound_q,
        "grid": perms.grid_q,
        "region": perms.region_q,
    }

    @admin.display(description=_("负责对象"))
    def target_name(self, obj: StaffAssignment) -> str:
        return str(obj.target or "")
