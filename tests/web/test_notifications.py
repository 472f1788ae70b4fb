"""The notification centre: one's own notifications, unread first; mark one or all read; the unread count
in the navigation; nobody else's notifications are reachable."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanjia.core.models import Notification
from tests.appeals.conftest import do, file


def note(user: Any, title: str, url: str = "", read: bool = False) -> Notification:
    from django.utils import timezone

    return Notification.objects.create(
        user=user, kind="appeal", title=title, url=url, read_at=timezone.now() if read else None
    )


def test_unread_come_first(world):
    alice = world.user("alice")
    note(alice, "旧的已读", read=True)
    note(alice, "新的未读")
    rows = list(world.client("alice").get("/notifications/").context["page"].object_list)
    assert [n.title for n in rows] == ["新的未读", "旧的已读"]


def test_an_appeal_resolved_reaches_the_residents_centre(world):
    appeal = file(world)
    do(world, "grid1", appeal, "resolve", note="已处理")
    page = world.client("alice").get("/notifications/").content.decode()
    assert "您的诉求已办结，请评价" in page


def test_the_navigation_shows_the_unread_count(world):
    alice = world.user("alice")
    for i in range(3):
        note(alice, f"通知{i}")
    page = world.client("alice").get("/notifications/").content.decode()
    assert "通知（3）" in page
    world.client("alice").post("/notifications/read-all/")
    assert "通知（" not in world.client("alice").get("/notifications/").content.decode()


def test_the_badge_is_one_query(world):
    from guanjia.web.views_notifications import unread_count

    alice = world.user("alice")
    for i in range(120):
        note(alice, f"通知{i}")
    with CaptureQueriesContext(connection) as ctx:
        assert unread_count(alice.pk) == 100
    assert len(ctx.captured_queries) == 1
    assert "通知（99+）" in world.client("alice").get("/notifications/").content.decode()


def test_mark_one_read_over_htmx(world):
    n = note(world.user("alice"), "一条")
    response = world.client("alice").post(f"/notifications/{n.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "unread" not in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_marks_read_and_goes_to_the_appeal(world):
    appeal = file(world)
    n = note(world.user("alice"), "去看看", url=f"/appeals/{appeal.pk}/")
    response = world.client("alice").post(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response.url == f"/appeals/{appeal.pk}/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_outside_link_is_not_followed(world):
    n = note(world.user("alice"), "钓鱼", url="https://evil.example/")
    response = world.client("alice").post(f"/notifications/{n.pk}/open/")
    assert response.url == "/notifications/"


def test_someone_elses_notification_is_not_found_and_stays_unread(world):
    n = note(world.user("alice"), "alice 的")
    client = world.client("bob")
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{n.pk}/open/").status_code == 404
    client.post("/notifications/read-all/")
    assert "alice 的" not in client.get("/notifications/").content.decode()
    n.refresh_from_db()
    assert n.read_at is None


def test_anonymous_is_sent_to_log_in(world):
    assert world.client(None).get("/notifications/").status_code == 302
