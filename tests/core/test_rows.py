"""core.rows reads and writes rows the way the ORM does, only with less Python: what it reads equals
what the ORM reads, what it writes the ORM reads back unchanged, and a model with save signals is
saved the ordinary way so no receiver (the audit trail) is skipped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from guanjia.appeals.models import Appeal, AppealEvent, Category
from guanjia.core import rows
from guanjia.core.models import AuditEntry
from guanjia.core.rows import Rows
from guanjia.people.models import Person

pytestmark = pytest.mark.django_db


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_rows_reads_what_the_orm_reads_whatever_the_column_order(world):
    by_code = Rows(Category, "SELECT * FROM appeals_category WHERE code = %s")
    found = by_code.first(["noise"])
    assert values(found) == values(Category.objects.get(code="noise"))
    assert isinstance(found.photo_required, bool)
    assert by_code.first(["no-such-category"]) is None


def test_extra_columns_come_along_as_attributes(world):
    person = Rows(Person, "SELECT p.*, 7 AS lucky FROM people_person p WHERE p.id = %s").first(
        [world.people["alice"].pk]
    )
    assert person.name == world.people["alice"].name and person.lucky == 7


def test_insert_stores_what_the_orm_reads_back_and_sets_the_keys(world):
    now = timezone.now().replace(microsecond=123456)
    appeal = Appeal(
        category=Category.objects.get(code="noise"),
        compound=world.sunshine,
        submitted_by=world.user("alice"),
        title="楼上装修噪音",
        description="晚上十点以后还在施工",
        channel="web",
        submitted_at=now,
        response_due=now + dt.timedelta(hours=2),
        resolve_due=now + dt.timedelta(hours=24),
    )
    rows.insert(appeal)
    assert appeal.pk is not None and not appeal._state.adding
    stored = Appeal.objects.get(pk=appeal.pk)
    assert model_to_dict(stored) == model_to_dict(appeal)
    assert stored.status == "submitted" and stored.updated_at is not None

    events = [
        AppealEvent(appeal=appeal, at=now, action="submit", actor_label="alice", data={"channel": "web"}),
        AppealEvent(appeal=appeal, at=now, action="route", actor_label="系统", data={"rule": "grid_worker"}),
    ]
    rows.insert(*events)
    assert [e.pk for e in events] == list(
        AppealEvent.objects.filter(appeal=appeal).order_by("id").values_list("id", flat=True)
    )
    assert AppealEvent.objects.get(pk=events[1].pk).data == {"rule": "grid_worker"}


def new_appeal(world, now):
    return Appeal(
        category=Category.objects.get(code="noise"),
        compound=world.sunshine,
        submitted_by=world.user("alice"),
        title="楼道灯坏了",
        description="晚上看不见路",
        channel="web",
        submitted_at=now,
        response_due=now + dt.timedelta(hours=2),
        resolve_due=now + dt.timedelta(hours=24),
    )


def test_a_numbered_insert_stores_the_day_and_its_own_key_zero_padded(world):
    now = timezone.now()
    first, second = new_appeal(world, now), new_appeal(world, now)
    rows.insert_numbered(first, "number", "20261122", 7)
    rows.insert_numbered(second, "number", "20261122", 7)
    assert second.pk > first.pk
    for appeal in (first, second):
        stored = Appeal.objects.get(pk=appeal.pk)
        assert stored.number == appeal.number == f"20261122{appeal.pk:07d}"
        assert model_to_dict(stored) == model_to_dict(appeal)


def test_a_numbered_insert_keeps_every_digit_of_a_key_wider_than_the_padding(world):
    now = timezone.now()
    rows.insert(*[new_appeal(world, now) for _ in range(10)])
    appeal = new_appeal(world, now)
    rows.insert_numbered(appeal, "number", "D", 1)  # a key of two or more digits is not cut to one
    assert appeal.pk >= 10
    assert Appeal.objects.get(pk=appeal.pk).number == f"D{appeal.pk}"
    assert len(appeal.number) == 1 + len(str(appeal.pk))


def test_a_numbered_insert_writes_its_children_pointing_at_it_in_their_order(world):
    from guanjia.appeals.models import Holding

    now = timezone.now()
    appeal = new_appeal(world, now)
    grid1 = world.people["grid1"]
    submitted = AppealEvent(appeal=appeal, at=now, action="submit", actor_label="alice", data={"n": 1})
    holding = Holding(appeal=appeal, person=grid1, reason="grid_worker", since=now)
    routed = AppealEvent(appeal=appeal, at=now, action="route", actor_label="系统", data={"n": 2})
    rows.insert_numbered(appeal, "number", "20261122", 7, children=[submitted, holding, routed])

    assert Appeal.objects.get(pk=appeal.pk).number == f"20261122{appeal.pk:07d}"
    stored = list(AppealEvent.objects.filter(appeal=appeal).order_by("id"))
    assert [e.pk for e in stored] == [submitted.pk, routed.pk] and submitted.pk < routed.pk
    assert [e.data for e in stored] == [{"n": 1}, {"n": 2}]
    assert Holding.objects.get(appeal=appeal).pk == holding.pk
    assert holding.appeal_id == submitted.appeal_id == appeal.pk
    assert model_to_dict(Holding.objects.get(pk=holding.pk)) == model_to_dict(holding)


def test_a_child_must_point_at_its_parent_by_exactly_one_key(world):
    now = timezone.now()
    with pytest.raises(ValueError, match="foreign key to Appeal"):
        rows.insert_numbered(new_appeal(world, now), "number", "X", 7, children=[Person(name="x")])


def test_a_model_with_save_signals_is_saved_the_ordinary_way(world):
    person = Person(name="新住户")
    rows.insert(person)  # Person is audited: its post_save receiver writes the trail
    trail = AuditEntry.objects.filter(model="people.person", object_pk=str(person.pk), action="create")
    assert trail.exists()
