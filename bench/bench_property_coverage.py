"""Speed of the coverage dashboard (告别无管时代) for a county of 5,000 compounds.

Makes a fresh database (SQLite, or a throw-away PostgreSQL database with --postgres), writes a county
of 20 streets, 100 communities and 5,000 compounds, three in five of which left "unmanaged" during the
last twelve months (a ManagementModeChange each), and a county official. Then times
`property.coverage.dashboard` as the official sees it (scope, compounds by mode over the region tree,
committee status from the decisions app, 12 months of history, the unmanaged list): median and p95.
Target (issue 4): under 200 ms.

    .venv/bin/python -m bench.bench_property_coverage [--compounds 5000] [--runs 20] [--postgres URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_property_billing import drop, setup_django

MODES = ("professional", "fallback", "self_governed", "unmanaged")


def make_county(compounds: int) -> object:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from guanjia.people.models import Person, StaffAssignment
    from guanjia.places.models import Community, Compound, ManagementModeChange, Region

    rng = random.Random(5)
    today = timezone.localdate()
    city = Region.objects.create(name="示范市", level="city", code="149900")
    county = Region.objects.create(name="示范县", level="district", code="149921", parent=city)
    streets = [
        Region.objects.create(name=f"第{i}街道", level="street", code=f"149921{i:03d}", parent=county)
        for i in range(1, 21)
    ]
    communities = Community.objects.bulk_create(
        [Community(region=streets[i % 20], name=f"社区{i}", code=f"{i // 20 + 1:03d}") for i in range(100)]
    )
    rows, changes = [], []
    for i in range(compounds):
        mode = rng.choices(MODES, weights=(30, 40, 22, 8))[0]
        rows.append(Compound(community=communities[i % 100], name=f"小区{i}", management_mode=mode))
    made = Compound.objects.bulk_create(rows, batch_size=2000)
    for compound in made:
        if compound.management_mode in ("professional", "fallback") and rng.random() < 0.8:
            day = today - dt.timedelta(days=rng.randint(5, 360))
            changes.append(
                ManagementModeChange(
                    compound=compound,
                    from_mode="unmanaged",
                    to_mode=compound.management_mode,
                    effective_on=day,
                )
            )
    ManagementModeChange.objects.bulk_create(changes, batch_size=2000)
    user = get_user_model().objects.create_user(username="official", password="x")
    person = Person.objects.create(name="县级干部", user=user)
    StaffAssignment.objects.create(
        person=person, role="official", region=county, start_date=dt.date(2020, 1, 1)
    )
    print(f"{compounds:,} compounds, {len(changes):,} mode changes this year")
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--compounds", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres", help="server URL; a throw-away database is created on it and dropped")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="guanjia-bench-coverage-"))
    database = setup_django(data_dir, args.postgres)
    try:
        run(args.compounds, args.runs)
    finally:
        if database and args.postgres:
            drop(args.postgres, database)
        shutil.rmtree(data_dir, ignore_errors=True)


def run(compounds: int, runs: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from guanjia.property import coverage, selectors

    print(f"database: {connection.vendor}")
    make_county(compounds)
    times = []
    for _ in range(runs):
        # A fresh user object each time: the scope is computed per request, as on the page.
        user = get_user_model().objects.get(username="official")
        started = time.perf_counter()
        board = coverage.dashboard(selectors.oversight_compounds(user), None, timezone.localdate())
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    streets, unmanaged = len(board.children), len(board.unmanaged)
    print(f"dashboard: {board.node.total:,} compounds, {streets} streets, {unmanaged} unmanaged")
    print(f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms over {runs} runs")


if __name__ == "__main__":
    main()
