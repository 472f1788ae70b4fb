"""Builders for property tests (used by the fixtures in conftest.py and by the api and web tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanjia.property import services
from guanjia.property.models import PropertyCompany, ServiceContract

START = dt.date(2024, 1, 1)
ITEMS = [
    ("cleaning", "小区内保持干净整洁", "每日"),
    ("cleaning", "楼道清扫", "每周一次"),
    ("repairs", "维护、疏通清理下水主管道", "按需"),
    ("cleaning", "清理化粪池", "每年两次"),
]


def make_company() -> PropertyCompany:
    return PropertyCompany.objects.create(
        name="阳光物业服务有限公司", has_party_org=True, service_phone="0351-1234567"
    )


def make_fallback_company() -> PropertyCompany:
    return PropertyCompany.objects.create(
        name="示范区全域物业管理有限公司", is_fallback=True, has_party_org=True
    )


def sign(world: Any, compound: Any, company: PropertyCompany, **overrides: Any) -> ServiceContract:
    fields: dict[str, Any] = {
        "user": world.user("secretary"),
        "compound": compound,
        "company": company,
        "party_kind": "owners_committee",
        "party_name": f"{compound.name}业主委员会",
        "signed_on": START - dt.timedelta(days=10),
        "start_date": START,
        "end_date": dt.date(2026, 12, 31),
        "manager_name": "李经理",
        "service_phone": "0351-7654321",
        "fee_rate": "20.00",
        "items": ITEMS,
    }
    fields.update(overrides)
    return services.contract_register(**fields)
