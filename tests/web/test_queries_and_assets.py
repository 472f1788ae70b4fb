"""Pages answer in a bounded number of queries and load nothing from the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import guanjia.web

RESIDENT_HOME_QUERIES = 16  # household, members, staff, nav badge, and the appeals, votes and fees cards
STATIC = Path(guanjia.web.__file__).parent / "static"


def test_resident_home_runs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    client = world.client("alice")
    with django_assert_max_num_queries(RESIDENT_HOME_QUERIES):
        assert client.get("/").status_code == 200


def test_resident_home_queries_do_not_grow_with_household_size(world):
    from guanjia.people.models import Residency
    from tests.factories import PersonFactory

    client = world.client("alice")
    household = world.people["alice"].residencies.get().household

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get("/")
        return len(ctx.captured_queries)

    before = count()
    for _ in range(5):
        Residency.objects.create(person=PersonFactory(), household=household, relation="family")
    assert count() == before


EXTERNAL = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


@pytest.mark.parametrize(
    "name", ["alice", "grid1", "cadre1", "secretary", "property", "official", "agency", "admin"]
)
def test_no_page_loads_anything_from_the_internet(world, alice_household, name):
    client = world.client(name)
    paths = ["/", "/compounds/", f"/compounds/{world.sunshine.pk}/", f"/households/{alice_household.pk}/"]
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            assert not EXTERNAL.search(response.content.decode()), (name, path)
    assert not EXTERNAL.search(world.client(None).get("/login/").content.decode())


def test_vendored_assets_are_present_with_their_licences():
    for rel in [
        "vendor/htmx/htmx.min.js",
        "vendor/htmx/LICENSE",
        "vendor/echarts/echarts.min.js",
        "vendor/echarts/LICENSE",
        "vendor/echarts/NOTICE",
        "vendor/README.md",
        "guanjia/app.css",
        "guanjia/charts.js",
        "guanjia/app.js",
    ]:
        assert (STATIC / rel).is_file(), rel


def test_static_files_are_served_from_our_own_server(world, client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
