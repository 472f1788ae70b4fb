"""Counting: abstentions both ways, and a result that never depends on the order of ballots."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from guanjia.decisions import tally


def roll(*areas: int) -> list[tuple[int, Fraction]]:
    return [(i + 1, Fraction(a)) for i, a in enumerate(areas)]


def test_abstentions_count_as_taking_part_by_default() -> None:
    # 3 owners of 100 m² each; one agrees, one abstains, one stays home.
    figures = tally.count(
        matter="management_rules", voters=roll(100, 100, 100), choices={1: "agree", 2: "abstain"}
    )
    assert figures.participating.owners == 2 and figures.participating.area == 200
    # Two of three owners took part: exactly 2/3, so the quorum is met (以上 includes the bound);
    # but one agreeing owner of two taking part is exactly half, and 过半数 needs more.
    assert figures.quorum_met
    assert not figures.majority_met


def test_abstention_setting_changes_both_quorum_and_majority() -> None:
    voters = roll(100, 100, 100)
    choices = {1: "agree", 2: "abstain", 3: "oppose"}
    counted = tally.count(matter="management_rules", voters=voters, choices=choices, abstain_counts=True)
    assert counted.quorum_met and counted.participating.owners == 3
    assert not counted.majority_met  # 1 of 3 agree
    not_counted = tally.count(matter="management_rules", voters=voters, choices=choices, abstain_counts=False)
    assert not_counted.participating.owners == 2
    assert not_counted.quorum_met  # 2 of 3 take part: exactly 2/3
    assert not not_counted.majority_met  # 1 of 2 is exactly half: 过半数 not met


def test_abstaining_outside_the_count_can_sink_the_quorum() -> None:
    voters = roll(100, 100, 100)
    choices = {1: "agree", 2: "abstain"}
    assert not tally.count(
        matter="other_major", voters=voters, choices=choices, abstain_counts=False
    ).quorum_met


def test_a_ballot_from_outside_the_roll_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        tally.count(matter="rebuild", voters=roll(100), choices={7: "agree"})


def test_election_seats_go_by_agreeing_area_then_headcount() -> None:
    voters = roll(100, 100, 100, 50)
    marks = {
        1: {10: "agree", 11: "agree", 12: "agree"},
        2: {10: "agree", 11: "agree"},
        3: {11: "agree", 12: "agree"},
        4: {10: "agree", 12: "oppose"},
    }
    results = tally.count_candidates(voters=voters, marks=marks, candidate_ids=[10, 11, 12], seats=1)
    by_id = {r.candidate_id: r for r in results}
    # 10: 250 m² / 3 heads; 11: 300 m² / 3 heads; 12: 200 m² / 2 heads of 350 / 4 → not more than half.
    assert by_id[11].elected and by_id[11].rank == 1
    assert by_id[10].figures.passed and not by_id[10].elected and by_id[10].rank == 2
    assert not by_id[12].figures.passed and by_id[12].rank is None


choices_st = st.sampled_from(tally.CHOICES)


@given(
    st.lists(st.integers(min_value=1, max_value=50_000), min_size=1, max_size=60),
    st.data(),
    st.sampled_from(["rebuild", "hire_property_company"]),
    st.booleans(),
)
def test_result_never_depends_on_the_order_of_ballots(
    areas: list[int], data: st.DataObject, matter: str, abst: bool
) -> None:
    voters = [(i + 1, Fraction(a, 100)) for i, a in enumerate(areas)]
    ballots = data.draw(
        st.lists(st.tuples(st.sampled_from([v for v, _ in voters]), choices_st), max_size=120)
    )
    seed = data.draw(st.integers(min_value=0, max_value=2**32))

    def last_wins(sequence: list[tuple[int, str]]) -> dict[int, str]:
        # Ballots arrive in some order; each voter's last one counts. Counting must only see the set.
        return dict(sequence)

    expected = tally.count(matter=matter, voters=voters, choices=last_wins(ballots), abstain_counts=abst)
    final = last_wins(ballots)
    shuffled_choices = list(final.items())
    random.Random(seed).shuffle(shuffled_choices)
    shuffled_roll = list(voters)
    random.Random(seed + 1).shuffle(shuffled_roll)
    again = tally.count(
        matter=matter, voters=shuffled_roll, choices=dict(shuffled_choices), abstain_counts=abst
    )
    assert again == expected
    assert expected.participating.owners <= expected.total.owners
    assert expected.agreeing.area + expected.opposing.area + expected.abstaining.area <= expected.total.area
