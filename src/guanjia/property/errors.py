"""A request the property rules refuse: the message is for people, `field` names the input at fault."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from guanjia.property.models import CENT


class RuleError(Exception):
    def __init__(self, message: str, field: str = "", code: str = "rule_violated") -> None:
        super().__init__(message)
        self.message, self.field, self.code = message, field, code


def to_money(value: Any, field: str = "amount", *, positive: bool = True) -> Decimal:
    """Yuan as an exact Decimal with two places; floats and fractions of a fen are refused."""
    if isinstance(value, float):
        raise RuleError("金额不能用浮点数表示", field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RuleError("金额格式不正确", field) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise RuleError("金额最多两位小数", field)
    if positive and amount <= 0:
        raise RuleError("金额应大于零", field)
    if abs(amount) >= Decimal("10000000000"):
        raise RuleError("金额过大", field)
    return amount.quantize(CENT)


def choice(choices: Any, value: str, field: str) -> str:
    """`value` if it is one of the TextChoices `choices`; a RuleError naming the field otherwise."""
    if value not in choices.values:
        raise RuleError("取值无效", field)
    return value
