"""The staff queue reads the caller's scope as a UNION of its parts (selectors.queue), yet shows exactly
the appeals the visibility rule lets the caller see, filtered, soonest deadline first, then by id;
selectors.queue_count, which counts the UNION's ids, says how many, and selectors.queue_page reads a
page of it in two steps (ids in order, then the rows).

The rule is written out here in its plain form (one OR over the appeal's own columns, its place and its
hand-off trail), and every account of the test world is checked against it with every queue filter, on
appeals that reach people in every way there is: filed by, filed for, held now, held before, offered
(pending, declined), routed to an agency, by household, grid, compound, community and street."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from guanjia.api.appeals_out import due_of
from guanjia.appeals import selectors
from guanjia.appeals.models import Agency, Appeal, Holding, Status, Transfer
from guanjia.appeals.permissions import appeal_parts, appeal_q
from guanjia.people import permissions as perms
from guanjia.people.models import Role
from guanjia.places.models import Region
from tests.appeals.conftest import T0, do, file

ACCOUNTS = [
    *("alice", "bob", "carol", "dave", "grid1", "grid2", "cadre1", "cadre2", "secretary"),
    *("property", "committee", "official", "official2", "agency", "admin"),
]


def visible_by_rule(user: Any) -> Q:
    """Residents: what they filed or concerns their household; grid workers, cadres, secretaries and
    officials: their grids, compounds, community, streets; agency staff: what their agencies hold;
    everyone: what they filed, hold, held or were offered."""
    scope = perms.scope_for(user)
    if scope.is_admin:
        return Q()
    pid, targets = scope.person_id, scope.roles_by_target
    rule = Q(submitted_by_id=scope.user_id)
    if pid is not None:
        rule |= Q(submitter_id=pid) | Q(assignee_id=pid)
        rule |= Q(Exists(Holding.objects.filter(appeal=OuterRef("pk"), person_id=pid)))
        rule |= Q(Exists(Transfer.objects.filter(appeal=OuterRef("pk"), to_person_id=pid)))
    rule |= Q(household_id__in=scope.household_ids)
    rule |= Q(dwelling__grid_id__in=targets.get(Role.GRID_WORKER, ()))
    rule |= Q(compound_id__in=targets.get(Role.CADRE, ()))
    rule |= Q(compound__community_id__in=targets.get(Role.SECRETARY, ()))
    for role, prefix in (
        (Role.OFFICIAL, "compound__community__region__"),
        (Role.AGENCY_STAFF, "agency__region__"),
    ):
        for region in Region.objects.filter(pk__in=targets.get(role, ())):
            rule |= Q(**{f"{prefix}path__startswith": region.path})
    return rule


def expected(user: Any, now: dt.datetime, **filters: Any) -> list[int]:
    scope = perms.scope_for(user)
    rows = Appeal.objects.filter(visible_by_rule(user))
    status = filters.get("status")
    if status != "all":
        rows = rows.filter(status=status) if status else rows.filter(status__in=selectors.OPEN)
    if filters.get("mine"):
        offered = Transfer.objects.filter(
            appeal=OuterRef("pk"), to_person_id=scope.person_id, state="pending"
        )
        rows = (
            rows.filter(Q(assignee_id=scope.person_id) | Q(Exists(offered)))
            if scope.person_id
            else rows.none()
        )
    if filters.get("compound_id"):
        rows = rows.filter(compound_id=filters["compound_id"])
    kept = [a for a in rows if not filters.get("overdue") or due_of(a) < now]
    return [a.pk for a in sorted(kept, key=lambda a: (due_of(a), a.pk))]


@pytest.fixture
def spread(world: Any) -> Any:
    """Appeals reaching people in every way, in several states and with different deadlines."""
    now = timezone.now()
    people = world.people
    overdue = file(world, at=T0)  # alice, 阳光 A-101 (grid1): response deadline long past
    fresh = file(world, "dispute", at=now)
    rose = file(world, who="carol", at=T0 + dt.timedelta(hours=1))
    west = file(world, who="dave", at=T0 + dt.timedelta(hours=2))
    done = file(world, at=T0 + dt.timedelta(hours=3))
    do(world, "grid1", done, "resolve", note="已处理")
    do(world, "grid1", overdue, "accept")
    do(world, "grid1", overdue, "transfer", note="物业处理", to_person=people["property"])  # pending
    do(world, "cadre2", rose, "accept")
    do(world, "cadre2", rose, "defer", note="等材料", committed_due=now + dt.timedelta(days=3))
    # Held before by grid2, offered to and declined by cadre1, filed by the secretary for someone
    # outside the community, about bob though in the west, and held by an agency of the district.
    Holding.objects.create(appeal=west, person=people["grid2"], since=T0, until=T0 + dt.timedelta(hours=5))
    Transfer.objects.create(
        appeal=west, to_person=people["cadre1"], reason="试转", state="declined", requested_at=T0
    )
    agency = Agency.objects.create(name="区住建局", region=world.district)
    Appeal.objects.filter(pk=west.pk).update(
        submitted_by=world.user("secretary"), submitter=people["bob"], agency=agency
    )
    Appeal.objects.filter(pk=fresh.pk).update(status=Status.IN_PROGRESS)
    return world


VARIANTS: list[dict[str, Any]] = [
    {},
    {"status": "all"},
    {"status": "resolved"},
    {"mine": True},
    {"overdue": True},
    {"mine": True, "overdue": True},
]


@pytest.mark.parametrize("who", ACCOUNTS)
def test_appeal_q_row_by_row_and_its_parts_one_by_one_let_through_what_the_rule_does(spread, who):
    user = spread.user(who)
    scope = perms.scope_for(user)
    rule = set(Appeal.objects.filter(visible_by_rule(user)).values_list("pk", flat=True))
    assert set(Appeal.objects.filter(appeal_q(scope)).values_list("pk", flat=True)) == rule
    parts = appeal_parts(scope)
    union = set().union(*(Appeal.objects.filter(p).values_list("pk", flat=True) for p in parts or []))
    assert (set(Appeal.objects.values_list("pk", flat=True)) if parts is None else union) == rule


@pytest.mark.parametrize("who", ACCOUNTS)
def test_the_queue_shows_what_the_rule_lets_each_account_see_in_deadline_order(spread, who):
    user = spread.user(who)
    now = timezone.now()
    assert Appeal.objects.count() == 5
    for filters in [*VARIANTS, {"compound_id": spread.sunshine.pk}, {"compound_id": spread.rose.pk}]:
        shown = [a.pk for a in selectors.queue(user, now=now, **filters)]
        assert shown == expected(user, now, **filters), (who, filters)
        assert selectors.queue_count(user, now=now, **filters) == len(shown), (who, filters)
        page = selectors.queue_page(selectors.queue(user, now=now, **filters), 1, 3)
        assert [a.pk for a in page] == shown[1:3], (who, filters)


def test_the_spread_reaches_each_account_through_the_way_it_is_meant_to(spread):
    """The fixture covers the rule: each of these sees an appeal only through one part of it."""
    west = Appeal.objects.get(compound=spread.west_compound)

    def sees(who: str) -> set[int]:
        return {a.pk for a in selectors.queue(spread.user(who), status="all")}

    for who in ("grid2", "cadre1", "secretary", "bob", "agency", "official2", "dave"):
        assert west.pk in sees(who), who
    assert west.pk not in sees("official") and west.pk not in sees("carol")
    assert sees("property") == {Transfer.objects.get(state="pending").appeal_id}
    assert len(sees("admin")) == 5 and len(sees("secretary")) == 5


def test_mine_is_what_one_holds_or_is_offered_and_never_beyond_what_one_sees(spread):
    for who in ACCOUNTS:
        user = spread.user(who)
        mine = set(selectors.queue(user, mine=True, status="all").values_list("pk", flat=True))
        assert mine <= set(Appeal.objects.filter(visible_by_rule(user)).values_list("pk", flat=True))
