"""The community built in full detail, after seed 003: 13 compounds, 7,119 households, grids, and the
community's 9 committee members and 2 social workers, each the 包片 cadre of one or two compounds."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from guanjia.demo import names
from guanjia.demo.buildings import add_buildings
from guanjia.demo.data import CompoundPlan, DemoPlan, GridPlan, days_ago, mode_history
from guanjia.demo.people_gen import PersonMaker
from guanjia.demo.residents import Settler

DEVELOPER_FLATS = 18  # unsold flats of 锦华园, still owned by its developer
WORK_UNIT_FLATS = 4  # flats of 机械厂宿舍 the factory still owns and lets to its workers


@dataclass
class Detail:
    compounds: list[int] = field(default_factory=list)
    grids_of: dict[int, list[int]] = field(default_factory=dict)  # compound index → grid indexes
    dwellings_of: dict[int, list[int]] = field(default_factory=dict)


def build_detail(plan: DemoPlan, rng: random.Random, maker: PersonMaker, community: int) -> None:
    detail = Detail()
    _compounds(plan, rng, community, detail)
    _grids(plan, community, detail)
    for position, compound in enumerate(detail.compounds):
        spec = names.DETAIL_COMPOUNDS[position]
        detail.dwellings_of[compound] = add_buildings(
            plan,
            rng,
            compound=compound,
            flats=spec[1],
            layout=spec[5],
            built_year=spec[3],
            dorm="宿舍" in spec[0] or "家属院" in spec[0],
            grids=detail.grids_of[compound],
        )
    settler = Settler(plan, rng, maker)
    residents = _households(plan, rng, maker, settler, detail)
    _staff(plan, rng, maker, community, detail)
    _committees(plan, rng, settler, detail, exclude=set(residents))


def _compounds(plan: DemoPlan, rng: random.Random, community: int, detail: Detail) -> None:
    for name, _households, mode, built_year, _grids, _layout in names.DETAIL_COMPOUNDS:
        changed = mode in ("professional", "fallback") and name not in names.LONG_PROFESSIONAL
        since, changes = mode_history(rng, plan.today, mode=mode, changed=changed, built_year=built_year)
        road = rng.choice(names.ROADS)
        plan.compounds.append(
            CompoundPlan(community, name, mode, since, built_year, f"{road}{rng.randint(1, 300)}号", changes)
        )
        detail.compounds.append(len(plan.compounds) - 1)


def _grids(plan: DemoPlan, community: int, detail: Detail) -> None:
    """Big compounds get grids of their own; the small ones listed in SHARED_GRIDS share one."""
    shared = {position: group for group in names.SHARED_GRIDS for position in group}

    def new_grid(label: str) -> int:
        serial = len(plan.grids) - first + 1
        plan.grids.append(GridPlan(community, f"{serial:02d}", f"第{names.cn_number(serial)}网格（{label}）"))
        return len(plan.grids) - 1

    first = len(plan.grids)
    for position, compound in enumerate(detail.compounds):
        own = names.DETAIL_COMPOUNDS[position][4]
        if own:
            detail.grids_of[compound] = [new_grid(names.DETAIL_COMPOUNDS[position][0]) for _ in range(own)]
        elif compound not in detail.grids_of:
            group = shared[position]
            label = "、".join(names.DETAIL_COMPOUNDS[p][0] for p in group)
            grid = new_grid(label)
            for p in group:
                detail.grids_of[detail.compounds[p]] = [grid]


def _households(
    plan: DemoPlan, rng: random.Random, maker: PersonMaker, settler: Settler, detail: Detail
) -> list[int]:
    """Every flat gets one household. Returns the demo residents (resident, resident2)."""
    first, second = detail.compounds[0], detail.compounds[1]
    factory = detail.compounds[6]
    developer_flats = set(detail.dwellings_of[second][-DEVELOPER_FLATS:])
    unit_flats = set(detail.dwellings_of[factory][10::120][:WORK_UNIT_FLATS])
    developer = plan.add_person(maker.organisation(names.DEVELOPER, "developer"))
    work_unit = plan.add_person(maker.organisation(names.WORK_UNIT_OWNER, "organisation"))
    # resident and resident2 are neighbours: 301 and 302 of 兴华苑 1号楼 1单元, both in the first grid.
    neighbours = detail.dwellings_of[first][4:6]
    sizes = {neighbours[0]: 4, neighbours[1]: 2}
    residents: list[int] = []
    for position, compound in enumerate(detail.compounds):
        built_year = names.DETAIL_COMPOUNDS[position][3]
        for dwelling in detail.dwellings_of[compound]:
            if dwelling in developer_flats:
                settler.owned_by(developer, dwelling, since=dt.date(built_year + 1, 6, 1))
            elif dwelling in unit_flats:
                settler.owned_by(work_unit, dwelling, since=dt.date(built_year, 10, 1), tenants=2)
            else:
                owner = settler.settle(dwelling, built_year=built_year, size=sizes.get(dwelling))
                if dwelling in sizes:
                    residents.append(owner)
    plan.accounts["resident"], plan.accounts["resident2"] = residents
    return residents


def _staff_member(plan: DemoPlan, maker: PersonMaker, rng: random.Random, low: int, high: int) -> int:
    return plan.add_person(maker.person(age=rng.randint(low, high), party_rate=0.5, id_rate=1.0))


def _staff(plan: DemoPlan, rng: random.Random, maker: PersonMaker, community: int, detail: Detail) -> None:
    """社区两委 and 社工: the secretary answers for the community, each other one 包片s 1–2 compounds;
    then a grid worker per grid and the property staff of every managed compound."""
    today = plan.today
    pian_start = today - dt.timedelta(days=150)  # the 片管家 scheme started this year
    team = [_staff_member(plan, maker, rng, 30, 56) for _ in names.STAFF_TITLES]
    plan.assign(
        team[0], "secretary", "community", community, names.STAFF_TITLES[0], days_ago(today, rng, 900, 2000)
    )
    for member, title, positions in zip(team[1:], names.STAFF_TITLES[1:], names.CADRE_COMPOUNDS, strict=True):
        for position in positions:
            plan.assign(member, "cadre", "compound", detail.compounds[position], title, pian_start)
    plan.accounts["secretary"], plan.accounts["cadre"] = team[0], team[1]
    workers = []
    for grid in sorted({g for grids in detail.grids_of.values() for g in grids}):
        workers.append(_staff_member(plan, maker, rng, 24, 45))
        plan.assign(workers[-1], "grid_worker", "grid", grid, "专职网格员", days_ago(today, rng, 200, 1500))
    plan.accounts["gridworker"] = workers[
        0
    ]  # grid 01: the first buildings of 兴华苑, where the residents live
    companies = itertools.cycle(names.PROPERTY_COMPANIES)
    for compound in detail.compounds:
        spec = plan.compounds[compound]
        if spec.mode not in ("professional", "fallback"):
            continue
        company = next(companies) if spec.mode == "professional" else names.FALLBACK_COMPANY
        staff = _staff_member(plan, maker, rng, 25, 55)
        plan.assign(staff, "property_staff", "compound", compound, company, spec.mode_since or today)
        plan.accounts.setdefault("property", staff)


def _committees(
    plan: DemoPlan, rng: random.Random, settler: Settler, detail: Detail, *, exclude: set[int]
) -> None:
    """Owners' committees (业委会) or property management committees (物管会) of owner-occupiers."""
    for position, compound in enumerate(detail.compounds):
        spec = plan.compounds[compound]
        if spec.mode == "unmanaged":
            continue
        title = "物管会委员" if spec.changes and spec.mode == "fallback" else "业委会委员"
        candidates = [p for p in settler.owner_occupiers[compound] if p not in exclude]
        members = rng.sample(candidates, 5 if position == 0 else 3)
        start = spec.mode_since or plan.today - dt.timedelta(days=300)
        for rank, member in enumerate(members):
            plan.assign(
                member,
                "committee_member",
                "compound",
                compound,
                title.replace("委员", "主任") if rank == 0 else title,
                start,
            )
        plan.accounts.setdefault("committee", members[0])
