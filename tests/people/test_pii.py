"""Personal data: stored encrypted, found by keyed hash, masked by default, every full read logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.core import pii
from guanjia.core.models import PiiAccessLog
from guanjia.people.models import Person
from guanjia.people.services import person_reveal


def test_phone_is_not_stored_in_clear(world):
    alice = Person.objects.get(pk=world.people["alice"].pk)
    assert "13812345678" not in alice.phone_enc
    assert alice.phone_masked == "138****5678"
    assert alice.id_number_masked == "1101**********4514"


def test_lookup_hash_finds_the_person(world):
    found = Person.objects.get(phone_hash=pii.lookup_hash("phone", "138 1234 5678"))
    assert found.pk == world.people["alice"].pk


def test_grid_worker_reads_full_phone_and_the_read_is_logged(world):
    values = person_reveal(user=world.user("grid1"), person=world.people["alice"], via="test")
    assert values == {"phone": "13812345678", "id_number": "110101199003074514"}
    logged = PiiAccessLog.objects.filter(person=world.people["alice"], actor=world.user("grid1"))
    assert sorted(logged.values_list("field", flat=True)) == ["id_number", "phone"]


def test_property_staff_gets_no_full_phone_and_nothing_is_logged(world):
    with pytest.raises(PermissionDenied):
        person_reveal(user=world.user("property"), person=world.people["alice"], via="test")
    assert not PiiAccessLog.objects.exists()


def test_citizen_id_checksum():
    assert pii.id_number_problem("110101199003074514") is None
    assert pii.id_number_problem("110101199003074515") == "校验位不正确"
    assert pii.id_number_problem("12345") is not None


def test_resident_may_call_their_grid_worker_but_not_read_their_id_number(world):
    values = person_reveal(
        user=world.user("alice"), person=world.people["grid1"], fields=("phone",), via="test"
    )
    assert set(values) == {"phone"}
    with pytest.raises(PermissionDenied):
        person_reveal(
            user=world.user("alice"), person=world.people["grid1"], fields=("id_number",), via="test"
        )


def test_resident_may_not_read_the_phone_of_another_grids_worker(world):
    with pytest.raises(PermissionDenied):
        person_reveal(user=world.user("alice"), person=world.people["grid2"], fields=("phone",), via="test")
