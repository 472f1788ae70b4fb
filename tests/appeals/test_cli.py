"""`guanjia appeal ACTION NUMBER --user U` moves an appeal through the same state machine as the web and
the API: the same table, the same role checks, the same event log."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guanjia.appeals.models import Appeal, AppealEvent, Transfer
from tests.appeals.conftest import file


def run(*args: str, **options: str) -> str:
    out = StringIO()
    call_command("appeal", *args, stdout=out, **options)
    return out.getvalue()


def test_a_grid_worker_accepts_and_resolves_by_number(world):
    appeal = file(world)
    assert run("accept", appeal.number, user="grid1").strip() == f"{appeal.number} 已受理 (accepted)"
    run("resolve", str(appeal.pk), user="grid1", note="已上门协调")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.resolution_note) == ("resolved", "已上门协调")
    event = AppealEvent.objects.get(appeal=appeal, action="resolve")
    assert event.actor == world.user("grid1")
    run("confirm", appeal.number, user="alice", rating="satisfied")
    assert Appeal.objects.get(pk=appeal.pk).status == "closed"


def test_a_transition_the_table_does_not_allow_is_refused_and_changes_nothing(world):
    appeal = file(world)
    with pytest.raises(CommandError, match="当前状态为“待受理”，不能确认并评价"):
        run("confirm", appeal.number, user="alice", rating="satisfied")
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"
    assert not AppealEvent.objects.filter(action="confirm").exists()


def test_the_role_checks_apply_on_the_command_line_too(world):
    appeal = file(world)
    with pytest.raises(CommandError, match="您无权"):
        run("accept", appeal.number, user="alice")
    with pytest.raises(CommandError, match="不存在或无权查看"):
        run("accept", appeal.number, user="grid2")
    with pytest.raises(CommandError, match="请填写办理结果"):
        run("resolve", appeal.number, user="grid1")
    assert Appeal.objects.get(pk=appeal.pk).status == "submitted"


def test_transfer_to_a_user_and_defer_to_a_time(world):
    appeal = file(world)
    run("transfer", appeal.number, user="grid1", to="property", note="属物业")
    assert Transfer.objects.get().to_person == world.people["property"]
    run("accept_transfer", appeal.number, user="property")
    run("accept", appeal.number, user="property")
    later = (appeal.resolve_due + dt.timedelta(days=30)).isoformat()
    run("defer", appeal.number, user="property", note="等配件", due=later)
    assert Appeal.objects.get(pk=appeal.pk).committed_due == dt.datetime.fromisoformat(later)


def test_bad_arguments_are_clear_errors(world):
    appeal = file(world)
    with pytest.raises(CommandError, match="no such user"):
        run("accept", appeal.number, user="nobody")
    with pytest.raises(CommandError, match="not an ISO 8601"):
        run("defer", appeal.number, user="grid1", note="x", due="next week")
    with pytest.raises(CommandError, match="invalid choice"):
        run("fly", appeal.number, user="grid1")


def test_the_guanjia_command_reaches_it_as_appeal():
    # run_from_argv closes the database connections, so the test calls the command itself (above).
    from guanjia.cli import translate

    args = ["appeal", "accept", "202611020000001", "--user", "grid1"]
    assert translate(args) == args
