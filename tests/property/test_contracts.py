"""Contracts: registered by the community for an owners' committee (or 物管会), with history; Civil Code
art. 946–948 notice periods; who is in charge of a compound on a day (for routing appeals)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.core.models import AuditEntry
from guanjia.places.models import ManagementModeChange
from guanjia.property import selectors, services
from guanjia.property.errors import RuleError
from guanjia.property.models import CompanyStaff, PropertyCompany, ServiceContract
from guanjia.property.selectors import company_in_charge, company_staff_person_ids, contract_state
from tests.property.helpers import START, sign

pytestmark = pytest.mark.django_db


def notice(world, contract, kind, given_on, user="secretary", reason="业主大会决定"):
    return services.contract_give_notice(
        user=world.user(user), contract=contract, kind=kind, given_on=given_on, reason=reason
    )


def test_a_contract_discloses_its_fee_items_and_person_in_charge(world, contract):
    assert contract.charge_items.get().rate == 20
    assert [i.frequency for i in contract.service_items.all()] == ["每日", "每周一次", "按需", "每年两次"]
    assert (contract.manager_name, contract.service_phone) == ("李经理", "0351-7654321")


def test_signing_with_the_fallback_company_makes_the_compound_fallback_managed(world, fallback_company):
    world.rose.management_mode = "unmanaged"
    world.rose.save()
    sign(world, world.rose, fallback_company, start_date=dt.date(2024, 5, 10))
    world.rose.refresh_from_db()
    assert (world.rose.management_mode, world.rose.mode_since) == ("fallback", dt.date(2024, 5, 10))
    change = ManagementModeChange.objects.get(compound=world.rose)
    assert (change.from_mode, change.to_mode) == ("unmanaged", "fallback")


@pytest.mark.parametrize("name", ["alice", "property", "cadre1", "official", "committee"])
def test_only_the_registry_editors_register_contracts(world, company, name):
    with pytest.raises(PermissionDenied):
        sign(world, world.sunshine, company, user=world.user(name))
    assert not ServiceContract.objects.exists()


def test_a_successor_ends_the_previous_contract_the_day_before(world, contract, fallback_company):
    successor = sign(world, world.sunshine, fallback_company, start_date=dt.date(2025, 3, 1))
    contract.refresh_from_db()
    assert contract.ended_on == dt.date(2025, 2, 28) and successor.previous == contract
    assert company_in_charge(world.sunshine.pk, dt.date(2025, 2, 28)) == contract.company
    assert company_in_charge(world.sunshine.pk, dt.date(2025, 3, 1)) == fallback_company
    assert company_in_charge(world.sunshine.pk, START - dt.timedelta(days=1)) is None
    with pytest.raises(RuleError):
        sign(world, world.sunshine, fallback_company, start_date=dt.date(2025, 3, 1))


def test_dismissal_takes_effect_60_days_after_written_notice(world, contract):
    ended = notice(world, contract, "dismissal", dt.date(2024, 6, 1))
    assert ended.ended_on == dt.date(2024, 7, 31)
    assert contract_state(ended, dt.date(2024, 7, 1)) == "notice"
    assert contract_state(ended, dt.date(2024, 8, 1)) == "ended"
    assert company_in_charge(world.sunshine.pk, dt.date(2024, 8, 1)) is None
    entry = AuditEntry.objects.filter(model="property.servicecontract", action="update").last()
    assert entry.reason == "业主大会决定" and "ended_on" in entry.changes


def test_a_committee_member_may_record_the_owners_dismissal(world, contract):
    assert notice(world, contract, "dismissal", dt.date(2024, 6, 1), user="committee").ended_on


def test_non_renewal_needs_90_days_before_expiry_and_a_late_notice_does_not_shorten_them(world, contract):
    on_time = notice(world, contract, "non_renewal", dt.date(2026, 9, 1), user="property")
    assert on_time.ended_on == dt.date(2026, 12, 31)
    other = sign(world, world.rose, contract.company, end_date=dt.date(2026, 12, 31))
    late = notice(world, other, "non_renewal", dt.date(2026, 12, 1))
    assert late.ended_on == dt.date(2026, 12, 1) + dt.timedelta(days=90)


def test_after_expiry_without_a_decision_the_contract_continues_open_ended(world, contract):
    after = dt.date(2027, 3, 1)
    assert contract_state(contract, after) == "open_ended"
    assert company_in_charge(world.sunshine.pk, after) == contract.company
    with pytest.raises(RuleError):
        notice(world, contract, "non_renewal", after, user="property")
    ended = notice(world, contract, "open_ended_end", after, user="property", reason="公司不再提供服务")
    assert ended.ended_on == after + dt.timedelta(days=60)


def test_a_notice_cannot_be_given_twice_or_without_a_reason(world, contract):
    with pytest.raises(RuleError):
        notice(world, contract, "dismissal", dt.date(2024, 6, 1), reason=" ")
    notice(world, contract, "dismissal", dt.date(2024, 6, 1))
    with pytest.raises(RuleError):
        notice(world, contract, "dismissal", dt.date(2024, 6, 2))


@pytest.mark.parametrize("name", ["alice", "property", "cadre1", "official"])
def test_others_cannot_dismiss_the_company(world, contract, name):
    with pytest.raises(PermissionDenied):
        notice(world, contract, "dismissal", dt.date(2024, 6, 1), user=name)
    contract.refresh_from_db()
    assert contract.ended_on is None


def test_company_staff_who_handle_appeals_are_listed_person_in_charge_first(world, company):
    clerk = world.people["grid2"]
    boss = world.people["cadre2"]
    CompanyStaff.objects.create(company=company, person=clerk, start_date=START)
    CompanyStaff.objects.create(company=company, person=boss, start_date=START, is_in_charge=True)
    CompanyStaff.objects.create(
        company=company, person=world.people["bob"], start_date=START, handles_appeals=False
    )
    CompanyStaff.objects.create(
        company=company, person=world.people["dave"], start_date=START, end_date=dt.date(2020, 2, 1)
    )
    assert company_staff_person_ids(company.pk) == [boss.pk, clerk.pk]


def test_the_routing_lookup_agrees_with_the_company_in_charge_across_a_handover(
    world, contract, fallback_company
):
    """appeal_handler_ids is the one-query form routing uses; it must give what the two selectors give."""
    CompanyStaff.objects.create(company=fallback_company, person=world.people["grid2"], start_date=START)
    CompanyStaff.objects.create(
        company=fallback_company, person=world.people["cadre2"], start_date=START, is_in_charge=True
    )
    sign(world, world.sunshine, fallback_company, start_date=dt.date(2025, 3, 1))
    for day in (START - dt.timedelta(days=1), dt.date(2025, 2, 28), dt.date(2025, 3, 1)):
        company = company_in_charge(world.sunshine.pk, day)
        expected = company_staff_person_ids(company.pk, day) if company else []
        assert selectors.appeal_handler_ids(world.sunshine.pk, day) == expected, day
    in_charge = world.people["cadre2"].pk
    assert selectors.appeal_handler_ids(world.sunshine.pk, dt.date(2025, 3, 1))[0] == in_charge


def test_company_staff_operate_their_companys_contracts(world, contract):
    other = PropertyCompany.objects.create(name="别家物业")
    CompanyStaff.objects.create(company=contract.company, person=world.people["grid2"], start_date=START)
    CompanyStaff.objects.create(company=other, person=world.people["cadre2"], start_date=START)
    assert list(selectors.operated_contracts(world.user("grid2"))) == [contract]
    assert list(selectors.operated_contracts(world.user("property"))) == [contract]
    assert not selectors.operated_contracts(world.user("cadre2")).exists()
    assert not selectors.operated_contracts(world.user("alice")).exists()


def test_disclosures_are_posted_by_operators(world, contract):
    post = services.disclosure_publish(
        user=world.user("property"),
        contract=contract,
        kind="maintenance_fund",
        title="更换3号楼水泵",
        amount="4800.00",
    )
    assert selectors.disclosure(world.sunshine).disclosures == [post]
    with pytest.raises(PermissionDenied):
        services.disclosure_publish(user=world.user("alice"), contract=contract, kind="other", title="x")
