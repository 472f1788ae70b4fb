"""The demo appeals: every state, consistent with the state machine, and KPI pages with something to show."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from guanjia.appeals import jobs, kpis
from guanjia.appeals.models import Appeal, AppealEvent, Holding, Status
from tests.demo.conftest import demo  # noqa: F401 -- the module-wide demo county

pytestmark = pytest.mark.django_db


def test_the_demo_has_appeals_in_every_state_and_a_few_hundred_in_the_detailed_community(demo):  # noqa: F811
    assert demo.counts["appeals"] >= 500
    states = set(Appeal.objects.values_list("status", flat=True))
    # Every state but the short-lived 不予受理待审核, which the demo may or may not catch.
    assert states >= set(Status.values) - {Status.REJECTION_PENDING}
    assert Appeal.objects.filter(reopen_count__gt=0).exists()
    assert AppealEvent.objects.filter(action="accept_transfer").exists()
    assert AppealEvent.objects.filter(action="escalate").exists()


def test_each_timeline_ends_in_the_appeals_status_and_holdings_match_the_holder(demo):  # noqa: F811
    last: dict[int, str] = {}
    for appeal_id, to_status in (
        AppealEvent.objects.exclude(to_status="").order_by("at", "id").values_list("appeal_id", "to_status")
    ):
        last[appeal_id] = to_status
    statuses = dict(Appeal.objects.values_list("pk", "status"))
    assert last == statuses
    open_holdings = dict(Holding.objects.filter(until__isnull=True).values_list("appeal_id", "person_id"))
    holders = dict(Appeal.objects.filter(assignee__isnull=False).values_list("pk", "assignee_id"))
    assert open_holdings == holders
    one_open = Holding.objects.filter(until__isnull=True).values("appeal").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in one_open)


def test_the_deadline_job_has_nothing_to_escalate_the_demo_did_not(demo):  # noqa: F811
    assert jobs.escalate_breaches(_start_of_today()) == 0


def test_the_detailed_community_has_kpis_to_show(demo):  # noqa: F811
    figures = kpis.measure(Appeal.objects.all(), kpis.Period.month(_start_of_today().date()))
    assert figures.submitted > 50
    assert figures.composite is not None and 60 < figures.composite < 100


def _start_of_today() -> Any:
    import datetime as dt

    from django.utils import timezone

    return dt.datetime.combine(timezone.localdate(), dt.time(), tzinfo=timezone.get_current_timezone())
