"""The demo county as plain data: what the loader writes, built without touching the database.

Rows refer to each other by index into the plan's lists; the loader turns indexes into keys."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from guanjia.demo.people_gen import PersonPlan


@dataclass(slots=True)
class RegionPlan:
    name: str
    level: str
    code: str
    parent: int | None


@dataclass(slots=True)
class CommunityPlan:
    street: int
    name: str
    code: str
    address: str


@dataclass(slots=True)
class ModeChangePlan:
    from_mode: str
    to_mode: str
    effective_on: dt.date
    reason: str


@dataclass(slots=True)
class CompoundPlan:
    community: int
    name: str
    mode: str
    mode_since: dt.date | None
    built_year: int
    address: str
    changes: list[ModeChangePlan] = field(default_factory=list)


@dataclass(slots=True)
class BuildingPlan:
    compound: int
    name: str
    floors: int


@dataclass(slots=True)
class EntrancePlan:
    building: int
    name: str


@dataclass(slots=True)
class GridPlan:
    community: int
    serial: str
    name: str


@dataclass(slots=True)
class DwellingPlan:
    entrance: int
    compound: int
    number: str
    floor: int
    grid: int | None
    area_registered: Decimal | None
    area_surveyed: Decimal | None
    area_contract: Decimal | None


@dataclass(slots=True)
class HouseholdPlan:
    dwelling: int


@dataclass(slots=True)
class ResidencyPlan:
    person: int
    household: int
    relation: str  # people.models.Residency.Relation values
    start_date: dt.date
    end_date: dt.date | None = None


@dataclass(slots=True)
class AssignmentPlan:
    person: int
    role: str  # people.models.Role values
    target: str  # "region", "community", "compound" or "grid": which list `index` points into
    index: int
    title: str
    start_date: dt.date


@dataclass
class DemoPlan:
    seed: int
    today: dt.date
    regions: list[RegionPlan] = field(default_factory=list)
    communities: list[CommunityPlan] = field(default_factory=list)
    compounds: list[CompoundPlan] = field(default_factory=list)
    buildings: list[BuildingPlan] = field(default_factory=list)
    entrances: list[EntrancePlan] = field(default_factory=list)
    grids: list[GridPlan] = field(default_factory=list)
    dwellings: list[DwellingPlan] = field(default_factory=list)
    persons: list[PersonPlan] = field(default_factory=list)
    households: list[HouseholdPlan] = field(default_factory=list)
    residencies: list[ResidencyPlan] = field(default_factory=list)
    assignments: list[AssignmentPlan] = field(default_factory=list)
    # Demo username → index of the person the account belongs to.
    accounts: dict[str, int] = field(default_factory=dict)

    def add_person(self, person: PersonPlan) -> int:
        self.persons.append(person)
        return len(self.persons) - 1

    def assign(self, person: int, role: str, target: str, index: int, title: str, start: dt.date) -> None:
        self.assignments.append(AssignmentPlan(person, role, target, index, title, start))

    def counts(self) -> dict[str, int]:
        return {
            "regions": len(self.regions),
            "communities": len(self.communities),
            "compounds": len(self.compounds),
            "grids": len(self.grids),
            "buildings": len(self.buildings),
            "entrances": len(self.entrances),
            "dwellings": len(self.dwellings),
            "households": len(self.households),
            "persons": len(self.persons),
            "residencies": len(self.residencies),
            "assignments": len(self.assignments),
        }

    def digest(self) -> str:
        """A fingerprint of everything in the plan: equal digests, equal demo."""
        parts = (
            self.regions,
            self.communities,
            self.compounds,
            self.buildings,
            self.entrances,
            self.grids,
            self.dwellings,
            self.persons,
            self.households,
            self.residencies,
            self.assignments,
            sorted(self.accounts.items()),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def days_ago(today: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


def date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return end
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


REASONS = {
    "fallback": "成立物管会，由县属物业公司兜底管理",
    "professional": "业委会依法选聘物业公司",
}


def mode_history(
    rng: random.Random, today: dt.date, *, mode: str, changed: bool, built_year: int
) -> tuple[dt.date | None, list[ModeChangePlan]]:
    """When the compound got its mode, and the change from "unmanaged" if that happened this year."""
    if changed:
        # This year, from spring on (seed 000); in the first weeks of a year, the months before.
        start = max(dt.date(today.year, 3, 1), today - dt.timedelta(days=200))
        end = today - dt.timedelta(days=20)
        day = date_between(rng, start if start < end else end - dt.timedelta(days=180), end)
        return day, [ModeChangePlan("unmanaged", mode, day, REASONS[mode])]
    if mode == "unmanaged":
        return None, []
    first = max(built_year + 1, 2008 if mode == "self_governed" else 2003)
    since = date_between(rng, dt.date(first, 1, 1), today - dt.timedelta(days=400))
    return since.replace(day=1), []
