"""Fill a database with a synthetic registry and N appeals with their events and hand-off trail.

    .venv/bin/python -m bench.generate_appeals [--appeals 1000000] [--communities 60] [--months 12]

Uses the database of the environment (GUANJIA_DATA_DIR / DATABASE_URL), migrated and without registry
data. The registry (one street per 10 communities, 8 compounds of 100 flats each per community, 3 grids
per community, a grid worker per grid, a 包片 cadre per 2 compounds, property staff in managed compounds,
a secretary per community, a street official) is written with bulk_create; appeals, events and holdings
with COPY on PostgreSQL and executemany on SQLite, in id order. Accounts for the benchmarks (password
`bench-password`): bench-secretary (community 1), bench-cadre, bench-grid (grid 1 of community 1),
bench-official (street 1), bench-admin, and bench-resident-1 … bench-resident-16 (households in
community 1). Deterministic for a seed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from typing import Any

PASSWORD = "bench-password"  # a throwaway benchmark database
DWELLINGS_PER_COMPOUND = 100
COMPOUNDS_PER_COMMUNITY = 8
GRIDS_PER_COMMUNITY = 3
COMMUNITIES_PER_STREET = 10
RESIDENTS = 16
H = dt.timedelta(hours=1)


def setup_django() -> None:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanjia.settings")
    import django

    django.setup()


# --- the registry ---------------------------------------------------------------------------------


def build_registry(communities: int, today: dt.date) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from guanjia.people.models import Household, Person, Residency, Role, StaffAssignment
    from guanjia.places.models import (
        Building,
        Community,
        Compound,
        Dwelling,
        Entrance,
        Grid,
        Region,
        grid_code,
    )

    city = Region.objects.create(name="基准市", level=Region.Level.CITY, code="990100")
    district = Region.objects.create(name="基准区", level=Region.Level.DISTRICT, code="990101", parent=city)
    streets = [
        Region.objects.create(
            name=f"第{i + 1}街道", level=Region.Level.STREET, code=f"990101{i + 1:03d}", parent=district
        )
        for i in range((communities + COMMUNITIES_PER_STREET - 1) // COMMUNITIES_PER_STREET)
    ]
    comms = Community.objects.bulk_create(
        Community(region=streets[i // COMMUNITIES_PER_STREET], name=f"基准社区{i + 1}", code=f"{i + 1:03d}")
        for i in range(communities)
    )
    modes = ["professional", "professional", "professional", "fallback", "self_governed", "unmanaged"]
    compounds = Compound.objects.bulk_create(
        Compound(community=c, name=f"{c.name}-{j + 1}号院", management_mode=modes[j % len(modes)])
        for c in comms
        for j in range(COMPOUNDS_PER_COMMUNITY)
    )
    grids = Grid.objects.bulk_create(
        Grid(
            community=c,
            serial=f"{g + 1:02d}",
            name=f"{c.name}第{g + 1}网格",
            code=grid_code(c, f"{g + 1:02d}"),
        )
        for c in comms
        for g in range(GRIDS_PER_COMMUNITY)
    )
    grids_of = {c.pk: [g for g in grids if g.community_id == c.pk] for c in comms}
    buildings = Building.objects.bulk_create(
        Building(compound=k, name=f"{b + 1}号楼", floors=5) for k in compounds for b in range(5)
    )
    entrances = Entrance.objects.bulk_create(Entrance(building=b, name="1单元") for b in buildings)
    compound_of = {k.pk: k for k in compounds}
    dwellings = Dwelling.objects.bulk_create(
        (
            Dwelling(
                entrance=e,
                compound_id=e.building.compound_id,
                number=f"{f + 1}0{n + 1}",
                floor=f + 1,
                grid=grids_of[compound_of[e.building.compound_id].community_id][
                    (e.pk + f) % GRIDS_PER_COMMUNITY
                ],
            )
            for e in entrances
            for f in range(5)
            for n in range(DWELLINGS_PER_COMPOUND // 25)
        ),
        batch_size=5000,
    )
    households = Household.objects.bulk_create((Household(dwelling=d) for d in dwellings), batch_size=5000)
    # Staff and accounts.
    password = make_password(PASSWORD)
    User = get_user_model()
    people: list[Person] = []
    assignments: list[StaffAssignment] = []
    start = today - dt.timedelta(days=800)

    def staff(name: str, role: str, **target: Any) -> Person:
        person = Person(name=name)
        people.append(person)
        assignments.append(StaffAssignment(person=person, role=role, start_date=start, title=role, **target))
        return person

    for c in comms:
        staff(f"书记{c.pk}", Role.SECRETARY, community=c)
        for g in grids_of[c.pk]:
            staff(f"网格员{g.pk}", Role.GRID_WORKER, grid=g)
    for i, k in enumerate(compounds):
        if i % 2 == 0:
            cadre = staff(f"干部{k.pk}", Role.CADRE, compound=k)
        else:
            assignments.append(StaffAssignment(person=cadre, role=Role.CADRE, compound=k, start_date=start))
        if k.management_mode in ("professional", "fallback"):
            staff(f"物业{k.pk}", Role.PROPERTY_STAFF, compound=k)
        if k.management_mode == "self_governed":
            staff(f"自治{k.pk}", Role.COMMITTEE_MEMBER, compound=k)
    for s in streets:
        staff(f"街道{s.pk}", Role.OFFICIAL, region=s)
    first = comms[0]
    accounts = {
        "bench-secretary": people[0],
        "bench-grid": people[1],
        "bench-cadre": next(a.person for a in assignments if a.role == Role.CADRE),
        "bench-official": next(a.person for a in assignments if a.role == Role.OFFICIAL),
    }
    residents = [Person(name=f"居民{i + 1}") for i in range(RESIDENTS)]
    people += residents
    users = User.objects.bulk_create(
        [User(username=n, password=password) for n in accounts]
        + [User(username=f"bench-resident-{i + 1}", password=password) for i in range(RESIDENTS)]
        + [User(username="bench-admin", password=password, is_superuser=True, is_staff=True)]
    )
    for user, person in zip(users, [*accounts.values(), *residents], strict=False):
        person.user = user
    Person.objects.bulk_create(people, batch_size=5000)
    for a in assignments:
        a.person_id = a.person.pk
    StaffAssignment.objects.bulk_create(assignments, batch_size=5000)
    homes = [
        h
        for h, d in zip(households, dwellings, strict=True)
        if compound_of[d.compound_id].community_id == first.pk
    ]
    Residency.objects.bulk_create(
        Residency(person=p, household=homes[i * 7], relation="owner", start_date=start)
        for i, p in enumerate(residents)
    )
    return {"communities": comms, "compounds": compounds, "dwellings": dwellings, "households": households}


def handlers(registry: dict[str, Any], today: dt.date) -> dict[tuple[str, int], int]:
    """(handler kind, compound or grid id) → person id, as routing would choose (without the queries)."""
    from guanjia.people.models import Role, StaffAssignment

    out: dict[tuple[str, int], int] = {}
    for role, compound_id, grid_id, community_id, person_id in StaffAssignment.objects.values_list(
        "role", "compound_id", "grid_id", "community_id", "person_id"
    ).order_by("id"):
        if role == Role.GRID_WORKER:
            out.setdefault(("grid", grid_id), person_id)
        elif role == Role.CADRE:
            out.setdefault(("cadre", compound_id), person_id)
        elif role in (Role.PROPERTY_STAFF, Role.COMMITTEE_MEMBER):
            out.setdefault(("property", compound_id), person_id)
        elif role == Role.SECRETARY:
            out.setdefault(("secretary", community_id), person_id)
    return out


# --- appeals --------------------------------------------------------------------------------------


def appeal_rows(
    n: int,
    registry: dict[str, Any],
    months: int,
    now: dt.datetime,
    seed: int,
    first_ids: tuple[int, int, int],
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]], tuple[Any, ...] | None]]:
    """(appeal row, event rows, holding row) per appeal, oldest first."""
    from guanjia.appeals.models import Category

    rng = random.Random(seed)
    cats = list(
        Category.objects.filter(active=True).values_list(
            "id", "handler_kind", "response_hours", "resolve_hours"
        )
    )
    dwellings = registry["dwellings"]
    households = {h.dwelling_id: h.pk for h in registry["households"]}
    compound_of = {k.pk: k for k in registry["compounds"]}
    who = handlers(registry, now.date())
    span = months * 30 * 86400
    start = now - dt.timedelta(seconds=span)
    offsets = sorted(rng.randrange(span) for _ in range(n))
    statuses_old = (("closed", 88), ("resolved", 2), ("withdrawn", 3), ("rejected", 2), ("in_progress", 1))
    old_states, old_weights = zip(*statuses_old, strict=True)
    ratings = ("satisfied", "satisfied", "satisfied", "basically_satisfied", "unsatisfied")
    first_id, event_id, holding_id = first_ids
    for i, offset in enumerate(offsets):
        pk = first_id + i
        at = start + dt.timedelta(seconds=offset)
        d = dwellings[rng.randrange(len(dwellings))]
        compound = compound_of[d.compound_id]
        cat, kind, resp_h, res_h = cats[rng.randrange(len(cats))]
        person = (
            (
                who.get(("grid", d.grid_id))
                if kind == "grid_worker"
                else who.get(("property", d.compound_id))
                if kind == "property"
                else None
            )
            or who.get(("cadre", d.compound_id))
            or who.get(("secretary", compound.community_id))
        )
        age = now - at
        status = (
            rng.choices(old_states, old_weights)[0]
            if age > dt.timedelta(days=7)
            else rng.choice(("submitted", "accepted", "in_progress", "resolved", "closed", "closed"))
        )
        accepted = at + dt.timedelta(minutes=rng.randrange(10, int(resp_h * 90)))
        resolved = accepted + dt.timedelta(minutes=rng.randrange(30, int(res_h * 75)))
        closed = resolved + dt.timedelta(hours=rng.randrange(1, 72))
        if status not in ("submitted", "withdrawn") and accepted > now:
            status = "submitted"
        if status in ("resolved", "closed") and resolved > now:
            status = "in_progress"
        if status == "closed" and closed > now:
            status = "resolved"
        events = [
            (at, "submit", "", "submitted", {"channel": "web"}),
            (at, "route", "", "", {"person": person}),
        ]
        acc = res = cls = None
        rating = ""
        if status == "withdrawn":
            cls = at + H
            events.append((cls, "withdraw", "submitted", "withdrawn", {}))
        elif status == "rejected":
            events.append((accepted, "reject", "submitted", "rejection_pending", {}))
            cls = accepted + H
            events.append((cls, "approve_rejection", "rejection_pending", "rejected", {}))
        elif status != "submitted":
            acc = accepted
            events.append((acc, "accept", "submitted", "accepted", {}))
            if status != "accepted":
                events.append((acc + 0.5 * H, "start", "accepted", "in_progress", {}))
            if status in ("resolved", "closed"):
                res = resolved
                events.append((res, "resolve", "in_progress", "resolved", {}))
            if status == "closed":
                cls, rating = closed, rng.choice(ratings)
                events.append((cls, "confirm", "resolved", "closed", {"rating": rating}))
        row = (
            pk, f"{at:%Y%m%d}{pk:07d}", cat, d.compound_id, d.pk, households[d.pk], "", "基准诉求",
            "基准诉求描述", "web", None, None, "", "", status, person, None, person, person is None, at,
            at + resp_h * H, at + res_h * H, None, acc, res, cls, "已处理" if res else "", rating, "",
            cls if rating else None, 0, 0, 0, 0, None, False, cls or res or acc or at,
        )  # fmt: skip
        event_rows = []
        for when, action, before, after, data in events:
            event_rows.append((event_id, pk, when, action, None, "系统", before, after, "", json.dumps(data)))
            event_id += 1
        holding = (holding_id + i, pk, person, None, None, "bench", at, None) if person else None
        yield row, event_rows, holding


APPEAL_COLUMNS = (
    "id, number, category_id, compound_id, dwelling_id, household_id, location, title, description, channel, "
    "submitter_id, submitted_by_id, contact_phone_masked, idempotency_key, status, assignee_id, agency_id, "
    "accountable_id, needs_routing, submitted_at, response_due, resolve_due, committed_due, accepted_at, "
    "resolved_at, closed_at, resolution_note, rating, rating_comment, rated_at, reopen_count, urge_count, "
    "me_too_count, escalation_level, warned_at, callback_needed, updated_at"
)
EVENT_COLUMNS = "id, appeal_id, at, action, actor_id, actor_label, from_status, to_status, note, data"
HOLDING_COLUMNS = "id, appeal_id, person_id, agency_id, handed_by_id, reason, since, until"
TABLES = (
    ("appeals_appeal", APPEAL_COLUMNS),
    ("appeals_appealevent", EVENT_COLUMNS),
    ("appeals_holding", HOLDING_COLUMNS),
)


def write(rows: Iterator[Any], batch: int = 20000) -> dict[str, int]:
    from django.db import connection, transaction

    counts = {"appeals": 0, "events": 0, "holdings": 0}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throwaway database: no fsync while filling it
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
    buffers: list[list[tuple[Any, ...]]] = [[], [], []]

    def flush() -> None:
        with transaction.atomic():
            for (table, columns), buffer in zip(TABLES, buffers, strict=True):
                if buffer:
                    _insert(connection, table, columns, buffer)
                    buffer.clear()

    for row, events, holding in rows:
        buffers[0].append(row)
        buffers[1].extend(events)
        if holding:
            buffers[2].append(holding)
        counts["appeals"] += 1
        counts["events"] += len(events)
        counts["holdings"] += holding is not None
        if len(buffers[0]) >= batch:
            flush()
            print(f"  {counts['appeals']:,} appeals", file=sys.stderr, end="\r")
    flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table, _columns in TABLES:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def _insert(connection: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns.split(",")))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 -- constant names
            cursor.executemany(sql, [_sqlite(r) for r in rows])


def _sqlite(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # Django stores aware datetimes in SQLite as UTC text without the offset.
    return tuple(
        v.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ") if isinstance(v, dt.datetime) else v
        for v in row
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--communities", type=int, default=60)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from guanjia.appeals.models import Appeal, AppealEvent, Holding
    from guanjia.core import audit
    from guanjia.places.models import Region

    if Region.objects.exists():
        raise SystemExit("the database already holds a registry; use an empty, migrated database")
    started = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic(), audit.acting_as(None, via="bench", reason="synthetic data"):
        registry = build_registry(args.communities, timezone.localdate())
    registry_s = time.perf_counter() - started
    first_ids = tuple(
        (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        for model in (Appeal, AppealEvent, Holding)
    )
    counts = write(appeal_rows(args.appeals, registry, args.months, now, args.seed, first_ids))  # type: ignore[arg-type]
    total = time.perf_counter() - started
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "registry_seconds": round(registry_s, 1),
                "total_seconds": round(total, 1),
                "appeals_per_second": round(counts["appeals"] / max(total - registry_s, 1e-9)),
                **counts,
                "dwellings": len(registry["dwellings"]),
                "communities": len(registry["communities"]),
            }
        )
    )


if __name__ == "__main__":
    main()
