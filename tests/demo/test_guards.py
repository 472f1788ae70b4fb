"""The demo is only ever loaded into an empty database."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from guanjia.demo.loader import DemoRefused, demo_state, load_demo
from guanjia.places.models import Compound, Region
from tests.factories import RegionFactory

pytestmark = pytest.mark.django_db


def test_a_fresh_database_is_empty():
    assert demo_state() == "empty"


def test_the_demo_is_not_mixed_into_real_registry_data():
    RegionFactory(name="真实市", code="140100")
    assert demo_state() == "foreign"
    with pytest.raises(DemoRefused):
        load_demo()
    with pytest.raises(CommandError, match="非演示数据"):
        call_command("load_demo")
    assert list(Region.objects.values_list("name", flat=True)) == ["真实市"]
    assert not Compound.objects.exists()


def test_an_existing_account_with_a_demo_username_blocks_the_load():
    get_user_model().objects.create_user(username="admin", password="x" * 12)
    with pytest.raises(DemoRefused):
        load_demo()
    assert not Region.objects.exists()
