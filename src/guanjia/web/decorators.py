"""login_required that also works for htmx fragments: an expired session sends the whole page to the
login form (HX-Redirect) instead of swapping the login page into a fragment."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required as django_login_required
from django.http import HttpRequest, HttpResponse


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    protected = django_login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.headers.get("HX-Request") and not request.user.is_authenticated:
            back = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            response = HttpResponse(status=401)
            response["HX-Redirect"] = f"{settings.LOGIN_URL}?{urlencode({'next': back})}"
            return response
        return protected(request, *args, **kwargs)

    return wrapper
