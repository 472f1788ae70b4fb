"""Builders for the decisions pages' tests: a vote in 阳光 that is open right now (alice's A-101 and bob's
A-102 are its roll), announced by the committee member with the full 15 days' notice."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from guanjia.decisions import services
from guanjia.decisions.models import OwnersVote, Voter


def open_vote_now(world: Any, *, matter: str = "hire_property_company", **kw: Any) -> OwnersVote:
    user = world.user("committee")
    now = timezone.now()
    vote = services.vote_create(
        user=user,
        compound=world.sunshine,
        title=kw.pop("title", "续聘物业服务企业"),
        matter=matter,
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(days=7),
        now=now - dt.timedelta(days=15, minutes=1),
        **kw,
    )
    return services.vote_open(user=user, vote=vote, now=now)


def voter(vote: OwnersVote, world: Any, name: str) -> Voter:
    return vote.voters.get(owners__person=world.people[name])


def form_key(html: str) -> str:
    found = re.search(r'name="key" value="([0-9a-f]+)"', html)
    assert found, "the page renders a form key"
    return found.group(1)


def text(response: Any) -> str:
    return response.content.decode()
