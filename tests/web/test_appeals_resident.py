"""The resident's pages: 我要反映 (filed once per form, field errors keep the input, similar appeals to join),
我的诉求 with a timeline, and rating, reopening, urging and withdrawing from the detail page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanjia.appeals.models import Appeal, Category, MeToo, Photo, Status
from tests.appeals.conftest import do, file

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def form(category: str = "noise", **extra: Any) -> dict[str, Any]:
    return {
        "category": Category.objects.get(code=category).pk,
        "title": "楼上装修噪音",
        "description": "每天早上七点开始电钻",
        "location": "3号楼2单元",
        "key": "form-key-1",
        **extra,
    }


def test_the_submit_page_shows_the_household_address_and_grouped_categories(world):
    page = world.client("alice").get("/appeals/new/").content.decode()
    d = world.a101
    assert f"{world.sunshine.name} {d.entrance.building.name} {d.entrance.name} 101" in page
    assert '<optgroup label="安全隐患">' in page and "飞线充电（须附照片）" in page
    assert 'name="key"' in page and 'accept="image/*"' in page and "capture" in page


def test_each_rendering_of_the_form_carries_a_fresh_key(world):
    client = world.client("alice")
    keys = {client.get("/appeals/new/").context["key"] for _ in range(2)}
    assert len(keys) == 2


def test_a_resident_files_an_appeal_and_lands_on_its_page(world):
    response = world.client("alice").post("/appeals/new/", form())
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response.url == f"/appeals/{appeal.pk}/"
    assert appeal.channel == "web" and appeal.household.dwelling == world.a101
    assert appeal.location == "3号楼2单元" and appeal.assignee == world.people["grid1"]


def test_a_double_tap_with_the_same_form_key_files_once(world):
    client = world.client("alice")
    first = client.post("/appeals/new/", form())
    second = client.post("/appeals/new/", form())
    assert Appeal.objects.count() == 1
    assert first.url == second.url


def test_field_errors_are_shown_in_chinese_and_keep_what_was_typed(world):
    response = world.client("alice").post("/appeals/new/", form(title="", description="只写了描述"))
    page = response.content.decode()
    assert response.status_code == 422 and Appeal.objects.count() == 0
    assert "请填写标题" in page
    assert "只写了描述" in page and 'value="3号楼2单元"' in page
    assert f'value="{Category.objects.get(code="noise").pk}" selected' in page
    assert 'value="form-key-1"' in page  # a corrected retry still files once


def test_a_category_that_needs_a_photo_says_so_next_to_the_photo_field(world):
    response = world.client("alice").post("/appeals/new/", form("hazard-ev-charging"))
    assert response.status_code == 422 and "该类别须附现场照片" in response.content.decode()
    assert response.context["errors"]["photos"]


def test_photos_are_stored_and_shown_only_to_who_may_see_the_appeal(world):
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    response = world.client("alice").post("/appeals/new/", form("hazard-ev-charging", photos=[photo]))
    assert response.status_code == 302
    stored = Photo.objects.get()
    url = f"/appeals/{stored.appeal_id}/photos/{stored.pk}/"
    assert url in world.client("alice").get(f"/appeals/{stored.appeal_id}/").content.decode()
    assert world.client("alice").get(url).status_code == 200
    assert world.client("grid1").get(url).status_code == 200
    assert world.client("bob").get(url).status_code == 404


def test_no_category_chosen_is_a_field_error(world):
    response = world.client("alice").post("/appeals/new/", {**form(), "category": ""})
    assert response.status_code == 422 and "请选择问题类别" in response.content.decode()


def test_similar_open_appeals_of_the_compound_are_offered_without_names_or_descriptions(world):
    file(world, "noise", who="bob", title="夜里装修", description="bob 的私事细节")
    noise = Category.objects.get(code="noise").pk
    page = world.client("alice").get(f"/appeals/similar/?category={noise}").content.decode()
    assert "夜里装修" in page and "我也遇到" in page
    assert "bob 的私事细节" not in page and "bob的姓名" not in page


def test_me_too_joins_instead_of_filing(world):
    theirs = file(world, "noise", who="bob")
    response = world.client("alice").post(f"/appeals/{theirs.pk}/me-too/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/appeals/"
    theirs.refresh_from_db()
    assert theirs.me_too_count == 1 and MeToo.objects.filter(appeal=theirs).count() == 1
    assert Appeal.objects.count() == 1


def test_me_too_on_another_compound_is_not_found(world):
    carols = file(world, "noise", who="carol")
    assert world.client("alice").post(f"/appeals/{carols.pk}/me-too/").status_code == 404


def test_my_appeals_lists_mine_and_not_the_neighbours(world):
    file(world, title="我的问题")
    file(world, who="bob", title="邻居的问题")
    page = world.client("alice").get("/appeals/").content.decode()
    assert "我的问题" in page and "邻居的问题" not in page


def test_the_detail_shows_the_timeline_in_chinese(world):
    appeal = file(world)
    do(world, "grid1", appeal, "accept")
    page = world.client("alice").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "提交诉求" in page and "分派承办人" in page and "受理" in page and "已受理" in page


def test_the_resident_rates_a_resolved_appeal_and_it_closes(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已上门协调")
    client = world.client("alice")
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "满意" in page and "基本满意" in page and "未解决，重新办理" in page
    response = client.post(
        f"/appeals/{appeal.pk}/act/", {"action": "confirm", "rating": "satisfied", "note": "谢谢"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == "satisfied" and appeal.rating_comment == "谢谢"


def test_rating_without_a_choice_is_a_field_error_next_to_the_form(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已处理")
    response = world.client("alice").post(f"/appeals/{appeal.pk}/act/", {"action": "confirm", "note": "嗯"})
    assert response.status_code == 422
    assert "请选择满意、基本满意或不满意" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


def test_not_solved_reopens_with_a_reason(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已处理")
    client = world.client("alice")
    missing = client.post(f"/appeals/{appeal.pk}/act/", {"action": "reopen", "note": ""})
    assert missing.status_code == 422 and "请说明哪里没有解决" in missing.content.decode()
    client.post(f"/appeals/{appeal.pk}/act/", {"action": "reopen", "note": "还是很吵"})
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS and appeal.reopen_count == 1


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [(1, "Reopened 1 time", "重办 1 次"), (2, "Reopened 2 times", "重办 2 次")],
)
def test_the_reopen_count_reads_in_english_for_one_and_more(world, count, english, chinese):
    appeal = file(world)
    Appeal.objects.filter(pk=appeal.pk).update(reopen_count=count)
    client = world.client("alice")
    assert f">{chinese}</span>" in client.get(f"/appeals/{appeal.pk}/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f">{english}</span>" in page and "重办" not in page


def test_urge_and_withdraw(world):
    appeal = file(world)
    client = world.client("alice")
    client.post(f"/appeals/{appeal.pk}/act/", {"action": "urge"})
    appeal.refresh_from_db()
    assert appeal.urge_count == 1
    client.post(f"/appeals/{appeal.pk}/act/", {"action": "withdraw", "note": "已自行解决"})
    appeal.refresh_from_db()
    assert appeal.status == Status.WITHDRAWN


def test_an_action_not_allowed_now_is_refused_inline_and_changes_nothing(world):
    appeal = file(world)
    response = world.client("alice").post(
        f"/appeals/{appeal.pk}/act/", {"action": "confirm", "rating": "satisfied"}
    )
    assert response.status_code == 409 and "不能确认并评价" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.SUBMITTED


def test_a_resident_sees_only_resident_actions(world):
    appeal = file(world)
    forms = {f.action for f in world.client("alice").get(f"/appeals/{appeal.pk}/").context["forms"]}
    assert forms == {"withdraw", "urge", "comment"}


def test_someone_without_a_household_cannot_file_as_a_resident(world):
    response = world.client("grid1").get("/appeals/new/")
    assert response.status_code == 403 and "代为登记" in response.content.decode()


def test_the_home_widget_lists_my_open_appeals_and_the_submit_button(world, rf):
    from django.template.loader import render_to_string

    from guanjia.web.views_appeals import home_resident

    open_one = file(world, title="还在办的")
    closed = file(world, title="已关闭的", idempotency_key="2")
    do(world, "grid1", closed, "resolve", note="好了")
    do(world, "alice", closed, "confirm", rating="satisfied")
    request = rf.get("/")
    request.user = world.user("alice")
    html = render_to_string("web/appeals/_home_resident.html", home_resident(request), request=request)
    assert "还在办的" in html and "已关闭的" not in html and "/appeals/new/" in html
    assert f"/appeals/{open_one.pk}/" in html


def test_the_staff_home_widget_renders_its_counts(world, rf):
    from django.template.loader import render_to_string

    from guanjia.web.views_appeals import home_staff

    file(world)
    request = rf.get("/")
    request.user = world.user("grid1")
    html = render_to_string("web/appeals/_home_staff.html", home_staff(request), request=request)
    assert "待我处理" in html and "已超时" in html and "/workbench/" in html
