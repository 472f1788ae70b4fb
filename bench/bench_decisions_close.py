"""Opening (freezing the roll) and closing (counting) an owners' vote with 10,000 voters.

Builds one compound of N flats, each with its own owner, in a fresh SQLite database (or the one in
DATABASE_URL), announces a vote, opens it, writes ballots for 80% of the voters, then times
`vote_close` (count + stored result). Target (issue 5): closing under 2 s.

    .venv/bin/python -m bench.bench_decisions_close [--voters 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path


def setup_django(data_dir: Path) -> None:
    os.environ["GUANJIA_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanjia.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_compound(n: int, tag: str) -> tuple[object, object]:
    from django.contrib.auth import get_user_model

    from guanjia.people.models import Household, Person, Residency, StaffAssignment
    from guanjia.places.models import Building, Community, Compound, Dwelling, Entrance, Region

    city, _ = Region.objects.get_or_create(code="149900", defaults={"name": "基准市", "level": "city"})
    district, _ = Region.objects.get_or_create(
        code="149901", defaults={"name": "基准区", "level": "district", "parent": city}
    )
    street, _ = Region.objects.get_or_create(
        code="149901001", defaults={"name": "基准街道", "level": "street", "parent": district}
    )
    community, _ = Community.objects.get_or_create(region=street, code="001", defaults={"name": "基准社区"})
    compound = Compound.objects.create(community=community, name=f"基准小区{tag}")
    rng = random.Random(5)
    dwellings = []
    for b in range(n // 500 + 1):
        building = Building.objects.create(compound=compound, name=f"{b + 1}号楼")
        entrance = Entrance.objects.create(building=building, name="1单元")
        for i in range(min(500, n - b * 500)):
            dwellings.append(
                Dwelling(
                    entrance=entrance,
                    compound=compound,
                    number=f"{i + 1:04d}",
                    area_registered=Decimal(rng.randint(5000, 14000)) / 100,
                )
            )
    dwellings = Dwelling.objects.bulk_create(dwellings, batch_size=2000)
    people = Person.objects.bulk_create([Person(name=f"业主{i}") for i in range(n)], batch_size=2000)
    households = Household.objects.bulk_create([Household(dwelling=d) for d in dwellings], batch_size=2000)
    Residency.objects.bulk_create(
        [
            Residency(person=p, household=h, relation="owner", start_date=dt.date(2020, 1, 1))
            for p, h in zip(people, households, strict=True)
        ],
        batch_size=2000,
    )
    user = get_user_model().objects.create_user(username=f"bench-committee-{tag}", password="x")
    member = Person.objects.create(name="委员", user=user)
    StaffAssignment.objects.create(
        person=member, role="committee_member", compound=compound, start_date=dt.date(2020, 1, 1)
    )
    return compound, user


def one_run(n: int, tag: str) -> dict[str, float]:
    from django.utils import timezone

    from guanjia.decisions import services
    from guanjia.decisions.models import Ballot

    compound, user = build_compound(n, tag)
    now = timezone.now()
    vote = services.vote_create(
        user=user,
        compound=compound,
        title="基准表决",
        matter="hire_property_company",
        opens_at=now,
        closes_at=now + dt.timedelta(days=7),
        notice_override_reason="基准测试",
    )
    t0 = time.perf_counter()
    services.vote_open(user=user, vote=vote)
    opened = time.perf_counter() - t0
    rng = random.Random(7)
    voters = list(vote.voters.values_list("pk", flat=True))
    Ballot.objects.bulk_create(
        [
            Ballot(
                vote=vote,
                voter_id=v,
                choice=rng.choice(["agree", "agree", "oppose", "abstain"]),
                origin="online",
                cast_at=now,
            )
            for v in voters
            if rng.random() < 0.8
        ],
        batch_size=2000,
    )
    t0 = time.perf_counter()
    result = services.vote_close(user=user, vote=vote, reason="基准测试")
    closed = time.perf_counter() - t0
    assert result.total_owners == n
    return {"open_s": opened, "close_s": closed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django(Path(tempfile.mkdtemp(prefix="guanjia-bench-votes-")))
    runs = [one_run(args.voters, str(i)) for i in range(args.runs)]
    summary = {k: round(statistics.median(r[k] for r in runs), 3) for k in ("open_s", "close_s")}
    print(f"{args.voters} voters: open (freeze roll) {summary['open_s']:.3f} s, ", end="")
    print(f"close (count) {summary['close_s']:.3f} s")
    out = Path("bench/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_decisions_close.json").write_text(json.dumps({"voters": args.voters, **summary}, indent=2))


if __name__ == "__main__":
    main()
