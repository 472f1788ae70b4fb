"""A vote from announcement to published result, with every figure; and who may do each step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.decisions import selectors, services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import DecisionEvent
from tests.decisions.conftest import NOW, flat, open_vote, person, voter_of

LATER = NOW + dt.timedelta(hours=1)


def test_owners_are_told_15_days_ahead_unless_a_reason_is_recorded(world: Any) -> None:
    kwargs: dict[str, Any] = {
        "user": world.user("committee"),
        "compound": world.sunshine,
        "title": "修改管理规约",
        "matter": "management_rules",
        "opens_at": NOW + dt.timedelta(days=14),
        "closes_at": NOW + dt.timedelta(days=20),
        "now": NOW,
    }
    with pytest.raises(DecisionError) as short:
        services.vote_create(**kwargs)
    assert short.value.code == "notice_too_short"
    vote = services.vote_create(**kwargs, notice_override_reason="电梯停运需紧急决定")
    event = DecisionEvent.objects.get(vote=vote, kind="vote_announced")
    assert event.reason == "电梯停运需紧急决定" and event.actor == world.user("committee")


@pytest.mark.parametrize("who", ["alice", "property", "grid1", "cadre2", "official"])
def test_only_organisers_announce_a_vote(world: Any, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.vote_create(
            user=world.user(who),
            compound=world.sunshine,
            title="x",
            matter="other_major",
            opens_at=NOW + dt.timedelta(days=16),
            closes_at=NOW + dt.timedelta(days=20),
            now=NOW,
        )


def test_a_vote_opens_no_earlier_than_announced(world: Any) -> None:
    user = world.user("committee")
    vote = services.vote_create(
        user=user,
        compound=world.sunshine,
        title="x",
        matter="other_major",
        opens_at=NOW + dt.timedelta(days=15),
        closes_at=NOW + dt.timedelta(days=20),
        now=NOW,
    )
    with pytest.raises(DecisionError):
        services.vote_open(user=user, vote=vote, now=NOW + dt.timedelta(days=14))


def _estate(world: Any) -> None:
    # alice 88.50 and bob 88.50 from the world, plus 4 owners of 100 m².
    for n in range(4):
        flat(world, f"x{n}", "100", person(f"业主{n}"))


def test_closing_counts_every_figure_and_publishing_shows_them(world: Any) -> None:
    _estate(world)
    vote = open_vote(world)
    committee = world.user("committee")
    for n, choice in enumerate(["agree", "agree", "agree", "oppose"]):
        voter = vote.voters.get(label=f"业主{n}")
        services.ballot_cast(
            user=committee, vote=vote, voter_id=voter.pk, choice=choice, origin="paper", now=LATER
        )
    services.ballot_cast(
        user=world.user("alice"),
        vote=vote,
        voter_id=voter_of(vote, world.people["alice"]).pk,
        choice="abstain",
        origin="online",
        now=LATER,
    )
    with pytest.raises(DecisionError) as early:
        services.vote_close(user=committee, vote=vote, now=LATER)
    assert early.value.code == "early_close"
    services.vote_close(user=committee, vote=vote, now=vote.closes_at)
    vote.refresh_from_db()
    figures = selectors.result_figures(vote)
    # 6 owners, 4 × 100 + 2 × 88.50 = 577.00 m²; bob stayed home, alice abstained (abstentions take part).
    assert figures["total"] == {"area": "577.00", "owners": 6}
    assert figures["participating"] == {"area": "488.50", "owners": 5}
    assert figures["agreeing"] == {"area": "300.00", "owners": 3}
    assert figures["abstaining"] == {"area": "88.50", "owners": 1}
    lines = {t["name"]: t for t in figures["thresholds"]}
    assert lines["quorum_owners"]["fewest"] == 4 and lines["quorum_owners"]["met"]
    assert (lines["quorum_area"]["bound"], lines["quorum_area"]["bound_rounded"]) == ("1154/3", "384.67")
    # 3 of 5 agree (> 1/2, so at least 3), 300 of 488.50 m² (> 244.25): passed.
    assert lines["majority_owners"]["comparison"] == ">" and lines["majority_owners"]["fewest"] == 3
    assert lines["majority_area"]["bound"] == "977/4" and lines["majority_area"]["met"]
    assert figures["passed"]
    assert not selectors.result_visible(world.user("alice"), vote)
    services.vote_publish(user=committee, vote=vote, now=vote.closes_at + dt.timedelta(days=1))
    vote.refresh_from_db()
    assert selectors.result_visible(world.user("alice"), vote)
    assert not selectors.result_figures(vote)["published_late"]
    kinds = list(DecisionEvent.objects.filter(vote=vote).values_list("kind", flat=True))
    assert kinds == ["vote_announced", "vote_opened", "vote_closed", "vote_published"]


def test_publishing_after_three_days_is_recorded_as_late(world: Any) -> None:
    vote = open_vote(world)
    user = world.user("committee")
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    services.vote_publish(user=user, vote=vote, now=vote.closes_at + dt.timedelta(days=3, minutes=1))
    vote.refresh_from_db()
    assert selectors.result_figures(vote)["published_late"]
    assert DecisionEvent.objects.get(vote=vote, kind="vote_published").data == {"late": True}


def test_an_election_fills_the_seats_by_agreeing_area(world: Any) -> None:
    owners = [person(f"候选{n}", party=n < 3) for n in range(6)]
    for n, p in enumerate(owners):
        flat(world, f"e{n}", str(100 + n), p)
    vote = open_vote(
        world,
        matter="elect_committee",
        seats=5,
        candidate_ids=[p.pk for p in owners],
        title="选举第一届业委会",
    )
    candidates = list(vote.candidates.order_by("position"))
    user = world.user("committee")
    for voter in vote.voters.all():
        # Everyone agrees with the first five candidates and opposes the sixth.
        marks = {str(c.pk): ("agree" if i < 5 else "oppose") for i, c in enumerate(candidates)}
        services.ballot_cast(
            user=user, vote=vote, voter_id=voter.pk, choice="agree", origin="paper", marks=marks, now=LATER
        )
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    vote.refresh_from_db()
    rows = selectors.result_figures(vote)["candidates"]
    assert [r["elected"] for r in rows] == [True] * 5 + [False]
    assert rows[0]["is_party_member"] and not rows[5]["passed"]


def test_a_committee_candidate_must_own_a_flat_in_the_compound(world: Any) -> None:
    outsider = person("外人")
    with pytest.raises(DecisionError):
        open_vote(world, matter="elect_committee", seats=5, candidate_ids=[outsider.pk])


def test_cancelling_needs_a_reason(world: Any) -> None:
    vote = open_vote(world)
    with pytest.raises(DecisionError):
        services.vote_cancel(user=world.user("committee"), vote=vote, reason=" ")
    services.vote_cancel(user=world.user("committee"), vote=vote, reason="议题撤回")
    assert DecisionEvent.objects.get(vote=vote, kind="vote_cancelled").reason == "议题撤回"


def test_residents_see_their_compounds_votes_only(world: Any) -> None:
    vote = open_vote(world)
    assert selectors.votes_for(world.user("alice")).filter(pk=vote.pk).exists()
    for outsider in ("carol", "dave", "grid2", "official2"):
        assert not selectors.votes_for(world.user(outsider)).filter(pk=vote.pk).exists(), outsider
