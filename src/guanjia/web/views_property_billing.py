"""Fee pages: a contract's billing desk (bill runs, claims to confirm, arrears, collection rate,
reminders, Excel), one dwelling's account (bills, corrections, payments, receipts), and the
resident's own bills with the "I paid" form."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guanjia.people import permissions as perms
from guanjia.places.models import Dwelling
from guanjia.property import permissions as pp
from guanjia.property import selectors, services
from guanjia.property.accounts import ZERO, arrears, collection
from guanjia.property.exports import contract_workbook, dwelling_labels
from guanjia.property.models import Payment, PaymentMethod, Reminder
from guanjia.property.periods import parse_period, period_label, recent_periods
from guanjia.property.receipts import receipt_pdf
from guanjia.web.decorators import login_required
from guanjia.web.views_property_common import Refused, contract_or_404, date_field, found_or_404, refusals

NAV = "property"
ARREARS_SHOWN = 100


def _billing_url(pk: int) -> str:
    return reverse("web:property-billing", args=[pk])


@login_required
def billing(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    user = request.user
    operate = pp.can_operate(perms.scope_for(user), contract)
    if not operate and not selectors.bills_for(user).filter(contract=contract).exists():
        raise Http404(_("没有找到该合同的收费信息"))
    today = timezone.localdate()
    accounts = selectors.contract_accounts(user, contract)
    periods = recent_periods(contract.billing_cycle, today, 6)
    rates = [
        (period_label(start, end), collection(accounts.values(), start, end).get(None))
        for start, end in periods
    ]
    owing = arrears(accounts.values(), today)
    labels = dwelling_labels([a.dwelling_id for a in owing[:ARREARS_SHOWN]])
    claims = list(
        selectors.payments_for(user)
        .filter(contract=contract, status=Payment.Status.CLAIMED)
        .select_related("dwelling__entrance__building")
        .order_by("created_at")
    )
    return render(
        request,
        "web/property/billing.html",
        {
            "contract": contract,
            "can_operate": operate,
            "periods": [(period_label(s, e), s) for s, e in periods],
            "rates": rates,
            "arrears": [
                (a, labels.get(a.dwelling_id, ""), a.overdue(today), a.overdue_periods(today))
                for a in owing[:ARREARS_SHOWN]
            ],
            "arrears_count": len(owing),
            "arrears_total": sum((a.overdue(today) for a in owing), ZERO),
            "claims": claims,
            "runs": contract.bill_runs.order_by("-run_at")[:6],
            "nav_key": NAV,
        },
    )


@login_required
@require_POST
def bill_run(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    with refusals(request):
        try:
            start, end = parse_period(request.POST.get("period", ""))
        except ValueError:
            raise Refused(_("账期格式应为 2024-05、2024-Q2 或 2024")) from None
        result = services.bill_run(user=request.user, contract=contract, period_start=start, period_end=end)
        messages.success(
            request,
            ngettext(
                "出账完成：新开 %(created)d 张账单，共 %(total)s 元；已有账单 %(skipped)d 户未重复出账。",
                "出账完成：新开 %(created)d 张账单，共 %(total)s 元；已有账单 %(skipped)d 户未重复出账。",
                result.created,
            )
            % {"created": result.created, "total": result.total, "skipped": result.skipped},
        )
        if result.overlapping:
            messages.warning(
                request,
                ngettext(
                    "另有 %(n)d 户已有其他账期的账单覆盖本账期的部分月份，未出账，以免同一月份重复收费；"
                    "其余月份请按月出账。",
                    "另有 %(n)d 户已有其他账期的账单覆盖本账期的部分月份，未出账，以免同一月份重复收费；"
                    "其余月份请按月出账。",
                    result.overlapping,
                )
                % {"n": result.overlapping},
            )
    return HttpResponseRedirect(_billing_url(contract.pk))


@login_required
@require_POST
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    sent = services.reminders_send(user=request.user, contract=contract)
    messages.success(
        request,
        ngettext(
            "已向 %(n)d 户发送催缴提醒（一周内已提醒的不再重复）。",
            "已向 %(n)d 户发送催缴提醒（一周内已提醒的不再重复）。",
            sent,
        )
        % {"n": sent},
    )
    return HttpResponseRedirect(_billing_url(contract.pk))


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    perms.require(pp.can_operate(perms.scope_for(request.user), contract), _("无权导出该合同的收费数据"))
    data = contract_workbook(
        contract,
        selectors.contract_accounts(request.user, contract),
        selectors.payments_for(request.user).filter(contract=contract),
        timezone.localdate(),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="property-{contract.pk}-{timezone.localdate()}.xlsx"'
    )
    return response


def _dwelling(request: HttpRequest, contract: Any, dwelling_pk: int) -> Dwelling:
    """A dwelling of the contract's compound whose bills the caller may see."""
    if not (
        selectors.bills_for(request.user).filter(contract=contract, dwelling_id=dwelling_pk).exists()
        or pp.can_operate(perms.scope_for(request.user), contract)
    ):
        raise Http404(_("没有找到该房屋"))
    return found_or_404(
        lambda: Dwelling.objects.select_related("entrance__building").get(
            pk=dwelling_pk, compound=contract.compound_id
        )
    )


@login_required
def account(request: HttpRequest, pk: int, dwelling_pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    dwelling = _dwelling(request, contract, dwelling_pk)
    user = request.user
    return render(
        request,
        "web/property/account.html",
        {
            "contract": contract,
            "dwelling": dwelling,
            "account": selectors.account_of(user, contract, dwelling.pk),
            "bills": selectors.bills_for(user)
            .filter(contract=contract, dwelling=dwelling)
            .order_by("period_start", "id"),
            "payments": selectors.payments_for(user).filter(contract=contract, dwelling=dwelling),
            "can_operate": pp.can_operate(perms.scope_for(user), contract),
            "methods": PaymentMethod.choices,
            "today": timezone.localdate(),
            "form_token": uuid.uuid4().hex,
            "nav_key": NAV,
        },
    )


def _account_url(contract_pk: int, dwelling_pk: int) -> str:
    return reverse("web:property-account", args=[contract_pk, dwelling_pk])


@login_required
@require_POST
def payment_record(request: HttpRequest, pk: int, dwelling_pk: int) -> HttpResponse:
    contract = contract_or_404(request, pk)
    dwelling = _dwelling(request, contract, dwelling_pk)
    with refusals(request):
        payment = services.payment_record(
            user=request.user,
            contract=contract,
            dwelling=dwelling,
            amount=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", ""),
            paid_on=date_field(request, "paid_on", timezone.localdate()),
            idempotency_key=request.POST.get("token") or None,
        )
        messages.success(
            request,
            _("已登记收款 %(amount)s 元，收据号 %(no)s")
            % {"amount": payment.amount, "no": payment.receipt_number},
        )
    return HttpResponseRedirect(_account_url(contract.pk, dwelling.pk))


@login_required
@require_POST
def bill_correct(request: HttpRequest, pk: int) -> HttpResponse:
    bill = found_or_404(lambda: selectors.access_bill(request.user, pk))
    with refusals(request):
        if request.POST.get("kind") == "replace":
            services.bill_replace(
                user=request.user,
                bill=bill,
                amount=request.POST.get("amount", ""),
                reason=request.POST.get("reason", ""),
            )
        else:
            services.bill_credit(
                user=request.user,
                bill=bill,
                amount=request.POST.get("amount", ""),
                reason=request.POST.get("reason", ""),
            )
        messages.success(request, _("已开具更正单据，原账单保持不变"))
    return HttpResponseRedirect(_account_url(bill.contract_id, bill.dwelling_id))


@login_required
@require_POST
def payment_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    payment = found_or_404(lambda: selectors.access_payment(request.user, pk))
    with refusals(request):
        if decision == "confirm":
            services.payment_confirm(user=request.user, payment=payment)
            messages.success(request, _("已确认到账"))
        else:
            services.payment_reject(user=request.user, payment=payment, reason=request.POST.get("reason", ""))
            messages.success(request, _("已驳回"))
    return HttpResponseRedirect(request.POST.get("next") or _billing_url(payment.contract_id))


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    payment = found_or_404(lambda: selectors.access_payment(request.user, pk))
    if payment.receipt_number is None:
        raise Http404(_("该笔缴费尚未确认，没有收据"))
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    return response


# --- the resident's page -------------------------------------------------------------------------


@login_required
def my_bills(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = perms.scope_for(user)
    today = timezone.localdate()
    homes = []
    dwellings = Dwelling.objects.filter(pk__in=sorted(scope.dwelling_ids)).select_related(
        "entrance__building", "compound"
    )
    for dwelling in dwellings:
        contract = selectors.contract_in_force(dwelling.compound_id, today)
        contract_ids = set(
            selectors.bills_for(user).filter(dwelling=dwelling).values_list("contract_id", flat=True)
        )
        if contract is not None:
            contract_ids.add(contract.pk)
        for contract_id in sorted(contract_ids, reverse=True):
            c = selectors.contracts_for(user).get(pk=contract_id)
            homes.append(
                {
                    "dwelling": dwelling,
                    "contract": c,
                    "current": contract is not None and c.pk == contract.pk,
                    "account": selectors.account_of(user, c, dwelling.pk),
                    "bills": selectors.bills_for(user)
                    .filter(contract=c, dwelling=dwelling)
                    .order_by("-period_start", "-id")[:24],
                    "payments": selectors.payments_for(user).filter(contract=c, dwelling=dwelling)[:24],
                    "reminders": Reminder.objects.filter(contract=c, dwelling=dwelling)[:3],
                }
            )
    return render(
        request,
        "web/property/my.html",
        {
            "homes": homes,
            "methods": PaymentMethod.choices,
            "today": today,
            "form_token": uuid.uuid4().hex,
            "nav_key": "property-my",
        },
    )


@login_required
@require_POST
def my_claim(request: HttpRequest) -> HttpResponse:
    scope = perms.scope_for(request.user)
    with refusals(request):
        try:
            dwelling = Dwelling.objects.get(pk=int(request.POST.get("dwelling", "0")))
        except (ValueError, Dwelling.DoesNotExist):
            raise PermissionDenied(_("只能为自家房屋申报缴费")) from None
        perms.require(dwelling.pk in scope.dwelling_ids, _("只能为自家房屋申报缴费"))
        contract = contract_or_404(request, int(request.POST.get("contract", "0") or 0))
        services.payment_claim(
            user=request.user,
            contract=contract,
            dwelling=dwelling,
            amount=request.POST.get("amount", ""),
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", ""),
            paid_on=date_field(request, "paid_on", timezone.localdate()),
            idempotency_key=request.POST.get("token") or None,
        )
        messages.success(request, _("已提交，物业核实到账后会生成收据"))
    return HttpResponseRedirect(reverse("web:property-my"))


def resident_home_context(request: HttpRequest) -> dict[str, Any]:
    """For the lead's resident home page (web/property/_home_resident.html): what each home owes."""
    user = request.user
    today = timezone.localdate()
    rows = []
    for dwelling in Dwelling.objects.filter(pk__in=sorted(perms.scope_for(user).dwelling_ids)).order_by("pk"):
        contract = selectors.contract_in_force(dwelling.compound_id, today)
        if contract is not None:
            rows.append(
                {
                    "dwelling": dwelling,
                    "contract": contract,
                    "account": selectors.account_of(user, contract, dwelling.pk),
                }
            )
    return {"property_accounts": rows}
