"""Build the whole demo county from a seed, after seed 000: 131 compounds in one county, of which 37 are
run by property companies, 56 by the government fallback company, 29 by their residents and 9 by
nobody yet; most of the managed ones left the "unmanaged" state this year.

Pure Python: the same seed and day give the same plan, whatever the database or the process."""

from __future__ import annotations

import datetime as dt
import random

from guanjia.demo import names
from guanjia.demo.buildings import add_buildings
from guanjia.demo.data import CommunityPlan, CompoundPlan, DemoPlan, RegionPlan, days_ago, mode_history
from guanjia.demo.detail import build_detail
from guanjia.demo.people_gen import PersonMaker

SEED = 20220905
# The county's modes (seed 000) and how many of each the detailed community holds.
COUNTY_MODES = {"professional": 37, "fallback": 56, "self_governed": 29, "unmanaged": 9}
# Professional compounds outside the detailed community that were already professional before this year.
OTHER_LONG_PROFESSIONAL = 10


def build_plan(*, today: dt.date, seed: int = SEED) -> DemoPlan:
    """Dates (mode changes, moves, birthdays) count back from `today`; everything else is fixed."""
    rng = random.Random(seed)
    maker = PersonMaker(rng, today)
    plan = DemoPlan(seed=seed, today=today)
    county, communities = _regions(plan, rng)
    detail_community = communities.pop(communities.index(_community_index(plan, names.DETAIL_COMMUNITY)))
    build_detail(plan, rng, maker, detail_community)
    _other_compounds(plan, rng, communities)
    _officials(plan, rng, maker, county, communities)
    return plan


def _community_index(plan: DemoPlan, name: str) -> int:
    return next(i for i, c in enumerate(plan.communities) if c.name == name)


def _regions(plan: DemoPlan, rng: random.Random) -> tuple[int, list[int]]:
    """City → county → streets → communities. Returns the county and the community indexes."""
    plan.regions.append(RegionPlan(names.CITY[0], "city", names.CITY[1], None))
    plan.regions.append(RegionPlan(names.COUNTY[0], "district", names.COUNTY[1], 0))
    for street_name, street_code, community_names in names.STREETS:
        plan.regions.append(RegionPlan(street_name, "street", names.COUNTY[1] + street_code, 1))
        street = len(plan.regions) - 1
        for number, community_name in enumerate(community_names, start=1):
            address = f"{rng.choice(names.ROADS)}{rng.randint(1, 200)}号"
            plan.communities.append(CommunityPlan(street, community_name, f"{number:03d}", address))
    return 1, list(range(len(plan.communities)))


def _other_modes(plan: DemoPlan, rng: random.Random, count: int) -> list[tuple[str, bool]]:
    """(mode, changed this year) for the compounds outside the detailed community, shuffled."""
    remaining = dict(COUNTY_MODES)
    for compound in plan.compounds:
        remaining[compound.mode] -= 1
    professional = remaining.pop("professional")
    modes = [("professional", False)] * OTHER_LONG_PROFESSIONAL
    modes += [("professional", True)] * (professional - OTHER_LONG_PROFESSIONAL)
    modes += [("fallback", True)] * remaining.pop("fallback")
    modes += [(mode, False) for mode, n in remaining.items() for _ in range(n)]
    if len(modes) != count:
        raise AssertionError(f"demo modes add up to {len(modes)} compounds, not {count}")
    rng.shuffle(modes)
    return modes


def _compound_name(rng: random.Random, used: set[str]) -> tuple[str, bool]:
    """A new name, and whether it is an old work-unit dormitory."""
    while True:
        dorm = rng.random() < 0.4
        if dorm:
            name = rng.choice(names.WORK_UNITS) + rng.choice(names.WORK_UNIT_KINDS)
        else:
            name = rng.choice(names.COMPOUND_PREFIXES) + rng.choice(names.COMPOUND_SUFFIXES)
        if name not in used:
            used.add(name)
            return name, dorm


def _other_compounds(plan: DemoPlan, rng: random.Random, communities: list[int]) -> None:
    """The rest of the county: named compounds with their mode and a few buildings each."""
    total = sum(COUNTY_MODES.values()) - len(plan.compounds)
    modes = _other_modes(plan, rng, total)
    used = {c.name for c in plan.compounds}
    for i, (mode, changed) in enumerate(modes):
        community = communities[i * len(communities) // total]
        name, dorm = _compound_name(rng, used)
        built_year = rng.randint(1978, 1998) if dorm else rng.randint(1990, 2016)
        since, changes = mode_history(rng, plan.today, mode=mode, changed=changed, built_year=built_year)
        address = f"{rng.choice(names.ROADS)}{rng.randint(1, 300)}号"
        plan.compounds.append(CompoundPlan(community, name, mode, since, built_year, address, changes))
        floors = rng.choice((5, 6))
        add_buildings(
            plan,
            rng,
            compound=len(plan.compounds) - 1,
            flats=rng.randint(1, 3) * floors * 2,
            layout=(floors, 1, 2),
            built_year=built_year,
            dorm=dorm,
        )


def _officials(
    plan: DemoPlan, rng: random.Random, maker: PersonMaker, county: int, communities: list[int]
) -> None:
    """Secretaries of the other communities, the county official and the system administrator."""
    for community in communities:
        person = plan.add_person(maker.person(age=rng.randint(35, 55), party_rate=1.0, id_rate=1.0))
        start = days_ago(plan.today, rng, 400, 2000)
        plan.assign(person, "secretary", "community", community, "党委书记、居委会主任", start)
    official = plan.add_person(maker.person(age=rng.randint(35, 52), party_rate=1.0, id_rate=1.0))
    plan.assign(
        official, "official", "region", county, "县委社区建设工委", days_ago(plan.today, rng, 300, 900)
    )
    plan.accounts["official"] = official
    plan.accounts["admin"] = plan.add_person(maker.person(age=rng.randint(26, 40), id_rate=0.0))
