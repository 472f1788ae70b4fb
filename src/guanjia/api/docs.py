"""Interactive API docs served entirely from local static files.

Ninja falls back to a CDN template unless "ninja" is in INSTALLED_APPS; this page never does, and
it turns off Swagger UI's online validator badge, which would call validator.swagger.io."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    template = "api/docs.html"
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        auths = api.auth if isinstance(api.auth, list) else []
        context = {
            "swagger_settings": json.dumps(settings, indent=1),
            "api": api,
            # Session (cookie) auth checks CSRF, so "try it out" must send the token.
            "add_csrf": any(getattr(a, "csrf", False) for a in auths),
        }
        return render(request, self.template, context)
