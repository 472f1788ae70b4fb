"""Every role logs in and lands on its own home page; nobody gets in without logging in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user

HOME = "/"

ROLE_PAGES = {
    "alice": ["我的家", "阳光小区", "grid1的姓名", "cadre1的姓名", "显示完整号码", "物业公司管理"],
    "bob": ["我的家", "102", "bob的姓名"],
    "grid1": ["我的网格", "阳光一网格", "alice的姓名", "bob的姓名"],
    "grid2": ["我的网格", "月季网格", "carol的姓名"],
    "cadre1": ["我包片的小区", "阳光小区", "grid1的姓名"],
    "cadre2": ["我包片的小区", "月季小区", "grid2的姓名"],
    "secretary": ["社区概况", "东社区", "阳光一网格", "导入居民", "导入模板"],
    "property": ["我服务的小区", "阳光小区", "物业人员"],
    "committee": ["我服务的小区", "阳光小区", "业委会/物管会委员"],
    "official": ["小区管理覆盖情况", "阳光小区", "月季小区", "coverage-data"],
    "official2": ["小区管理覆盖情况", "西苑"],
    "agency": ["小区管理覆盖情况", "西苑", "阳光小区"],
    "admin": ["系统概况", "/admin/", "/api/v1/docs"],
}

NOT_ON_PAGE = {
    "alice": ["bob的姓名"],
    "bob": ["alice的姓名"],
    "grid2": ["alice的姓名"],
    "cadre2": ["阳光小区"],
    "official": ["西苑"],
    "official2": ["阳光小区", "月季小区"],
}


@pytest.mark.parametrize("name", sorted(ROLE_PAGES))
def test_each_role_sees_its_own_home(world, name):
    response = world.client(name).get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ROLE_PAGES[name]:
        assert text in html, f"{name}: {text!r} missing"
    for text in NOT_ON_PAGE.get(name, []):
        assert text not in html, f"{name}: {text!r} should not be shown"


def test_header_shows_name_role_language_switch_and_post_logout(world):
    html = world.client("grid1").get(HOME).content.decode()
    assert "grid1的姓名" in html
    assert "网格员" in html
    assert 'action="/i18n/setlang/"' in html
    assert 'action="/logout/" method="post"' in html


def test_a_user_without_a_role_is_told_so_politely(world):
    make_user("newcomer")
    html = world.client("newcomer").get(HOME).content.decode()
    assert "还没有分配角色" in html


def test_resident_sees_masked_phones_only(world):
    html = world.client("alice").get(HOME).content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html


PAGES = [
    HOME,
    "/compounds/",
    "/residents/search/",
    "/import/residents/",
    "/import/template.xlsx",
    "/export/residents.xlsx",
]


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_is_sent_to_login(world, path):
    response = world.client(None).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_anonymous_is_sent_to_login_from_object_pages(world):
    client = world.client(None)
    household = world.people["alice"].residencies.get().household
    for path in [
        f"/compounds/{world.sunshine.pk}/",
        f"/households/{household.pk}/",
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/login/")
    response = client.post(f"/people/{world.people['alice'].pk}/reveal/", {"field": "phone"})
    assert response.status_code == 302


def test_login_page_is_chinese_and_logs_in(world):
    client = world.client(None)
    assert "登录管家" in client.get("/login/").content.decode()
    response = client.post("/login/", {"username": "alice", "password": "guanjia-test"})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_wrong_password_is_refused_in_chinese(world):
    html = world.client(None).post("/login/", {"username": "alice", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in html


def test_logout_needs_post(world):
    client = world.client("alice")
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get(HOME).status_code == 302


def test_english_by_cookie(world):
    client = world.client("alice")
    client.cookies["django_language"] = "en"
    html = client.get(HOME).content.decode()
    assert "My home" in html
    assert "Show full number" in html
    assert "我的家" not in html


def test_english_by_accept_language(world):
    html = world.client("official").get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Management coverage of compounds" in html
    assert "Property company" in html


def test_language_switch_sets_english(world):
    client = world.client("alice")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "My home" in client.get(HOME).content.decode()


def test_chinese_is_the_default(world):
    assert "我的家" in world.client("alice").get(HOME).content.decode()


def test_an_expired_session_sends_htmx_requests_to_the_login_page(world):
    response = world.client(None).get(
        "/residents/search/",
        {"q": "alice"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://x/compounds/1/",
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/login/?next=%2Fcompounds%2F1%2F"
    assert "alice" not in response.content.decode()
