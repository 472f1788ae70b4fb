"""The JSON API under /api/v1/: routers per app, token or session auth, one error shape."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from guanjia.api import appeals, appeals_kpis, auth, decisions, errors, people, registry
from guanjia.api import property as property_api
from guanjia.api.docs import LocalSwagger


class Renderer(JSONRenderer):
    # Chinese text as itself, not \\uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


class GuanjiaAPI(NinjaAPI):
    def _get_urls(self) -> list[URLPattern | URLResolver]:
        # Wrong methods and the bare root answer in the error shape too; any other path is a JSON 404.
        patterns = errors.with_json_errors(super()._get_urls())
        return [*patterns, re_path(r"^.*$", errors.unknown_path, name="unknown")]


api = GuanjiaAPI(
    title="管家 Guanjia API",
    version="1",
    description="社区治理平台的 JSON 接口。认证：`POST /api/v1/auth/token` 换取令牌，"
    "之后在请求头中带上 `Authorization: Bearer <token>`。错误统一为 "
    '`{"error": {"code", "message", "fields"?}}`。',
    urls_namespace="api",
    auth=auth.CALLER,
    docs=LocalSwagger(),
    renderer=Renderer(),
)
errors.install(api)
api.add_decorator(auth.act_as_caller)
api.add_router("/auth", auth.router)
api.add_router("/", people.router)
api.add_router("/", registry.router)
api.add_router("/", appeals.router)
api.add_router("/", appeals_kpis.router)
api.add_router("/", property_api.router)
api.add_router("/", decisions.router)

__all__ = ["api"]
