"""The staff workbench: the queue by deadline with overdue and near-due rows marked, filters, the actions
allowed to the caller, transfer, defer, reject, callback, bulk assign, and entry on a resident's behalf."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guanjia.appeals.models import Agency, Appeal, Category, Status, Transfer
from tests.appeals.conftest import do
from tests.appeals.conftest import file as file_at

# Session, user, the caller's scope and the navigation come first; the page itself adds a few.
QUEUE_QUERIES = 15
MINE_QUERIES = 9


def now() -> dt.datetime:
    return timezone.now()


def file(world: Any, code: str = "noise", **fields: Any) -> Appeal:
    """File as of now (the deadlines on the page are read against the clock)."""
    return file_at(world, code, at=fields.pop("at", None) or now(), **fields)


@pytest.fixture
def slow(db: Any) -> Category:
    """A category whose deadlines are far off: a fresh appeal in it is neither near due nor late."""
    return Category.objects.create(
        code="slow",
        name="慢件",
        handler_kind="grid_worker",
        case_type="promised",
        response_hours=48,
        resolve_hours=96,
        warn_hours=2,
    )


def test_the_queue_is_sorted_by_deadline_and_marks_overdue_and_near_due(world, slow):
    late = file(world, "noise", title="超时的", at=now() - dt.timedelta(hours=30))
    near = file(world, "noise", title="快到期的", at=now() - dt.timedelta(hours=1, minutes=30))
    fresh = file(world, "slow", title="刚提交的", at=now())
    response = world.client("grid1").get("/workbench/")
    rows = list(response.context["page"].object_list)
    assert [a.pk for a in rows] == [late.pk, near.pk, fresh.pk]
    assert [a.urgency for a in rows] == ["overdue", "near", ""]
    page = response.content.decode()
    assert 'class="urgent-overdue"' in page and 'class="urgent-near"' in page and "已超时" in page


def test_queue_filters(world):
    file(world, "noise", title="噪音", at=now() - dt.timedelta(hours=30))
    file(world, "other", title="其他事")
    client = world.client("cadre1")
    other = Category.objects.get(code="other").pk
    titles = lambda url: {a.title for a in client.get(url).context["page"].object_list}  # noqa: E731
    assert titles("/workbench/") == {"噪音", "其他事"}
    assert titles("/workbench/?overdue=1") == {"噪音"}
    assert titles(f"/workbench/?category={other}") == {"其他事"}
    assert titles(f"/workbench/?compound={world.rose.pk}") == set()
    assert titles("/workbench/?who=mine") == set()  # cadre1 holds none of them
    assert titles("/workbench/?status=closed") == set()
    assert titles("/workbench/?status=all") == {"噪音", "其他事"}


def test_grid_workers_start_on_their_own_queue(world):
    file(world, "noise")
    response = world.client("grid1").get("/workbench/")
    assert response.context["filters"]["mine"] is True and len(response.context["page"].object_list) == 1


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["grid1", "cadre1", "secretary", "admin"])
def test_the_queue_runs_the_same_few_queries_for_5_and_30_appeals(world, who):
    client = world.client(who)
    for i in range(5):
        file(world, "noise" if i % 2 else "other", title=f"第{i}条", idempotency_key=f"k{i}")
    five = queries_for(client, "/workbench/?who=all")
    for i in range(5, 30):
        file(world, "noise" if i % 2 else "other", title=f"第{i}条", idempotency_key=f"k{i}")
    assert queries_for(client, "/workbench/?who=all") == five <= QUEUE_QUERIES


def test_my_appeals_runs_the_same_few_queries_for_5_and_30_appeals(world):
    client = world.client("alice")
    for i in range(5):
        file(world, "noise", title=f"第{i}条", idempotency_key=f"k{i}")
    five = queries_for(client, "/appeals/")
    for i in range(5, 30):
        file(world, "noise", title=f"第{i}条", idempotency_key=f"k{i}")
    assert queries_for(client, "/appeals/") == five <= MINE_QUERIES


def test_residents_have_no_workbench(world):
    assert world.client("alice").get("/workbench/").status_code == 403


def forms_of(world: Any, who: str, appeal: Appeal) -> set[str]:
    return {f.action for f in world.client(who).get(f"/appeals/{appeal.pk}/").context["forms"]}


def test_the_holder_sees_exactly_the_actions_the_table_allows_them(world):
    appeal = file(world)
    assert forms_of(world, "grid1", appeal) == {"accept", "resolve", "reject", "transfer", "comment"}
    do(world, "grid1", appeal, "accept")
    assert forms_of(world, "grid1", appeal) == {"start", "resolve", "defer", "reject", "transfer", "comment"}


def test_the_cadre_may_also_assign(world):
    appeal = file(world)
    assert "assign" in forms_of(world, "cadre1", appeal)
    assert "assign" not in forms_of(world, "grid1", appeal)


def test_accept_then_resolve_with_a_note_from_the_page(world):
    appeal = file(world)
    client = world.client("grid1")
    assert client.post(f"/appeals/{appeal.pk}/act/", {"action": "accept"}).status_code == 302
    client.post(f"/appeals/{appeal.pk}/act/", {"action": "resolve", "note": "已上门协调，停止夜间施工"})
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED and appeal.resolution_note == "已上门协调，停止夜间施工"


def test_resolve_without_a_note_keeps_the_form_open_with_the_error(world):
    appeal = file(world)
    response = world.client("grid1").post(f"/appeals/{appeal.pk}/act/", {"action": "resolve", "note": " "})
    page = response.content.decode()
    assert response.status_code == 422 and "请填写办理结果" in page
    assert 'id="act-resolve"' in page


def test_transfer_to_a_person_in_scope_and_the_hand_off_trail(world):
    appeal = file(world)
    cadre1 = world.people["cadre1"]
    client = world.client("grid1")
    page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'value="p:{cadre1.pk}"' in page
    assert f'value="p:{world.people["cadre2"].pk}"' not in page  # another compound's cadre is not offered
    client.post(
        f"/appeals/{appeal.pk}/act/", {"action": "transfer", "to": f"p:{cadre1.pk}", "note": "需协调物业"}
    )
    assert Transfer.objects.get(appeal=appeal).to_person == cadre1
    world.client("cadre1").post(f"/appeals/{appeal.pk}/act/", {"action": "accept_transfer"})
    appeal.refresh_from_db()
    assert appeal.assignee == cadre1
    trail = world.client("cadre1").get(f"/appeals/{appeal.pk}/").context["holdings"]
    assert [h.person for h in trail] == [world.people["grid1"], cadre1]


def test_a_transfer_target_outside_the_offer_is_refused(world):
    appeal = file(world)
    outsider = world.people["cadre2"]
    response = world.client("grid1").post(
        f"/appeals/{appeal.pk}/act/", {"action": "transfer", "to": f"p:{outsider.pk}", "note": "x"}
    )
    assert response.status_code == 422 and not Transfer.objects.exists()


def test_transfer_to_an_agency_as_a_work_order(world):
    agency = Agency.objects.create(name="区住建局", region=world.district)
    appeal = file(world)
    world.client("grid1").post(
        f"/appeals/{appeal.pk}/act/", {"action": "transfer", "to": f"a:{agency.pk}", "note": "管线改造"}
    )
    assert Transfer.objects.get(appeal=appeal).to_agency == agency


def test_defer_with_a_new_date_and_a_reason(world):
    appeal = file(world)
    do(world, "grid1", appeal, "accept", at=now())
    later = timezone.localtime(now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    world.client("grid1").post(
        f"/appeals/{appeal.pk}/act/", {"action": "defer", "committed_due": later, "note": "等配件"}
    )
    appeal.refresh_from_db()
    assert appeal.committed_due is not None and appeal.committed_due > now() + dt.timedelta(days=4)


def test_reject_goes_to_the_cadre_for_review(world):
    appeal = file(world)
    world.client("grid1").post(f"/appeals/{appeal.pk}/act/", {"action": "reject", "note": "不属于社区事务"})
    appeal.refresh_from_db()
    assert appeal.status == Status.REJECTION_PENDING
    assert {"approve_rejection", "overturn_rejection"} <= forms_of(world, "cadre1", appeal)


def test_callback_records_the_rating_for_a_phone_appeal(world):
    appeal = file(world, channel="phone", dwelling=world.a101, who="grid1")
    do(world, "grid1", appeal, "resolve", note="已处理")
    assert "callback" in forms_of(world, "grid1", appeal)
    world.client("grid1").post(
        f"/appeals/{appeal.pk}/act/",
        {"action": "callback", "note": "电话回访，居民满意", "rating": "satisfied"},
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED and appeal.rating == "satisfied"


def test_a_comment(world):
    appeal = file(world)
    world.client("grid1").post(f"/appeals/{appeal.pk}/act/", {"action": "comment", "note": "明天上午上门"})
    assert "明天上午上门" in world.client("alice").get(f"/appeals/{appeal.pk}/").content.decode()


# --- bulk assign ---------------------------------------------------------------------------------


def test_a_cadre_assigns_several_appeals_to_one_person(world):
    first, second = file(world, title="一", idempotency_key="1"), file(world, title="二", idempotency_key="2")
    target = world.people["property"]
    response = world.client("cadre1").post(
        "/workbench/assign/",
        {"appeal": [first.pk, second.pk], "to": target.pk, "back": "/workbench/?who=all"},
    )
    assert response.status_code == 302 and response.url == "/workbench/?who=all"
    assert set(Appeal.objects.values_list("assignee", flat=True)) == {target.pk}


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [(1, "1 appeal assigned to", "已将 1 条诉求指派给"), (2, "2 appeals assigned to", "已将 2 条诉求指派给")],
)
def test_the_bulk_assign_message_counts_in_english(world, count, english, chinese):
    appeals = [file(world, idempotency_key=str(i)) for i in range(count)]
    form = {"appeal": [a.pk for a in appeals], "to": world.people["property"].pk}
    client = world.client("cadre1")
    assert chinese in client.post("/workbench/assign/", form, follow=True).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.post("/workbench/assign/", form, follow=True).content.decode()


def test_bulk_assign_skips_appeals_the_cadre_cannot_see(world):
    mine, theirs = file(world, idempotency_key="1"), file(world, who="carol", idempotency_key="2")
    world.client("cadre1").post(
        "/workbench/assign/", {"appeal": [mine.pk, theirs.pk], "to": world.people["property"].pk}
    )
    theirs.refresh_from_db()
    assert theirs.assignee == world.people["grid2"]


def test_a_grid_worker_may_not_bulk_assign(world):
    appeal = file(world)
    response = world.client("grid1").post(
        "/workbench/assign/", {"appeal": [appeal.pk], "to": world.people["grid1"].pk}
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.assignee == world.people["grid1"]


def test_the_assign_list_offers_only_staff_of_the_cadres_compound(world):
    file(world)
    offered = {c.person for c in world.client("cadre1").get("/workbench/").context["assignees"]}
    assert world.people["grid1"] in offered and world.people["property"] in offered
    assert world.people["grid2"] not in offered and world.people["cadre2"] not in offered


# --- entry on a resident's behalf ----------------------------------------------------------------


def entry_form(world: Any, **extra: Any) -> dict[str, Any]:
    return {
        "channel": "phone",
        "compound": world.sunshine.pk,
        "dwelling": "",
        "submitter": "",
        "category": Category.objects.get(code="noise").pk,
        "title": "电话反映噪音",
        "description": "居民来电",
        "location": "",
        "key": "entry-1",
        **extra,
    }


def test_staff_files_a_phone_appeal_for_a_resident(world):
    alice = world.people["alice"]
    response = world.client("grid1").post("/appeals/entry/", entry_form(world, submitter=alice.pk))
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert appeal.channel == "phone" and appeal.submitter == alice and appeal.dwelling == world.a101


def test_entry_twice_with_the_same_key_files_once(world):
    client = world.client("grid1")
    client.post("/appeals/entry/", entry_form(world))
    client.post("/appeals/entry/", entry_form(world))
    assert Appeal.objects.count() == 1


def test_entry_outside_the_callers_scope_is_a_field_error(world):
    response = world.client("grid1").post(
        "/appeals/entry/", entry_form(world, compound=world.west_compound.pk)
    )
    assert response.status_code == 422 and "请选择小区" in response.content.decode()
    assert not Appeal.objects.exists()


def test_entry_pickers_are_limited_to_the_scope(world):
    client = world.client("grid1")
    compounds = {c.pk for c in client.get("/appeals/entry/").context["compounds"]}
    assert world.sunshine.pk in compounds and world.west_compound.pk not in compounds
    dwellings = client.get(f"/appeals/entry/dwellings/?compound={world.west_compound.pk}").content.decode()
    assert world.west_dwelling.number not in dwellings
    found = client.get(f"/appeals/entry/submitters/?q=alice&compound={world.sunshine.pk}").content.decode()
    assert "alice的姓名" in found and "138****5678" in found
    assert "dave" not in client.get("/appeals/entry/submitters/?q=dave").content.decode()


def test_residents_cannot_use_staff_entry(world):
    assert world.client("alice").get("/appeals/entry/").status_code == 403
    assert world.client("alice").post("/appeals/entry/", entry_form(world)).status_code == 403
    assert not Appeal.objects.exists()


# --- home widgets --------------------------------------------------------------------------------


def test_home_widget_counts(world, rf, slow):
    from guanjia.web.views_appeals import home_staff

    file(world, "noise", title="超时", at=now() - dt.timedelta(hours=30), idempotency_key="1")
    file(world, "noise", title="临期", at=now() - dt.timedelta(hours=1, minutes=30), idempotency_key="2")
    file(world, "slow", idempotency_key="3")
    request = rf.get("/")
    request.user = world.user("grid1")
    assert home_staff(request)["appeals_home"]["counts"] == {"open": 3, "overdue": 1, "near": 1, "mine": 3}
