"""Admin for property data, scoped like the registry. Contracts are edited here by admins and the
community's secretary; bills and payments are read-only (a bill is never edited: corrections are
credit notes or replacement bills, made on the billing pages or through the API)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from guanjia.core.admin_scoped import ScopedAdmin, ScopedInline
from guanjia.people import permissions as perms
from guanjia.places.models import Compound
from guanjia.property.models import (
    Bill,
    ChargeItem,
    CompanyStaff,
    Disclosure,
    EvaluationPeriod,
    Payment,
    PropertyCompany,
    ServiceContract,
    ServiceItem,
)


def compound_scoped(prefix: str = "") -> Any:
    def q(scope: perms.Scope) -> Q:
        if scope.is_admin:
            return perms.EVERYTHING
        return Q(**{f"{prefix}compound__in": Compound.objects.filter(perms.compound_q(scope))})

    return staticmethod(q)


@admin.register(PropertyCompany)
class PropertyCompanyAdmin(ScopedAdmin):
    list_display = ["name", "is_fallback", "has_party_org", "service_phone"]
    list_filter = ["is_fallback", "has_party_org"]
    search_fields = ["name", "credit_code"]
    scope_q = staticmethod(lambda scope: perms.EVERYTHING)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._scope(request).is_admin


@admin.register(CompanyStaff)
class CompanyStaffAdmin(ScopedAdmin):
    list_display = ["company", "person", "title", "is_in_charge", "handles_appeals", "start_date", "end_date"]
    list_select_related = ["company", "person"]
    raw_id_fields = ["person"]
    scope_q = staticmethod(lambda scope: perms.EVERYTHING if scope.is_admin else perms.NOTHING)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._scope(request).is_admin


class ServiceItemInline(ScopedInline):
    model = ServiceItem
    extra = 0


class ChargeItemInline(ScopedInline):
    model = ChargeItem
    extra = 0


@admin.register(ServiceContract)
class ServiceContractAdmin(ScopedAdmin):
    list_display = ["compound", "company", "party_name", "start_date", "end_date", "ended_on"]
    list_select_related = ["compound", "company"]
    list_filter = ["party_kind", "company__is_fallback"]
    search_fields = ["compound__name", "company__name", "party_name"]
    readonly_fields = ["notice_kind", "notice_given_on", "notice_reason", "ended_on"]
    inlines = [ChargeItemInline, ServiceItemInline]
    scope_q = compound_scoped()
    community_of = staticmethod(lambda obj: obj.compound.community_id if obj.compound_id else None)
    choice_scopes = {"compound": perms.compound_q}


@admin.register(Disclosure)
class DisclosureAdmin(ScopedAdmin):
    list_display = ["compound", "kind", "title", "amount", "published_on"]
    list_select_related = ["compound"]
    list_filter = ["kind"]
    scope_q = compound_scoped()
    community_of = staticmethod(lambda obj: obj.compound.community_id if obj.compound_id else None)
    choice_scopes = {"compound": perms.compound_q}


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(ScopedAdmin):
    list_display = ["name", "region", "opens_on", "closes_on", "published_at"]
    scope_q = staticmethod(lambda scope: Q(region__in=_regions(scope)))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._scope(request).is_admin

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._scope(request).is_admin


def _regions(scope: perms.Scope) -> Any:
    from guanjia.places.models import Region

    return Region.objects.filter(perms.region_q(scope)).values("pk")


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _money_q(scope: perms.Scope) -> Q:
    from guanjia.property.permissions import household_money_q

    return household_money_q(scope)


@admin.register(Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "compound", "dwelling", "period_start", "amount", "corrects"]
    list_select_related = ["compound", "dwelling", "corrects"]
    list_filter = ["kind"]
    search_fields = ["number"]
    scope_q = staticmethod(_money_q)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "compound", "dwelling", "amount", "method", "paid_on", "status"]
    list_select_related = ["compound", "dwelling"]
    list_filter = ["status", "method"]
    search_fields = ["receipt_number", "reference"]
    scope_q = staticmethod(_money_q)
