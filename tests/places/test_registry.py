"""Registry invariants: the region tree, grid codes (CJ/T 349-2010), the management-mode history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guanjia.places.models import Compound, ManagementModeChange, Region
from guanjia.places.selectors import compounds_for, coverage
from guanjia.places.services import compound_set_management_mode


def test_region_path_makes_a_subtree_one_prefix(world):
    assert world.east.path == f"/{world.city.pk}/{world.district.pk}/{world.east.pk}/"
    subtree = Region.objects.filter(path__startswith=world.district.path)
    assert set(subtree) == {world.district, world.east, world.west}


def test_a_street_must_sit_under_a_district(world):
    street = Region(name="错街道", level=Region.Level.STREET, code="140109009", parent=world.city)
    with pytest.raises(ValidationError):
        street.full_clean()


def test_grid_code_has_the_twenty_digits_of_cj_t_349(world):
    # object code (6) + district (6) + street (3) + community (3) + grid serial (2)
    assert world.grid1.code == "000000" + "140109" + "001" + "001" + "01"
    assert len(world.grid2.code) == 20


def test_dwelling_knows_its_compound_and_the_area_the_law_counts(world):
    assert world.a101.compound == world.sunshine
    world.a101.area_registered = None
    world.a101.area_surveyed = Decimal("90.10")
    assert world.a101.legal_area == Decimal("90.10")


def test_mode_change_keeps_a_dated_history(world):
    secretary = world.user("secretary")
    compound_set_management_mode(
        user=secretary,
        compound=world.rose,
        mode="professional",
        effective_on=dt.date(2026, 5, 1),
        reason="业委会选聘物业",
    )
    compound_set_management_mode(
        user=secretary,
        compound=world.rose,
        mode="self_governed",
        effective_on=dt.date(2026, 9, 1),
        reason="物业合同到期，居民自治",
    )
    rose = Compound.objects.get(pk=world.rose.pk)
    assert (rose.management_mode, rose.mode_since) == ("self_governed", dt.date(2026, 9, 1))
    history = list(ManagementModeChange.objects.filter(compound=rose).values_list("from_mode", "to_mode"))
    assert history == [("fallback", "professional"), ("professional", "self_governed")]


def test_a_back_dated_change_is_history_not_the_current_mode(world):
    secretary = world.user("secretary")
    compound_set_management_mode(
        user=secretary, compound=world.rose, mode="professional", effective_on=dt.date(2026, 9, 1)
    )
    compound_set_management_mode(
        user=secretary,
        compound=world.rose,
        mode="unmanaged",
        effective_on=dt.date(2025, 1, 1),
        reason="补录历史",
    )
    assert Compound.objects.get(pk=world.rose.pk).management_mode == "professional"


def test_only_the_secretary_of_the_community_changes_the_mode(world):
    for name in ("cadre1", "official", "alice", "grid1"):
        with pytest.raises(PermissionDenied):
            compound_set_management_mode(user=world.user(name), compound=world.sunshine, mode="unmanaged")
    with pytest.raises(PermissionDenied):
        compound_set_management_mode(
            user=world.user("secretary"), compound=world.west_compound, mode="unmanaged"
        )
    assert not ManagementModeChange.objects.exists()


def test_unknown_mode_is_refused(world):
    with pytest.raises(ValueError):
        compound_set_management_mode(user=world.user("admin"), compound=world.rose, mode="whatever")


def test_coverage_counts_compounds_by_mode(world):
    result = coverage(compounds_for(world.user("admin")))
    by_mode = {row["mode"]: row["count"] for row in result["by_mode"]}
    assert by_mode == {"professional": 1, "fallback": 1, "self_governed": 1, "unmanaged": 0}
    assert (result["total"], result["managed"], result["managed_rate"]) == (3, 3, 100.0)
