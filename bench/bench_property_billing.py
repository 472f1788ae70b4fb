"""Speed of a county's monthly property bill run: 100,000 dwellings in 100 compounds under contract.

Makes a fresh database (SQLite in a temporary GUANJIA_DATA_DIR, or a new PostgreSQL database when
--postgres URL is given, dropped afterwards), writes the places and contracts in bulk (not timed),
then times `property.services.bill_run` for one month over every contract, the same run again (must
create nothing), the accounts and collection rate over all the bills, and a month of payments.
Target (issue 4): the monthly run for 100,000 dwellings under 60 s on PostgreSQL and on SQLite.

    .venv/bin/python -m bench.bench_property_billing [--dwellings 100000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

COMPOUNDS = 100


def setup_django(data_dir: Path, postgres: str | None) -> str | None:
    os.environ["GUANJIA_DATA_DIR"] = str(data_dir)
    database = None
    if postgres:
        import psycopg

        database = f"guanjia_bench_property_{os.getpid()}"
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        os.environ["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + f"/{database}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "guanjia.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database


def drop(postgres: str, database: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')


def make_county(dwellings: int) -> tuple[Any, list[Any]]:
    """A district, 10 streets, 100 compounds of `dwellings / 100` flats, one contract each."""
    from django.contrib.auth import get_user_model

    from guanjia.places.models import Building, Community, Compound, Dwelling, Entrance, Region
    from guanjia.property.models import ChargeItem, FeeBasis, PropertyCompany, ServiceContract

    admin = get_user_model().objects.create_superuser(username="bench", password="x")
    city = Region.objects.create(name="示范市", level="city", code="149900")
    county = Region.objects.create(name="示范县", level="district", code="149921", parent=city)
    streets = [
        Region.objects.create(name=f"第{i}街道", level="street", code=f"149921{i:03d}", parent=county)
        for i in range(1, 11)
    ]
    communities = Community.objects.bulk_create(
        [Community(region=streets[i % 10], name=f"社区{i}", code=f"{i // 10 + 1:03d}") for i in range(20)]
    )
    compounds = Compound.objects.bulk_create(
        [
            Compound(community=communities[i % 20], name=f"小区{i}", management_mode="fallback")
            for i in range(COMPOUNDS)
        ]
    )
    buildings = Building.objects.bulk_create([Building(compound=c, name="1号楼") for c in compounds])
    entrances = Entrance.objects.bulk_create([Entrance(building=b, name="1单元") for b in buildings])
    per = dwellings // COMPOUNDS
    Dwelling.objects.bulk_create(
        [
            Dwelling(
                entrance=e,
                compound_id=e.building.compound_id,
                number=str(n),
                area_registered=Decimal("76.35"),
            )
            for e in entrances
            for n in range(per)
        ],
        batch_size=5000,
    )
    company = PropertyCompany.objects.create(name="示范县全域物业管理有限公司", is_fallback=True)
    contracts = ServiceContract.objects.bulk_create(
        [
            ServiceContract(
                compound=c,
                company=company,
                party_kind="management_committee",
                party_name=c.name,
                signed_on=dt.date(2024, 1, 1),
                start_date=dt.date(2024, 1, 1),
                manager_name="经理",
                service_phone="0359-6000000",
            )
            for c in compounds
        ]
    )
    ChargeItem.objects.bulk_create(
        [
            ChargeItem(
                contract=c,
                name="物业服务费",
                basis=FeeBasis.PER_HOUSEHOLD if i % 2 else FeeBasis.PER_AREA,
                rate=Decimal("20.00") if i % 2 else Decimal("0.65"),
            )
            for i, c in enumerate(contracts)
        ]
    )
    return admin, contracts


def timed(label: str, fn: Any) -> Any:
    started = time.perf_counter()
    result = fn()
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dwellings", type=int, default=100_000)
    parser.add_argument("--postgres", help="server URL; a throw-away database is created on it and dropped")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="guanjia-bench-property-"))
    database = setup_django(data_dir, args.postgres)
    try:
        run(args.dwellings)
    finally:
        if database and args.postgres:
            drop(args.postgres, database)
        shutil.rmtree(data_dir, ignore_errors=True)


def run(dwellings: int) -> None:
    from django.db import connection

    from guanjia.property import services
    from guanjia.property.accounts import build_accounts, collection
    from guanjia.property.models import Bill, Payment

    print(f"database: {connection.vendor}; dwellings: {dwellings:,} in {COMPOUNDS} compounds")
    admin, contracts = timed("setup (not part of the target)", lambda: make_county(dwellings))
    may = dt.date(2024, 5, 1)

    def bill_all() -> int:
        return sum(services.bill_run(user=admin, contract=c, period_start=may).created for c in contracts)

    created = timed("monthly bill run, every contract", bill_all)
    again = timed("the same run again (creates nothing)", bill_all)
    assert created == Bill.objects.count() == dwellings and again == 0, (created, again)

    def pay() -> None:
        from django.utils import timezone

        from guanjia.property.bulk import insert_rows

        now, paid_on = timezone.now(), dt.date(2024, 5, 20)
        bills = Bill.objects.values_list("contract_id", "compound_id", "dwelling_id", "amount")
        rows = [
            Payment(
                contract_id=contract,
                compound_id=compound,
                dwelling_id=dwelling,
                amount=amount,
                method="cash",
                paid_on=paid_on,
                status="confirmed",
                created_at=now,
            )
            for contract, compound, dwelling, amount in bills[: dwellings * 3 // 4]
        ]
        insert_rows(Payment, rows)

    timed("payments for 75% of the bills (bulk, setup)", pay)
    accounts = timed(
        "accounts of every dwelling (FIFO)", lambda: build_accounts(Bill.objects.all(), Payment.objects.all())
    )
    rate = timed(
        "collection rate by compound",
        lambda: collection(accounts.values(), may, may, lambda a: a.compound_id),
    )
    total = collection(accounts.values(), may, may)[None]
    print(f"bills {created:,}; collection rate {total.rate}% over {len(rate)} compounds")


if __name__ == "__main__":
    main()
