"""Who lives in each flat of the detailed community: owners and their families, a few landlords with
tenants, and unsold flats still owned by the developer."""

from __future__ import annotations

import datetime as dt
import random

from guanjia.demo.data import DemoPlan, HouseholdPlan, ResidencyPlan, date_between, days_ago
from guanjia.demo.people_gen import FEMALE, MALE, PersonMaker

OWNER, FAMILY, TENANT = "owner", "family", "tenant"
# People per owner-occupied household; about 1.83 on average, like 13,000 people in 7,119 households.
SIZE_WEIGHTS = ((1, 41), (2, 43), (3, 12), (4, 3), (5, 1))
RENTED_SHARE = 0.045


class Settler:
    """Fills households with people, recording who owns and who lives where."""

    def __init__(self, plan: DemoPlan, rng: random.Random, maker: PersonMaker) -> None:
        self.plan = plan
        self.rng = rng
        self.maker = maker
        self.today = plan.today
        # compound index → persons who own and live in a flat there (candidates for committees)
        self.owner_occupiers: dict[int, list[int]] = {}

    def household(self, dwelling: int) -> int:
        self.plan.households.append(HouseholdPlan(dwelling))
        return len(self.plan.households) - 1

    def live(
        self, person: int, household: int, relation: str, start: dt.date, end: dt.date | None = None
    ) -> None:
        self.plan.residencies.append(ResidencyPlan(person, household, relation, start, end))

    def moved_in(self, built_year: int) -> dt.date:
        return date_between(self.rng, dt.date(built_year + 1, 3, 1), self.today - dt.timedelta(days=30))

    def settle(self, dwelling: int, *, built_year: int, size: int | None = None) -> int:
        """An ordinary household (or, now and then, a rented flat). Returns the owner's person index."""
        household = self.household(dwelling)
        if size is None and self.rng.random() < RENTED_SHARE:
            return self._rented(household, built_year)
        start = self.moved_in(built_year)
        size = size or self.rng.choices([s for s, _ in SIZE_WEIGHTS], [w for _, w in SIZE_WEIGHTS])[0]
        owner_age, owner_gender = self.maker.owner_age(), self.maker.gender()
        owner_surname = self.maker.surname()
        owner = self._person(owner_age, owner_gender, owner_surname)
        self.live(owner, household, OWNER, start)
        compound = self.plan.dwellings[dwelling].compound
        self.owner_occupiers.setdefault(compound, []).append(owner)
        family_surname = owner_surname
        if size >= 2:
            spouse_gender = FEMALE if owner_gender == MALE else MALE
            spouse_surname = self.maker.surname()
            age = min(95, max(21, owner_age + self.rng.randint(-5, 5)))
            self.live(self._person(age, spouse_gender, spouse_surname), household, FAMILY, start)
            if spouse_gender == MALE:
                family_surname = spouse_surname
        for _ in range(size - 2):
            age = self._relative_age(owner_age)
            surname = family_surname if age < owner_age else self.maker.surname()
            joined = max(start, self.today - dt.timedelta(days=365 * age)) if age < 18 else start
            self.live(self._person(age, None, surname), household, FAMILY, joined)
        return owner

    def _relative_age(self, owner_age: int) -> int:
        """A child, an adult child, a grandchild or a parent, whichever the owner's age allows."""
        if owner_age < 45:
            return self.rng.randint(0, max(0, owner_age - 24))
        if owner_age < 62:
            if self.rng.random() < 0.75:
                return self.rng.randint(max(0, owner_age - 35), owner_age - 22)
            return min(96, owner_age + self.rng.randint(22, 30))
        if self.rng.random() < 0.5:
            return self.rng.randint(0, 14)
        return owner_age - self.rng.randint(25, 35)

    def _person(self, age: int, gender: str | None, surname: str) -> int:
        party_rate = 0.08 if age >= 55 else 0.04
        return self.plan.add_person(
            self.maker.person(age=age, gender=gender, surname=surname, party_rate=party_rate)
        )

    def _rented(self, household: int, built_year: int) -> int:
        landlord = self._person(self.rng.randint(35, 72), None, self.maker.surname())
        self.live(landlord, household, OWNER, self.moved_in(built_year))
        self.tenants(household, self.rng.randint(1, 3))
        return landlord

    def tenants(self, household: int, count: int) -> None:
        """Current tenants, and sometimes the one who moved out before them."""
        start = days_ago(self.today, self.rng, 30, 900)
        for _ in range(count):
            tenant = self._person(self.rng.randint(20, 42), None, self.maker.surname())
            self.live(tenant, household, TENANT, start)
        if self.rng.random() < 0.25:
            before = self._person(self.rng.randint(20, 42), None, self.maker.surname())
            left = start - dt.timedelta(days=self.rng.randint(10, 60))
            self.live(before, household, TENANT, left - dt.timedelta(days=self.rng.randint(180, 720)), left)

    def owned_by(self, organisation: int, dwelling: int, *, since: dt.date, tenants: int = 0) -> None:
        """A flat owned by a developer (unsold) or a work unit (staff lodging with tenants)."""
        household = self.household(dwelling)
        self.live(organisation, household, OWNER, since)
        if tenants:
            self.tenants(household, tenants)
