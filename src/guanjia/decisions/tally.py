"""Counting a closed vote: the figures art. 278 needs, from the frozen roll and the ballots that count.

Pure functions over plain values, so the result can be checked by hand and by property tests; the
order of ballots never matters (sums are exact)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from guanjia.decisions import law

AGREE, OPPOSE, ABSTAIN = "agree", "oppose", "abstain"
CHOICES = (AGREE, OPPOSE, ABSTAIN)


@dataclass(frozen=True)
class Figures:
    matter: str
    total: law.Tally
    participating: law.Tally
    agreeing: law.Tally
    opposing: law.Tally
    abstaining: law.Tally
    abstain_counts: bool
    quorum_met: bool
    majority_met: bool

    @property
    def passed(self) -> bool:
        return self.quorum_met and self.majority_met


def _sum(voters: Mapping[int, Fraction], ids: list[int]) -> law.Tally:
    return law.Tally(sum((voters[i] for i in ids), Fraction(0)), len(ids))


def count(
    *,
    matter: str,
    voters: Iterable[tuple[int, Fraction]],
    choices: Mapping[int, str],
    abstain_counts: bool = True,
) -> Figures:
    """`voters`: (voter id, area) for every unit on the roll; `choices`: voter id → the choice that counts."""
    areas = dict(voters)
    by_choice: dict[str, list[int]] = {c: [] for c in CHOICES}
    for voter_id, choice in choices.items():
        if voter_id not in areas:
            raise ValueError(f"voter {voter_id} is not on the roll")
        by_choice[choice].append(voter_id)
    agreeing = _sum(areas, by_choice[AGREE])
    opposing = _sum(areas, by_choice[OPPOSE])
    abstaining = _sum(areas, by_choice[ABSTAIN])
    taking_part = by_choice[AGREE] + by_choice[OPPOSE] + (by_choice[ABSTAIN] if abstain_counts else [])
    participating = _sum(areas, taking_part)
    total = law.Tally(sum(areas.values(), Fraction(0)), len(areas))
    return Figures(
        matter=matter,
        total=total,
        participating=participating,
        agreeing=agreeing,
        opposing=opposing,
        abstaining=abstaining,
        abstain_counts=abstain_counts,
        quorum_met=law.quorum_met(total=total, participating=participating),
        majority_met=law.majority_met(matter=matter, participating=participating, agreeing=agreeing),
    )


@dataclass(frozen=True)
class CandidateFigures:
    candidate_id: int
    figures: Figures
    elected: bool = False
    rank: int | None = None


def count_candidates(
    *,
    voters: Iterable[tuple[int, Fraction]],
    marks: Mapping[int, Mapping[int, str]],
    candidate_ids: Iterable[int],
    seats: int,
    abstain_counts: bool = True,
) -> list[CandidateFigures]:
    """An election: each candidate is a question of its own under the ordinary-matter thresholds. A voter
    who returned a ballot but left a candidate blank abstained on that candidate. Seats go to the
    candidates who passed, by agreeing area, then agreeing headcount, then ballot order."""
    roll = list(voters)
    counted = []
    for cid in candidate_ids:
        choices = {voter_id: m.get(cid, ABSTAIN) for voter_id, m in marks.items()}
        counted.append(
            CandidateFigures(
                cid,
                count(matter="elect_committee", voters=roll, choices=choices, abstain_counts=abstain_counts),
            )
        )
    order = {c.candidate_id: i for i, c in enumerate(counted)}
    winners = sorted(
        (c for c in counted if c.figures.passed),
        key=lambda c: (-c.figures.agreeing.area, -c.figures.agreeing.owners, order[c.candidate_id]),
    )
    ranks = {c.candidate_id: i + 1 for i, c in enumerate(winners)}
    return [
        CandidateFigures(
            c.candidate_id,
            c.figures,
            elected=ranks.get(c.candidate_id, seats + 1) <= seats,
            rank=ranks.get(c.candidate_id),
        )
        for c in counted
    ]
