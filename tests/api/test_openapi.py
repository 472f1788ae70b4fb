"""The API describes itself (OpenAPI 3) and its docs page works offline."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from tests.api.conftest import API

PATHS = {
    "/auth/token",
    "/me",
    "/regions",
    "/regions/{region_id}",
    "/communities",
    "/communities/{community_id}",
    "/compounds",
    "/compounds/{compound_id}",
    "/coverage",
    "/grids",
    "/grids/{grid_id}",
    "/dwellings",
    "/dwellings/{dwelling_id}",
    "/households/{household_id}",
    "/persons",
    "/persons/{person_id}",
    "/persons/{person_id}/reveal",
}


def refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node))
    return set()


def test_openapi_document_is_version_3_and_lists_every_path(db):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"]
    assert {p.removeprefix(API) for p in doc["paths"]} >= PATHS
    schemes = doc["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    for ref in refs(doc):
        name = ref.removeprefix("#/components/schemas/")
        assert name in doc["components"]["schemas"], ref
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation.get("responses"), (method, path)


def test_docs_page_loads_nothing_from_the_internet(db):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert '"validatorUrl": null' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html


def test_docs_assets_are_shipped_locally(db):
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset
