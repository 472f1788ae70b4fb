"""The art. 278 arithmetic, case by case, each with its source; and properties that hold for any figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guanjia.decisions import law
from guanjia.decisions.law import ExclusivePart, Tally

T = Tally.of


def test_worked_case_300_owners_30000_m2_210_take_part() -> None:
    # 民法典 第278条: 300 owners with 30,000 m²; 210 owners with 21,000 m² take part.
    total, taking_part = T(30000, 300), T(21000, 210)
    assert law.quorum_met(total=total, participating=taking_part)
    # A special matter (items 6–8): ≥ 3/4 of 21,000 m² = 15,750 m² and ≥ 3/4 of 210 = 157.5 → 158 owners.
    assert law.SPECIAL_MAJORITY.bound(21000) == 15750
    assert law.SPECIAL_MAJORITY.fewest_owners(210) == 158
    assert law.majority_met(matter="rebuild", participating=taking_part, agreeing=T(15750, 158))
    assert not law.majority_met(
        matter="rebuild", participating=taking_part, agreeing=T(Decimal("15749.99"), 158)
    )
    assert not law.majority_met(matter="rebuild", participating=taking_part, agreeing=T(15750, 157))
    # An ordinary matter: > 10,500 m² and > 105 owners, i.e. at least 106.
    assert law.ORDINARY_MAJORITY.bound(21000) == 10500
    assert law.ORDINARY_MAJORITY.fewest_owners(210) == 106
    assert law.majority_met(
        matter="hire_property_company", participating=taking_part, agreeing=T("10500.01", 106)
    )
    assert not law.majority_met(
        matter="hire_property_company", participating=taking_part, agreeing=T(10500, 106)
    )
    assert not law.majority_met(
        matter="hire_property_company", participating=taking_part, agreeing=T(21000, 105)
    )


@pytest.mark.parametrize(
    ("participating", "expected", "why"),
    [
        (T(20000, 200), True, "exactly 2/3 of area and owners: 以上 includes the bound (第1259条)"),
        (T(Decimal("19999.99"), 200), False, "a hundredth of a m² short of 2/3 of the area"),
        (T(20000, 199), False, "one owner short of 2/3 of the owners"),
        (T(30000, 199), False, "all the area is not enough without 2/3 of the owners (AND, 第278条)"),
        (T(19000, 300), False, "all the owners are not enough without 2/3 of the area"),
    ],
)
def test_quorum_two_thirds_of_area_and_of_owners(participating: Tally, expected: bool, why: str) -> None:
    assert law.quorum_met(total=T(30000, 300), participating=participating) is expected, why


@pytest.mark.parametrize(
    ("matter", "agreeing", "expected", "why"),
    [
        ("raise_maintenance_fund", T(750, 75), True, "exactly 3/4: 以上 includes the bound"),
        ("rebuild", T(750, 74), False, "3/4 of the area but one owner short"),
        ("change_common_use", T(Decimal("749.99"), 75), False, "3/4 of the owners but not of the area"),
        ("management_rules", T(500, 51), False, "exactly half the area: 过半数 excludes the bound"),
        ("management_rules", T(501, 50), False, "exactly half the owners: 过半数 excludes the bound"),
        ("management_rules", T(Decimal("500.01"), 51), True, "just over half of both"),
        ("elect_committee", T(Decimal("500.01"), 51), True, "elections are ordinary matters"),
        ("use_maintenance_fund", T(Decimal("500.01"), 51), True, "using the fund is ordinary since 2021"),
        ("rebuild", T(Decimal("500.01"), 51), False, "rebuilding needs three quarters"),
    ],
)
def test_majorities_by_matter(matter: str, agreeing: Tally, expected: bool, why: str) -> None:
    assert law.majority_met(matter=matter, participating=T(1000, 100), agreeing=agreeing) is expected, why


def test_special_matters_are_items_6_to_8() -> None:
    assert [m for m in law.MATTERS if law.majority_for(m) is law.SPECIAL_MAJORITY] == [
        "raise_maintenance_fund",
        "rebuild",
        "change_common_use",
    ]
    with pytest.raises(ValueError):
        law.majority_for("buy_a_boat")


def test_nobody_taking_part_decides_nothing() -> None:
    assert not law.majority_met(matter="rebuild", participating=T(0, 0), agreeing=T(0, 0))
    assert not law.quorum_met(total=T(0, 0), participating=T(0, 0))


def test_notice_at_least_15_days() -> None:
    import datetime as dt

    start = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    assert law.notice_given(announced_at=start, opens_at=start + dt.timedelta(days=15))
    assert not law.notice_given(announced_at=start, opens_at=start + dt.timedelta(days=15, seconds=-1))


# --- headcount (解释 第9条) -----------------------------------------------------------------------


def part(key: str, area: int, *owners: int, developer: int | None = None) -> ExclusivePart:
    return ExclusivePart(key, Fraction(area), frozenset(owners), developer)


def test_one_head_per_dwelling() -> None:
    units = law.voter_units([part("101", 90, 1), part("102", 80, 2)])
    assert sorted((u.owners, u.area) for u in units) == [(frozenset({1}), 90), (frozenset({2}), 80)]


def test_developer_unsold_flats_count_as_one_owner() -> None:
    units = law.voter_units([part(f"{n}", 100, 9, developer=9) for n in range(18)] + [part("x", 70, 1)])
    developer = next(u for u in units if u.kind == "developer")
    assert len(units) == 2
    assert developer.area == 1800 and len(developer.parts) == 18


def test_buyer_of_several_flats_counts_once_with_their_whole_area() -> None:
    units = law.voter_units([part("101", 90, 1), part("201", 60, 1), part("301", 75, 2)])
    assert sorted((sorted(u.owners), u.area, len(u.parts)) for u in units) == [([1], 150, 2), ([2], 75, 1)]


def test_co_owners_of_one_flat_are_one_owner() -> None:
    (unit,) = law.voter_units([part("101", 90, 1, 2)])
    assert unit.kind == "co_owners" and unit.owners == {1, 2} and unit.area == 90


def test_a_flat_with_no_recorded_owner_still_counts_once() -> None:
    units = law.voter_units([part("101", 90), part("102", 90)])
    assert [u.kind for u in units] == ["unknown", "unknown"]


# --- properties ----------------------------------------------------------------------------------

shares = st.sampled_from([law.QUORUM, law.SPECIAL_MAJORITY, law.ORDINARY_MAJORITY])


@given(rule=shares, whole=st.integers(min_value=1, max_value=10**6))
def test_fewest_owners_is_the_exact_boundary(rule: law.Rule, whole: int) -> None:
    n = rule.fewest_owners(whole)
    assert rule.met(n, whole)
    assert not rule.met(n - 1, whole)


@given(
    whole=st.integers(min_value=1, max_value=10**9),
    part_=st.integers(min_value=0, max_value=10**9),
)
def test_inclusive_and_strict_differ_only_at_the_bound(whole: int, part_: int) -> None:
    share = Fraction(1, 2)
    inclusive, strict = law.Rule(share, True), law.Rule(share, False)
    if Fraction(part_) == share * whole:
        assert inclusive.met(part_, whole) and not strict.met(part_, whole)
    else:
        assert inclusive.met(part_, whole) == strict.met(part_, whole)


cents = st.integers(min_value=1, max_value=10**7).map(lambda c: Decimal(c) / 100)


@given(st.lists(st.tuples(cents, st.integers(min_value=0, max_value=5)), min_size=1, max_size=40))
def test_headcount_units_keep_every_part_and_all_the_area(rows: list[tuple[Decimal, int]]) -> None:
    parts = [part(str(i), 0, *([o] if o else [])) for i, (_, o) in enumerate(rows)]
    parts = [ExclusivePart(p.key, Fraction(a), p.owners) for p, (a, _) in zip(parts, rows, strict=True)]
    units = law.voter_units(parts)
    assert sorted(k for u in units for k in u.parts) == sorted(p.key for p in parts)
    assert sum(u.area for u in units) == sum(p.area for p in parts)
    # Never more heads than parts; exactly one head per distinct known owner plus each ownerless part.
    owners = {p.owners for p in parts if p.owners}
    assert len(units) == len(owners) + sum(1 for p in parts if not p.owners)
