"""Property pages for staff: the contracts one works with or oversees (with their collection rate),
one contract with its notices and disclosures, and registering a new contract."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.people import permissions as perms
from guanjia.places import selectors as places
from guanjia.places.models import Compound
from guanjia.property import permissions as pp
from guanjia.property import selectors, services
from guanjia.property.accounts import build_accounts, collection
from guanjia.property.models import (
    Bill,
    Cycle,
    Disclosure,
    DisclosureKind,
    NoticeKind,
    PartyKind,
    Payment,
    PropertyCompany,
    ServiceContract,
    ServiceItem,
)
from guanjia.property.periods import period_for
from guanjia.web.decorators import login_required
from guanjia.web.views_property_common import contract_or_404, date_field, refusals

NAV = "property"


def home_context(request: HttpRequest) -> dict[str, Any]:
    """For the lead's home pages (web/property/_home_staff.html): the contracts one works with."""
    return {"property_rows": _rows(request, limit=6)}


def _rows(request: HttpRequest, limit: int | None = None) -> list[dict[str, Any]]:
    today = timezone.localdate()
    user = request.user
    scope = perms.scope_for(user)
    query = (
        selectors.contracts_for(user)
        .filter(selectors.in_force_q(today))
        .filter(Q(compound__in=selectors.oversight_compounds(user)) | pp.operated_contract_q(scope))
        .order_by("compound__community_id", "compound__name")
    )
    contracts = list(query[:limit] if limit else query)
    operated = set(
        selectors.operated_contracts(user)
        .filter(pk__in=[c.pk for c in contracts])
        .values_list("pk", flat=True)
    )
    this_month = period_for(Cycle.MONTHLY, today)
    ids = [c.pk for c in contracts]
    accounts = build_accounts(
        Bill.objects.filter(contract_id__in=ids, period_start__gte=this_month[0].replace(month=1)),
        Payment.objects.filter(contract_id__in=ids),
    ).values()
    year = collection(accounts, this_month[0].replace(month=1), this_month[1], lambda a: a.contract_id)
    return [
        {
            "contract": c,
            "state": selectors.STATE_LABELS[selectors.contract_state(c, today)],
            "operated": c.pk in operated,
            "year": year.get(c.pk),
        }
        for c in contracts
    ]


@login_required
def property_home(request: HttpRequest) -> HttpResponse:
    scope = perms.scope_for(request.user)
    if not scope.is_staff_role and scope.dwelling_ids:
        return redirect("web:property-my")
    return render(request, "web/property/home.html", {"rows": _rows(request), "nav_key": NAV})


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    scope = perms.scope_for(request.user)
    today = timezone.localdate()
    operate = pp.can_operate(scope, contract)
    register = pp.can_register_contract(scope, contract.compound)
    return render(
        request,
        "web/property/contract_detail.html",
        {
            "contract": contract,
            "state": selectors.STATE_LABELS[selectors.contract_state(contract, today)],
            "history": selectors.contracts_for(request.user)
            .filter(compound=contract.compound)
            .order_by("-start_date"),
            "disclosures": Disclosure.objects.filter(compound=contract.compound_id).order_by(
                "-published_on", "-id"
            )[:20],
            "can_operate": operate,
            "can_edit": operate or register,
            "can_notice": operate or pp.can_record_owners_decision(scope, contract.compound),
            "can_see_bills": selectors.bills_for(request.user).filter(contract=contract).exists() or operate,
            "notice_kinds": NoticeKind.choices,
            "disclosure_kinds": DisclosureKind.choices,
            "categories": ServiceItem.Category.choices,
            "today": today,
            "nav_key": NAV,
        },
    )


def _to_contract(contract: ServiceContract) -> HttpResponse:
    return HttpResponseRedirect(reverse("web:property-contract", args=[contract.pk]))


@login_required
@require_POST
def contract_notice(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    with refusals(request):
        ended = services.contract_give_notice(
            user=request.user,
            contract=contract,
            kind=request.POST.get("kind", ""),
            given_on=date_field(request, "given_on", timezone.localdate()),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("已登记书面通知，服务终止日为 %(day)s") % {"day": ended.ended_on})
    return _to_contract(contract)


@login_required
@require_POST
def contract_disclose(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    with refusals(request):
        services.disclosure_publish(
            user=request.user,
            contract=contract,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            amount=request.POST.get("amount", "").strip() or None,
        )
        messages.success(request, _("已发布公示"))
    return _to_contract(contract)


@login_required
@require_POST
def service_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    with refusals(request):
        services.service_item_add(
            user=request.user,
            contract=contract,
            category=request.POST.get("category", ""),
            title=request.POST.get("title", ""),
            frequency=request.POST.get("frequency", ""),
        )
        messages.success(request, _("已添加服务公示项目"))
    return _to_contract(contract)


@login_required
def contract_new(request: HttpRequest, compound_pk: int) -> HttpResponse:
    """Register the contract an owners' committee (or 物管会) signed; registry editors only."""
    try:
        compound = places.access_compound(request.user, compound_pk)
    except Compound.DoesNotExist:
        raise Http404(_("没有找到该小区")) from None
    perms.require(
        pp.can_register_contract(perms.scope_for(request.user), compound), _("无权登记该小区的物业服务合同")
    )
    if request.method == "POST":
        with refusals(request):
            contract = _register(request, compound)
            messages.success(request, _("已登记物业服务合同"))
            return _to_contract(contract)
    return render(
        request,
        "web/property/contract_form.html",
        {
            "compound": compound,
            "companies": PropertyCompany.objects.order_by("-is_fallback", "name"),
            "party_kinds": PartyKind.choices,
            "today": timezone.localdate(),
            "form": request.POST,
            "nav_key": NAV,
        },
    )


def _register(request: HttpRequest, compound: Compound) -> ServiceContract:
    from guanjia.web.views_property_common import Refused

    post = request.POST
    company = PropertyCompany.objects.filter(pk=post.get("company") or 0).first()
    if company is None:
        raise Refused(_("请选择物业公司"))
    items = [("other", line.strip(), "") for line in post.get("items", "").splitlines() if line.strip()]
    return services.contract_register(
        user=request.user,
        compound=compound,
        company=company,
        party_kind=post.get("party_kind", ""),
        party_name=post.get("party_name", ""),
        signed_on=date_field(request, "signed_on", timezone.localdate()),
        start_date=date_field(request, "start_date"),
        end_date=date_field(request, "end_date") if post.get("end_date") else None,
        manager_name=post.get("manager_name", ""),
        service_phone=post.get("service_phone", ""),
        fee_rate=post.get("fee_rate", "20.00"),
        items=items,
    )
