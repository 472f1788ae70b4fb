"""Bill runs, bills, corrections, payments, arrears and collection rates. Writes accept an
`Idempotency-Key` header: a payment sent twice with one key is recorded once."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from guanjia.api.auth import caller
from guanjia.api.errors import field_error
from guanjia.api.paging import PageParams, paginate
from guanjia.api.property_common import ERRORS, money, percent, rules
from guanjia.api.property_schemas import (
    AccountOut,
    ArrearsOut,
    BillOut,
    BillPage,
    BillRunIn,
    BillRunOut,
    CollectionOut,
    CorrectionIn,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    ReasonIn,
    ReplacementOut,
)
from guanjia.places.selectors import access_dwelling
from guanjia.property import selectors, services
from guanjia.property.accounts import ZERO, Account, Collection, arrears, build_accounts, collection
from guanjia.property.models import Bill, Payment, ServiceContract
from guanjia.property.periods import parse_period
from guanjia.property.receipts import receipt_pdf

router = Router(tags=["property"])


def bill_out(b: Bill) -> dict[str, Any]:
    return {
        "id": b.pk,
        "number": b.number,
        "kind": b.kind,
        "contract_id": b.contract_id,
        "dwelling_id": b.dwelling_id,
        "period_start": b.period_start,
        "period_end": b.period_end,
        "amount": money(b.amount),
        "lines": b.lines,
        "due_date": b.due_date,
        "corrects_id": b.corrects_id,
        "reason": b.reason,
    }


def payment_out(p: Payment) -> dict[str, Any]:
    return {
        "id": p.pk,
        "contract_id": p.contract_id,
        "dwelling_id": p.dwelling_id,
        "amount": money(p.amount),
        "method": p.method,
        "reference": p.reference,
        "paid_on": p.paid_on,
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "receipt_number": p.receipt_number,
        "receipt_url": reverse("api:payment_receipt", args=[p.pk]) if p.receipt_number else None,
    }


def account_out(a: Account, as_of: dt.date) -> dict[str, Any]:
    return {
        "contract_id": a.contract_id,
        "dwelling_id": a.dwelling_id,
        "charged": money(a.charged),
        "paid": money(a.paid),
        "balance": money(a.balance),
        "overdue": money(a.overdue(as_of)),
        "overdue_periods": a.overdue_periods(as_of),
        "paid_up_to": a.paid_up_to,
        "last_paid_on": a.last_paid_on,
        "periods": [
            {
                "start": p.start,
                "end": p.end,
                "net": money(p.net),
                "collected": money(p.collected),
                "due": p.due,
            }
            for p in a.periods
        ],
    }


def period_or_422(text: str, field: str = "period") -> tuple[dt.date, dt.date]:
    try:
        return parse_period(text)
    except ValueError:
        raise field_error(field, "账期格式应为 2024-05、2024-Q2 或 2024") from None


@router.post(
    "/property/contracts/{contract_id}/bill-runs",
    response={200: BillRunOut, **ERRORS},
    summary="按账期出账（可重复执行）",
)
def bill_run(request: HttpRequest, contract_id: int, payload: BillRunIn) -> Any:
    contract = selectors.access_contract(caller(request), contract_id)
    start, end = period_or_422(payload.period)
    with rules():
        result = services.bill_run(
            user=caller(request), contract=contract, period_start=start, period_end=end
        )
    return {**result.__dict__, "total": money(result.total)}


@router.get("/property/bills", response={200: BillPage, **ERRORS}, summary="账单")
def bill_list(
    request: HttpRequest,
    page: Query[PageParams],
    contract: int | None = None,
    dwelling: int | None = None,
    period: str | None = None,
) -> Any:
    qs = selectors.bills_for(caller(request))
    if contract is not None:
        qs = qs.filter(contract_id=contract)
    if dwelling is not None:
        qs = qs.filter(dwelling_id=dwelling)
    if period:
        qs = qs.filter(period_start=period_or_422(period)[0])
    return paginate(qs.order_by("dwelling_id", "period_start", "id"), page, bill_out)


@router.post(
    "/property/bills/{bill_id}/credit-notes", response={201: BillOut, **ERRORS}, summary="红冲（部分或全部）"
)
def bill_credit(request: HttpRequest, bill_id: int, payload: CorrectionIn) -> Any:
    bill = selectors.access_bill(caller(request), bill_id)
    with rules():
        credit = services.bill_credit(
            user=caller(request), bill=bill, amount=payload.amount, reason=payload.reason
        )
    return Status(201, bill_out(credit))


@router.post(
    "/property/bills/{bill_id}/replacements",
    response={201: ReplacementOut, **ERRORS},
    summary="更正：红冲并重开账单",
)
def bill_replace(request: HttpRequest, bill_id: int, payload: CorrectionIn) -> Any:
    bill = selectors.access_bill(caller(request), bill_id)
    with rules():
        credit, replacement = services.bill_replace(
            user=caller(request), bill=bill, amount=payload.amount, reason=payload.reason
        )
    return Status(201, {"credit": bill_out(credit) if credit else None, "replacement": bill_out(replacement)})


# --- payments ------------------------------------------------------------------------------------


def _payment(request: HttpRequest, payload: PaymentIn, write: Any) -> Any:
    user = caller(request)
    contract = selectors.access_contract(user, payload.contract)
    dwelling = access_dwelling(user, payload.dwelling)
    with rules():
        payment = write(
            user=user,
            contract=contract,
            dwelling=dwelling,
            amount=payload.amount,
            method=payload.method,
            reference=payload.reference,
            paid_on=payload.paid_on,
            note=payload.note,
            idempotency_key=request.headers.get("Idempotency-Key") or None,
        )
    return Status(201, payment_out(payment))


@router.post("/property/payments", response={201: PaymentOut, **ERRORS}, summary="登记收款（物业人员）")
def payment_record(request: HttpRequest, payload: PaymentIn) -> Any:
    return _payment(request, payload, services.payment_record)


@router.post(
    "/property/payments/claims", response={201: PaymentOut, **ERRORS}, summary="居民申报已缴费，待物业确认"
)
def payment_claim(request: HttpRequest, payload: PaymentIn) -> Any:
    return _payment(request, payload, services.payment_claim)


@router.get("/property/payments", response={200: PaymentPage, **ERRORS}, summary="缴费记录")
def payment_list(
    request: HttpRequest,
    page: Query[PageParams],
    contract: int | None = None,
    dwelling: int | None = None,
    status: Literal["claimed", "confirmed", "rejected"] | None = None,
) -> Any:
    qs = selectors.payments_for(caller(request))
    for lookup, value in (("contract_id", contract), ("dwelling_id", dwelling), ("status", status)):
        if value is not None:
            qs = qs.filter(**{lookup: value})
    return paginate(qs.order_by("-paid_on", "-id"), page, payment_out)


@router.post(
    "/property/payments/{payment_id}/confirm", response={200: PaymentOut, **ERRORS}, summary="确认到账"
)
def payment_confirm(request: HttpRequest, payment_id: int, payload: ReasonIn) -> Any:
    payment = selectors.access_payment(caller(request), payment_id)
    with rules():
        payment = services.payment_confirm(user=caller(request), payment=payment, reason=payload.reason)
    return payment_out(payment)


@router.post(
    "/property/payments/{payment_id}/reject", response={200: PaymentOut, **ERRORS}, summary="驳回申报"
)
def payment_reject(request: HttpRequest, payment_id: int, payload: ReasonIn) -> Any:
    payment = selectors.access_payment(caller(request), payment_id)
    with rules():
        payment = services.payment_reject(user=caller(request), payment=payment, reason=payload.reason)
    return payment_out(payment)


@router.get(
    "/property/payments/{payment_id}/receipt.pdf",
    response={200: None, **ERRORS},
    url_name="payment_receipt",
    summary="收据（PDF）",
)
def payment_receipt(request: HttpRequest, payment_id: int) -> Any:
    payment = selectors.access_payment(caller(request), payment_id)
    if payment.receipt_number is None:
        raise field_error("payment", "该笔缴费尚未确认，没有收据")
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    return response


# --- accounts, arrears and collection ------------------------------------------------------------


@router.get(
    "/property/contracts/{contract_id}/arrears", response={200: ArrearsOut, **ERRORS}, summary="欠费清单"
)
def contract_arrears(request: HttpRequest, contract_id: int, as_of: dt.date | None = None) -> Any:
    user = caller(request)
    contract = selectors.access_contract(user, contract_id)
    as_of = as_of or timezone.localdate()
    owing = arrears(selectors.contract_accounts(user, contract).values(), as_of)
    total = sum((a.overdue(as_of) for a in owing), ZERO)
    return {"as_of": as_of, "total": money(total), "items": [account_out(a, as_of) for a in owing]}


@router.get(
    "/property/contracts/{contract_id}/accounts/{dwelling_id}",
    response={200: AccountOut, **ERRORS},
    summary="房屋物业费账户：应收、实收、缴至日期",
)
def account_detail(request: HttpRequest, contract_id: int, dwelling_id: int) -> Any:
    user = caller(request)
    contract = selectors.access_contract(user, contract_id)
    dwelling = access_dwelling(user, dwelling_id)
    return account_out(selectors.account_of(user, contract, dwelling.pk), timezone.localdate())


@router.get("/property/collection", response={200: CollectionOut, **ERRORS}, summary="收缴率")
def collection_rate(
    request: HttpRequest,
    period_from: str,
    period_to: str | None = None,
    by: Literal["compound", "company", "contract"] = "compound",
) -> Any:
    """收缴率 = collected ÷ charged for bills of the periods from `period_from` to `period_to`, over the
    compounds whose totals the caller may read."""
    user = caller(request)
    start = period_or_422(period_from, "period_from")[0]
    end = period_or_422(period_to or period_from, "period_to")[1]
    compounds = selectors.oversight_compounds(user)
    bills = Bill.objects.filter(compound__in=compounds, period_start__gte=start, period_start__lte=end)
    payments = Payment.objects.filter(compound__in=compounds, contract__in=bills.values("contract_id"))
    accounts = build_accounts(bills, payments)
    # Only contracts of compounds the caller oversees have accounts here, so naming them reveals nothing.
    contracts = ServiceContract.objects.select_related("compound", "company").in_bulk(
        {a.contract_id for a in accounts.values()}
    )
    key, name = {
        "compound": (lambda a: a.compound_id, lambda pk: contracts_compound(contracts, pk)),
        "company": (lambda a: contracts[a.contract_id].company_id, lambda pk: company_name(contracts, pk)),
        "contract": (lambda a: a.contract_id, lambda pk: str(contracts[pk])),
    }[by]
    groups = collection(accounts.values(), start, end, key)
    total = collection(accounts.values(), start, end).get(None)

    def row(pk: int, c: Any) -> dict[str, Any]:
        return {"id": pk, "name": name(pk), "charged": money(c.charged), "collected": money(c.collected),
                "rate": percent(c.rate), "accounts": c.accounts, "settled": c.settled}  # fmt: skip

    return {
        "period_from": start,
        "period_to": end,
        "by": by,
        "total": row(0, total or Collection()) | {"name": "合计"},
        "items": [row(pk, c) for pk, c in sorted(groups.items(), key=lambda kv: kv[1].rate or 0)],  # type: ignore[arg-type]
    }


def contracts_compound(contracts: dict[int, Any], compound_id: int) -> str:
    return next((c.compound.name for c in contracts.values() if c.compound_id == compound_id), "")


def company_name(contracts: dict[int, Any], company_id: int) -> str:
    return next((c.company.name for c in contracts.values() if c.company_id == company_id), "")
