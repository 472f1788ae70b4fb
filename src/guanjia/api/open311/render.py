"""GeoReport v2 output: the same payload as XML (required by the spec) or JSON (its Spark-convention
mapping: a plural element becomes an array of its children). UTF-8 with the XML declaration; times in
W3C ISO 8601 with the offset; errors as an array of {code, description}."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

# Plural element → the name of each child (GeoReport v2 and Service Discovery).
CHILD = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


class Open311Error(Exception):
    """A refused request: HTTP 404 for what does not exist, 403 for a missing or wrong api_key, 400 for
    everything else. Several descriptions may go in one response."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__("; ".join(descriptions))
        self.status, self.descriptions = status, descriptions


def w3(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3(value)
    return str(value)


def _element(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(node, CHILD[name], item)
    else:
        node.text = _text(value)


def to_xml(root: str, payload: Any) -> str:
    node = ET.Element(root)
    _fill(node, root, payload)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(node, encoding="unicode")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return w3(value)
    return value


def to_json(payload: Any) -> str:
    return json.dumps(_jsonable(payload), ensure_ascii=False)


def respond(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """`root` names the XML document element; in JSON the payload stands alone (a list or an object)."""
    content = to_xml(root, payload) if fmt == "xml" else to_json(payload)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, err: Open311Error) -> HttpResponse:
    errors = [{"code": err.status, "description": d} for d in err.descriptions]
    return respond(fmt, "errors", errors, status=err.status)
