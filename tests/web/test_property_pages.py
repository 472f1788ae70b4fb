"""Property pages: the public 公示 page and poster, the billing desk, a dwelling's account, the
resident's bills with "I paid", ratings and the coverage dashboard — each for the roles that may."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from guanjia.property import services
from guanjia.property.models import Bill, EvaluationPeriod, EvaluationResponse, Payment, ServiceContract
from tests.property.helpers import make_company, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world):
    return sign(world, world.sunshine, make_company())


def url(name, *args):
    return reverse(f"web:{name}", args=args)


def test_the_disclosure_page_needs_no_login_and_the_poster_has_a_qr_code(world, contract):
    page = world.client(None).get(url("property-disclosure", world.sunshine.pk))
    assert page.status_code == 200
    text = page.content.decode()
    for fact in (
        "阳光物业服务有限公司",
        "李经理",
        "0351-7654321",
        "20.00",
        "楼道清扫",
        "每周一次",
        "第九百四十三条",
    ):
        assert fact in text
    poster = world.client(None).get(url("property-poster", world.sunshine.pk))
    assert poster.status_code == 200 and b"<svg" in poster.content
    assert f"/gongshi/{world.sunshine.pk}/".encode() in poster.content
    assert world.client(None).get(url("property-disclosure", 999999)).status_code == 404


def test_a_compound_without_a_contract_says_so(world):
    page = world.client(None).get(url("property-disclosure", world.west_compound.pk))
    assert "没有签约的物业服务企业" in page.content.decode()


def test_property_staff_run_bills_from_the_billing_desk_and_a_rerun_creates_nothing(world, contract):
    client = world.client("property")
    assert client.get(url("property-billing", contract.pk)).status_code == 200
    client.post(url("property-bill-run", contract.pk), {"period": "2024-05"})
    assert Bill.objects.count() == 2
    again = client.post(url("property-bill-run", contract.pk), {"period": "2024-05"}, follow=True)
    assert Bill.objects.count() == 2
    assert "已有账单 2 户未重复出账" in again.content.decode()


def test_the_billing_desk_says_which_dwellings_a_quarter_left_out_for_a_month_already_billed(world, contract):
    client = world.client("property")
    client.post(url("property-bill-run", contract.pk), {"period": "2024-05"})
    quarter = client.post(url("property-bill-run", contract.pk), {"period": "2024-Q2"}, follow=True)
    assert Bill.objects.count() == 2
    assert "另有 2 户已有其他账期的账单覆盖本账期的部分月份，未出账" in quarter.content.decode()
    client.cookies["django_language"] = "en"
    june = client.post(url("property-bill-run", contract.pk), {"period": "2024-06"}, follow=True)
    assert Bill.objects.count() == 4
    assert "Billing done: 2 new bills" in june.content.decode()
    client.post(url("property-bill-run", contract.pk), {"period": "2024-04"})
    english = client.post(url("property-bill-run", contract.pk), {"period": "2024-Q2"}, follow=True).content
    assert (
        "2 more households already have bills for other periods covering some of these months"
        in english.decode()
    )


@pytest.mark.parametrize("name", ["alice", "committee", "official"])
def test_others_cannot_run_bills(world, contract, name):
    response = world.client(name).post(url("property-bill-run", contract.pk), {"period": "2024-05"})
    assert response.status_code in (403, 404)
    assert not Bill.objects.exists()


def test_a_partial_payment_shows_in_the_arrears_and_a_correction_keeps_the_original(world, contract):
    client = world.client("property")
    for month in ("2024-04", "2024-05"):
        client.post(url("property-bill-run", contract.pk), {"period": month})
    client.post(
        url("property-payment-record", contract.pk, world.a101.pk),
        {"amount": "30.00", "method": "cash", "paid_on": "2024-06-01", "token": "t1"},
    )
    client.post(
        url("property-payment-record", contract.pk, world.a101.pk),
        {"amount": "30.00", "method": "cash", "paid_on": "2024-06-01", "token": "t1"},
    )  # the same form sent twice
    assert Payment.objects.count() == 1
    account = client.get(url("property-account", contract.pk, world.a101.pk)).content.decode()
    assert "2024-04-30" in account  # paid up to April; May half paid
    bill = Bill.objects.get(dwelling=world.a102, period_start=dt.date(2024, 5, 1))
    client.post(
        url("property-bill-correct", bill.pk), {"kind": "credit", "amount": "20.00", "reason": "空置"}
    )
    bill.refresh_from_db()
    assert bill.amount == Decimal("20.00") and bill.corrections.get().amount == Decimal("-20.00")
    desk = client.get(url("property-billing", contract.pk)).content.decode()
    assert "10.00" in desk and "30.00" in desk  # a101 owes 10, a102 owes 20 (the sum 30)
    export = client.get(url("property-export", contract.pk))
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_a_resident_claims_a_payment_and_staff_confirm_it(world, contract):
    world.client("property").post(url("property-bill-run", contract.pk), {"period": "2024-05"})
    alice = world.client("alice")
    page = alice.get(url("property-my"))
    assert page.status_code == 200 and "20.00" in page.content.decode()
    alice.post(
        url("property-my-claim"),
        {"dwelling": world.a101.pk, "contract": contract.pk, "amount": "20.00", "method": "wechat",
         "reference": "WX123", "paid_on": "2024-06-01"},
    )  # fmt: skip
    claimed = Payment.objects.get()
    assert claimed.status == "claimed"
    assert "WX123" in world.client("property").get(url("property-billing", contract.pk)).content.decode()
    world.client("property").post(url("property-payment-decide", claimed.pk, "confirm"))
    claimed.refresh_from_db()
    assert claimed.status == "confirmed"
    receipt = alice.get(url("property-receipt", claimed.pk))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    assert world.client("bob").get(url("property-receipt", claimed.pk)).status_code == 404


def test_a_neighbour_cannot_claim_for_alice(world, contract):
    world.client("bob").post(
        url("property-my-claim"),
        {
            "dwelling": world.a101.pk,
            "contract": contract.pk,
            "amount": "20.00",
            "method": "cash",
            "paid_on": "2024-06-01",
        },
    )
    assert not Payment.objects.exists()


def test_the_secretary_registers_a_contract_and_the_committee_records_a_dismissal(world):
    company = make_company()
    form = {
        "company": company.pk,
        "party_kind": "owners_committee",
        "party_name": "月季小区业委会",
        "start_date": "2024-07-01",
        "end_date": "2027-06-30",
        "fee_rate": "20.00",
        "manager_name": "王经理",
        "service_phone": "0351-1111111",
        "items": "楼道每周清扫一次\n清理化粪池",
    }
    assert world.client("property").post(url("property-contract-new", world.rose.pk), form).status_code in (
        403,
        404,
    )
    world.client("secretary").post(url("property-contract-new", world.rose.pk), form)
    contract = ServiceContract.objects.get(compound=world.rose)
    assert contract.service_items.count() == 2
    sunshine = sign(world, world.sunshine, company)
    world.client("committee").post(
        url("property-notice", sunshine.pk),
        {"kind": "dismissal", "given_on": "2024-08-01", "reason": "业主大会决定"},
    )
    sunshine.refresh_from_db()
    assert sunshine.ended_on == dt.date(2024, 9, 30)


def test_residents_rate_and_the_official_publishes(world, contract):
    today = dt.date.today()  # noqa: DTZ011 -- the page uses the local date; a day either side is fine
    world.client("official").post(
        url("property-evaluation-open"),
        {"name": "本季度", "opens_on": (today - dt.timedelta(days=1)).isoformat(),
         "closes_on": (today + dt.timedelta(days=10)).isoformat()},
    )  # fmt: skip
    period = EvaluationPeriod.objects.get()
    household = world.people["alice"].residencies.get().household
    scores = dict.fromkeys(("cleanliness", "order", "repairs", "greening", "parking", "attitude"), "4")
    form = world.client("alice").get(url("property-evaluation", period.pk)).content.decode()
    assert "环境卫生" in form
    world.client("alice").post(
        url("property-evaluation-submit", period.pk), {"household": household.pk, **scores}
    )
    world.client("alice").post(
        url("property-evaluation-submit", period.pk), {"household": household.pk, **scores}
    )
    assert EvaluationResponse.objects.count() == 1
    results = world.client("official").get(url("property-evaluation", period.pk)).content.decode()
    assert "阳光物业服务有限公司" in results and "80.0" in results
    world.client("official").post(url("property-evaluation-publish", period.pk))
    assert (
        "居民评价" in world.client(None).get(url("property-disclosure", world.sunshine.pk)).content.decode()
    )


def test_the_coverage_dashboard_is_for_staff(world):
    page = world.client("official").get(url("property-coverage"))
    assert page.status_code == 200 and "东社区" in page.content.decode()
    assert world.client("alice").get(url("property-coverage")).status_code == 403


def test_navigation_per_role(world):
    def keys(name):
        return [i.key for i in world.client(name).get(url("home")).context["nav"].items]

    assert {"property-my", "property-eval"} <= set(keys("alice"))
    assert "property" in keys("property") and "property" in keys("secretary")
    assert "property-coverage" in keys("official")


def test_the_billing_desk_takes_a_bounded_number_of_queries(world, contract, django_assert_max_num_queries):
    client = world.client("property")
    client.post(url("property-bill-run", contract.pk), {"period": "2024-05"})
    with django_assert_max_num_queries(30):
        assert client.get(url("property-billing", contract.pk)).status_code == 200
    services.payment_claim(user=world.user("alice"), contract=contract, dwelling=world.a101, amount="5.00",
                           method="cash", paid_on=dt.date(2024, 6, 1))  # fmt: skip
    with django_assert_max_num_queries(30):
        assert client.get(url("property-billing", contract.pk)).status_code == 200


def test_the_home_page_widgets_render(world, contract, rf):
    from django.template.loader import render_to_string

    from guanjia.web.views_property import home_context
    from guanjia.web.views_property_billing import resident_home_context

    services.bill_run(user=world.user("property"), contract=contract, period_start=dt.date(2024, 5, 1))
    request = rf.get("/")
    request.user = world.user("alice")
    html = render_to_string("web/property/_home_resident.html", resident_home_context(request))
    assert "20.00" in html and "阳光物业服务有限公司" in html
    request.user = world.user("property")
    assert "阳光小区" in render_to_string("web/property/_home_staff.html", home_context(request))
