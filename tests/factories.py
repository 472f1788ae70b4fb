"""Test data builders. Synthetic names only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from guanjia.people.models import Household, Person, Residency, Role, StaffAssignment
from guanjia.places.models import Building, Community, Compound, Dwelling, Entrance, Grid, Region

PASSWORD = "guanjia-test"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"区域{n}")
    level = Region.Level.CITY
    code = factory.Sequence(lambda n: f"{140100 + n:06d}")
    parent = None


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"社区{n}")
    code = factory.Sequence(lambda n: f"{n % 1000:03d}")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    name = factory.Sequence(lambda n: f"小区{n}")
    management_mode = "professional"


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    name = factory.Sequence(lambda n: f"{n}号楼")


class EntranceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrance

    name = "1单元"


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    serial = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.Sequence(lambda n: f"第{n}网格")


class DwellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dwelling

    number = factory.Sequence(lambda n: f"{100 + n}")
    floor = 1
    area_registered = Decimal("88.50")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"居民{n}")


def make_user(username: str, *, superuser: bool = False):  # type: ignore[no-untyped-def]
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username=username, password=PASSWORD)
    return User.objects.create_user(username=username, password=PASSWORD)


def make_resident(
    username: str,
    dwelling: Dwelling,
    relation: str = Residency.Relation.OWNER,
    phone: str = "",
    id_number: str = "",
) -> Person:
    household, _ = Household.objects.get_or_create(dwelling=dwelling, label="")
    person = Person(name=f"{username}的姓名", user=make_user(username) if username else None)
    if phone:
        person.set_phone(phone)
    if id_number:
        person.set_id_number(id_number)
    person.save()
    Residency.objects.create(
        person=person, household=household, relation=relation, start_date=dt.date(2020, 1, 1)
    )
    return person


def make_staff(
    username: str,
    role: str,
    target,
    *,
    start: dt.date = dt.date(2020, 1, 1),  # type: ignore[no-untyped-def]
    end: dt.date | None = None,
) -> Person:
    from guanjia.people.models import ROLE_TARGET

    person = Person.objects.create(name=f"{username}的姓名", user=make_user(username))
    StaffAssignment.objects.create(
        person=person, role=role, start_date=start, end_date=end, **{ROLE_TARGET[Role(role)]: target}
    )
    return person
