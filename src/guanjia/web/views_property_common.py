"""Helpers shared by the property pages: form values, rule refusals as messages, money display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from guanjia.property import selectors
from guanjia.property.errors import RuleError
from guanjia.property.models import ServiceContract


class Refused(Exception):
    """A form value the page cannot use; shown as a message."""


@contextmanager
def refusals(request: HttpRequest) -> Iterator[None]:
    """Rule refusals become an error message on the page the user came back to."""
    try:
        yield
    except (RuleError, Refused) as refused:
        messages.error(request, getattr(refused, "message", None) or str(refused))


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    return HttpResponseRedirect(fallback)


def date_field(request: HttpRequest, name: str, default: dt.date | None = None) -> dt.date:
    raw = request.POST.get(name, "").strip()
    if not raw and default is not None:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Refused(_("日期格式应为 YYYY-MM-DD")) from None


def int_field(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise Refused(_("请选择")) from None


def contract_or_404(request: HttpRequest, pk: int) -> ServiceContract:
    try:
        return selectors.access_contract(request.user, pk)
    except ServiceContract.DoesNotExist:
        raise Http404(_("没有找到该合同")) from None


def found_or_404(get: Callable[[], Any]) -> Any:
    try:
        return get()
    except Exception as missing:
        if missing.__class__.__name__ == "DoesNotExist":
            raise Http404(_("对象不存在或无权查看")) from None
        raise
