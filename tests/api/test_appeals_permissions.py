"""Who sees and moves an appeal over the API. alice files a noise appeal from A-101 (grid1's grid, cadre1's
compound 阳光). Anyone outside its reach gets the same 404 as for an appeal that does not exist, on reads
and on writes alike, and their attempt changes nothing. Lists are bounded in queries whatever the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guanjia.appeals.models import Appeal, AppealEvent
from tests.api.conftest import error_of
from tests.appeals.conftest import T0, do, file

SEES = ["alice", "grid1", "cadre1", "secretary", "official", "admin"]
BLIND = ["bob", "grid2", "cadre2", "official2", "property", "agency"]


@pytest.mark.parametrize("who", SEES)
def test_those_who_answer_for_it_see_it_in_list_and_detail(world, api, who):
    appeal = file(world)
    assert api(who).get(f"/appeals/{appeal.pk}").status_code == 200
    assert [a["id"] for a in api(who).get("/appeals").json()["items"]] == [appeal.pk]


@pytest.mark.parametrize("who", BLIND)
def test_others_get_404_and_an_empty_list(world, api, who):
    appeal = file(world)
    response = api(who).get(f"/appeals/{appeal.pk}")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert api(who).get(f"/appeals/{appeal.pk + 1000}").json() == response.json()
    assert api(who).get("/appeals").json() == {"count": 0, "items": []}


@pytest.mark.parametrize("who", BLIND)
@pytest.mark.parametrize("action", ["accept", "urge", "comment"])
def test_others_cannot_act_on_it_and_nothing_changes(world, api, who, action):
    appeal = file(world)
    events = AppealEvent.objects.count()
    response = api(who).post(f"/appeals/{appeal.pk}/{action}", {"note": "试一试"})
    assert response.status_code == 404
    assert AppealEvent.objects.count() == events
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("grid1", "accept", 200),
        ("cadre1", "accept", 200),
        ("secretary", "accept", 200),
        ("alice", "accept", 403),
        ("official", "accept", 403),
        ("alice", "urge", 200),
        ("grid1", "urge", 403),
        ("cadre1", "approve_rejection", 409),
    ],
)
def test_who_may_take_which_action(world, api, who, action, status):
    appeal = file(world)
    assert api(who).post(f"/appeals/{appeal.pk}/{action}", {}).status_code == status


def test_property_staff_see_what_is_routed_to_them(world, api):
    repair = file(world, "private-repair")
    noise = file(world)
    assert repair.assignee == world.people["property"]
    assert [a["id"] for a in api("property").get("/appeals").json()["items"]] == [repair.pk]
    assert api("property").post(f"/appeals/{repair.pk}/accept", {}).status_code == 200
    assert api("property").get(f"/appeals/{noise.pk}").status_code == 404


def test_the_neighbour_can_file_their_own_but_not_read_alices(world, api):
    file(world)
    response = api("bob").post("/appeals", {"category": "noise", "title": "也很吵", "description": "同上"})
    assert response.status_code == 201
    assert [a["id"] for a in api("bob").get("/appeals").json()["items"]] == [response.json()["id"]]


# --- bounded queries -----------------------------------------------------------------------------


@pytest.fixture
def many(world: Any) -> Any:
    def make(n: int) -> None:
        for i in range(n):
            code = ("noise", "private-repair", "dispute")[i % 3]
            file(world, code, at=T0 + dt.timedelta(minutes=i))

    return make


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who", ["grid1", "cadre1", "alice", "official"])
def test_the_list_runs_a_bounded_number_of_queries(world, api, many, django_assert_max_num_queries, n, who):
    many(n)
    client = api(who)
    client.get("/appeals")  # the first use of a token records last_used_at
    with django_assert_max_num_queries(10):
        response = client.get("/appeals", limit=50, status="all")
    assert response.status_code == 200
    assert len(response.json()["items"]) == n


@pytest.mark.parametrize("who", ["grid1", "secretary"])
def test_a_full_page_of_the_queue_is_five_queries(world, api, many, django_assert_num_queries, who):
    many(55)
    client = api(who)
    client.get("/appeals")
    # The token, the caller's scope, the page's ids in deadline order, their rows, the count.
    with django_assert_num_queries(5):
        response = client.get("/appeals", limit=50)
    assert response.json()["count"] == 55


@pytest.mark.parametrize("n", [5, 50])
def test_the_detail_runs_a_bounded_number_of_queries(world, api, django_assert_max_num_queries, n):
    appeal = file(world)
    for i in range(n):
        do(world, "alice", appeal, "comment", note=f"补充{i}")
    client = api("grid1")
    client.get("/appeals")
    with django_assert_max_num_queries(16):
        response = client.get(f"/appeals/{appeal.pk}")
    assert len(response.json()["events"]) == n + 2
