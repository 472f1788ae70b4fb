"""Running a vote from the pages: announce (the 15-day notice, or a recorded reason), open, follow
participation, enter paper and proxy ballots, close (early only with a reason), publish; and the result
page that shows its arithmetic. Property staff see the vote but never run it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guanjia.decisions.models import Ballot, DecisionEvent, OwnersVote
from tests.web.decisions_world import open_vote_now, text, voter


def local(at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%Y-%m-%dT%H:%M}"


def announce(client, world, **extra):
    now = timezone.now()
    body = {
        "compound": world.sunshine.pk,
        "title": "使用维修资金维修屋面",
        "matter": "use_maintenance_fund",
        "opens_at": local(now + dt.timedelta(days=16)),
        "closes_at": local(now + dt.timedelta(days=26)),
        "abstain": "on",
        **extra,
    }
    return client.post("/votes/new/", body)


def test_announcing_needs_fifteen_days_notice_or_a_reason(world):
    committee = world.client("committee")
    short = announce(committee, world, opens_at=local(timezone.now() + dt.timedelta(days=3)))
    assert short.status_code == 422 and "应于表决开始15日前公告" in text(short)
    assert not OwnersVote.objects.exists()
    ok = announce(
        committee,
        world,
        opens_at=local(timezone.now() + dt.timedelta(days=3)),
        notice_override_reason="屋面漏水紧急",
    )
    vote = OwnersVote.objects.get()
    assert ok.status_code == 302 and vote.notice_override_reason == "屋面漏水紧急"
    assert "少于规定的15日" in text(world.client("alice").get(f"/votes/{vote.pk}/"))


@pytest.mark.parametrize("who", ["property", "grid1", "alice", "official"])
def test_those_who_do_not_organise_cannot_announce(world, who):
    response = announce(world.client(who), world)
    assert response.status_code == 403 and "只有业委会委员" in text(response)
    assert not OwnersVote.objects.exists()


@pytest.mark.parametrize("who", ["committee", "cadre1", "secretary", "admin"])
def test_organisers_announce(world, who):
    assert announce(world.client(who), world).status_code == 302


def test_property_staff_see_the_vote_but_cannot_run_it(world):
    vote = open_vote_now(world)
    staff = world.client("property")
    page = text(staff.get(f"/votes/{vote.pk}/"))
    assert "结束表决并计票" not in page
    refused = staff.post(f"/votes/{vote.pk}/act/", {"action": "close", "reason": "想早点结束"})
    assert refused.status_code == 403 and "只有业委会委员" in text(refused)
    assert staff.get(f"/votes/{vote.pk}/entry/").status_code == 403
    assert staff.get(f"/votes/{vote.pk}/progress/").status_code == 403
    vote.refresh_from_db()
    assert vote.status == "open" and not DecisionEvent.objects.filter(kind="vote_closed").exists()


def test_closing_early_needs_a_reason(world):
    vote = open_vote_now(world)
    committee = world.client("committee")
    refused = committee.post(f"/votes/{vote.pk}/act/", {"action": "close"}, follow=True)
    assert "提前结束表决须说明理由" in text(refused)
    vote.refresh_from_db()
    assert vote.status == "open"


def test_grid_worker_enters_paper_and_proxy_ballots(world):
    vote = open_vote_now(world)
    grid1 = world.client("grid1")
    found = text(grid1.get(f"/votes/{vote.pk}/entry/?q=101"))
    assert voter(vote, world, "alice").label in found
    no_letter = grid1.post(
        f"/votes/{vote.pk}/entry/",
        {
            "voter": voter(vote, world, "alice").pk,
            "choice": "agree",
            "origin": "proxy",
            "key": "k1",
            "q": "101",
        },
        follow=True,
    )
    assert "须登记代理人和书面委托书" in text(no_letter)
    grid1.post(
        f"/votes/{vote.pk}/entry/",
        {
            "voter": voter(vote, world, "alice").pk,
            "choice": "agree",
            "origin": "proxy",
            "proxy_name": "alice的女儿",
            "authorisation": "委托书 2025-01",
            "key": "k2",
        },
    )
    ballot = Ballot.objects.get()
    assert (ballot.origin, ballot.proxy_name, ballot.cast_by) == ("proxy", "alice的女儿", world.user("grid1"))


def test_grid2_cannot_enter_ballots_in_another_grid(world):
    vote = open_vote_now(world)
    assert world.client("grid2").get(f"/votes/{vote.pk}/entry/").status_code == 404


def test_end_to_end_the_result_shows_its_arithmetic(world):
    vote = open_vote_now(world)
    alice, committee = world.client("alice"), world.client("committee")
    alice.post(
        f"/votes/{vote.pk}/ballot/", {"voter": voter(vote, world, "alice").pk, "choice": "agree", "key": "a"}
    )
    progress = text(committee.get(f"/votes/{vote.pk}/progress/"))
    assert "1 / 2" in progress and "同意" not in progress.split("参与进度", 2)[-1].split("按楼栋")[0]
    committee.post(f"/votes/{vote.pk}/act/", {"action": "close", "reason": "全体业主已表决完毕"})
    # Counted, not yet published: the owners wait, the organisers check.
    assert alice.get(f"/votes/{vote.pk}/result/").status_code == 302
    assert committee.get(f"/votes/{vote.pk}/result/").status_code == 200
    committee.post(f"/votes/{vote.pk}/act/", {"action": "publish"})
    page = text(alice.get(f"/votes/{vote.pk}/result/"))
    total = vote.voters.all()
    total_area = sum(v.area for v in total)
    assert f"{total_area:.2f}" in page
    # One of two owners took part: 1 ≥ 2/3 × 2 = 4/3 fails; the exact fraction is printed.
    assert "≥ 2/3 × 2 = 4/3" in page and "表决未通过" in page and "未达到" in page
    assert "至少需要 2 人" in page


def test_the_organiser_home_widget_shows_participation(world, rf):
    from django.template.loader import render_to_string

    from guanjia.web.views_decisions import home_organiser, home_resident

    vote = open_vote_now(world)
    request = rf.get("/")
    request.user = world.user("committee")
    html = render_to_string("web/decisions/_home_organiser.html", home_organiser(request), request=request)
    assert vote.title in html and "已投 0 / 2" in html
    request.user = world.user("alice")
    html = render_to_string("web/decisions/_home_resident.html", home_resident(request), request=request)
    assert "待我投票" in html and vote.title in html
    request.user = world.user("carol")
    assert home_resident(request)["decisions_home"]["awaiting"] == []
