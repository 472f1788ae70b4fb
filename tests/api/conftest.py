"""Helpers for the API tests: a client that sends a bearer token, and JSON in and out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from guanjia.core import tokens

API = "/api/v1"


class ApiClient:
    """Calls the API as one user (by bearer token) or anonymously."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.token = token
        self.client = client or Client()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"{API}{path}", params, headers=self._headers())

    def post(self, path: str, data: Any = None) -> Any:
        payload = json.dumps(data) if data is not None else ""
        return self.client.post(
            f"{API}{path}", payload, content_type="application/json", headers=self._headers()
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(f"{API}{path}", headers=self._headers())


@pytest.fixture
def api(world: Any) -> Any:
    """api("alice") → an ApiClient holding a fresh token for alice; api(None) → anonymous."""

    def make(name: str | None) -> ApiClient:
        if name is None:
            return ApiClient()
        return ApiClient(tokens.token_issue(user=world.user(name)).token)

    return make


def error_of(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["error"]
