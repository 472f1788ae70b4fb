"""Committees and self-governance groups over the API: a committee prepared, a term formed from a counted
election with a registration deadline, the coverage counts; a group's projects decided by the residents
and a public ledger that balances. Refusals in the common error shape; outsiders find nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from guanjia.decisions import services
from guanjia.people.models import Role
from tests.api.conftest import error_of
from tests.decisions.conftest import flat, open_vote, person
from tests.factories import make_staff


def elected(world: Any, committee_id: int) -> tuple[Any, list[Any]]:
    """A counted election of five owners in 阳光, all agreeing."""
    from guanjia.decisions.models import OwnersCommittee

    people = [person(f"候选{i}", party=i < 2) for i in range(5)]
    for i, p in enumerate(people):
        flat(world, f"m{i}", "90", p)
    vote = open_vote(
        world,
        matter="elect_committee",
        seats=5,
        candidate_ids=[p.pk for p in people],
        committee=OwnersCommittee.objects.get(pk=committee_id),
    )
    user = world.user("committee")
    for v in vote.voters.all():
        services.ballot_cast(
            user=user,
            vote=vote,
            voter_id=v.pk,
            choice="agree",
            origin="paper",
            marks={str(c.pk): "agree" for c in vote.candidates.all()},
            now=vote.opens_at + dt.timedelta(hours=1),
        )
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    vote.refresh_from_db()
    return vote, people


def test_a_committee_from_preparation_to_a_registered_term(api: Any, world: Any) -> None:
    committee = api("committee")
    made = committee.post("/committees", {"compound_id": world.sunshine.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["status"], body["kind"], body["terms"]) == ("preparing", "owners", [])
    vote, people = elected(world, body["id"])
    members = [{"person_id": p.pk, "position": "chair" if i == 0 else "member"} for i, p in enumerate(people)]
    no_election = committee.post(
        f"/committees/{body['id']}/terms",
        {"members": members, "starts_on": "2025-07-01", "ends_on": "2030-06-30"},
    )
    assert no_election.status_code == 422 and error_of(no_election)["fields"][0]["field"] == "election_id"
    term = committee.post(
        f"/committees/{body['id']}/terms",
        {"members": members, "starts_on": "2025-07-01", "ends_on": "2030-06-30", "election_id": vote.pk},
    )
    assert term.status_code == 201, term.content
    t = term.json()
    assert t["composition"] == {"members": 5, "owners": 5, "party_members": 2}
    assert t["registration_due"] == str(timezone.localdate(vote.closed_at) + dt.timedelta(days=30))
    late = committee.post(f"/terms/{t['id']}/register", {"registered_on": "2025-12-31"})
    assert late.status_code == 200 and late.json()["registered_late"] is True
    assert committee.post(f"/terms/{t['id']}/register", {"registered_on": "2026-01-01"}).status_code == 409
    shown = api("alice").get(f"/committees/{body['id']}").json()
    assert shown["status"] == "formed" and shown["terms"][0]["number"] == 1


def test_the_coverage_counts_follow_the_callers_compounds(api: Any, world: Any) -> None:
    services.committee_prepare(user=world.user("committee"), compound=world.sunshine)
    counts = api("secretary").get("/committees/counts").json()
    assert counts == {"formed": 0, "preparing": 1, "none": 1}  # 阳光 preparing, 月季 none
    assert api("official2").get("/committees/counts").json() == {"formed": 0, "preparing": 0, "none": 1}


@pytest.mark.parametrize("who", ["property", "alice", "grid1", "official"])
def test_only_organisers_prepare_a_committee(api: Any, world: Any, who: str) -> None:
    response = api(who).post("/committees", {"compound_id": world.sunshine.pk})
    assert response.status_code == 403 and error_of(response)["code"] == "forbidden"


def test_outsiders_do_not_find_a_committee(api: Any, world: Any) -> None:
    c = services.committee_prepare(user=world.user("committee"), compound=world.sunshine)
    for who in ("carol", "dave", "cadre2", "official2"):
        assert api(who).get(f"/committees/{c.pk}").status_code == 404
        assert (
            api(who).post(f"/committees/{c.pk}/dissolve", {"on": "2025-01-01", "reason": "x"}).status_code
            == 404
        )


@pytest.fixture
def group(api: Any, world: Any) -> dict[str, Any]:
    world.people["westcadre"] = make_staff("westcadre", Role.CADRE, world.west_compound)
    made = api("westcadre").post(
        "/groups",
        {
            "compound_id": world.west_compound.pk,
            "name": "西苑自治小组",
            "formed_on": "2025-01-01",
            "leader_ids": [world.people["dave"].pk],
        },
    )
    assert made.status_code == 201, made.content
    return made.json()


def test_a_project_is_decided_by_consultation_and_its_ledger_balances(
    api: Any, world: Any, group: Any
) -> None:
    dave = api("dave")  # the group's leader keeps its books
    project = dave.post(f"/groups/{group['id']}/projects", {"title": "充电棚", "budget": "18600.00"})
    assert project.status_code == 201
    pid = project.json()["id"]
    early = dave.post(
        f"/projects/{pid}/ledger",
        {"kind": "expense", "amount": "100.00", "on": "2025-02-01", "counterparty": "施工方"},
    )
    assert early.status_code == 409 and error_of(early)["code"] == "not_approved"
    c = services.consultation_create(
        user=world.user("westcadre"),
        compound=world.west_compound,
        question="是否同意自筹资金建设充电棚？",
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    services.consultation_answer(
        user=world.user("dave"),
        consultation=c,
        dwelling_id=world.west_dwelling.pk,
        party="owner",
        agrees=True,
        origin="online",
    )
    services.consultation_close(user=world.user("westcadre"), consultation=c)
    decided = dave.post(f"/projects/{pid}/decide", {"consultation_id": c.pk})
    assert decided.json()["status"] == "approved"
    for kind, amount in (("contribution", "300.00"), ("contribution", "150.00"), ("expense", "120.50")):
        r = dave.post(
            f"/projects/{pid}/ledger",
            {"kind": kind, "amount": amount, "on": "2025-03-01", "counterparty": "301"},
        )
        assert r.status_code == 201
    ledger = api("dave").get(f"/projects/{pid}/ledger").json()
    assert ledger["count"] == 3
    assert ledger["balance"] == {"contributions": "450.00", "expenses": "120.50", "balance": "329.50"}
    assert api("dave").get(f"/groups/{group['id']}").json()["projects"][0]["ledger"]["balance"] == "329.50"


def test_a_group_is_invisible_outside_its_compound_and_its_books_closed_to_others(
    api: Any, world: Any, group: Any
) -> None:
    assert api("alice").get(f"/groups/{group['id']}").status_code == 404
    assert (
        api("alice").post(f"/groups/{group['id']}/projects", {"title": "x", "budget": "1"}).status_code == 404
    )
    outsider = api("committee").post(
        "/groups",
        {"compound_id": world.sunshine.pk, "name": "x", "formed_on": "2025-01-01", "leader_ids": [1]},
    )
    assert outsider.status_code == 409 and error_of(outsider)["code"] == "not_self_governed"
