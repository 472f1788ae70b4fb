"""The scheduler's work for owners' votes: open the announced ones whose time has come (freezing the
roll), close and count the open ones whose time is up.

`tick(now)` is idempotent: each vote is opened or closed under its row lock by the service, which
refuses a vote no longer in the state the scheduler saw; so a second run, or two workers at once, open
and count each vote once. A vote that cannot open (too few candidates, an empty roll) is left announced
for the organisers to fix, and reported."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from guanjia.core.audit import acting_as
from guanjia.decisions import services
from guanjia.decisions.errors import DecisionError

logger = logging.getLogger("guanjia.decisions")


def tick(now: dt.datetime | None = None) -> dict[str, int]:
    """Opens and closes the votes due at `now`; returns what it did, for the tick command and the logs."""
    now = now or timezone.now()
    report = {"votes_opened": 0, "votes_closed": 0, "votes_not_opened": 0}
    to_open, to_close = services.votes_due(now)
    with acting_as(None, via="scheduler"):
        for vote in to_open:
            try:
                services.vote_open(user=None, vote=vote, now=now)
                report["votes_opened"] += 1
            except DecisionError as e:
                if e.code != "wrong_state":  # another run got there first: nothing to report
                    report["votes_not_opened"] += 1
                    logger.warning("vote %s not opened: %s", vote.pk, e.code)
        for vote in to_close:
            try:
                services.vote_close(user=None, vote=vote, now=now)
                report["votes_closed"] += 1
            except DecisionError as e:
                logger.info("vote %s not closed: %s", vote.pk, e.code)
    return report
