"""One error shape for every failure: {"error": {"code", "message", "fields"?}} with the right status.

Ninja's own errors (validation, auth, parse) are converted here; Django's PermissionDenied and
DoesNotExist too, so endpoints can simply call the selectors and services and let them raise."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from guanjia.appeals.states import TransitionRefused

logger = logging.getLogger("guanjia.api")


class ApiError(Exception):
    """Raised by endpoints for a request they refuse; rendered in the common error shape."""

    def __init__(
        self, status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def field_error(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", _("请求参数有误"), [{"field": field, "message": message}])


def not_found() -> ApiError:
    # The same answer for "does not exist" and "you may not see it": existence never leaks.
    return ApiError(404, "not_found", _("对象不存在或无权查看"))


def body(code: str, message: str, fields: list[dict[str, str]] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


# --- pydantic messages in Chinese ----------------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": N_("必填"),
    "int_parsing": N_("应为整数"),
    "int_type": N_("应为整数"),
    "int_from_float": N_("应为整数"),
    "float_parsing": N_("应为数字"),
    "decimal_parsing": N_("应为数字"),
    "bool_parsing": N_("应为 true 或 false"),
    "string_type": N_("应为文本"),
    "date_parsing": N_("应为日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": N_("应为日期（YYYY-MM-DD）"),
    "datetime_parsing": N_("应为日期时间（ISO 8601）"),
    "greater_than_equal": N_("不能小于 {ge}"),
    "greater_than": N_("应大于 {gt}"),
    "less_than_equal": N_("不能大于 {le}"),
    "less_than": N_("应小于 {lt}"),
    "enum": N_("取值无效，可选：{expected}"),
    "literal_error": N_("取值无效，可选：{expected}"),
    "list_type": N_("应为列表"),
    "dict_type": N_("应为对象"),
    "model_attributes_type": N_("应为对象"),
    "json_invalid": N_("不是有效的 JSON"),
}

# Messages that carry a count (min_length=1 is common): the limit's name in pydantic's ctx, and the
# message for that count, so that the English can say "1 character" and "2 characters".
_COUNTED: dict[str, tuple[str, Callable[[int], str]]] = {
    "string_too_short": (
        "min_length",
        lambda n: ngettext("至少 {min_length} 个字符", "至少 {min_length} 个字符", n),
    ),
    "string_too_long": (
        "max_length",
        lambda n: ngettext("最多 {max_length} 个字符", "最多 {max_length} 个字符", n),
    ),
    "too_long": ("max_length", lambda n: ngettext("最多 {max_length} 项", "最多 {max_length} 项", n)),
}


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # ("query", "limit") → "limit"; a body is named after its parameter: ("body", "payload", "username")
    parts = [str(p) for p in loc]
    parts = parts[2:] if parts[:1] == ["body"] and len(parts) > 2 else parts[1:]
    return ".".join(parts) or str(loc[0] if loc else "")


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    raw = error.get("ctx") or {}
    if kind in _COUNTED:
        key, message = _COUNTED[kind]
        count = raw.get(key)
        template = message(count if isinstance(count, int) else 0)
    elif kind in _MESSAGES:
        template = _(_MESSAGES[kind])
    else:
        return _("取值无效")
    ctx = {k: str(v) for k, v in raw.items()}
    if "expected" in ctx:  # pydantic writes "'a', 'b' or 'c'"
        ctx["expected"] = ctx["expected"].replace(" or ", ", ").replace("'", "")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def validation_fields(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": _field_name(e.get("loc", ())), "message": _message(e)} for e in errors]


# --- handlers ------------------------------------------------------------------------------------

_HTTP_CODES = {
    400: ("bad_request", N_("请求格式不正确")),
    401: ("unauthenticated", N_("请先登录或提供有效的令牌")),
    403: ("forbidden", N_("无权执行此操作")),
    404: ("not_found", N_("对象不存在或无权查看")),
    405: ("method_not_allowed", N_("不支持该请求方法")),
    429: ("too_many_requests", N_("请求过于频繁，请稍后再试")),
}


def _default(status: int) -> tuple[str, str]:
    code, message = _HTTP_CODES.get(status, ("error", N_("请求失败")))
    return code, _(message)


def install(api: NinjaAPI) -> None:
    # Handlers take `exc: Any`: ninja types them as receiving the exception or its class.
    def respond(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        error: ApiError = exc
        return respond(request, error.status, body(error.code, error.message, error.fields))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        fields = validation_fields(exc.errors)
        return respond(request, 422, body("validation_error", _("请求参数有误"), fields))

    def on_authentication(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 401, body(*_default(401)))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        error: HttpError = exc
        code, message = _default(error.status_code)
        if error.status_code == 403 and "CSRF" in error.message:
            message = _("CSRF 校验失败，请刷新页面后重试")
        elif error.status_code == 400:
            message = _("请求体不是有效的 JSON")
        return respond(request, error.status_code, body(code, message))

    def on_permission_denied(request: HttpRequest, exc: Any) -> HttpResponse:
        message = str(exc) or _default(403)[1]
        return respond(request, 403, body("forbidden", message))

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 404, body(*_default(404)))

    def on_invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        # A service's django ValidationError: one Chinese message per field.
        error: DjangoValidationError = exc
        pairs = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
        fields = [{"field": name, "message": "；".join(messages)} for name, messages in pairs]
        return respond(request, 422, body("validation_error", _("请求参数有误"), fields))

    def on_refused(request: HttpRequest, exc: Any) -> HttpResponse:
        # A state-machine refusal: 403 when it is the caller's role, 409 when it is the appeal's state.
        status = 403 if exc.code == "forbidden" else 409
        return respond(request, status, body(exc.code, exc.message))

    def on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, body("server_error", _("服务器内部错误，请稍后再试")))

    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(DjangoValidationError, on_invalid)
    api.add_exception_handler(TransitionRefused, on_refused)
    api.add_exception_handler(Exception, on_unexpected)


# --- outside the operations: unknown paths, wrong methods, the API root --------------------------


def _json(status: int, payload: dict[str, Any], **headers: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )
    for key, value in headers.items():
        response[key] = value
    return response


def _json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Ninja answers a wrong method with a plain-text 405 and its root with Django's HTML 404."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return _json(404, body("not_found", _("接口不存在")))
        if isinstance(response, HttpResponseNotAllowed):
            return _json(405, body(*_default(405)), Allow=response["Allow"])
        return response

    return wrapped


def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return _json(404, body("not_found", _("接口不存在")))


unknown_path.csrf_exempt = True  # type: ignore[attr-defined]


def with_json_errors(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    return [
        URLPattern(p.pattern, _json_errors(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
