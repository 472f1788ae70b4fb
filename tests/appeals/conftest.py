"""Appeals on top of the test world: alice files from A-101 (grid G1 of 阳光小区, grid worker grid1,
cadre cadre1, property staff `property`, secretary `secretary`, street official `official`)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from guanjia.appeals.models import Appeal, Category
from guanjia.appeals.services import submit_appeal
from guanjia.appeals.transitions import Act, act

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday morning


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def file(world: Any, code: str = "noise", who: str = "alice", at: dt.datetime = T0, **extra: Any) -> Appeal:
    fields = {"title": "楼上装修噪音", "description": "每天早上七点开始电钻", "channel": "web", **extra}
    appeal, _created = submit_appeal(user=world.user(who), category=category(code), now=at, **fields)
    return appeal


def do(
    world: Any, who: str, appeal: Appeal, action: str, at: dt.datetime | None = None, **fields: Any
) -> Appeal:
    return act(user=world.user(who), appeal=appeal, request=Act(action=action, **fields), now=at or T0)


@pytest.fixture
def t0() -> dt.datetime:
    return T0
