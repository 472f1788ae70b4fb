"""GET /api/v1/kpis/appeals: the figures of a scope and period, only over what the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.api.conftest import error_of
from tests.appeals.conftest import T0, do, file

H = dt.timedelta(hours=1)
NOV = {"from": "2026-11-01", "to": "2026-12-01"}


@pytest.fixture
def filed(world: Any) -> dict[str, Any]:
    """Two appeals in 阳光 (alice, grid1 answers; one rated 满意) and one in 月季 (carol, grid2)."""
    done = file(world)
    do(world, "grid1", done, "accept", at=T0 + H)
    do(world, "grid1", done, "resolve", at=T0 + 2 * H, note="已处理")
    do(world, "alice", done, "confirm", at=T0 + 3 * H, rating="satisfied")
    waiting = file(world, at=T0 + H)
    rose = file(world, who="carol", at=T0 + 2 * H)
    return {"done": done, "waiting": waiting, "rose": rose}


def kpis(api: Any, who: str, scope: str, **params: Any) -> Any:
    return api(who).get("/kpis/appeals", scope=scope, **{**NOV, **params})


def test_the_secretary_reads_the_figures_of_the_community(world, api, filed):
    response = kpis(api, "secretary", f"community:{world.community.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == {"kind": "community", "id": world.community.pk, "label": "东社区"}
    assert body["period"] == NOV
    assert body["weights"] == {"response": 0.1, "resolution": 0.5, "satisfaction": 0.4}
    figures = body["kpis"]
    assert (figures["submitted"], figures["rated"], figures["satisfied"]) == (3, 1, 1)
    assert figures["satisfaction_rate"] == 1.0
    assert figures["median_response_hours"] == 1.0


def test_the_figures_cover_only_the_appeals_the_caller_may_see(world, api, filed):
    # cadre2 sees the community (their compound is in it) but only 月季's appeals.
    figures = kpis(api, "cadre2", f"community:{world.community.pk}").json()["kpis"]
    assert figures["submitted"] == 1


@pytest.mark.parametrize(
    ("who", "scope", "status"),
    [
        ("cadre2", "compound:{sunshine}", 404),  # another cadre's compound
        ("official2", "region:{east}", 404),  # another street
        ("official", "region:{district}", 404),  # above one's own region
        ("official", "region:{east}", 200),
        ("grid1", "grid:{grid1}", 200),
        ("grid1", "grid:{grid2}", 404),
        ("cadre1", "staff:{grid1_person}", 200),  # grid1 works in cadre1's compound
        ("cadre2", "staff:{grid1_person}", 404),
        ("grid1", "staff:{cadre1_person}", 404),  # a grid worker supervises nobody
        ("grid1", "staff:{grid1_person}", 200),  # oneself
        ("alice", "compound:{sunshine}", 403),  # residents do not read KPIs
        ("admin", "region:{city}", 200),
    ],
)
def test_a_scope_the_caller_may_not_see_is_not_found(world, api, filed, who, scope, status):
    ids = {
        "sunshine": world.sunshine.pk,
        "east": world.east.pk,
        "district": world.district.pk,
        "city": world.city.pk,
        "grid1": world.grid1.pk,
        "grid2": world.grid2.pk,
        "grid1_person": world.people["grid1"].pk,
        "cadre1_person": world.people["cadre1"].pk,
    }
    response = kpis(api, who, scope.format(**ids))
    assert response.status_code == status, response.content
    if status == 404:
        assert error_of(response)["code"] == "not_found"


def test_anonymous_callers_are_asked_to_log_in(world, api):
    assert kpis(api, None, f"community:{world.community.pk}").status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"scope": "street:1"}, "scope"),
        ({"scope": "community:x"}, "scope"),
        ({"from": "2026-12-01", "to": "2026-11-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ({"from": "not-a-date"}, "from"),
    ],
)
def test_bad_parameters_are_field_errors(world, api, params, field):
    params = {"scope": f"community:{world.community.pk}", **params}
    response = api("secretary").get("/kpis/appeals", **params)
    assert response.status_code == 422, response.content
    assert [f["field"] for f in error_of(response)["fields"]] == [field]


def test_the_period_defaults_to_this_month(world, api):
    body = api("secretary").get("/kpis/appeals", scope=f"community:{world.community.pk}").json()
    first = dt.date.fromisoformat(body["period"]["from"])
    assert first.day == 1 and dt.date.fromisoformat(body["period"]["to"]) > first


def test_a_ranking_comes_with_by(world, api, filed):
    body = kpis(api, "secretary", f"community:{world.community.pk}", by="grid_worker").json()
    rows = {r["name"]: r for r in body["ranking"]}
    assert set(rows) == {world.people["grid1"].name, world.people["grid2"].name}
    assert rows[world.people["grid1"].name]["kpis"]["submitted"] == 2
    assert rows[world.people["grid1"].name]["rank"] == 1


def test_the_endpoint_answers_in_a_bounded_number_of_queries(
    world, api, filed, django_assert_max_num_queries
):
    client = api("secretary")
    with django_assert_max_num_queries(12):
        response = client.get("/kpis/appeals", scope=f"community:{world.community.pk}", **NOV)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "scope", "covered"),
    [
        ("secretary", "community:{community}", True),
        ("secretary", "compound:{rose}", True),
        ("cadre1", "compound:{sunshine}", True),
        ("cadre2", "community:{community}", False),  # sees the community, not all of its appeals
        ("grid1", "grid:{grid1}", True),
        ("official", "region:{east}", True),
        ("official", "compound:{sunshine}", True),
    ],
)
def test_the_visibility_filter_is_skipped_only_where_the_callers_own_area_covers_the_scope(
    world, who, scope, covered
):
    from guanjia.appeals import kpis_scopes
    from guanjia.people import permissions as perms

    ids = {
        "community": world.community.pk,
        "rose": world.rose.pk,
        "sunshine": world.sunshine.pk,
        "grid1": world.grid1.pk,
        "east": world.east.pk,
    }
    user = world.user(who)
    kpi_scope = kpis_scopes.resolve(user, scope.format(**ids))
    assert kpis_scopes.covered(perms.scope_for(user), kpi_scope) is covered
