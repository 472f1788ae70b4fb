"""Open311 helpers: a GeoReport client for one account (its api_key is a Guanjia API token), with the
answers parsed from XML by xml.etree or from JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from guanjia.core import tokens

V2 = "/open311/v2"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


class GeoReport:
    def __init__(self, api_key: str | None) -> None:
        self.api_key = api_key
        self.client = Client()

    def _key(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"api_key": self.api_key, **params} if self.api_key else params

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"{V2}/{path}", self._key(params))

    def post(self, path: str, **fields: Any) -> Any:
        """Form-urlencoded as the spec sends it; multipart only when a file comes along."""
        data = self._key(fields)
        if any(hasattr(v, "read") for v in data.values()):
            return self.client.post(f"{V2}/{path}", data)
        return self.client.post(f"{V2}/{path}", urlencode(data), content_type=FORM)


def xml_of(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own response, in a test


def json_of(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def fields(element: ET.Element) -> dict[str, str | None]:
    return {child.tag: child.text for child in element}


@pytest.fixture
def georeport(world: Any) -> Any:
    """georeport("alice") → a client whose api_key is a fresh token of alice; georeport(None): no key."""

    def make(name: str | None) -> GeoReport:
        return GeoReport(tokens.token_issue(user=world.user(name)).token if name else None)

    return make


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
