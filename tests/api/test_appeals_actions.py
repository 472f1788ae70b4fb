"""Every transition over the API goes through the one state machine: the loop works, a transition the
table does not allow is a 409 that changes nothing, a role that may not act gets 403, bad input 422."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.appeals.models import Appeal, AppealEvent, Holding, Photo, Transfer
from tests.api.conftest import API, error_of
from tests.appeals.conftest import do, file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def act(api: Any, who: str, appeal: Appeal, action: str, **body: Any) -> Any:
    return api(who).post(f"/appeals/{appeal.pk}/{action}", body)


def status_of(appeal: Appeal) -> str:
    return Appeal.objects.values_list("status", flat=True).get(pk=appeal.pk)


def test_the_closed_loop_accept_start_resolve_with_a_photo_confirm(world, api):
    appeal = file(world)
    assert act(api, "grid1", appeal, "accept").json()["status"] == "accepted"
    assert act(api, "grid1", appeal, "start").json()["status"] == "in_progress"
    grid1 = api("grid1")
    photo = SimpleUploadedFile("after.png", PNG, content_type="image/png")
    resolved = grid1.client.post(
        f"{API}/appeals/{appeal.pk}/resolve",
        {"note": "已上门劝导，约定施工时间", "photos": [photo]},
        headers={"Authorization": f"Bearer {grid1.token}"},
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["resolution_note"] == "已上门劝导，约定施工时间"
    assert [p["stage"] for p in resolved.json()["photos"]] == ["resolved"]
    assert Photo.objects.filter(appeal=appeal, stage="resolved").count() == 1
    closed = act(api, "alice", appeal, "confirm", rating="satisfied", note="很及时")
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["rating"]) == ("closed", "satisfied")
    actions = [e["action"] for e in closed.json()["events"]]
    assert actions[-4:] == ["accept", "start", "resolve", "confirm"]


def test_a_transition_not_in_the_table_is_409_and_changes_nothing(world, api):
    appeal = file(world)
    events = AppealEvent.objects.count()
    response = act(api, "alice", appeal, "confirm", rating="satisfied")
    assert response.status_code == 409
    assert error_of(response) == {
        "code": "invalid_transition",
        "message": "当前状态为“待受理”，不能确认并评价",
    }
    assert status_of(appeal) == "submitted"
    assert AppealEvent.objects.count() == events


def test_an_unknown_action_is_refused(world, api):
    appeal = file(world)
    response = act(api, "grid1", appeal, "teleport")
    assert response.status_code == 409
    assert error_of(response)["code"] == "unknown_action"


def test_a_role_that_may_not_act_gets_403_and_nothing_changes(world, api):
    appeal = file(world)
    response = act(api, "alice", appeal, "accept")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"
    assert status_of(appeal) == "submitted"
    assert act(api, "grid1", appeal, "urge").status_code == 403  # only the resident urges
    assert Appeal.objects.get(pk=appeal.pk).urge_count == 0


def test_missing_input_is_a_422_on_the_field(world, api):
    appeal = file(world)
    response = act(api, "grid1", appeal, "resolve")
    assert response.status_code == 422
    assert error_of(response)["fields"] == [{"field": "note", "message": "请填写办理结果"}]
    assert status_of(appeal) == "submitted"
    response = act(api, "grid1", appeal, "accept", committed_due="not a date")
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "committed_due"


def test_defer_takes_a_new_committed_time(world, api):
    appeal = file(world)
    do(world, "grid1", appeal, "accept", at=appeal.submitted_at)
    new_due = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0).isoformat()
    response = act(api, "grid1", appeal, "defer", note="等配件", committed_due=new_due)
    assert response.status_code == 200, response.content
    assert dt.datetime.fromisoformat(response.json()["committed_due"]) == dt.datetime.fromisoformat(new_due)
    assert response.json()["due"] == response.json()["committed_due"]


def test_a_transfer_is_pending_until_the_receiver_takes_it(world, api):
    appeal = file(world)
    prop = world.people["property"]
    response = act(api, "grid1", appeal, "transfer", note="属物业维修", to_person=prop.pk)
    assert response.status_code == 200
    assert response.json()["pending_transfer"]["to_person"]["id"] == prop.pk
    assert response.json()["assignee"]["id"] == world.people["grid1"].pk
    taken = act(api, "property", appeal, "accept_transfer")
    assert taken.status_code == 200, taken.content
    assert taken.json()["assignee"]["id"] == prop.pk
    assert taken.json()["accountable"]["id"] == prop.pk
    assert taken.json()["pending_transfer"] is None
    assert Holding.objects.filter(appeal=appeal).count() == 2
    assert Transfer.objects.get().state == "accepted"


def test_a_transfer_goes_only_to_someone_on_duty(world, api):
    appeal = file(world)
    response = act(api, "grid1", appeal, "transfer", note="x", to_person=world.people["bob"].pk)
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "to_person"
    assert not Transfer.objects.exists()


def test_the_cadre_assigns_and_reviews_a_rejection(world, api):
    appeal = file(world)
    assigned = act(
        api, "cadre1", appeal, "assign", to_person=world.people["committee"].pk, note="请业委会协调"
    )
    assert assigned.json()["assignee"]["id"] == world.people["committee"].pk
    other = file(world)
    assert act(api, "grid1", other, "reject", note="不属于社区职责").json()["status"] == "rejection_pending"
    assert act(api, "grid1", other, "approve_rejection").status_code == 403
    assert act(api, "cadre1", other, "approve_rejection").json()["status"] == "rejected"


def test_the_resident_urges_reopens_and_withdraws(world, api):
    appeal = file(world)
    assert act(api, "alice", appeal, "urge").json()["urge_count"] == 1
    do(world, "grid1", appeal, "resolve", note="已处理")
    reopened = act(api, "alice", appeal, "reopen", note="还是很吵")
    assert (reopened.json()["status"], reopened.json()["reopen_count"]) == ("in_progress", 1)
    assert act(api, "alice", appeal, "withdraw").json()["status"] == "withdrawn"
