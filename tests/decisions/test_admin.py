"""The decisions admin is read only and scoped: a secretary sees the votes of their community, a cadre of
another compound does not; individual ballots appear only once their vote is counted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanjia.decisions import services
from guanjia.decisions.models import Ballot
from tests.decisions.conftest import open_vote


def test_the_vote_admin_is_scoped_and_read_only(world: Any) -> None:
    vote = open_vote(world)
    secretary = world.client("secretary")
    listing = secretary.get("/admin/decisions/ownersvote/")
    assert listing.status_code == 200 and vote.title in listing.content.decode()
    assert secretary.get(f"/admin/decisions/ownersvote/{vote.pk}/change/").status_code == 200
    assert secretary.get("/admin/decisions/ownersvote/add/").status_code == 403
    assert vote.title not in world.client("cadre2").get("/admin/decisions/ownersvote/").content.decode()
    assert world.client("alice").get("/admin/decisions/ownersvote/").status_code == 302


def test_ballots_show_only_after_the_count(world: Any) -> None:
    vote = open_vote(world)
    user = world.user("committee")
    for voter in vote.voters.all():
        services.ballot_cast(
            user=user,
            vote=vote,
            voter_id=voter.pk,
            choice="agree",
            origin="paper",
            now=vote.opens_at + dt.timedelta(hours=1),
        )
    ballot = Ballot.objects.first()
    assert ballot is not None
    admin = world.client("admin")
    assert admin.get(f"/admin/decisions/ballot/{ballot.pk}/change/").status_code == 302  # not found → list
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    assert admin.get(f"/admin/decisions/ballot/{ballot.pk}/change/").status_code == 200
    assert admin.get("/admin/decisions/decisionevent/").status_code == 200
    assert world.client("secretary").get("/admin/decisions/ownerscommittee/").status_code == 200
