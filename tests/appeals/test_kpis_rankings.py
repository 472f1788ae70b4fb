"""Ranking tables and the monthly trend (docs/kpis.md § rankings): who is ranked on which appeals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guanjia.appeals import kpis
from guanjia.appeals.kpis_rankings import ranking, trend
from guanjia.appeals.models import Appeal
from tests.appeals.conftest import T0, do, file

H = dt.timedelta(hours=1)
NOV = kpis.Period.month(T0.date())
LATER = T0 + dt.timedelta(days=20)


def table(name: str) -> dict[str, kpis.Kpis]:
    return {row.label: row.kpis for row in ranking(Appeal.objects.all(), NOV, name, as_of=LATER)}


def test_people_are_ranked_on_the_appeals_they_are_accountable_for(world: Any) -> None:
    moved = file(world)  # grid1 receives it first
    do(world, "grid1", moved, "transfer", at=T0 + H, note="属于月季网格", to_person=world.people["grid2"])
    assert table("grid_worker")[world.people["grid1"].name].submitted == 1  # until the transfer is taken
    do(world, "grid2", moved, "accept_transfer", at=T0 + 2 * H)
    file(world)
    rows = table("grid_worker")
    assert rows[world.people["grid1"].name].submitted == 1
    assert rows[world.people["grid2"].name].submitted == 1


def test_cadres_are_ranked_on_the_appeals_routed_to_them(world: Any) -> None:
    file(world, code="greening", title="树枝挡窗", photos=[_photo()])  # greening goes to the 包片 cadre
    file(world)  # noise goes to the grid worker
    assert {name: k.submitted for name, k in table("cadre").items()} == {world.people["cadre1"].name: 1}


def test_best_composite_first_ties_share_a_rank_and_rows_without_a_score_come_last(world: Any) -> None:
    for who in ("alice", "carol"):  # same story in both grids: answered, resolved, 满意
        appeal = file(world, who=who)
        do(world, "grid1" if who == "alice" else "grid2", appeal, "resolve", at=T0 + H, note="好")
        do(world, who, appeal, "confirm", at=T0 + 2 * H, rating="satisfied")
    file(world, who="dave")  # 西苑: no grid worker there, the cadre-less fallback is nobody
    rows = ranking(Appeal.objects.all(), NOV, "compound", as_of=LATER)
    assert [(r.label, r.rank) for r in rows[:2]] in (
        [("阳光小区", 1), ("月季小区", 1)],
        [("月季小区", 1), ("阳光小区", 1)],
    )
    assert rows[2].label == "西苑" and rows[2].kpis.composite == 0.0 and rows[2].rank == 3


def test_companies_are_ranked_on_the_appeals_their_staff_answer_for(world: Any) -> None:
    from guanjia.property.models import CompanyStaff, PropertyCompany

    company = PropertyCompany.objects.create(name="红星物业")
    CompanyStaff.objects.create(
        company=company, person=world.people["property"], start_date=dt.date(2026, 1, 1)
    )
    file(world, code="private-repair", title="厨房漏水")  # property category: property staff answers
    file(world)  # noise: the grid worker
    assert {name: k.submitted for name, k in table("company").items()} == {"红星物业": 1}


def test_the_trend_has_every_month_even_empty_ones(world: Any) -> None:
    file(world, at=T0)
    file(world, at=T0 - dt.timedelta(days=40))  # September
    months = trend(Appeal.objects.all(), T0.date(), months=3, as_of=LATER)
    assert [(m.month, k.submitted) for m, k in months] == [(9, 1), (10, 0), (11, 1)]


def _photo() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("tree.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
