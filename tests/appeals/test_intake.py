"""Intake: an appeal is stored, numbered, deadlined and routed in one go; retries never duplicate it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from guanjia.appeals import services
from guanjia.appeals.jobs import tick
from guanjia.appeals.models import Appeal, AppealEvent, Status
from guanjia.appeals.services import me_too, submit_appeal
from guanjia.core.models import Notification
from tests.appeals.conftest import T0, category, file


def test_a_filed_appeal_is_numbered_deadlined_routed_and_logged(world):
    appeal = file(world)
    assert appeal.number == "20261102" + f"{appeal.pk:07d}"
    assert appeal.status == Status.SUBMITTED
    assert (appeal.compound, appeal.dwelling) == (world.sunshine, world.a101)
    assert appeal.response_due == T0 + dt.timedelta(hours=2)
    assert appeal.resolve_due == T0 + dt.timedelta(hours=24)
    assert appeal.assignee == world.people["grid1"] == appeal.accountable
    assert list(appeal.events.values_list("action", flat=True)) == ["submit", "route"]
    assert Notification.objects.filter(user=world.user("grid1"), title="新诉求待受理").exists()


def test_the_same_idempotency_key_returns_the_same_appeal(world):
    first, created = submit_appeal(
        user=world.user("alice"),
        category=category("noise"),
        title="噪音",
        description="夜间施工",
        channel="api",
        idempotency_key="k-1",
        now=T0,
    )
    again, created_again = submit_appeal(
        user=world.user("alice"),
        category=category("noise"),
        title="噪音",
        description="夜间施工",
        channel="api",
        idempotency_key="k-1",
        now=T0,
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Appeal.objects.count() == 1


def test_another_user_with_the_same_key_files_their_own(world):
    submit_appeal(
        user=world.user("alice"),
        category=category("noise"),
        title="a",
        description="b",
        channel="api",
        idempotency_key="same",
    )
    _, created = submit_appeal(
        user=world.user("bob"),
        category=category("noise"),
        title="a",
        description="b",
        channel="api",
        idempotency_key="same",
    )
    assert created and Appeal.objects.count() == 2


# serialized_rollback restores the default categories (a data migration) that the flush would drop.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_racing_retries_store_one_appeal(world):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("threads need a real database file; CI's PostgreSQL run covers the race")
    results, barrier = [], threading.Barrier(2)

    def submit() -> None:
        from django.db import connections

        barrier.wait()
        try:
            appeal, created = submit_appeal(
                user=world.user("alice"),
                category=category("noise"),
                title="噪音",
                description="夜间",
                channel="api",
                idempotency_key="race",
            )
            results.append((appeal.pk, created))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 2
    assert len({pk for pk, _ in results}) == 1
    assert sorted(created for _, created in results) == [False, True]
    assert Appeal.objects.count() == 1


def test_bad_input_gets_field_errors_and_stores_nothing(world):
    with pytest.raises(ValidationError) as caught:
        submit_appeal(
            user=world.user("alice"), category=category("noise"), title="", description="", channel="web"
        )
    assert set(caught.value.message_dict) == {"title", "description"}
    with pytest.raises(ValidationError) as caught:
        submit_appeal(
            user=world.user("alice"),
            category=category("hazard-fire-escape"),
            title="消防通道被堵",
            description="电动车堆满楼道",
            channel="web",
        )
    assert "photos" in caught.value.message_dict
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_a_resident_files_only_for_their_own_household(world):
    from guanjia.people.models import Household

    bobs = Household.objects.get(dwelling=world.a102)
    with pytest.raises(ValidationError):
        submit_appeal(
            user=world.user("alice"),
            category=category("noise"),
            title="a",
            description="b",
            channel="web",
            household=bobs,
        )
    assert not Appeal.objects.exists()


def test_staff_file_on_behalf_by_phone_within_their_place(world):
    appeal, _ = submit_appeal(
        user=world.user("grid1"),
        category=category("elder-help"),
        title="独居老人求助",
        description="电话反映家中停水",
        channel="phone",
        dwelling=world.a101,
        submitter=world.people["alice"],
        now=T0,
    )
    assert (appeal.channel, appeal.submitter, appeal.household.dwelling) == (
        "phone",
        world.people["alice"],
        world.a101,
    )
    with pytest.raises(ValidationError):
        submit_appeal(
            user=world.user("grid2"),
            category=category("elder-help"),
            title="x",
            description="y",
            channel="phone",
            compound=world.west_compound,
        )
    with pytest.raises(PermissionDenied):
        submit_appeal(
            user=world.user("alice"),
            category=category("elder-help"),
            title="x",
            description="y",
            channel="phone",
            compound=world.sunshine,
        )


def test_a_crash_in_routing_still_stores_the_appeal_and_the_next_tick_routes_it(world, monkeypatch):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("registry unavailable")

    monkeypatch.setattr(services.routing, "route", broken)
    appeal = file(world)
    stored = Appeal.objects.get(pk=appeal.pk)
    assert stored.needs_routing and stored.assignee is None and stored.number
    monkeypatch.undo()
    assert tick(T0 + dt.timedelta(minutes=5)).routed == 1
    stored.refresh_from_db()
    assert not stored.needs_routing and stored.assignee == world.people["grid1"]


def test_me_too_counts_each_neighbour_once(world):
    appeal = file(world)
    assert me_too(user=world.user("bob"), appeal=appeal) is True
    assert me_too(user=world.user("bob"), appeal=appeal) is False
    appeal.refresh_from_db()
    assert appeal.me_too_count == 1
    with pytest.raises(PermissionDenied):
        me_too(user=world.user("carol"), appeal=appeal)  # 月季小区: not her compound
