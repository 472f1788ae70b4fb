from __future__ import annotations

from typing import Any

import pytest

from guanjia.people.models import Household


@pytest.fixture
def alice_household(world: Any) -> Household:
    return Household.objects.get(dwelling=world.a101)
