"""The one state machine: the closed loop, its side roads, and refusals for everything not in the table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from guanjia.appeals.models import Appeal, Status, Transfer
from guanjia.appeals.states import TABLE, TransitionRefused
from tests.appeals.conftest import T0, do, file

H = dt.timedelta(hours=1)


def test_the_closed_loop_submit_accept_handle_resolve_rate_close(world):
    appeal = file(world)
    do(world, "grid1", appeal, "accept", T0 + H)
    do(world, "grid1", appeal, "start", T0 + 2 * H)
    do(world, "grid1", appeal, "resolve", T0 + 3 * H, note="已与装修户沟通，调整为九点后施工")
    closed = do(world, "alice", appeal, "confirm", T0 + 4 * H, rating="satisfied", note="谢谢")
    assert closed.status == Status.CLOSED and closed.rating == "satisfied"
    assert (
        closed.accepted_at == T0 + H and closed.resolved_at == T0 + 3 * H and closed.closed_at == T0 + 4 * H
    )
    trail = list(closed.events.values_list("action", "from_status", "to_status"))
    assert trail[-1] == ("confirm", "resolved", "closed")


def test_not_solved_reopens_and_counts(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已处理")
    reopened = do(world, "alice", appeal, "reopen", T0 + H, note="还是很吵")
    assert (reopened.status, reopened.reopen_count) == (Status.IN_PROGRESS, 1)
    assert reopened.committed_due == T0 + H + dt.timedelta(hours=24)


@pytest.mark.parametrize("action", ["confirm", "reopen", "approve_rejection", "callback"])
def test_transitions_not_in_the_table_are_refused_and_change_nothing(world, action):
    appeal = file(world)
    with pytest.raises(TransitionRefused) as refused:
        do(
            world,
            "alice" if action in {"confirm", "reopen"} else "cadre1",
            appeal,
            action,
            note="x",
            rating="satisfied",
        )
    assert "不能" in refused.value.message
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED
    assert appeal.events.count() == 2


def test_unknown_actions_are_refused(world):
    with pytest.raises(TransitionRefused) as refused:
        do(world, "grid1", file(world), "teleport")
    assert refused.value.code == "unknown_action"


def test_only_the_resident_rates_and_only_handlers_resolve(world):
    appeal = file(world)
    for outsider in ("bob", "grid2", "cadre2", "property"):
        with pytest.raises((TransitionRefused, Appeal.DoesNotExist)):
            do(world, outsider, appeal, "resolve", note="x")
    do(world, "cadre1", appeal, "resolve", note="包片干部协调解决")  # the cadre answers for the compound
    with pytest.raises(TransitionRefused):
        do(world, "grid1", appeal, "confirm", rating="satisfied")
    assert Appeal.objects.get(pk=appeal.pk).status == Status.RESOLVED


def test_a_neighbour_cannot_even_see_it(world):
    with pytest.raises(Appeal.DoesNotExist):
        do(world, "carol", file(world), "urge")


def test_rejection_waits_for_the_cadres_review(world):
    appeal = file(world)
    do(world, "grid1", appeal, "reject", note="属于私人合同纠纷，建议走司法途径")
    with pytest.raises(TransitionRefused):
        do(world, "grid1", appeal, "approve_rejection")  # not their own review
    assert do(world, "cadre1", appeal, "overturn_rejection", note="请先调解").status == Status.ACCEPTED
    do(world, "grid1", appeal, "reject", note="调解未果")
    assert do(world, "cadre1", appeal, "approve_rejection").status == Status.REJECTED


def test_deferral_needs_a_reason_and_a_later_date(world):
    appeal = file(world)
    do(world, "grid1", appeal, "accept")
    with pytest.raises(ValidationError):
        do(world, "grid1", appeal, "defer", note="等配件", committed_due=T0 + H)
    deferred = do(world, "grid1", appeal, "defer", note="等配件", committed_due=T0 + dt.timedelta(days=3))
    assert deferred.effective_due == T0 + dt.timedelta(days=3) and deferred.status == Status.ACCEPTED


def test_withdraw_and_urge_are_the_residents(world):
    appeal = file(world)
    assert do(world, "alice", appeal, "urge").urge_count == 1
    assert do(world, "alice", appeal, "withdraw").status == Status.WITHDRAWN
    with pytest.raises(TransitionRefused):
        do(world, "alice", appeal, "urge")


def test_the_first_receiver_stays_accountable_until_the_transfer_is_accepted(world):
    appeal = file(world)
    do(world, "grid1", appeal, "transfer", T0 + H, note="属物业维修范围", to_person=world.people["property"])
    pending = Appeal.objects.get(pk=appeal.pk)
    assert pending.assignee == world.people["grid1"] == pending.accountable
    with pytest.raises((TransitionRefused, Appeal.DoesNotExist)):
        do(world, "cadre2", appeal, "accept_transfer")  # not the receiver (and cannot see it)
    moved = do(world, "property", appeal, "accept_transfer", T0 + 3 * H)
    assert moved.assignee == world.people["property"] == moved.accountable
    trail = list(
        moved.holdings.order_by("since").values_list(
            "person__user__username", "handed_by__user__username", "since", "until"
        )
    )
    assert trail == [("grid1", None, T0, T0 + 3 * H), ("property", "grid1", T0 + 3 * H, None)]
    assert Transfer.objects.get(appeal=appeal).state == Transfer.State.ACCEPTED


def test_a_declined_transfer_leaves_it_with_the_sender(world):
    appeal = file(world)
    do(world, "grid1", appeal, "transfer", note="请物业处理", to_person=world.people["property"])
    do(world, "property", appeal, "decline_transfer", note="不属于物业服务范围")
    assert Appeal.objects.get(pk=appeal.pk).assignee == world.people["grid1"]


def test_cadre_assigns_directly(world):
    appeal = file(world)
    moved = do(world, "cadre1", appeal, "assign", to_person=world.people["property"], note="统一交物业")
    assert moved.assignee == world.people["property"]


def test_callbacks_for_phone_appeals_record_the_rating_heard_on_the_phone(world):
    from guanjia.appeals.services import submit_appeal
    from tests.appeals.conftest import category

    appeal, _ = submit_appeal(
        user=world.user("grid1"),
        category=category("elder-help"),
        title="老人求助",
        description="电话求助",
        channel="phone",
        dwelling=world.a101,
        now=T0,
    )
    resolved = do(world, "grid1", appeal, "resolve", note="已上门帮助")
    assert resolved.callback_needed
    closed = do(
        world, "cadre1", appeal, "callback", T0 + H, note="电话回访，老人表示满意", rating="satisfied"
    )
    assert (closed.status, closed.rating, closed.callback_needed) == (Status.CLOSED, "satisfied", False)


def test_online_appeals_need_no_callback_before_seven_days(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已处理")
    with pytest.raises(TransitionRefused):
        do(world, "cadre1", appeal, "callback", T0 + H, note="回访")
    closed = do(
        world, "cadre1", appeal, "callback", T0 + dt.timedelta(days=8), note="回访", rating="unsatisfied"
    )
    assert closed.rating == "unsatisfied"


def test_every_action_in_the_table_has_a_handler():
    from guanjia.appeals.transitions import HANDLERS

    assert set(TABLE) == set(HANDLERS)


def test_the_admin_shows_appeals_in_scope_and_cannot_move_them(world):
    appeal = file(world)
    url = f"/admin/appeals/appeal/{appeal.pk}/change/"
    assert appeal.number in world.client("cadre1").get("/admin/appeals/appeal/").content.decode()
    assert appeal.number not in world.client("cadre2").get("/admin/appeals/appeal/").content.decode()
    response = world.client("admin").post(url, {"status": "closed"})
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).status == Status.SUBMITTED
