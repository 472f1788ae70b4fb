"""The property API: public disclosure without login; bill runs, corrections, payments (with
Idempotency-Key), arrears and collection rates, each for the roles that may."""

from __future__ import annotations

import pytest

from guanjia.property.models import Bill, Payment
from tests.api.conftest import API, error_of
from tests.property.helpers import make_company, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world):
    return sign(world, world.sunshine, make_company())


def test_the_disclosure_is_readable_without_login(api, world, contract):
    response = api(None).get(f"/property/compounds/{world.sunshine.pk}/disclosure")
    assert response.status_code == 200
    body = response.json()
    assert body["management_mode"] == "professional"
    assert body["contract"]["company"]["name"] == "阳光物业服务有限公司"
    assert body["contract"]["manager_name"] == "李经理"
    assert body["contract"]["charge_items"][0]["rate"] == "20.00"
    assert [i["title"] for i in body["contract"]["service_items"]][1] == "楼道清扫"
    assert api(None).get("/property/compounds/999999/disclosure").status_code == 404


def test_a_bill_run_twice_creates_bills_once(api, world, contract):
    staff = api("property")
    first = staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "skipped": 0, "overlapping": 0, "missing_area": 0, "total": "40.00"}
    again = staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    assert again.json()["created"] == 0 and Bill.objects.count() == 2
    bad = staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-13"})
    assert bad.status_code == 422 and error_of(bad)["fields"][0]["field"] == "period"


def test_a_quarter_after_one_of_its_months_charges_no_month_twice(api, world, contract):
    staff = api("property")
    staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    quarter = staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-Q2"})
    assert quarter.json() == {
        "created": 0,
        "skipped": 0,
        "overlapping": 2,
        "missing_area": 0,
        "total": "0.00",
    }
    assert Bill.objects.count() == 2


@pytest.mark.parametrize("name", ["alice", "cadre1", "committee"])
def test_others_may_not_run_bills(api, world, contract, name):
    response = api(name).post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    assert response.status_code == 403
    assert not Bill.objects.exists()


def test_a_contract_outside_ones_scope_is_not_found(api, world, contract):
    assert (
        api("official2")
        .post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
        .status_code
        == 404
    )
    assert api("carol").get(f"/property/contracts/{contract.pk}").status_code == 404


def test_payments_corrections_arrears_and_receipt(api, world, contract):
    staff = api("property")
    staff.post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    bill = Bill.objects.get(dwelling=world.a101)
    credit = staff.post(f"/property/bills/{bill.pk}/credit-notes", {"amount": "5.00", "reason": "空置优惠"})
    assert (
        credit.status_code == 201
        and credit.json()["amount"] == "-5.00"
        and credit.json()["corrects_id"] == bill.pk
    )
    too_much = staff.post(f"/property/bills/{bill.pk}/credit-notes", {"amount": "15.01", "reason": "x"})
    assert too_much.status_code == 422 and error_of(too_much)["fields"][0]["field"] == "amount"
    floaty = staff.post(f"/property/bills/{bill.pk}/credit-notes", {"amount": 1.5, "reason": "x"})
    assert floaty.status_code == 422

    payload = {"contract": contract.pk, "dwelling": world.a101.pk, "amount": "10.00", "method": "cash",
               "paid_on": "2024-06-01"}  # fmt: skip
    headers = {"HTTP_IDEMPOTENCY_KEY": "pay-1"}
    first = staff.client.post(f"{API}/property/payments", payload, content_type="application/json",
                              headers={"Authorization": f"Bearer {staff.token}"}, **headers)  # fmt: skip
    again = staff.client.post(f"{API}/property/payments", payload, content_type="application/json",
                              headers={"Authorization": f"Bearer {staff.token}"}, **headers)  # fmt: skip
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Payment.objects.count() == 1

    arrears = staff.get(f"/property/contracts/{contract.pk}/arrears", as_of="2024-06-15").json()
    assert arrears["total"] == "25.00"  # a101: 20 − 5 − 10 = 5; a102: 20
    by_dwelling = {row["dwelling_id"]: row for row in arrears["items"]}
    assert by_dwelling[world.a101.pk]["overdue"] == "5.00"
    receipt = staff.client.get(
        first.json()["receipt_url"], headers={"Authorization": f"Bearer {staff.token}"}
    )
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert (
        api("bob")
        .client.get(first.json()["receipt_url"], headers={"Authorization": f"Bearer {api('bob').token}"})
        .status_code
        == 404
    )


def test_a_residents_claim_then_confirmation(api, world, contract):
    api("property").post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    claim = {"contract": contract.pk, "dwelling": world.a101.pk, "amount": "20.00", "method": "wechat",
             "reference": "4200009999", "paid_on": "2024-06-01"}  # fmt: skip
    made = api("alice").post("/property/payments/claims", claim)
    assert (
        made.status_code == 201 and made.json()["status"] == "claimed" and made.json()["receipt_url"] is None
    )
    assert api("bob").post("/property/payments/claims", claim).status_code == 404  # not bob's dwelling
    assert api("alice").post(f"/property/payments/{made.json()['id']}/confirm", {}).status_code == 403
    done = api("property").post(f"/property/payments/{made.json()['id']}/confirm", {})
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    account = api("alice").get(f"/property/contracts/{contract.pk}/accounts/{world.a101.pk}").json()
    assert account["balance"] == "0.00" and account["paid_up_to"] == "2024-05-31"


def test_collection_rate_for_staff_only(api, world, contract):
    api("property").post(f"/property/contracts/{contract.pk}/bill-runs", {"period": "2024-05"})
    pay = {"contract": contract.pk, "dwelling": world.a101.pk, "amount": "20.00", "method": "cash",
           "paid_on": "2024-05-20"}  # fmt: skip
    api("property").post("/property/payments", pay)
    body = api("official").get("/property/collection", period_from="2024-05").json()
    assert body["total"]["rate"] == "50.0"
    assert body["items"][0]["name"] == "阳光小区"
    by_company = api("committee").get("/property/collection", period_from="2024-Q2", by="company").json()
    assert by_company["items"][0]["name"] == "阳光物业服务有限公司"
    assert api("official2").get("/property/collection", period_from="2024-05").json()["items"] == []
    assert api("alice").get("/property/collection", period_from="2024-05").json()["items"] == []


def test_the_coverage_board_for_officials(api, world):
    body = api("official").get("/property/coverage", months=3).json()
    assert body["node"]["name"] == "东街道" and body["node"]["total"] == 2
    assert len(body["months"]) == 3
    assert api("alice").get("/property/coverage").status_code == 403
