"""Property fixtures on top of the test world: a company under contract in 阳光小区 (alice's compound,
where `property` is the assigned property staff) at 20 yuan per household-month, and a government
fallback company under contract in 月季小区."""

from __future__ import annotations

from typing import Any

import pytest

from guanjia.property.models import PropertyCompany, ServiceContract
from tests.property.helpers import START, make_company, make_fallback_company, sign

__all__ = ["START", "sign"]


@pytest.fixture
def company(world: Any) -> PropertyCompany:
    return make_company()


@pytest.fixture
def fallback_company(world: Any) -> PropertyCompany:
    return make_fallback_company()


@pytest.fixture
def contract(world: Any, company: PropertyCompany) -> ServiceContract:
    return sign(world, world.sunshine, company)


@pytest.fixture
def fallback_contract(world: Any, fallback_company: PropertyCompany) -> ServiceContract:
    return sign(
        world, world.rose, fallback_company, party_kind="management_committee", party_name="月季小区物管会"
    )


# The demo county, loaded once per module (the fixture of tests/demo).
from tests.demo.conftest import demo  # noqa: E402, F401
