"""The admin lists property data in the caller's scope; bills and payments are read-only there."""

from __future__ import annotations

import datetime as dt

import pytest

from guanjia.property import services
from guanjia.property.models import Bill

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_bills_cannot_be_edited(world, contract):
    services.bill_run(user=world.user("property"), contract=contract, period_start=dt.date(2024, 5, 1))
    bill = Bill.objects.first()
    admin = world.client("admin")
    paths = ["property/servicecontract/", f"property/servicecontract/{contract.pk}/change/", "property/bill/",
             "property/payment/", "property/propertycompany/", "property/evaluationperiod/"]  # fmt: skip
    for path in paths:
        assert admin.get(f"/admin/{path}").status_code == 200, path
    page = admin.get(f"/admin/property/bill/{bill.pk}/change/")
    assert page.status_code == 200 and b'name="amount"' not in page.content
    assert admin.post(f"/admin/property/bill/{bill.pk}/change/", {"amount": "1.00"}).status_code == 403
    bill.refresh_from_db()
    assert bill.amount == 20


def test_a_secretary_sees_the_contracts_of_their_community_only(world, contract, fallback_contract):
    other = world.client("official2").get("/admin/property/servicecontract/")
    assert other.status_code == 200 and "阳光小区" not in other.content.decode()
    own = world.client("secretary").get("/admin/property/servicecontract/").content.decode()
    assert "阳光小区" in own and "月季小区" in own
