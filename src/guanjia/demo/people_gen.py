"""Synthetic people: names from surname and given-name lists, birth dates, phone and ID numbers.

Everything comes from the Random passed in, so the same seed gives the same people."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from guanjia.core.pii import id_check_digit
from guanjia.demo import names

MALE, FEMALE = "M", "F"
# Owner ages (from, to, weight): most households are headed by people of working age, about one in six by
# people over 60, which gives the ~15% of residents aged 60+ the demo aims at.
OWNER_AGE_BANDS = ((25, 39, 36), (40, 59, 49), (60, 79, 12), (80, 93, 3))


@dataclass(slots=True)
class PersonPlan:
    name: str
    gender: str = ""
    birth_date: dt.date | None = None
    is_party_member: bool = False
    owner_kind: str = "individual"
    phone: str = ""
    id_number: str = ""


class PersonMaker:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self._phones: set[str] = set()
        self._ids: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(names.SURNAMES, weights=names.SURNAME_WEIGHTS)[0]

    def given_name(self, gender: str) -> str:
        chars = names.GIVEN_MALE if gender == MALE else names.GIVEN_FEMALE
        if self.rng.random() < 0.35:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def gender(self) -> str:
        return self.rng.choice((MALE, FEMALE))

    def owner_age(self) -> int:
        low, high, _ = self.rng.choices(OWNER_AGE_BANDS, weights=[w for *_, w in OWNER_AGE_BANDS])[0]
        return self.rng.randint(low, high)

    def birth_date(self, age: int) -> dt.date:
        """A birthday that makes the person `age` years old today."""
        try:
            latest = self.today.replace(year=self.today.year - age)
        except ValueError:  # 29 February, and that year has none
            latest = dt.date(self.today.year - age, 2, 28)
        return latest - dt.timedelta(days=self.rng.randint(0, 364))

    def phone(self) -> str:
        while True:
            number = self.rng.choice(names.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def id_number(self, birth: dt.date, gender: str) -> str:
        """18-digit citizen ID (GB 11643): area, birth date, sequence (odd for men), check digit."""
        area = self.rng.choice(names.ID_AREA_CODES)
        while True:
            serial = self.rng.randrange(0, 500) * 2 + (1 if gender == MALE else 0)
            first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number

    def person(
        self,
        *,
        age: int,
        gender: str | None = None,
        surname: str | None = None,
        party_rate: float = 0.05,
        id_rate: float = 0.55,
    ) -> PersonPlan:
        gender = gender or self.gender()
        birth = self.birth_date(age)
        adult = age >= 18
        return PersonPlan(
            name=(surname or self.surname()) + self.given_name(gender),
            gender=gender,
            birth_date=birth,
            is_party_member=adult and self.rng.random() < party_rate,
            phone=self.phone() if adult and self.rng.random() < 0.9 else "",
            id_number=self.id_number(birth, gender) if self.rng.random() < id_rate else "",
        )

    def organisation(self, name: str, kind: str) -> PersonPlan:
        """A developer or work unit that owns flats; a Person with an owner kind, no birthday."""
        return PersonPlan(name=name, owner_kind=kind, phone=self.phone())
