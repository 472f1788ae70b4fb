"""Buildings, entrances and flats of a compound, with the three floor areas the law uses."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from decimal import Decimal

from guanjia.demo.data import BuildingPlan, DemoPlan, DwellingPlan, EntrancePlan

MIN_AREA, MAX_AREA = 45.0, 140.0


def area_band(built_year: int) -> tuple[float, float]:
    """Flats grew with the years: small work-unit flats in the 1980s, large ones after 2008."""
    if built_year < 1990:
        return 48.0, 68.0
    if built_year < 2000:
        return 58.0, 90.0
    if built_year < 2008:
        return 72.0, 118.0
    return 85.0, 138.0


def _m2(value: float) -> Decimal:
    return Decimal(f"{min(MAX_AREA, max(MIN_AREA, value)):.2f}")


def flat_areas(
    rng: random.Random, layout_area: float, *, dorm: bool
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(registered, surveyed, contract). The survey differs from the sales contract by a few per cent and
    the title deed copies the survey; old work-unit flats often lack a contract or a deed."""
    surveyed = _m2(layout_area * (1 + rng.uniform(-0.02, 0.01)))
    contract = _m2(layout_area)
    registered = surveyed
    missing_deed, missing_contract = (0.2, 0.6) if dorm else (0.07, 0.05)
    return (
        None if rng.random() < missing_deed else registered,
        None if rng.random() < 0.03 else surveyed,
        None if rng.random() < missing_contract else contract,
    )


def add_buildings(
    plan: DemoPlan,
    rng: random.Random,
    *,
    compound: int,
    flats: int,
    layout: tuple[int, int, int],
    built_year: int,
    dorm: bool,
    grids: Sequence[int] = (),
) -> list[int]:
    """Numbered buildings of one layout (floors, entrances, flats per floor) until `flats` flats exist.

    Buildings are shared out among `grids` in order, so each grid is a run of whole buildings.
    Returns the indexes of the new dwellings."""
    floors, entrances, per_floor = layout
    n_buildings = math.ceil(flats / (floors * entrances * per_floor))
    low, high = area_band(built_year)
    positions = itertools.product(
        range(n_buildings), range(entrances), range(1, floors + 1), range(1, per_floor + 1)
    )
    created: list[int] = []
    building_key = entrance_key = None
    layout_areas: list[float] = []
    grid: int | None = None
    for b, e, floor, flat in itertools.islice(positions, flats):
        if b != building_key:
            building_key, entrance_key = b, None
            plan.buildings.append(BuildingPlan(compound, f"{b + 1}号楼", floors))
            layout_areas = [rng.uniform(low, high) for _ in range(per_floor)]
            grid = grids[b * len(grids) // n_buildings] if grids else None
        if e != entrance_key:
            entrance_key = e
            plan.entrances.append(EntrancePlan(len(plan.buildings) - 1, f"{e + 1}单元"))
        registered, surveyed, contract = flat_areas(rng, layout_areas[flat - 1], dorm=dorm)
        plan.dwellings.append(
            DwellingPlan(
                entrance=len(plan.entrances) - 1,
                compound=compound,
                number=f"{floor}{flat:02d}",
                floor=floor,
                grid=grid,
                area_registered=registered,
                area_surveyed=surveyed,
                area_contract=contract,
            )
        )
        created.append(len(plan.dwellings) - 1)
    return created
