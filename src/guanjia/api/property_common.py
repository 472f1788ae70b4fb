"""Helpers shared by the property API modules: the error statuses, money out, rule refusals in."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from guanjia.api.errors import ApiError
from guanjia.api.schemas import ErrorOut
from guanjia.property.errors import RuleError

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@contextlib.contextmanager
def rules() -> Iterator[None]:
    """A refusal by the property rules is a 422 naming the field at fault."""
    try:
        yield
    except RuleError as refused:
        fields = [{"field": refused.field, "message": refused.message}] if refused.field else None
        raise ApiError(422, refused.code, refused.message, fields) from None


def money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def percent(value: Any) -> str | None:
    return None if value is None else str(value)
