"""Money in the property models: Decimal yuan with two places."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

CENT = Decimal("0.01")


def money_field(label: Any, **kwargs: Any) -> Any:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)
