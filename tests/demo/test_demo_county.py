"""The demo county: seed 000's 131 compounds and their modes; seed 003's community in full detail."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Max, Min, Q
from django.test import Client
from django.utils import timezone

from guanjia.core import pii
from guanjia.core.models import AuditEntry
from guanjia.demo import ACCOUNTS, PASSWORD, names
from guanjia.people.models import Household, OwnerKind, Person, Residency, Role, StaffAssignment
from guanjia.people.permissions import primary_role, scope_for
from guanjia.places import selectors
from guanjia.places.models import Community, Compound, Dwelling, Grid, ManagementModeChange, Region

pytestmark = pytest.mark.django_db


def community() -> Community:
    return Community.objects.get(name=names.DETAIL_COMMUNITY)


def residents_of(place: Community) -> list[Person]:
    current = Residency.objects.filter(
        household__dwelling__compound__community=place, end_date__isnull=True
    ).values("person_id")
    return list(Person.objects.filter(pk__in=current))


def user(username: str):  # type: ignore[no-untyped-def]
    return get_user_model().objects.get(username=username)


def test_the_county_has_131_compounds_in_the_modes_of_seed_000(demo):
    county = Region.objects.get(code=names.COUNTY[1])
    compounds = Compound.objects.filter(community__region__path__startswith=county.path)
    modes = dict(compounds.values_list("management_mode").annotate(n=Count("id")))
    assert compounds.count() == 131
    assert modes == {"professional": 37, "fallback": 56, "self_governed": 29, "unmanaged": 9}


def test_most_managed_compounds_left_unmanaged_this_year(demo):
    changes = ManagementModeChange.objects.select_related("compound")
    assert changes.count() > (37 + 56) // 2
    assert {c.from_mode for c in changes} == {"unmanaged"}
    for change in changes:
        assert change.compound.management_mode == change.to_mode
        assert change.compound.mode_since == change.effective_on
        assert timezone.localdate() - change.effective_on < dt.timedelta(days=365)
    assert not Compound.objects.filter(management_mode="fallback", mode_changes__isnull=True).exists()


def test_codes_follow_the_division_and_grid_standards(demo):
    city, county = Region.objects.get(level="city"), Region.objects.get(level="district")
    assert (len(city.code), len(county.code)) == (6, 6)
    for street in Region.objects.filter(level="street"):
        assert re.fullmatch(county.code + r"\d{3}", street.code)
    assert all(re.fullmatch(r"\d{3}", c.code) for c in Community.objects.all())
    for grid in Grid.objects.select_related("community__region"):
        street = grid.community.region
        assert grid.code == f"000000{street.code}{grid.community.code}{grid.serial}"


def test_the_detailed_community_has_the_figures_of_seed_003(demo):
    place = community()
    households = Household.objects.filter(dwelling__compound__community=place)
    assert place.compounds.count() == 13
    assert households.count() == 7119
    assert 12_500 <= len(residents_of(place)) <= 13_500


def test_grids_follow_households_not_compound_borders(demo):
    place = community()
    grids_per_compound = Counter(
        Dwelling.objects.filter(compound__community=place).values_list("compound__name", "grid_id").distinct()
    )
    compounds_of_grid = Counter(grid for _, grid in grids_per_compound)
    assert Counter(name for name, _ in grids_per_compound)[names.DETAIL_COMPOUNDS[0][0]] == 3
    assert max(compounds_of_grid.values()) >= 2  # one grid spans small compounds
    assert not Dwelling.objects.filter(compound__community=place, grid__isnull=True).exists()
    workers = Counter(StaffAssignment.objects.filter(role=Role.GRID_WORKER).values_list("grid_id", flat=True))
    assert set(workers) == set(place.grids.values_list("pk", flat=True))
    assert set(workers.values()) == {1}


def test_each_compound_has_a_cadre_from_the_nine_plus_two_staff(demo):
    place = community()
    cadres = StaffAssignment.objects.filter(role=Role.CADRE, compound__community=place)
    secretary = StaffAssignment.objects.get(role=Role.SECRETARY, community=place)
    assert set(cadres.values_list("compound_id", flat=True)) == set(
        place.compounds.values_list("pk", flat=True)
    )
    assert set(Counter(cadres.values_list("person_id", flat=True)).values()) <= {1, 2}
    titles = dict(cadres.values_list("person_id", "title").distinct())
    titles[secretary.person_id] = secretary.title
    assert len(titles) == 11
    assert Counter(t == "社工" for t in titles.values()) == {False: 9, True: 2}


def test_dwellings_have_plausible_areas_with_some_missing(demo):
    dwellings = Dwelling.objects.filter(compound__community=community())
    for field in ("area_registered", "area_surveyed", "area_contract"):
        bounds = dwellings.aggregate(low=Min(field), high=Max(field))
        assert 45 <= bounds["low"] <= bounds["high"] <= 140
        missing = dwellings.filter(**{f"{field}__isnull": True}).count()
        assert 0 < missing < dwellings.count() // 4


def test_residents_include_elders_party_members_tenants_and_a_developer(demo):
    residents = residents_of(community())
    today = timezone.localdate()
    ages = [p.age_on(today) for p in residents if p.birth_date]
    assert 0.12 <= sum(a >= 60 for a in ages) / len(ages) <= 0.18
    assert any(a >= 80 for a in ages)
    assert 0.03 <= sum(p.is_party_member for p in residents) / len(residents) <= 0.07
    assert Residency.objects.filter(relation="tenant", end_date__isnull=True).count() > 50
    kinds = Counter(p.owner_kind for p in residents)
    assert kinds[OwnerKind.INDIVIDUAL] > 0.99 * len(residents)
    developer = Person.objects.get(owner_kind=OwnerKind.DEVELOPER)
    assert developer.residencies.filter(relation="owner").count() > 10


def test_personal_data_is_sealed_and_well_formed(demo):
    sample = Person.objects.exclude(id_number_enc="").order_by("pk")[:200]
    assert len(sample) == 200
    for person in sample:
        number = pii.decrypt(person.id_number_enc)
        assert pii.id_number_problem(number) is None
        assert person.id_number_masked == pii.mask_id_number(number)
        if person.phone_enc:
            assert re.fullmatch(r"1[3-9]\d{9}", pii.decrypt(person.phone_enc))


def test_every_demo_account_logs_in_with_its_role(demo):
    for account in ACCOUNTS:
        assert Client().login(username=account.username, password=PASSWORD), account.username
        login = user(account.username)
        assert login.person.name
        assert primary_role(scope_for(login)) == account.role, account.username


def test_the_accounts_meet_around_the_residents_household(demo):
    resident, neighbour = (user(u).person.residencies.get() for u in ("resident", "resident2"))
    home, next_door = resident.household.dwelling, neighbour.household.dwelling
    assert resident.relation == neighbour.relation == "owner"
    assert resident.household_id != neighbour.household_id
    assert resident.household.residencies.filter(relation="family").exists()
    assert (home.compound_id, home.grid_id) == (next_door.compound_id, next_door.grid_id)
    assert home.compound.management_mode == "professional"
    assert scope_for(user("gridworker")).grid_ids == {home.grid_id}
    for username, role in (("cadre", Role.CADRE), ("property", Role.PROPERTY_STAFF)):
        assert scope_for(user(username)).roles_by_target[role] == {home.compound_id}
    assert home.compound_id in scope_for(user("committee")).roles_by_target[Role.COMMITTEE_MEMBER]


def test_the_official_sees_the_whole_county_and_the_secretary_one_community(demo):
    assert selectors.compounds_for(user("official")).count() == 131
    assert selectors.compounds_for(user("secretary")).count() == 13


def test_the_load_is_one_audit_entry_and_loading_again_changes_nothing(demo):
    assert demo.status == "loaded"
    assert AuditEntry.objects.filter(model="demo", via="demo").count() == 1
    assert not AuditEntry.objects.filter(Q(model="people.person") | Q(model="places.dwelling")).exists()
    before = (Person.objects.count(), Household.objects.count(), AuditEntry.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "已存在" in out.getvalue()
    assert "resident2" in out.getvalue()
    assert (Person.objects.count(), Household.objects.count(), AuditEntry.objects.count()) == before
