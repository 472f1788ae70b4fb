"""Every change to registry data records who, when and what changed; personal data never in clear."""

from __future__ import annotations

from guanjia.core.audit import acting_as
from guanjia.core.models import AuditEntry
from guanjia.people.models import Person


def test_update_records_actor_and_the_changed_fields_only(world):
    compound = world.sunshine
    with acting_as(world.user("secretary"), via="web", reason="更正地址"):
        compound.address = "示范路1号"
        compound.save()
    entry = AuditEntry.objects.filter(model="places.compound", action="update").get()
    assert entry.actor == world.user("secretary")
    assert entry.changes == {"address": ["", "示范路1号"]}
    assert (entry.via, entry.reason) == ("web", "更正地址")


def test_saving_without_changes_records_nothing(world):
    before = AuditEntry.objects.count()
    compound = type(world.sunshine).objects.get(pk=world.sunshine.pk)
    compound.save()
    assert AuditEntry.objects.count() == before


def test_phone_change_is_recorded_without_the_number(world):
    alice = Person.objects.get(pk=world.people["alice"].pk)
    with acting_as(world.user("admin"), via="admin"):
        alice.set_phone("13511112222")
        alice.save()
    entry = AuditEntry.objects.filter(model="people.person", object_pk=str(alice.pk), action="update").get()
    flat = str(entry.changes)
    assert "13511112222" not in flat and "13812345678" not in flat
    assert entry.changes["phone_masked"] == ["138****5678", "135****2222"]


def test_delete_is_recorded(world):
    from tests.factories import BuildingFactory

    building = BuildingFactory(compound=world.rose, name="空楼")
    with acting_as(world.user("admin"), via="admin"):
        building.delete()
    assert AuditEntry.objects.filter(model="places.building", action="delete").exists()
