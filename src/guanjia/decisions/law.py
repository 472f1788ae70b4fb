"""Owners' joint decisions, as the law writes them. Pure functions, exact arithmetic (Fraction), no database.

Sources:
- 民法典 第278条: quorum of two thirds of area and of owners; majorities counted among those taking part.
- 民法典 第1259条: "以上" includes the bound (≥); "过半数" ("more than half") does not (>).
- 最高人民法院《关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》(2020 修正) 第8条 (area),
  第9条 (headcount).
- 《物业管理条例》第14条: owners are told of a meeting at least 15 days before it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
HALF = Fraction(1, 2)
NOTICE_PERIOD = dt.timedelta(days=15)
PUBLISH_WITHIN = dt.timedelta(days=3)

# 民法典 第278条第1款: (1) 制定和修改业主大会议事规则 … (9) 有关共有和共同管理权利的其他重大事项.
MATTERS = (
    "rules_of_procedure",
    "management_rules",
    "elect_committee",
    "hire_property_company",
    "use_maintenance_fund",
    "raise_maintenance_fund",
    "rebuild",
    "change_common_use",
    "other_major",
)
# Items (6)–(8) need three quarters; every other matter more than half (第278条第2款).
SPECIAL_MATTERS = frozenset({"raise_maintenance_fund", "rebuild", "change_common_use"})

Amount = int | Fraction | Decimal


@dataclass(frozen=True)
class Rule:
    """A share of a whole that a figure must reach: "以上" (inclusive) or "过半数" (strict)."""

    share: Fraction
    inclusive: bool

    def met(self, part: Amount, whole: Amount) -> bool:
        needed = self.share * Fraction(whole)
        return Fraction(part) >= needed if self.inclusive else Fraction(part) > needed

    def bound(self, whole: Amount) -> Fraction:
        """The exact figure the rule compares with (e.g. 3/4 × 21,000 = 15,750)."""
        return self.share * Fraction(whole)

    def fewest_owners(self, whole: int) -> int:
        """The smallest whole number of owners that meets the rule (3/4 of 210 → 158; > 1/2 of 210 → 106)."""
        needed = self.share * whole
        if self.inclusive:
            return math.ceil(needed)
        return math.floor(needed) + 1

    @property
    def words(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.share.numerator}/{self.share.denominator}"


# 第278条第2款: "应当由专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与表决".
QUORUM = Rule(TWO_THIRDS, inclusive=True)
# "应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意".
SPECIAL_MAJORITY = Rule(THREE_QUARTERS, inclusive=True)
# "应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意".
ORDINARY_MAJORITY = Rule(HALF, inclusive=False)


def majority_for(matter: str) -> Rule:
    if matter not in MATTERS:
        raise ValueError(f"unknown matter: {matter}")
    return SPECIAL_MAJORITY if matter in SPECIAL_MATTERS else ORDINARY_MAJORITY


@dataclass(frozen=True)
class Tally:
    """Exclusive area (m²) and number of owners, as art. 278 counts both."""

    area: Fraction
    owners: int

    @classmethod
    def of(cls, area: Amount, owners: int) -> Tally:
        return cls(Fraction(area), owners)


def quorum_met(*, total: Tally, participating: Tally) -> bool:
    """Owners holding ≥ 2/3 of the area AND ≥ 2/3 of the owners took part."""
    if total.owners == 0:
        return False
    return QUORUM.met(participating.area, total.area) and QUORUM.met(participating.owners, total.owners)


def majority_met(*, matter: str, participating: Tally, agreeing: Tally) -> bool:
    """Agreement among those who took part, by area AND by headcount."""
    if participating.owners == 0:
        return False
    rule = majority_for(matter)
    return rule.met(agreeing.area, participating.area) and rule.met(agreeing.owners, participating.owners)


def decision_passes(*, matter: str, total: Tally, participating: Tally, agreeing: Tally) -> bool:
    return quorum_met(total=total, participating=participating) and majority_met(
        matter=matter, participating=participating, agreeing=agreeing
    )


def notice_given(*, announced_at: dt.datetime, opens_at: dt.datetime) -> bool:
    """物业管理条例 第14条: owners are told at least 15 days before the vote opens."""
    return opens_at - announced_at >= NOTICE_PERIOD


# --- headcount (解释 第9条) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExclusivePart:
    """One exclusive part (a dwelling, or a parking space when the vote counts them) and who owns it."""

    key: str
    area: Fraction
    owners: frozenset[int]
    developer: int | None = None  # the developer holding it, unsold or not yet delivered


@dataclass(frozen=True)
class VoterUnit:
    """One owner as art. 278 counts owners: one head, the summed area of their parts."""

    key: str
    kind: str  # "owner", "co_owners", "developer", "unknown"
    area: Fraction
    parts: tuple[str, ...]
    owners: frozenset[int]


def voter_units(parts: Iterable[ExclusivePart]) -> list[VoterUnit]:
    """Group exclusive parts into headcount units (解释 第9条): one per part, except that all the parts the
    developer still holds count as one owner, and so do all the parts of one buyer. Co-owners of a part
    are one owner; "one buyer" means the same set of owners."""
    groups: dict[str, list[ExclusivePart]] = {}
    for part in parts:
        if part.developer is not None:
            key = f"developer:{part.developer}"
        elif part.owners:
            key = "owners:" + ",".join(str(o) for o in sorted(part.owners))
        else:
            key = f"part:{part.key}"
        groups.setdefault(key, []).append(part)
    units = []
    for key, members in groups.items():
        owners = frozenset().union(*(p.owners for p in members))
        if key.startswith("developer:"):
            kind = "developer"
        elif key.startswith("part:"):
            kind = "unknown"
        else:
            kind = "co_owners" if len(owners) > 1 else "owner"
        units.append(
            VoterUnit(
                key=key,
                kind=kind,
                area=sum((p.area for p in members), Fraction(0)),
                parts=tuple(p.key for p in members),
                owners=owners,
            )
        )
    return units
