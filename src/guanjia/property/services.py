"""Writes about property contracts: register, notices (Civil Code art. 946–948), service items,
disclosures, company staff. Billing and payments are in property.billing, ratings in
property.evaluation; both are re-exported here so callers find every use case in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guanjia.core.audit import acting_as, current_actor
from guanjia.people import permissions as perms
from guanjia.people.models import Person
from guanjia.places.models import Compound, ManagementMode
from guanjia.places.services import compound_set_management_mode
from guanjia.property import permissions as pp
from guanjia.property.billing import (  # noqa: F401 -- re-exported use cases
    bill_credit,
    bill_replace,
    bill_run,
    payment_claim,
    payment_confirm,
    payment_record,
    payment_reject,
    reminders_send,
)
from guanjia.property.errors import RuleError, choice, to_money
from guanjia.property.evaluation import evaluation_submit, period_open, period_publish  # noqa: F401
from guanjia.property.models import (
    ChargeItem,
    CompanyStaff,
    Cycle,
    Disclosure,
    DisclosureKind,
    FeeBasis,
    NoticeKind,
    PartyKind,
    PropertyCompany,
    ServiceContract,
    ServiceItem,
)
from guanjia.property.selectors import contract_in_force

ServiceItemSpec = tuple[str, str, str]  # (category, title, frequency)


@transaction.atomic
def contract_register(
    *,
    user: Any,
    compound: Compound,
    company: PropertyCompany,
    party_kind: str,
    party_name: str,
    signed_on: dt.date,
    start_date: dt.date,
    end_date: dt.date | None,
    manager_name: str,
    service_phone: str,
    fee_basis: str = FeeBasis.PER_HOUSEHOLD,
    fee_rate: Decimal | str = "20.00",
    billing_cycle: str = Cycle.MONTHLY,
    number: str = "",
    items: Iterable[ServiceItemSpec] = (),
) -> ServiceContract:
    """A contract signed by the owners' committee (or 物管会, or the community) with a company.

    The contract in force before it ends the day before it starts, and the compound's management
    mode follows the company: a government fallback company makes it 政府兜底物业."""
    scope = perms.scope_for(user)
    perms.require(pp.can_register_contract(scope, compound), "无权登记该小区的物业服务合同")
    choice(PartyKind, party_kind, "party_kind")
    choice(Cycle, billing_cycle, "billing_cycle")
    choice(FeeBasis, fee_basis, "fee_basis")
    if end_date is not None and end_date < start_date:
        raise RuleError("约定期满日不能早于服务起始日", "end_date")
    if not manager_name.strip() or not service_phone.strip():
        raise RuleError("应公示项目负责人和服务电话", "manager_name")
    rate = to_money(fee_rate, "fee_rate", positive=False)
    if ServiceContract.objects.filter(compound=compound, start_date__gte=start_date).exists():
        raise RuleError("该小区在此日期及以后已有合同", "start_date")
    previous = contract_in_force(compound.pk, start_date - dt.timedelta(days=1))
    contract = ServiceContract.objects.create(
        compound=compound,
        company=company,
        party_kind=party_kind,
        party_name=party_name.strip(),
        number=number,
        signed_on=signed_on,
        start_date=start_date,
        end_date=end_date,
        billing_cycle=billing_cycle,
        manager_name=manager_name.strip(),
        service_phone=service_phone.strip(),
        previous=previous,
    )
    if previous is not None and (previous.ended_on is None or previous.ended_on >= start_date):
        previous.ended_on = start_date - dt.timedelta(days=1)
        previous.save(update_fields=["ended_on"])
    ChargeItem.objects.create(contract=contract, name="物业服务费", basis=fee_basis, rate=rate)
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(contract=contract, category=c, title=t, frequency=f, position=i)
            for i, (c, t, f) in enumerate(items)
        ]
    )
    mode = ManagementMode.FALLBACK if company.is_fallback else ManagementMode.PROFESSIONAL
    if compound.management_mode != mode:
        compound_set_management_mode(
            user=user,
            compound=compound,
            mode=mode,
            effective_on=start_date,
            reason=f"签订物业服务合同：{company}",
        )
    return contract


def notice_end(contract: ServiceContract, kind: str, given_on: dt.date) -> dt.date:
    """The last day of service after a written notice given on `given_on` (Civil Code art. 946–948)."""
    if kind == NoticeKind.DISMISSAL:
        return given_on + dt.timedelta(days=contract.dismissal_notice_days)
    if kind == NoticeKind.NON_RENEWAL:
        if contract.end_date is None:
            raise RuleError("合同未约定期限，应按不定期合同解除", "kind")
        if given_on > contract.end_date:
            raise RuleError("合同已期满，应按不定期合同解除（提前60日通知）", "kind")
        # A late notice does not shorten the 90 days the owners have to find a successor.
        return max(contract.end_date, given_on + dt.timedelta(days=contract.non_renewal_notice_days))
    if kind == NoticeKind.OPEN_ENDED_END:
        if contract.end_date is not None and given_on <= contract.end_date:
            raise RuleError("合同尚在约定期内，不是不定期合同", "kind")
        return given_on + dt.timedelta(days=contract.dismissal_notice_days)
    raise RuleError("未知的通知类型", "kind")


@transaction.atomic
def contract_give_notice(
    *, user: Any, contract: ServiceContract, kind: str, given_on: dt.date, reason: str
) -> ServiceContract:
    """Record a written notice to end the contract; returns it with `ended_on` set."""
    scope = perms.scope_for(user)
    contract = ServiceContract.objects.select_for_update().select_related("compound").get(pk=contract.pk)
    if kind == NoticeKind.DISMISSAL:
        allowed = pp.can_record_owners_decision(scope, contract.compound)
    else:
        allowed = pp.can_record_owners_decision(scope, contract.compound) or pp.can_operate(scope, contract)
    perms.require(allowed, "无权登记该合同的终止通知")
    if not reason.strip():
        raise RuleError("请写明通知事由（如业主大会决定）", "reason")
    if not contract.in_force(given_on):
        raise RuleError("合同在通知日不在履行中", "given_on")
    if contract.notice_kind:
        raise RuleError("该合同已登记终止通知", "kind")
    ended_on = notice_end(contract, kind, given_on)
    contract.notice_kind, contract.notice_given_on, contract.notice_reason = kind, given_on, reason.strip()
    contract.ended_on = ended_on
    with acting_as(user, via=current_actor().via, reason=reason.strip()):
        contract.save(update_fields=["notice_kind", "notice_given_on", "notice_reason", "ended_on"])
    return contract


@transaction.atomic
def service_item_add(
    *, user: Any, contract: ServiceContract, category: str, title: str, frequency: str = ""
) -> ServiceItem:
    scope = perms.scope_for(user)
    perms.require(
        pp.can_operate(scope, contract) or pp.can_register_contract(scope, contract.compound),
        "无权修改该合同的服务公示项目",
    )
    choice(ServiceItem.Category, category, "category")
    if not title.strip():
        raise RuleError("请填写服务内容", "title")
    position = contract.service_items.count()
    return ServiceItem.objects.create(
        contract=contract,
        category=category,
        title=title.strip(),
        frequency=frequency.strip(),
        position=position,
    )


@transaction.atomic
def disclosure_publish(
    *,
    user: Any,
    contract: ServiceContract,
    kind: str,
    title: str,
    body: str = "",
    amount: Decimal | str | None = None,
    published_on: dt.date | None = None,
) -> Disclosure:
    """Post what Civil Code art. 943 asks to be public (performance, maintenance fund, common income)."""
    scope = perms.scope_for(user)
    perms.require(
        pp.can_operate(scope, contract) or pp.can_register_contract(scope, contract.compound),
        "无权在该小区发布公示",
    )
    choice(DisclosureKind, kind, "kind")
    if not title.strip():
        raise RuleError("请填写公示标题", "title")
    return Disclosure.objects.create(
        compound_id=contract.compound_id,
        contract=contract,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        amount=None if amount in (None, "") else to_money(amount, positive=False),
        published_on=published_on or timezone.localdate(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def company_staff_add(
    *,
    user: Any,
    company: PropertyCompany,
    person: Person,
    title: str = "",
    is_in_charge: bool = False,
    handles_appeals: bool = True,
    start_date: dt.date | None = None,
) -> CompanyStaff:
    perms.require(pp.can_manage_company(perms.scope_for(user), company.pk), "无权管理该物业公司的人员")
    return CompanyStaff.objects.create(
        company=company,
        person=person,
        title=title,
        is_in_charge=is_in_charge,
        handles_appeals=handles_appeals,
        start_date=start_date or timezone.localdate(),
    )
