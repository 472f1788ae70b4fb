"""The demo plan is made from its seed alone: no database, no global random state, no hash order."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter

import pytest

from guanjia.demo import ACCOUNTS, PASSWORD, USERNAMES, accounts_table
from guanjia.demo.data import DemoPlan
from guanjia.demo.plan import SEED, build_plan

DAY = dt.date(2026, 9, 5)


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return build_plan(today=DAY)


def test_the_same_seed_gives_the_same_county(plan):
    first, second = plan, build_plan(today=DAY)
    assert first.digest() == second.digest()
    assert [p.name for p in first.persons[:500]] == [p.name for p in second.persons[:500]]
    assert build_plan(today=DAY, seed=SEED + 1).digest() != first.digest()


def test_the_plan_does_not_depend_on_the_process(plan):
    script = (
        "import datetime as dt; from guanjia.demo.plan import build_plan; "
        f"print(build_plan(today=dt.date({DAY.year}, {DAY.month}, {DAY.day})).digest())"
    )
    digests = {
        subprocess.run(  # noqa: S603 -- our own interpreter and script
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert digests == {plan.digest()}


def test_the_plan_has_the_county_and_community_figures(plan):
    assert Counter(c.mode for c in plan.compounds) == {
        "professional": 37,
        "fallback": 56,
        "self_governed": 29,
        "unmanaged": 9,
    }
    assert len(plan.households) == 7119
    phones = [p.phone for p in plan.persons if p.phone]
    assert len(set(phones)) == len(phones)


def test_every_demo_account_has_a_person(plan):
    assert set(plan.accounts) == set(USERNAMES) == {a.username for a in ACCOUNTS}
    assert len(set(plan.accounts.values())) == len(USERNAMES)


def test_the_accounts_table_names_every_account_and_the_password():
    table = accounts_table()
    assert PASSWORD in table
    assert all(username in table for username in USERNAMES)
