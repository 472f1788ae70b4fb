"""Write the demo county to the database: in bulk, in one transaction, once.

The bulk writes skip the models' save() and the audit signals, so the load is recorded as one audit
entry that says what was loaded."""

from __future__ import annotations

import datetime as dt
import importlib
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from guanjia.core import audit
from guanjia.core.models import AuditEntry
from guanjia.demo import names
from guanjia.demo.accounts import PASSWORD, USERNAMES
from guanjia.demo.data import DemoPlan
from guanjia.demo.plan import SEED, build_plan
from guanjia.people.models import Household, Person, Residency, StaffAssignment
from guanjia.places.models import (
    Building,
    Community,
    Compound,
    Dwelling,
    Entrance,
    Grid,
    ManagementModeChange,
    Region,
    grid_code,
)

BATCH = 2000
DemoState = Literal["present", "empty", "foreign"]
REGISTRY_MODELS: tuple[type[models.Model], ...] = (Region, Community, Compound, Dwelling, Person, Household)


class DemoRefused(Exception):
    """The database holds other data; the demo is not mixed into it."""


@dataclass(frozen=True)
class LoadResult:
    status: Literal["loaded", "present"]
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


def demo_state() -> DemoState:
    """ "present" if the demo is loaded, "empty" if there is no registry data, else "foreign"."""
    if Region.objects.filter(code=names.CITY[1]).exists():
        return "present"
    if any(model._default_manager.exists() for model in REGISTRY_MODELS):
        return "foreign"
    if get_user_model()._default_manager.filter(username__in=USERNAMES).exists():
        return "foreign"
    return "empty"


REFUSAL = (
    "数据库中已有非演示数据（行政区域、小区、人员或同名账号），为免与演示数据混在一起，未做任何更改。"
    "请换一个空数据库（设置 GUANJIA_DATA_DIR 或 DATABASE_URL）后再加载演示数据。"
)


def load_demo(*, seed: int = SEED, today: dt.date | None = None, password: str = PASSWORD) -> LoadResult:
    """Load the demo county unless it is there already. Raises DemoRefused if other data is there."""
    started = time.perf_counter()
    with transaction.atomic():
        state = demo_state()
        if state == "present":
            return LoadResult("present")
        if state == "foreign":
            raise DemoRefused(REFUSAL)
        plan = build_plan(today=today or timezone.localdate(), seed=seed)
        with audit.acting_as(None, via="demo", reason="演示数据"):
            _write(plan, make_password(password))
            counts = plan.counts()
            counts.update(_load_domains(today or timezone.localdate(), seed))
            audit.record(
                action=AuditEntry.Action.IMPORT,
                model="demo",
                object_pk=names.CITY[1],
                object_repr=f"演示数据：{names.CITY[0]}{names.COUNTY[0]}",
                changes={name: [0, n] for name, n in counts.items()},
            )
    return LoadResult("loaded", time.perf_counter() - started, counts)


# Each domain app adds its demo data (appeals, contracts and bills, votes) after the registry is written.
DOMAIN_LOADERS = ("guanjia.demo.appeals", "guanjia.demo.property", "guanjia.demo.decisions")


def _load_domains(today: dt.date, seed: int) -> dict[str, int]:
    """Run `load(today=, seed=) -> counts` of each domain's demo module that exists."""
    counts: dict[str, int] = {}
    for name in DOMAIN_LOADERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:
                raise
            continue
        counts.update(module.load(today=today, seed=seed))
    return counts


def _bulk(model: type[models.Model], objs: list[Any]) -> list[Any]:
    return model._default_manager.bulk_create(objs, batch_size=BATCH)


def _write(plan: DemoPlan, password_hash: str) -> None:
    regions: list[Region] = []
    for r in plan.regions:  # few, and Region.save() computes the tree path from the new key
        region = Region(
            name=r.name,
            level=r.level,
            code=r.code,
            parent=regions[r.parent] if r.parent is not None else None,
        )
        region.save()
        regions.append(region)
    communities = _bulk(
        Community,
        [
            Community(region=regions[c.street], name=c.name, code=c.code, address=c.address)
            for c in plan.communities
        ],
    )
    compounds = _bulk(
        Compound,
        [
            Compound(
                community_id=communities[c.community].pk,
                name=c.name,
                address=c.address,
                management_mode=c.mode,
                mode_since=c.mode_since,
                built_year=c.built_year,
            )
            for c in plan.compounds
        ],
    )
    _bulk(
        ManagementModeChange,
        [
            ManagementModeChange(
                compound_id=compounds[i].pk,
                from_mode=ch.from_mode,
                to_mode=ch.to_mode,
                effective_on=ch.effective_on,
                reason=ch.reason,
            )
            for i, c in enumerate(plan.compounds)
            for ch in c.changes
        ],
    )
    grids = _bulk(
        Grid,
        [
            Grid(
                community_id=communities[g.community].pk,
                serial=g.serial,
                name=g.name,
                code=grid_code(communities[g.community], g.serial),
            )
            for g in plan.grids
        ],
    )
    _write_places_and_people(plan, password_hash, regions, communities, compounds, grids)


def _write_places_and_people(
    plan: DemoPlan,
    password_hash: str,
    regions: list[Region],
    communities: list[Community],
    compounds: list[Compound],
    grids: list[Grid],
) -> None:
    buildings = _bulk(
        Building,
        [
            Building(compound_id=compounds[b.compound].pk, name=b.name, floors=b.floors)
            for b in plan.buildings
        ],
    )
    entrances = _bulk(
        Entrance, [Entrance(building_id=buildings[e.building].pk, name=e.name) for e in plan.entrances]
    )
    dwellings = _bulk(
        Dwelling,
        [
            Dwelling(
                entrance_id=entrances[d.entrance].pk,
                compound_id=compounds[d.compound].pk,
                number=d.number,
                floor=d.floor,
                grid_id=grids[d.grid].pk if d.grid is not None else None,
                area_registered=d.area_registered,
                area_surveyed=d.area_surveyed,
                area_contract=d.area_contract,
            )
            for d in plan.dwellings
        ],
    )
    users = _users(plan, password_hash)
    persons = _bulk(Person, [_person(plan, i, users.get(i)) for i in range(len(plan.persons))])
    households = _bulk(Household, [Household(dwelling_id=dwellings[h.dwelling].pk) for h in plan.households])
    _bulk(
        Residency,
        [
            Residency(
                person_id=persons[r.person].pk,
                household_id=households[r.household].pk,
                relation=r.relation,
                start_date=r.start_date,
                end_date=r.end_date,
            )
            for r in plan.residencies
        ],
    )
    targets: dict[str, list[Any]] = {
        "region": regions,
        "community": communities,
        "compound": compounds,
        "grid": grids,
    }
    _bulk(
        StaffAssignment,
        [
            StaffAssignment(
                person_id=persons[a.person].pk,
                role=a.role,
                title=a.title,
                start_date=a.start_date,
                **{f"{a.target}_id": targets[a.target][a.index].pk},
            )
            for a in plan.assignments
        ],
    )


def _users(plan: DemoPlan, password_hash: str) -> dict[int, Any]:
    """One login per demo account, keyed by the index of its person. One password hash for all."""
    User = get_user_model()
    users = _bulk(
        User,
        [
            User(
                username=username,
                password=password_hash,
                is_superuser=username == "admin",
                is_staff=username == "admin",
            )
            for username in USERNAMES
        ],
    )
    return {plan.accounts[u.username]: u for u in users}


def _person(plan: DemoPlan, index: int, user: Any) -> Person:
    p = plan.persons[index]
    person = Person(
        name=p.name,
        gender=p.gender,
        birth_date=p.birth_date,
        is_party_member=p.is_party_member,
        owner_kind=p.owner_kind,
        user_id=user.pk if user is not None else None,
    )
    if p.phone:
        person.set_phone(p.phone)
    if p.id_number:
        person.set_id_number(p.id_number)
    return person
