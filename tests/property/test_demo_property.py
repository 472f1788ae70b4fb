"""The demo county's property data tells seed 000's story: a government fallback company under contract
with the 物管会 of every fallback compound at 20 yuan per household-month, service items posted,
bills and payments at realistic collection rates, a rating round, and the county's coverage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guanjia.demo import PASSWORD, names
from guanjia.places.models import Compound, Region
from guanjia.property import coverage, selectors
from guanjia.property.accounts import build_accounts, collection
from guanjia.property.models import (
    Bill,
    EvaluationPeriod,
    Payment,
    PropertyCompany,
    Reminder,
    ServiceContract,
)

pytestmark = pytest.mark.django_db


def user(name):
    return get_user_model().objects.get(username=name)


def test_the_fallback_company_serves_every_fallback_compound_at_20_yuan(demo):
    company = PropertyCompany.objects.get(name=names.FALLBACK_COMPANY)
    assert company.is_fallback and company.has_party_org
    contracts = ServiceContract.objects.filter(company=company)
    assert contracts.count() == Compound.objects.filter(management_mode="fallback").count() == 56
    assert {c.party_kind for c in contracts} == {"management_committee"}
    assert {i.rate for c in contracts for i in c.charge_items.all()} == {Decimal("20.00")}
    assert ("楼道清扫", "每周一次") in {(i.title, i.frequency) for i in contracts.first().service_items.all()}


def test_every_managed_compound_has_a_company_in_charge_today(demo):
    today = timezone.localdate()
    for compound in Compound.objects.filter(management_mode__in=["fallback", "professional"]):
        assert selectors.company_in_charge(compound.pk, today) is not None, compound
    home = Compound.objects.get(name=names.DETAIL_COMPOUNDS[0][0])
    company = selectors.company_in_charge(home.pk, today)
    assert user("property").person.pk in selectors.company_staff_person_ids(company.pk)
    unmanaged = Compound.objects.filter(management_mode="unmanaged").first()
    assert selectors.company_in_charge(unmanaged.pk, today) is None


def test_collection_rates_are_realistic(demo):
    accounts = build_accounts(Bill.objects.all(), Payment.objects.all()).values()
    start = Bill.objects.order_by("period_start").first().period_start
    county = collection(accounts, start, timezone.localdate())[None]
    assert Decimal(60) < county.rate < Decimal(95)
    by_compound = collection(accounts, start, timezone.localdate(), lambda a: a.compound_id)
    rates = [c.rate for c in by_compound.values() if c.rate is not None]
    assert min(rates) < max(rates)


def test_the_demo_residents_claim_waits_and_the_neighbour_is_reminded(demo):
    resident, neighbour = user("resident"), user("resident2")
    claim = selectors.payments_for(resident).get(status="claimed")
    assert claim.receipt_number is None
    assert selectors.payments_for(user("property")).filter(pk=claim.pk).exists()
    account = selectors.account_of(resident, claim.contract, claim.dwelling_id)
    assert account.paid_up_to is None or account.paid_up_to < timezone.localdate()
    assert (
        selectors.reminders_for(neighbour).exists()
        and not Reminder.objects.filter(dwelling=claim.dwelling).exists()
    )


def test_one_round_is_open_and_the_last_one_is_published(demo):
    today = timezone.localdate()
    assert EvaluationPeriod.objects.filter(opens_on__lte=today, closes_on__gte=today).count() == 1
    published = EvaluationPeriod.objects.get(published_at__isnull=False)
    assert published.responses.count() > 500
    home = Compound.objects.get(name=names.DETAIL_COMPOUNDS[0][0])
    assert selectors.disclosure(home).evaluation.result.responses > 0


def test_the_coverage_dashboard_shows_seed_000s_county(demo):
    county = Region.objects.get(code=names.COUNTY[1])
    board = coverage.dashboard(selectors.oversight_compounds(user("official")), county, timezone.localdate())
    assert board.node.total == 131 and board.node.managed == 122 and len(board.unmanaged) == 9
    assert len(board.children) == 4  # the streets
    managed = [m["managed"] for m in board.months]
    assert managed == sorted(managed) and managed[0] < managed[-1]  # 告别无管时代, month by month
    assert board.formed + board.preparing in (0, 131)


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("resident", "web:property-my"),
        ("resident", "web:property-evaluations"),
        ("property", "web:property-home"),
        ("secretary", "web:property-home"),
        ("committee", "web:property-home"),
        ("official", "web:property-coverage"),
        ("official", "web:property-evaluations"),
        ("admin", "web:property-coverage"),
    ],
)
def test_each_demo_role_opens_its_property_pages(demo, username, page):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    assert client.get(reverse(page)).status_code == 200


def test_the_property_desk_and_the_public_page_of_the_demo_compound(demo):
    client = Client()
    assert client.login(username="property", password=PASSWORD)
    home = Compound.objects.get(name=names.DETAIL_COMPOUNDS[0][0])
    contract = selectors.contract_in_force(home.pk, timezone.localdate())
    desk = client.get(reverse("web:property-billing", args=[contract.pk]))
    assert desk.status_code == 200 and "欠费清单" in desk.content.decode()
    public = Client().get(reverse("web:property-disclosure", args=[home.pk]))
    assert public.status_code == 200 and contract.company.name in public.content.decode()
