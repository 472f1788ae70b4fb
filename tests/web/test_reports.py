"""The KPI report page and its Excel export: scoped like the API, with pickers, rankings and charts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.appeals.conftest import T0, do, file

URL = "/reports/appeals/"
NOV = {"from": "2026-11-01", "to": "2026-11-30"}  # both days included on the page


@pytest.fixture
def filed(world: Any) -> None:
    done = file(world)
    do(world, "grid1", done, "resolve", at=T0 + dt.timedelta(hours=1), note="已处理")
    do(world, "alice", done, "confirm", at=T0 + dt.timedelta(hours=2), rating="satisfied")
    file(world, who="carol")


def test_the_secretary_sees_the_community_figures_rankings_and_chart_data(world, filed):
    response = world.client("secretary").get(URL, {"scope": f"community:{world.community.pk}", **NOV})
    assert response.status_code == 200
    page = response.content.decode()
    assert "诉求考核指标" in page and "东社区" in page
    assert 'id="kpi-data"' in page and "echarts.min.js" in page
    for heading in ("网格员排名", "包片干部排名", "物业公司排名", "小区排名"):
        assert heading in page
    assert world.people["grid1"].name in page
    assert response.context["k"].submitted == 2
    assert response.context["d"]["satisfaction_rate"] == "100.0%"


def test_without_a_scope_the_page_shows_the_callers_own_place(world, filed):
    response = world.client("cadre1").get(URL, NOV)
    assert response.context["report"].scope.key == f"compound:{world.sunshine.pk}"
    assert response.context["k"].submitted == 1


def test_a_month_picks_the_period(world, filed):
    response = world.client("secretary").get(URL, {"month": "2026-10"})
    assert response.context["report"].period.first_day == dt.date(2026, 10, 1)
    assert response.context["k"].submitted == 0
    assert "该期间没有诉求" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("cadre2", 404), ("official2", 404), ("alice", 403)])
def test_a_scope_the_caller_may_not_see_is_not_found(world, filed, who, status):
    response = world.client(who).get(URL, {"scope": f"compound:{world.sunshine.pk}"})
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in(world):
    response = world.client(None).get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_excel_export_has_the_overview_rankings_and_trend(world, filed):
    response = world.client("secretary").get(
        "/reports/appeals/export.xlsx", {"scope": f"community:{world.community.pk}", **NOV}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概览", "网格员", "包片干部", "物业公司", "小区", "月度趋势", "口径"]
    overview = list(book["概览"].values)
    assert overview[1][0] == "东社区" and overview[1][2] == 2  # submitted
    compounds = {row[1] for row in list(book["小区"].values)[1:]}
    assert compounds == {"阳光小区", "月季小区"}


def test_staff_get_a_navigation_entry_and_residents_do_not(world):
    assert "考核指标" in world.client("grid1").get("/").content.decode()
    assert "/reports/appeals/" not in world.client("alice").get("/").content.decode()


def test_the_page_answers_in_a_bounded_number_of_queries(world, filed, django_assert_max_num_queries):
    client = world.client("secretary")
    with django_assert_max_num_queries(40):
        client.get(URL, {"scope": f"community:{world.community.pk}", **NOV})
