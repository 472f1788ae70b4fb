"""The frozen roll: area as the law reads it (解释 第8条), owners as the law counts them (解释 第9条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from guanjia.decisions.models import ParkingSpace, Voter
from guanjia.people.models import OwnerKind, Residency
from tests.decisions.conftest import NOW, flat, open_vote, person


def test_area_is_registered_else_surveyed_else_contract(world: Any) -> None:
    owner = person("甲")
    flat(world, "s1", None, owner, area_surveyed=Decimal("90.10"), area_contract=Decimal("95"))
    other = person("乙")
    flat(world, "c1", None, other, area_contract=Decimal("70.00"))
    vote = open_vote(world)
    parts = {p.label[-2:]: (p.area, p.area_source) for p in vote.roll_parts.all()}
    assert parts["s1"] == (Decimal("90.10"), "surveyed")
    assert parts["c1"] == (Decimal("70.00"), "contract")
    assert parts["01"] == (Decimal("88.50"), "registered")  # alice's A-101 from the world


def test_developer_flats_count_once_and_a_multi_flat_buyer_once(world: Any) -> None:
    developer = person("置业公司", OwnerKind.DEVELOPER)
    for n in range(5):
        flat(world, f"d{n}", "100", developer)
    buyer = person("丙")
    flat(world, "b1", "80", buyer)
    flat(world, "b2", "60", buyer)
    vote = open_vote(world)
    dev = vote.voters.get(kind=Voter.Kind.DEVELOPER)
    assert (dev.area, dev.part_count, dev.headcount) == (Decimal("500.00"), 5, 1)
    multi = vote.voters.get(owners__person=buyer)
    assert (multi.area, multi.part_count) == (Decimal("140.00"), 2)
    # alice, bob, the developer, the buyer: 4 heads for 9 flats.
    assert vote.voters.count() == 4


def test_co_owners_share_one_voice(world: Any) -> None:
    husband, wife = person("丁"), person("戊")
    flat(world, "co", "120", husband, wife)
    vote = open_vote(world)
    unit = vote.voters.get(kind=Voter.Kind.CO_OWNERS)
    assert set(unit.owners.values_list("person_id", flat=True)) == {husband.pk, wife.pk}
    assert unit.label == "丁、戊"


def test_parking_counts_only_when_the_vote_says_so(world: Any) -> None:
    alice = world.people["alice"]
    ParkingSpace.objects.create(compound=world.sunshine, number="P1", area=Decimal("12.50"), owner=alice)
    without = open_vote(world)
    assert without.voters.get(owners__person=alice).area == Decimal("88.50")
    with_parking = open_vote(world, include_parking=True, title="车位计入")
    mine = with_parking.voters.get(owners__person=alice)
    assert (mine.area, mine.part_count) == (Decimal("101.00"), 2)  # still one head


def test_the_roll_is_frozen_when_the_vote_opens(world: Any) -> None:
    vote = open_vote(world)
    before = list(vote.voters.values_list("label", "area"))
    newcomer = person("新业主")
    flat(world, "new", "99", newcomer)
    Residency.objects.filter(person=world.people["bob"]).update(end_date=dt.date(2025, 5, 1))
    assert list(vote.voters.values_list("label", "area")) == before


def test_an_owner_whose_ownership_ended_before_opening_is_not_on_the_roll(world: Any) -> None:
    Residency.objects.filter(person=world.people["bob"]).update(end_date=NOW.date() - dt.timedelta(days=1))
    vote = open_vote(world)
    assert not vote.voters.filter(owners__person=world.people["bob"]).exists()
    assert vote.voters.filter(kind=Voter.Kind.UNKNOWN).count() == 1  # bob's flat still counts, ownerless
