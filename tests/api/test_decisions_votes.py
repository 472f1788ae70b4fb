"""The owners' vote API end to end, and its refusals in the common error shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from guanjia.decisions.models import Ballot
from tests.api.conftest import error_of


def announce(api: Any, world: Any, **extra: Any) -> Any:
    now = timezone.now()
    body = {
        "compound_id": world.sunshine.pk,
        "title": "续聘物业服务企业",
        "matter": "hire_property_company",
        "opens_at": now.isoformat(),
        "closes_at": (now + dt.timedelta(days=7)).isoformat(),
        "notice_override_reason": "业主大会决定缩短公告期",
        **extra,
    }
    return api("committee").post("/votes", body)


def test_a_vote_end_to_end(api: Any, world: Any) -> None:
    created = announce(api, world)
    assert created.status_code == 201, created.content
    vote_id = created.json()["id"]
    committee = api("committee")
    assert committee.post(f"/votes/{vote_id}/open").json()["status"] == "open"

    roll = committee.get(f"/votes/{vote_id}/roll").json()
    assert roll["total_owners"] == 2 and roll["total_area"] == "177.00"
    assert {p["area_source"] for v in roll["items"] for p in v["parts"]} == {"registered"}

    alice = api("alice")
    mine = alice.get(f"/votes/{vote_id}").json()["my_voters"]
    assert len(mine) == 1 and mine[0]["current_choice"] is None
    bob_voter = next(v["id"] for v in roll["items"] if v["id"] != mine[0]["voter_id"])
    first = alice.client.post(
        f"/api/v1/votes/{vote_id}/ballots",
        {"voter_id": mine[0]["voter_id"], "choice": "agree", "origin": "online"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice.token}", "Idempotency-Key": "abc"},
    )
    again = alice.client.post(
        f"/api/v1/votes/{vote_id}/ballots",
        {"voter_id": mine[0]["voter_id"], "choice": "agree", "origin": "online"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice.token}", "Idempotency-Key": "abc"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    paper = committee.post(
        f"/votes/{vote_id}/ballots", {"voter_id": bob_voter, "choice": "oppose", "origin": "paper"}
    )
    assert paper.status_code == 201

    early = committee.post(f"/votes/{vote_id}/close", {})
    assert early.status_code == 422 and error_of(early)["code"] == "early_close"
    result = committee.post(f"/votes/{vote_id}/close", {"reason": "全体业主均已表决"}).json()
    assert result["total"] == {"area": "177.00", "owners": 2}
    assert result["agreeing"] == {"area": "88.50", "owners": 1}
    assert not result["passed"]  # one of two is exactly half: 过半数 not met
    assert [t["met"] for t in result["thresholds"]] == [True, True, False, False]

    hidden = alice.get(f"/votes/{vote_id}/result")
    assert hidden.status_code == 403
    committee.post(f"/votes/{vote_id}/publish")
    assert alice.get(f"/votes/{vote_id}/result").json()["passed"] is False
    assert Ballot.objects.count() == 2


def test_announcing_without_notice_or_reason_is_refused(api: Any, world: Any) -> None:
    response = announce(api, world, notice_override_reason="")
    assert response.status_code == 422
    assert error_of(response)["code"] == "notice_too_short"
    assert error_of(response)["fields"][0]["field"] == "opens_at"


def test_bad_matter_is_a_validation_error(api: Any, world: Any) -> None:
    response = announce(api, world, matter="buy_a_boat")
    assert response.status_code == 422 and error_of(response)["fields"][0]["field"] == "matter"


def test_a_vote_elsewhere_is_not_found(api: Any, world: Any) -> None:
    vote_id = announce(api, world).json()["id"]
    for outsider in ("carol", "official2", "grid2"):
        assert api(outsider).get(f"/votes/{vote_id}").status_code == 404, outsider
    assert api(None).get(f"/votes/{vote_id}").status_code == 401


def test_a_resident_cannot_read_the_roll_or_announce(api: Any, world: Any) -> None:
    vote_id = announce(api, world).json()["id"]
    api("committee").post(f"/votes/{vote_id}/open")
    assert api("alice").get(f"/votes/{vote_id}/roll").status_code == 403
    response = api("alice").post(
        "/votes",
        {
            "compound_id": world.sunshine.pk,
            "title": "x",
            "matter": "other_major",
            "opens_at": timezone.now().isoformat(),
            "closes_at": (timezone.now() + dt.timedelta(days=30)).isoformat(),
            "notice_override_reason": "x",
        },
    )
    assert response.status_code == 403


def test_a_second_channel_is_a_conflict(api: Any, world: Any) -> None:
    vote_id = announce(api, world).json()["id"]
    api("committee").post(f"/votes/{vote_id}/open")
    mine = api("alice").get(f"/votes/{vote_id}").json()["my_voters"][0]["voter_id"]
    api("alice").post(f"/votes/{vote_id}/ballots", {"voter_id": mine, "choice": "agree", "origin": "online"})
    paper = api("committee").post(
        f"/votes/{vote_id}/ballots", {"voter_id": mine, "choice": "oppose", "origin": "paper"}
    )
    assert paper.status_code == 409 and error_of(paper)["code"] == "other_channel"


def test_voting_for_a_neighbours_flat_is_not_found(api: Any, world: Any) -> None:
    vote_id = announce(api, world).json()["id"]
    api("committee").post(f"/votes/{vote_id}/open")
    bobs = api("bob").get(f"/votes/{vote_id}").json()["my_voters"][0]["voter_id"]
    response = api("alice").post(
        f"/votes/{vote_id}/ballots", {"voter_id": bobs, "choice": "agree", "origin": "online"}
    )
    assert response.status_code == 404
    assert not Ballot.objects.exists()


def test_a_ballot_is_a_fixed_handful_of_queries(api: Any, world: Any, django_assert_num_queries: Any) -> None:
    vote_id = announce(api, world).json()["id"]
    committee = api("committee")
    committee.post(f"/votes/{vote_id}/open")
    roll = [v["id"] for v in committee.get(f"/votes/{vote_id}/roll").json()["items"]]
    # The first request of a token also stamps its last use; the second is the steady state.
    committee.post(f"/votes/{vote_id}/ballots", {"voter_id": roll[0], "choice": "agree", "origin": "paper"})
    # Token and scope; the vote and the voter; then under the lock the vote's state, the voter's
    # ballots and the insert, between the savepoint and its release.
    with django_assert_num_queries(9):
        entered = committee.post(
            f"/votes/{vote_id}/ballots", {"voter_id": roll[1], "choice": "agree", "origin": "paper"}
        )
    assert entered.status_code == 201
