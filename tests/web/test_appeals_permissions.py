"""Who may open an appeal's page and act on it: an appeal someone may not see is "not found" (never
revealed), a role that may see it but not act is refused, and a refused request changes nothing."""

from __future__ import annotations

import pytest

from guanjia.appeals.models import Appeal, AppealEvent, Status
from guanjia.core.models import Notification
from tests.appeals.conftest import file


@pytest.fixture
def alices(world) -> Appeal:
    return file(world, "noise")  # grid1's grid, cadre1's compound, street `official`


@pytest.mark.parametrize("who", ["bob", "grid2", "cadre2", "official2", "carol", "dave"])
def test_outsiders_do_not_find_alices_appeal(world, alices, who):
    client = world.client(who)
    assert client.get(f"/appeals/{alices.pk}/").status_code == 404
    assert client.post(f"/appeals/{alices.pk}/act/", {"action": "comment", "note": "x"}).status_code == 404
    assert client.post(f"/appeals/{alices.pk}/act/", {"action": "withdraw"}).status_code == 404


@pytest.mark.parametrize("who", ["alice", "grid1", "cadre1", "secretary", "official", "admin"])
def test_those_who_answer_for_the_place_open_it(world, alices, who):
    assert world.client(who).get(f"/appeals/{alices.pk}/").status_code == 200


def test_anonymous_is_sent_to_log_in(world, alices):
    response = world.client(None).get(f"/appeals/{alices.pk}/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_an_outsiders_action_changes_nothing_and_sends_nothing(world, alices):
    events, notes = AppealEvent.objects.count(), Notification.objects.count()
    world.client("bob").post(f"/appeals/{alices.pk}/act/", {"action": "withdraw"})
    world.client("grid2").post(f"/appeals/{alices.pk}/act/", {"action": "resolve", "note": "x"})
    alices.refresh_from_db()
    assert alices.status == Status.SUBMITTED
    assert (AppealEvent.objects.count(), Notification.objects.count()) == (events, notes)


def test_a_street_official_may_read_but_not_resolve(world, alices):
    client = world.client("official")
    assert "resolve" not in {f.action for f in client.get(f"/appeals/{alices.pk}/").context["forms"]}
    response = client.post(f"/appeals/{alices.pk}/act/", {"action": "resolve", "note": "越权"})
    assert response.status_code == 403 and "您无权对该诉求执行" in response.content.decode()
    alices.refresh_from_db()
    assert alices.status == Status.SUBMITTED


def test_staff_may_not_withdraw_for_the_resident(world, alices):
    response = world.client("grid1").post(f"/appeals/{alices.pk}/act/", {"action": "withdraw"})
    assert response.status_code == 403
    alices.refresh_from_db()
    assert alices.status == Status.SUBMITTED


def test_photos_of_an_invisible_appeal_are_not_found(world, alices):
    assert world.client("bob").get(f"/appeals/{alices.pk}/photos/1/").status_code == 404


def test_a_neighbour_cannot_rate_alices_resolved_appeal(world, alices):
    from tests.appeals.conftest import do

    do(world, "grid1", alices, "resolve", note="好了")
    response = world.client("bob").post(
        f"/appeals/{alices.pk}/act/", {"action": "confirm", "rating": "unsatisfied"}
    )
    assert response.status_code == 404
    alices.refresh_from_db()
    assert alices.status == Status.RESOLVED and alices.rating == ""
