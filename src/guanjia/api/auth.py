"""Who is calling: a bearer token, or (for pages of the web app) the logged-in session.

Every operation then runs with the caller as the audit actor, via "api"."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from guanjia.api.errors import ApiError
from guanjia.api.schemas import ErrorOut
from guanjia.core import tokens
from guanjia.core.audit import acting_as


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = tokens.token_verify(token.strip())
        if record is None:
            # A token that was sent but is wrong is refused outright, even beside a session cookie.
            raise AuthenticationError()
        request.api_token = record  # type: ignore[attr-defined]
        request.user = record.user
        return record.user


bearer = BearerAuth()
# Cookie auth checks CSRF on unsafe methods, so a page's session can't be used for cross-site POSTs.
session = SessionAuth(csrf=True)
CALLER = [bearer, session]


def caller(request: HttpRequest) -> Any:
    """The authenticated user of an API request (token or session)."""
    return getattr(request, "auth", None)


def act_as_caller(view: Callable[..., Any]) -> Callable[..., Any]:
    """Changes made while answering are recorded under the authenticated caller."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with acting_as(caller(request), via="api"):
            return view(request, *args, **kwargs)

    return wrapped


# --- token endpoints -----------------------------------------------------------------------------

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ErrorOut},
    summary="用账号密码换取令牌",
)
def token_create(request: HttpRequest, credentials: Credentials) -> Any:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None or not user.is_active:
        raise ApiError(401, "invalid_credentials", _("用户名或密码错误"))
    issued = tokens.token_issue(user=user)
    return {"token": issued.token, "expires_at": timezone.localtime(issued.expires_at)}


@router.delete("/token", auth=[bearer], response={204: None, 401: ErrorOut}, summary="注销当前令牌")
def token_delete(request: HttpRequest) -> Any:
    tokens.token_revoke(token=request.api_token)  # type: ignore[attr-defined]
    return HttpResponse(status=204)
