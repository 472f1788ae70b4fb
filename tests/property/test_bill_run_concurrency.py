"""Two bill runs for one contract and period started at the same instant, on a real database. Each
dwelling gets exactly one bill: none twice, none lost. The contract's row lock (billing.bill_run) makes
the second run wait for the first to commit; it then finds every dwelling billed, skips them all and
records no BillRun. Threads need a database that several connections share, so the in-memory SQLite
of the default test run skips; CI's PostgreSQL run covers the race."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.db.models import Count

from guanjia.property import billing, services
from guanjia.property.models import Bill, BillRun, ServiceContract
from tests.factories import DwellingFactory

# serialized_rollback restores the rows data migrations wrote (e.g. appeal categories) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXTRA_DWELLINGS = 30
# How long the run that got the lock keeps its transaction open after writing its bills: ample time
# for the other run, released by the same barrier, to reach the lock and queue behind it.
HOLD = 0.3


@pytest.fixture(autouse=True)
def _real_database() -> None:
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memorydb"):
        pytest.skip("threads need a database shared by several connections; CI's PostgreSQL run covers races")


@pytest.fixture(autouse=True)
def _slow_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bills are written, then the transaction stays open HOLD seconds longer: both runs are
    inside bill_run together, whichever order the scheduler picks."""
    insert_rows = billing.insert_rows

    def insert_then_hold(*args: Any, **kwargs: Any) -> int:
        n = insert_rows(*args, **kwargs)
        time.sleep(HOLD)
        return n

    monkeypatch.setattr(billing, "insert_rows", insert_then_hold)


@dataclass
class Outcome:
    started: float
    ended: float
    result: billing.RunResult | Exception


def race(*jobs: Callable[[], Any]) -> list[Outcome]:
    """Runs the jobs at the same instant, each on its own connection; what each got, and when."""
    outcomes: list[Outcome | None] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        barrier.wait()
        started = time.monotonic()
        try:
            result = jobs[i]()
        except Exception as e:  # what each side got is the point of the test
            result = e
        finally:
            connections.close_all()
        outcomes[i] = Outcome(started, time.monotonic(), result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a bill run is stuck (deadlock?)"
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def run_job(contract_id: int, period: dt.date) -> Callable[[], billing.RunResult]:
    def job() -> billing.RunResult:
        # Each thread loads its own user and contract: nothing is shared between the connections.
        user = get_user_model().objects.get(username="property")
        contract = ServiceContract.objects.get(pk=contract_id)
        return services.bill_run(user=user, contract=contract, period_start=period)

    return job


def race_two_runs(contract: ServiceContract, period: dt.date) -> tuple[billing.RunResult, billing.RunResult]:
    """Two identical runs at once; (the one that billed, the one that waited), each checked clean."""
    outcomes = race(run_job(contract.pk, period), run_job(contract.pk, period))
    results = [o.result for o in outcomes]
    assert all(isinstance(r, billing.RunResult) for r in results), results  # no IntegrityError, no deadlock
    (billed, billed_at), (waited, waited_at) = sorted(
        ((o.result, o) for o in outcomes if isinstance(o.result, billing.RunResult)),
        key=lambda pair: pair[0].created,
        reverse=True,
    )
    # Both were inside bill_run at once: the waiting one started before the billing one had finished.
    assert waited_at.started < billed_at.ended
    return billed, waited


def dwellings_of(contract: ServiceContract) -> set[int]:
    return set(contract.compound.dwellings.values_list("pk", flat=True))


def assert_one_bill_each(contract: ServiceContract, period: dt.date) -> None:
    bills = Bill.objects.filter(contract=contract, period_start=period)
    doubled = bills.values("dwelling_id").annotate(n=Count("id")).filter(n__gt=1)
    assert not doubled.exists(), list(doubled)
    assert set(bills.values_list("dwelling_id", flat=True)) == dwellings_of(contract)  # none lost


def add_dwellings(world: Any, count: int, first: int) -> None:
    for i in range(first, first + count):
        DwellingFactory(entrance=world.a101.entrance, compound=world.sunshine, number=str(i))


def test_two_runs_started_at_once_bill_each_dwelling_exactly_once(world: Any, contract: Any) -> None:
    add_dwellings(world, EXTRA_DWELLINGS, first=200)
    dwellings = len(dwellings_of(contract))
    assert dwellings == EXTRA_DWELLINGS + 2
    for month in (5, 6, 7):
        period = dt.date(2024, month, 1)
        billed, waited = race_two_runs(contract, period)
        assert_one_bill_each(contract, period)
        assert (billed.created, billed.skipped) == (dwellings, 0)
        assert (waited.created, waited.skipped, waited.run) == (0, dwellings, None)
        assert billed.run is not None
        runs = BillRun.objects.filter(contract=contract, period_start=period)
        assert list(runs.values_list("pk", flat=True)) == [billed.run.pk]
        bills = Bill.objects.filter(contract=contract, period_start=period)
        assert set(bills.values_list("run_id", flat=True)) == {billed.run.pk}


def test_two_reruns_at_once_bill_only_the_new_dwellings_once(world: Any, contract: Any) -> None:
    period = dt.date(2024, 5, 1)
    services.bill_run(user=world.user("property"), contract=contract, period_start=period)
    add_dwellings(world, 10, first=300)
    billed, waited = race_two_runs(contract, period)
    assert_one_bill_each(contract, period)
    assert (billed.created, billed.skipped) == (10, 2)
    assert (waited.created, waited.skipped, waited.run) == (0, 12, None)
    assert BillRun.objects.filter(contract=contract, period_start=period).count() == 2
