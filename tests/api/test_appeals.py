"""Appeals over the JSON API: intake (idempotent, multipart photos, field errors that store nothing),
the categories, the queue and its filters, the detail with its timeline, similar appeals and "me too"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.appeals.models import Appeal, AppealEvent, Category, Photo
from tests.api.conftest import API, error_of
from tests.appeals.conftest import T0, do, file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOISE = {"category": "noise", "title": "楼上装修噪音", "description": "每天早上七点开始电钻"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def same_moment(text: str, moment: dt.datetime) -> bool:
    # JSON carries milliseconds; the database keeps microseconds.
    return abs(dt.datetime.fromisoformat(text) - moment) < dt.timedelta(milliseconds=1)


def post_form(client: Any, path: str, data: dict[str, Any], **headers: str) -> Any:
    return client.client.post(
        f"{API}{path}", data, headers={"Authorization": f"Bearer {client.token}", **headers}
    )


# --- intake --------------------------------------------------------------------------------------


def test_a_resident_files_and_gets_201_with_number_holder_and_deadlines(world, api):
    response = api("alice").post("/appeals", NOISE)
    assert response.status_code == 201, response.content
    body = response.json()
    appeal = Appeal.objects.get()
    assert body["id"] == appeal.pk
    assert body["number"] == appeal.number
    assert body["status"] == "submitted"
    assert body["assignee"] == {"id": world.people["grid1"].pk, "name": "grid1的姓名"}
    assert same_moment(body["response_due"], appeal.response_due)
    assert same_moment(body["resolve_due"], appeal.resolve_due)
    assert body["response_due"].endswith("+08:00")
    assert appeal.channel == "api"
    assert appeal.household.dwelling == world.a101


def test_the_category_may_be_named_by_id(world, api):
    noise = Category.objects.get(code="noise")
    response = api("alice").post("/appeals", {**NOISE, "category": noise.pk})
    assert response.status_code == 201
    assert response.json()["category"]["code"] == "noise"


def test_a_replay_with_the_same_idempotency_key_returns_the_same_appeal_and_stores_one(world, api):
    alice = api("alice")
    first = alice.client.post(
        f"{API}/appeals",
        NOISE,
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice.token}", "Idempotency-Key": "retry-1"},
    )
    again = alice.client.post(
        f"{API}/appeals",
        NOISE,
        content_type="application/json",
        headers={"Authorization": f"Bearer {alice.token}", "Idempotency-Key": "retry-1"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["number"] == first.json()["number"]
    assert Appeal.objects.count() == 1
    assert AppealEvent.objects.filter(action="submit").count() == 1


def test_without_a_key_two_posts_are_two_appeals(world, api):
    alice = api("alice")
    assert alice.post("/appeals", NOISE).status_code == 201
    assert alice.post("/appeals", NOISE).status_code == 201
    assert Appeal.objects.count() == 2


def test_bad_input_is_a_422_per_field_and_stores_nothing(world, api):
    response = api("alice").post("/appeals", {"category": "no-such", "title": "", "description": "x"})
    assert response.status_code == 422
    fields = {f["field"] for f in error_of(response)["fields"]}
    assert fields == {"category"}
    response = api("alice").post("/appeals", {**NOISE, "title": "", "description": "  "})
    assert response.status_code == 422
    assert {f["field"] for f in error_of(response)["fields"]} == {"title", "description"}
    response = api("alice").post("/appeals", {"title": "缺类别"})
    assert response.status_code == 422
    assert {f["field"] for f in error_of(response)["fields"]} == {"category", "description"}
    assert Appeal.objects.count() == 0
    assert AppealEvent.objects.count() == 0


def test_a_household_that_is_not_mine_is_a_field_error(world, api):
    bobs = world.people["bob"].residencies.get().household_id
    response = api("alice").post("/appeals", {**NOISE, "household": bobs})
    assert response.status_code == 422
    assert error_of(response)["fields"] == [{"field": "household", "message": "不存在或无权查看"}]
    assert not Appeal.objects.exists()


def test_photos_come_with_the_submission_as_multipart(world, api):
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    response = post_form(api("alice"), "/appeals", {"category": "sanitation", **_text(), "photos": [photo]})
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert appeal.category.code == "sanitation"
    assert Photo.objects.filter(appeal=appeal, stage="submitted").count() == 1


def test_a_category_that_needs_a_photo_refuses_a_submission_without_one(world, api):
    response = api("alice").post("/appeals", {"category": "sanitation", **_text()})
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "photos"
    assert not Appeal.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(world, api):
    bad = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = post_form(api("alice"), "/appeals", {**NOISE, "photos": [bad]})
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "photos"
    assert not Appeal.objects.exists() and not Photo.objects.exists()


def _text() -> dict[str, str]:
    return {"title": "垃圾没清运", "description": "3号楼下垃圾桶满了两天"}


def test_staff_file_on_behalf_by_phone_for_a_dwelling_in_their_scope(world, api):
    response = api("grid1").post(
        "/appeals",
        {**NOISE, "channel": "phone", "dwelling": world.a101.pk, "submitter": world.people["alice"].pk},
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.compound, appeal.submitter) == (
        "phone",
        world.sunshine,
        world.people["alice"],
    )
    assert appeal.submitted_by == world.user("grid1")


def test_staff_cannot_file_for_a_compound_outside_their_scope(world, api):
    response = api("grid1").post("/appeals", {**NOISE, "channel": "phone", "compound": world.rose.pk})
    assert response.status_code == 422
    assert error_of(response)["fields"][0]["field"] == "compound"
    assert not Appeal.objects.exists()


def test_a_resident_cannot_use_a_staff_channel(world, api):
    response = api("alice").post("/appeals", {**NOISE, "channel": "phone", "compound": world.sunshine.pk})
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_anonymous_callers_are_401(world, api):
    assert api(None).post("/appeals", NOISE).status_code == 401
    assert api(None).get("/appeals").status_code == 401


# --- categories and similar ----------------------------------------------------------------------


def test_categories_list_the_active_ones_with_their_deadlines(world, api):
    Category.objects.filter(code="other").update(active=False)
    body = api("alice").get("/appeal-categories").json()
    codes = [c["code"] for c in body["items"]]
    assert "noise" in codes and "other" not in codes
    noise = next(c for c in body["items"] if c["code"] == "noise")
    assert noise["case_type"] == {"code": "immediate", "label": "即办件"}
    assert (noise["response_hours"], noise["resolve_hours"]) == (2, 24)


def test_a_neighbour_sees_titles_of_similar_open_appeals_and_joins_one(world, api):
    appeal = file(world)
    similar = api("bob").get("/appeals/similar", category="noise").json()
    assert similar["count"] == 1
    [row] = similar["items"]
    assert row["id"] == appeal.pk and row["title"] == "楼上装修噪音"
    assert "description" not in row and "assignee" not in row
    joined = api("bob").post(f"/appeals/{appeal.pk}/me-too")
    assert joined.json() == {"joined": True, "me_too_count": 1}
    again = api("bob").post(f"/appeals/{appeal.pk}/me-too")
    assert again.json() == {"joined": False, "me_too_count": 1}
    # Joining does not open the appeal to the neighbour.
    assert api("bob").get(f"/appeals/{appeal.pk}").status_code == 404


def test_no_one_joins_an_appeal_of_another_compound(world, api):
    appeal = file(world)
    assert api("carol").post(f"/appeals/{appeal.pk}/me-too").status_code == 404
    assert api("carol").get("/appeals/similar", compound=world.sunshine.pk).status_code == 404


# --- list and detail ----------------------------------------------------------------------------


def test_the_queue_filters_by_status_mine_overdue_compound_category_and_period(world, api):
    old = file(world, at=T0)  # its response deadline passed long ago
    fresh = file(world, "dispute", at=timezone.now())
    done = file(world, at=T0)
    do(world, "grid1", done, "resolve", note="已协调")
    grid1 = api("grid1")

    def ids(**params: Any) -> list[int]:
        response = grid1.get("/appeals", **params)
        assert response.status_code == 200, response.content
        return [a["id"] for a in response.json()["items"]]

    assert set(ids()) == {old.pk, fresh.pk}
    assert ids(status="resolved") == [done.pk]
    assert set(ids(status="all")) == {old.pk, fresh.pk, done.pk}
    assert set(ids(mine="true")) == {old.pk, fresh.pk}
    assert ids(overdue="true") == [old.pk]
    assert ids(category="dispute") == [fresh.pk]
    assert set(ids(compound=world.sunshine.pk)) == {old.pk, fresh.pk}
    assert ids(compound=world.rose.pk) == []
    assert ids(**{"from": "2026-11-01", "to": "2026-11-02"}) == [old.pk]
    assert ids(sort="newest", status="all")[0] == fresh.pk
    assert grid1.get("/appeals", status="nonsense").status_code == 422


def test_the_detail_has_the_timeline_the_trail_the_pending_transfer_and_my_actions(world, api):
    appeal = file(world)
    do(world, "grid1", appeal, "accept")
    do(world, "grid1", appeal, "transfer", note="需物业处理", to_person=world.people["property"])
    detail = api("grid1").get(f"/appeals/{appeal.pk}").json()
    assert [e["action"] for e in detail["events"]] == ["submit", "route", "accept", "transfer"]
    assert detail["events"][2]["action_label"] == "受理"
    assert [h["person"]["id"] for h in detail["holdings"]] == [world.people["grid1"].pk]
    assert detail["pending_transfer"]["to_person"]["id"] == world.people["property"].pk
    assert detail["pending_transfer"]["reason"] == "需物业处理"
    actions = {a["code"] for a in detail["allowed_actions"]}
    assert {"start", "resolve", "defer"} <= actions
    assert "confirm" not in actions and "accept_transfer" not in actions
    receiver = {a["code"] for a in api("property").get(f"/appeals/{appeal.pk}").json()["allowed_actions"]}
    assert {"accept_transfer", "decline_transfer"} <= receiver


def test_phones_are_masked_for_everyone(world, api):
    appeal = file(world)
    for who in ("alice", "grid1"):
        detail = api(who).get(f"/appeals/{appeal.pk}").json()
        assert detail["submitter"]["phone"] == "138****5678"
        assert detail["contact_phone"] == "138****5678"
        assert "13812345678" not in str(detail)


def test_the_openapi_document_describes_the_appeal_endpoints_and_both_body_types(db):
    from django.test import Client

    doc = Client().get(f"{API}/openapi.json").json()
    paths = {p.removeprefix(API) for p in doc["paths"]}
    assert {
        "/appeal-categories",
        "/appeals",
        "/appeals/similar",
        "/appeals/{appeal_id}",
        "/appeals/{appeal_id}/me-too",
        "/appeals/{appeal_id}/{action}",
    } <= paths
    content = doc["paths"][f"{API}/appeals"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["multipart/form-data"]["schema"]["properties"]["photos"]["items"]["format"] == "binary"


def test_mine_lists_an_appeal_once_whatever_its_past_transfers(world, api):
    appeal = file(world)
    for _ in range(2):
        do(world, "grid1", appeal, "transfer", note="试转", to_person=world.people["property"])
        do(world, "property", appeal, "decline_transfer", note="不归我")
    response = api("grid1").get("/appeals", mine="true")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [a["id"] for a in items] == [appeal.pk]
    assert api("admin").get("/appeals", mine="true").json()["count"] == 0  # no person, holds nothing
