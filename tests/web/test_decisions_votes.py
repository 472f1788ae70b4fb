"""An owner's vote on the phone: the votes of my compound, the rules in plain words, my entry on the frozen
roll, casting and changing my ballot once per form, and who may not cast for whom."""

from __future__ import annotations

import pytest

from guanjia.decisions.models import Ballot
from tests.web.decisions_world import form_key, open_vote_now, text, voter


@pytest.fixture
def vote(world):
    return open_vote_now(world)


def test_my_compounds_votes_show_what_waits_for_me(world, vote):
    page = text(world.client("alice").get("/votes/"))
    assert "续聘物业服务企业" in page and "待我投票" in page


def test_the_vote_page_explains_the_rules_and_shows_my_entry_on_the_roll(world, vote):
    response = world.client("alice").get(f"/votes/{vote.pk}/")
    page = text(response)
    assert response.status_code == 200
    # The quorum in plain words, with this roll's own numbers: 2 owners, 177 m² → at least 2 owners.
    assert "三分之二以上" in page and "过半数" in page
    assert '本次名册共 <span class="num">2</span> 位业主' in page
    # My entry: my flat, its area, where the figure comes from.
    mine = voter(vote, world, "alice")
    assert mine.label in page and f"{mine.area} ㎡" in page and "登记面积" in page
    assert 'name="choice" value="agree"' in page


def test_casting_then_changing_my_ballot_keeps_both_and_counts_the_last(world, vote):
    alice = world.client("alice")
    mine = voter(vote, world, "alice")
    first = alice.post(
        f"/votes/{vote.pk}/ballot/",
        {"voter": mine.pk, "choice": "agree", "key": form_key(text(alice.get(f"/votes/{vote.pk}/")))},
    )
    assert first.status_code == 302
    key = form_key(text(alice.get(f"/votes/{vote.pk}/")))
    alice.post(f"/votes/{vote.pk}/ballot/", {"voter": mine.pk, "choice": "oppose", "key": key})
    ballots = list(Ballot.objects.filter(voter=mine).order_by("id"))
    assert [(b.choice, b.is_current, b.origin) for b in ballots] == [
        ("agree", False, "online"),
        ("oppose", True, "online"),
    ]
    assert "反对" in text(alice.get(f"/votes/{vote.pk}/"))


def test_the_same_form_sent_twice_records_one_ballot(world, vote):
    alice = world.client("alice")
    mine = voter(vote, world, "alice")
    key = form_key(text(alice.get(f"/votes/{vote.pk}/")))
    for _ in range(2):
        alice.post(f"/votes/{vote.pk}/ballot/", {"voter": mine.pk, "choice": "agree", "key": key})
    assert Ballot.objects.filter(voter=mine).count() == 1
    follow = alice.post(
        f"/votes/{vote.pk}/ballot/", {"voter": mine.pk, "choice": "agree", "key": key}, follow=True
    )
    assert "已经记录过" in text(follow)


def test_bob_cannot_cast_for_alices_dwelling(world, vote):
    alices = voter(vote, world, "alice")
    response = world.client("bob").post(f"/votes/{vote.pk}/ballot/", {"voter": alices.pk, "choice": "oppose"})
    assert response.status_code == 404
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("who", ["carol", "dave", "grid2", "cadre2", "official2"])
def test_outsiders_do_not_find_the_vote(world, vote, who):
    client = world.client(who)
    assert client.get(f"/votes/{vote.pk}/").status_code == 404
    assert client.get(f"/votes/{vote.pk}/result/").status_code == 404
    assert (
        client.post(f"/votes/{vote.pk}/ballot/", {"voter": voter(vote, world, "alice").pk}).status_code == 404
    )
    assert "续聘物业服务企业" not in text(client.get("/votes/"))
    assert not Ballot.objects.exists()


def test_a_refused_ballot_is_explained_in_chinese(world, vote):
    alice = world.client("alice")
    response = alice.post(
        f"/votes/{vote.pk}/ballot/", {"voter": voter(vote, world, "alice").pk, "choice": "maybe"}, follow=True
    )
    assert "意见应为同意、反对或弃权" in text(response)
    assert not Ballot.objects.exists()


def test_a_paper_ballot_cannot_be_doubled_online(world, vote):
    bobs = voter(vote, world, "bob")
    grid1 = world.client("grid1")
    grid1.post(
        f"/votes/{vote.pk}/entry/", {"voter": bobs.pk, "choice": "agree", "origin": "paper", "key": "p1"}
    )
    bob = world.client("bob")
    page = text(bob.get(f"/votes/{vote.pk}/"))
    assert "纸质" in page and 'name="choice"' not in page
    refused = bob.post(
        f"/votes/{vote.pk}/ballot/", {"voter": bobs.pk, "choice": "oppose", "key": "x"}, follow=True
    )
    assert "不能再经其他途径投票" in text(refused)
    assert list(Ballot.objects.values_list("choice", "origin")) == [("agree", "paper")]


def test_anonymous_is_sent_to_log_in(world, vote):
    response = world.client(None).get(f"/votes/{vote.pk}/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_vote_list_keeps_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for i in range(4):
        open_vote_now(world, title=f"表决{i}")
    alice = world.client("alice")
    alice.get("/votes/")
    with django_assert_max_num_queries(14):
        assert alice.get("/votes/").status_code == 200
