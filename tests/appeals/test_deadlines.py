"""Deadlines: warn the holder before, escalate on breach (cadre → secretary → street), once per level."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from guanjia.appeals.jobs import tick
from guanjia.appeals.models import Appeal
from guanjia.core.models import Notification
from tests.appeals.conftest import T0, do, file

H = dt.timedelta(hours=1)


def titles(world, who):  # type: ignore[no-untyped-def]
    return list(Notification.objects.filter(user=world.user(who)).values_list("title", flat=True))


def test_the_holder_is_warned_once_before_the_response_deadline(world):
    appeal = file(world)  # noise: respond within 2 h, warn 4 h ahead → warned at once
    assert tick(T0 + 0.5 * H).warned == 1
    assert tick(T0 + 0.6 * H).warned == 0
    assert titles(world, "grid1").count("诉求即将超时，请尽快办理") == 1
    assert Appeal.objects.get(pk=appeal.pk).warned_at == T0 + 0.5 * H


def test_a_missed_response_deadline_escalates_to_the_cadre_then_secretary_then_street(world):
    appeal = file(world)
    assert tick(T0 + 1 * H).escalated == 0
    assert tick(T0 + 2 * H).escalated == 1  # response due at +2 h
    assert tick(T0 + 3 * H).escalated == 0  # running again escalates nothing more
    assert "诉求超时未办，已升级督办" in titles(world, "cadre1")
    assert tick(T0 + 26 * H).escalated == 1  # one step (24 h) later: the secretary
    assert "诉求超时未办，已升级督办" in titles(world, "secretary")
    assert tick(T0 + 50 * H).escalated == 1  # and then the street
    assert "诉求超时未办，已升级督办" in titles(world, "official")
    assert tick(T0 + 200 * H).escalated == 0  # the street is the top
    levels = [e.data["to"] for e in Appeal.objects.get(pk=appeal.pk).events.filter(action="escalate")]
    assert levels == [1, 2, 3]


def test_a_tick_long_after_the_breach_jumps_straight_to_the_right_level_once(world):
    appeal = file(world)
    assert tick(T0 + 30 * H).escalated == 1
    assert Appeal.objects.get(pk=appeal.pk).escalation_level == 2
    assert "诉求超时未办，已升级督办" in titles(world, "cadre1")
    assert "诉求超时未办，已升级督办" in titles(world, "secretary")


def test_an_accepted_appeal_escalates_on_the_resolution_deadline_and_deferral_moves_it(world):
    appeal = file(world)
    do(world, "grid1", appeal, "accept", T0 + H)
    assert tick(T0 + 23 * H).escalated == 0
    do(world, "grid1", appeal, "defer", T0 + 23 * H, note="等待燃气公司", committed_due=T0 + 48 * H)
    assert tick(T0 + 30 * H).escalated == 0
    assert tick(T0 + 48 * H).escalated == 1


def test_tick_command_runs_as_of_a_given_time_and_twice_escalates_once(world):
    appeal = file(world)
    call_command("tick", "--at", "2026-11-02T12:00:00+08:00")
    call_command("tick", "--at", "2026-11-02T12:00:00+08:00")
    assert Appeal.objects.get(pk=appeal.pk).escalation_level == 1
    assert appeal.events.filter(action="escalate").count() == 1


def test_resolved_appeals_unrated_for_seven_days_go_to_callback(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", T0 + H, note="已处理")
    assert tick(T0 + 6 * 24 * H).callbacks == 0
    assert tick(T0 + 8 * 24 * H).callbacks == 1
    assert tick(T0 + 9 * 24 * H).callbacks == 0
    assert Appeal.objects.get(pk=appeal.pk).callback_needed
