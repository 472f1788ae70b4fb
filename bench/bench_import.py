"""Speed of `guanjia import residents` on SQLite: a deterministic 100,000-row file, imported twice.

Makes a fresh SQLite database in a temporary GUANJIA_DATA_DIR, creates a street with three
communities and their grids, writes a synthetic residents file (valid checksummed ID numbers,
about a third of the people with phones, compounds → buildings → entrances → flats of 1–5 people),
imports it, imports it again (which must change nothing), exports everything, and prints the wall
times and rows/s.
Target (issue 2): the first import of 100,000 rows under 60 s on this machine.

    .venv/bin/python -m bench.bench_import [--rows 100000] [--format xlsx|csv] [--round-trip] [--profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from guanjia.people.import_read import COLUMNS  # no settings needed: parsing only

COMMUNITIES = ("滨河社区", "朝阳社区", "新华社区")
GRIDS_PER_COMMUNITY = 8
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌宇浩然子涵欣怡雨轩梓萱晨晓慧佳琪"
AREA_CODES = ("140105", "140106", "140107", "140109", "140110", "142601")


def setup_django(data_dir: Path) -> None:
    os.environ["GUANJIA_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanjia.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_places() -> None:
    from guanjia.places.models import Community, Grid, Region

    city = Region.objects.create(name="示范市", level=Region.Level.CITY, code="140100")
    district = Region.objects.create(name="示范区", level=Region.Level.DISTRICT, code="140109", parent=city)
    street = Region.objects.create(
        name="示范街道", level=Region.Level.STREET, code="140109001", parent=district
    )
    for index, name in enumerate(COMMUNITIES, start=1):
        community = Community.objects.create(region=street, name=name, code=f"{index:03d}")
        for serial in range(1, GRIDS_PER_COMMUNITY + 1):
            Grid.objects.create(community=community, serial=f"{serial:02d}", name=f"{name[:2]}第{serial}网格")


class People:
    """Synthetic people: unique names per household, unique valid ID numbers and phones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def id_number(self, born: dt.date) -> str:
        from guanjia.core.pii import id_check_digit

        while True:
            first17 = f"{self.rng.choice(AREA_CODES)}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            phone = f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone


def resident_rows(count: int, seed: int = 2) -> list[list[Any]]:
    rng = random.Random(seed)
    people = People(rng)
    rows: list[list[Any]] = []
    compound_no = 0
    while len(rows) < count:
        community = COMMUNITIES[compound_no % len(COMMUNITIES)]
        compound_no += 1
        compound = f"{rng.choice('金银锦绣翠华泰和')}{rng.choice('苑园庭城府居')}{compound_no}期"
        for building in range(1, rng.randint(8, 30) + 1):
            grid = f"{community[:2]}第{(building - 1) % GRIDS_PER_COMMUNITY + 1}网格"
            floors, per_floor = rng.randint(5, 18), rng.randint(2, 4)
            for entrance in range(1, rng.randint(2, 4) + 1):
                for floor in range(1, floors + 1):
                    for room in range(1, per_floor + 1):
                        flat = [
                            community,
                            compound,
                            f"{building}号楼",
                            f"{entrance}单元",
                            f"{floor}{room:02d}",
                        ]
                        rows.extend(household(rng, people, flat, grid))
                        if len(rows) >= count:
                            return rows[:count]
    return rows


def household(rng: random.Random, people: People, flat: list[Any], grid: str) -> list[list[Any]]:
    registered = round(rng.uniform(42, 160), 2)
    surveyed = f"{registered + rng.choice((0, 0.35, 1.2)):.2f}"
    contract = f"{registered + 2:.2f}" if rng.random() < 0.2 else ""
    tenants = rng.random() < 0.08
    size = rng.choices((1, 2, 3, 4, 5), weights=(20, 30, 25, 15, 10))[0]
    names: set[str] = set()
    rows = []
    for member in range(size):
        name = people.name()
        while name in names:
            name = people.name()
        names.add(name)
        born = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(32000))
        with_id = rng.random() < 0.97
        relation = "租户" if tenants else ("业主" if member == 0 else "家庭成员")
        kind = "建设单位" if member == 0 and rng.random() < 0.01 else "个人"
        rows.append(
            [
                *flat,
                name,
                relation,
                people.id_number(born) if with_id else "",
                people.phone() if rng.random() < 1 / 3 else "",
                f"{registered:.2f}",
                surveyed,
                contract,
                kind,
                born.isoformat() if with_id else "",
                "是" if rng.random() < 0.06 else "否",
                grid,
            ]
        )
    return rows


def write_file(path: Path, rows: list[list[Any]]) -> None:
    if path.suffix == ".csv":
        import csv

        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COLUMNS)
            writer.writerows(rows)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民信息")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([v if v != "" else None for v in row])
    workbook.save(path)


def timed_import(path: Path, profile: bool) -> tuple[float, Any]:
    from guanjia.people.imports import import_residents

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        start = time.perf_counter()
        report = profiler.runcall(import_residents, user=None, path_or_file=path)
        elapsed = time.perf_counter() - start
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
        return elapsed, report
    start = time.perf_counter()
    report = import_residents(user=None, path_or_file=path)
    return time.perf_counter() - start, report


def time_export(data_dir: Path, kind: str, round_trip: bool) -> float:
    from guanjia.people.exports import export_residents
    from guanjia.people.imports import import_residents

    start = time.perf_counter()
    data = export_residents(user=None, kind=kind)
    elapsed = time.perf_counter() - start
    if round_trip:
        path = data_dir / f"exported.{kind}"
        path.write_bytes(data)
        report = import_residents(user=None, path_or_file=path)
        assert report.ok and not report.changed, "an export must re-import without changes"
        print(
            f"round trip:    export re-imported in {time.perf_counter() - start - elapsed:.1f} s, no changes"
        )
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the first import")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument(
        "--round-trip", action="store_true", help="re-import the export (must change nothing)"
    )
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="gj-bench-import-"))
    try:
        setup_django(data_dir)
        make_places()
        start = time.perf_counter()
        rows = resident_rows(args.rows)
        path = data_dir / f"residents.{args.format}"
        write_file(path, rows)
        print(
            f"file: {path.name}, {len(rows):,} rows, {path.stat().st_size / 1e6:.1f} MB, "
            f"made in {time.perf_counter() - start:.1f} s (not timed below)"
        )

        first, report = timed_import(path, args.profile)
        assert report.ok, report.summary()[:20]
        print(f"first import:  {first:6.1f} s  {report.rows_read / first:8,.0f} rows/s")
        for line in report.summary()[1:]:
            print("   ", line)
        second, again = timed_import(path, False)
        print(
            f"second import: {second:6.1f} s  {again.rows_read / second:8,.0f} rows/s  "
            f"(created {again.created}, updated {again.updated})"
        )
        assert not again.changed, "re-importing the same file must change nothing"
        exported = time_export(data_dir, args.format, args.round_trip)
        print(f"export:        {exported:6.1f} s  {report.rows_read / exported:8,.0f} rows/s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory:   {peak:,.0f} MB (file generation included)")
        limit = 60 * args.rows / 100_000
        verdict = "OK" if first < limit else "TOO SLOW"
        print(f"target: first import under {limit:.0f} s for {args.rows:,} rows → {verdict}")
        return 0 if first < limit else 1
    finally:
        if args.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
