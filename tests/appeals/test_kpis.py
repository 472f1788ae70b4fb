"""Each KPI rule of docs/kpis.md, stated with a small hand-computed case. alice files from A-101 (grid
worker grid1 answers for `noise`); T0 is Monday 2026-11-02 09:00; the period is November 2026."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guanjia.appeals import kpis
from guanjia.appeals.models import Appeal
from tests.appeals.conftest import T0, do, file

H = dt.timedelta(hours=1)
NOV = kpis.Period.month(T0.date())
LATER = T0 + dt.timedelta(days=20)  # every deadline of the appeals below has passed


def measure(as_of: dt.datetime = LATER, **extra: Any) -> kpis.Kpis:
    return kpis.measure(Appeal.objects.all(), NOV, as_of=as_of, **extra)


def resolved(world: Any, at: dt.datetime = T0, after: dt.timedelta = 3 * H, **fields: Any) -> Appeal:
    appeal = file(world, at=at, **fields)
    do(world, "grid1", appeal, "accept", at=at + H)
    return do(world, "grid1", appeal, "resolve", at=at + after, note="已处理")


def rated(world: Any, rating: str, at: dt.datetime = T0) -> Appeal:
    appeal = resolved(world, at=at)
    return do(world, "alice", appeal, "confirm", at=at + 5 * H, rating=rating)


def test_the_period_counts_appeals_submitted_in_it_from_inclusive_to_exclusive(world: Any) -> None:
    file(world, at=NOV.start)  # counts: the first instant
    file(world, at=NOV.start - dt.timedelta(seconds=1))  # October
    file(world, at=NOV.end)  # December
    file(world, at=NOV.end - dt.timedelta(seconds=1))  # counts: the last second
    assert measure().submitted == 2


def test_withdrawn_appeals_are_counted_as_withdrawn_and_nowhere_else(world: Any) -> None:
    withdrawn = file(world)
    do(world, "alice", withdrawn, "withdraw", at=T0 + H)
    kept = file(world)
    do(world, "grid1", kept, "accept", at=T0 + H)
    k = measure()
    assert (k.submitted, k.withdrawn, k.counted) == (2, 1, 1)
    assert (k.response_due, k.responded_on_time, k.response_rate) == (1, 1, 1.0)
    assert k.resolution_due == 1  # only the kept one, now overdue


def test_response_rate_is_first_answers_within_the_response_deadline(world: Any) -> None:
    # noise: respond within 2 hours. On time, late, never (overdue), and not yet due.
    on_time = file(world)
    do(world, "grid1", on_time, "accept", at=T0 + H)
    late = file(world)
    do(world, "grid1", late, "accept", at=T0 + 3 * H)
    file(world)  # never answered, its deadline has passed at T0 + 4h
    file(world, at=T0 + 3 * H)  # not answered, but its deadline (T0 + 5h) is still ahead
    k = measure(as_of=T0 + 4 * H)
    assert (k.responded, k.responded_on_time, k.response_due) == (2, 1, 3)
    assert k.response_rate == pytest.approx(1 / 3)


def test_a_rejection_is_a_response_and_leaves_the_resolution_figures(world: Any) -> None:
    rejected = file(world)
    do(world, "grid1", rejected, "reject", at=T0 + H, note="不属于社区职责")
    do(world, "cadre1", rejected, "approve_rejection", at=T0 + 2 * H)
    solved = resolved(world)
    k = measure()
    assert (k.rejected, k.responded_on_time, k.response_due) == (1, 2, 2)
    assert (k.resolved, k.resolution_due) == (1, 1)
    assert k.median_response_hours == 1.0  # both answered after one hour
    assert solved.status == "resolved"


def test_resolution_rate_counts_resolved_and_closed_over_those_due_and_on_time_checks_the_deadline(
    world: Any,
) -> None:
    # noise: resolve within 24 hours.
    resolved(world, after=3 * H)  # on time
    resolved(world, after=30 * H)  # late
    file(world)  # never resolved, overdue at LATER
    file(world, at=LATER - H)  # open, but not due yet at LATER
    k = measure()
    assert (k.resolved, k.resolved_on_time, k.resolution_due) == (2, 1, 3)
    assert k.resolution_rate == pytest.approx(2 / 3)
    assert k.on_time_rate == pytest.approx(1 / 3)


def test_a_deferral_moves_the_deadline_the_on_time_rate_checks(world: Any) -> None:
    appeal = file(world)
    do(world, "grid1", appeal, "accept", at=T0 + H)
    do(world, "grid1", appeal, "defer", at=T0 + 2 * H, note="等配件", committed_due=T0 + 72 * H)
    do(world, "grid1", appeal, "resolve", at=T0 + 48 * H, note="已更换")
    assert measure().resolved_on_time == 1


def test_reopen_rate_is_reopened_over_ever_resolved(world: Any) -> None:
    again = resolved(world)
    do(world, "alice", again, "reopen", at=T0 + 5 * H, note="还是漏水")  # back in progress
    resolved(world)
    resolved(world)
    file(world)  # never resolved: not in the denominator
    k = measure()
    assert (k.reopened, k.ever_resolved) == (1, 3)
    assert k.reopen_rate == pytest.approx(1 / 3)


def test_satisfaction_counts_basically_satisfied_at_0_9_over_rated(world: Any) -> None:
    rated(world, "satisfied")
    rated(world, "basically_satisfied")
    rated(world, "unsatisfied")
    resolved(world)  # resolved, not rated: not in the denominator
    k = measure()
    assert (k.rated, k.satisfied, k.basic, k.unsatisfied) == (3, 1, 1, 1)
    assert k.satisfaction_rate == pytest.approx((1 + 0.9) / 3)


def test_the_basically_satisfied_coefficient_is_a_setting(world: Any, settings: Any) -> None:
    settings.GUANJIA_KPI_BASIC_SATISFIED = 0.5
    rated(world, "basically_satisfied")
    rated(world, "satisfied")
    assert measure().satisfaction_rate == pytest.approx(0.75)


def test_composite_weighs_response_resolution_and_satisfaction_rates_0_1_0_5_0_4(world: Any) -> None:
    rated(world, "basically_satisfied")  # answered in 1h, resolved, 基本满意
    file(world)  # never answered, never resolved
    k = measure()
    assert (k.response_rate, k.resolution_rate, k.satisfaction_rate) == (0.5, 0.5, 0.9)
    assert k.composite == pytest.approx(100 * (0.1 * 0.5 + 0.5 * 0.5 + 0.4 * 0.9))  # 66


def test_composite_weights_are_a_setting_and_a_rate_without_data_drops_out(world: Any, settings: Any) -> None:
    settings.GUANJIA_KPI_WEIGHTS = {"response": 0.0, "resolution": 1.0, "satisfaction": 1.0}
    resolved(world)  # resolved, nobody rated yet: no satisfaction rate
    k = measure()
    assert k.satisfaction_rate is None
    assert k.composite == pytest.approx(100.0)  # resolution alone, weight 1 of 1


def test_times_are_measured_to_the_millisecond_on_every_database(world: Any) -> None:
    # SQLite computes durations in SQL (julianday); nothing may be lost above a millisecond.
    odd = dt.timedelta(hours=1, minutes=29, seconds=59, milliseconds=250)
    resolved(world, after=odd + 2 * H)
    k = measure()
    assert k.median_response_hours == pytest.approx(1.0, abs=1e-9)
    assert k.median_resolution_hours * 3600 == pytest.approx((odd + 2 * H).total_seconds(), abs=1e-3)


def test_no_appeals_means_no_rates_not_zero_rates(world: Any) -> None:
    k = measure()
    assert k.submitted == 0
    assert (k.response_rate, k.resolution_rate, k.satisfaction_rate, k.composite) == (None, None, None, None)


def test_medians_of_response_and_resolution_time_in_hours(world: Any) -> None:
    # first answers after 1h, 1h, 3h, 30h → median 2h; resolutions after 3h, 5h, 7h, 30h → median 6h
    resolved(world, after=3 * H)
    resolved(world, after=5 * H)
    late = file(world)
    do(world, "grid1", late, "accept", at=T0 + 3 * H)
    do(world, "grid1", late, "start", at=T0 + 4 * H)  # a later answer does not move the first one
    do(world, "grid1", late, "resolve", at=T0 + 7 * H, note="好了")
    quick = file(world)
    do(world, "grid1", quick, "resolve", at=T0 + 30 * H, note="现场处理")  # resolving is an answer too
    k = measure()
    assert k.median_response_hours == pytest.approx(2.0)
    assert k.median_resolution_hours == pytest.approx(6.0)
