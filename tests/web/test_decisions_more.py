"""Consultations (landlord and tenant both, door to door by the grid worker), committees with their terms
(an election becomes a term from the page), and a self-governance group's public ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guanjia.decisions import services
from guanjia.decisions.models import CommitteeTerm, ConsultationResponse
from guanjia.people.models import Role
from tests.decisions.conftest import flat, person
from tests.factories import make_resident, make_staff
from tests.web.decisions_world import open_vote_now, text, voter


@pytest.fixture
def consultation(world):
    # bob lets A-102 to tina: the flat consents only when both agree.
    world.people["tina"] = make_resident("tina", world.a102, relation="tenant")
    return services.consultation_create(
        user=world.user("committee"),
        compound=world.sunshine,
        question="是否同意成立业主委员会并选聘物业服务企业？",
        closes_at=timezone.now() + dt.timedelta(days=7),
    )


def answer(client, c, dwelling, party, agrees, origin="online", key=""):
    data = {"dwelling": dwelling.pk, "party": party, "agrees": "yes" if agrees else "no", "origin": origin}
    return client.post(f"/consultations/{c.pk}/answer/", {**data, "key": key})


def test_a_rented_flat_consents_only_when_landlord_and_tenant_both_agree(world, consultation):
    bob, tina = world.client("bob"), world.client("tina")
    page = text(bob.get(f"/consultations/{consultation.pk}/"))
    assert "业主（房东）" in page and "租户" in page and "尚未答复" in page
    answer(bob, consultation, world.a102, "owner", True)
    units = services.consultation_tally(consultation).total
    assert (units.answered, units.consenting) == (1, 0)
    answer(tina, consultation, world.a102, "tenant", True)
    assert services.consultation_tally(consultation).total.consenting == 1


def test_a_tenant_cannot_answer_for_the_landlord_nor_a_neighbour_for_alice(world, consultation):
    assert answer(world.client("tina"), consultation, world.a102, "owner", True).status_code == 404
    assert answer(world.client("bob"), consultation, world.a101, "owner", False).status_code == 404
    assert not ConsultationResponse.objects.exists()


def test_the_grid_worker_enters_answers_door_to_door_and_sees_progress(world, consultation):
    grid1 = world.client("grid1")
    page = text(grid1.get(f"/consultations/{consultation.pk}/?q=101"))
    assert "入户录入" in page and "按楼栋" in page and "按网格" in page
    answer(grid1, consultation, world.a101, "owner", True, origin="door_to_door", key="d1")
    answer(grid1, consultation, world.a101, "owner", True, origin="door_to_door", key="d1")
    row = ConsultationResponse.objects.get()
    assert (row.origin, row.entered_by) == ("door_to_door", world.user("grid1"))


def test_residents_do_not_see_consultation_progress_and_outsiders_do_not_find_it(world, consultation):
    assert "按网格" not in text(world.client("alice").get(f"/consultations/{consultation.pk}/"))
    for who in ("carol", "dave", "grid2"):
        assert world.client(who).get(f"/consultations/{consultation.pk}/").status_code == 404
    refused = world.client("property").post(f"/consultations/{consultation.pk}/close/")
    assert refused.status_code == 403
    world.client("committee").post(f"/consultations/{consultation.pk}/close/")
    consultation.refresh_from_db()
    assert consultation.status == "closed" and consultation.units_total == 2


def test_an_election_on_the_page_then_a_term_from_the_committees_page(world):
    user = world.user("committee")
    committee = services.committee_prepare(user=user, compound=world.sunshine)
    people = [person(f"候选{i}", party=i < 3) for i in range(5)]
    for i, p in enumerate(people):
        flat(world, f"m{i}", "90", p)
    vote = open_vote_now(
        world,
        matter="elect_committee",
        title="选举第一届业主委员会",
        seats=5,
        candidate_ids=[p.pk for p in people],
        committee=committee,
    )
    alice = world.client("alice")
    page = text(alice.get(f"/votes/{vote.pk}/"))
    assert "候选0" in page and "应选 5 名" in page
    marks = {f"c{c.pk}": "agree" for c in vote.candidates.all()}
    alice.post(f"/votes/{vote.pk}/ballot/", {"voter": voter(vote, world, "alice").pk, "key": "e1", **marks})
    for v in vote.voters.exclude(owners__person=world.people["alice"]):
        services.ballot_cast(
            user=user,
            vote=vote,
            voter_id=v.pk,
            choice="agree",
            origin="paper",
            marks={str(c.pk): "agree" for c in vote.candidates.all()},
        )
    client = world.client("committee")
    client.post(f"/votes/{vote.pk}/act/", {"action": "close", "reason": "全体已投"})
    client.post(f"/votes/{vote.pk}/act/", {"action": "publish"})
    assert "当选" in text(alice.get(f"/votes/{vote.pk}/result/"))
    page = text(client.get("/committees/"))
    assert "按选举结果组成新一届" in page
    start = timezone.localdate()
    client.post(
        f"/committees/{committee.pk}/terms/",
        {
            "election": vote.pk,
            "starts_on": f"{start:%Y-%m-%d}",
            "ends_on": f"{start + dt.timedelta(days=365 * 5 - 2):%Y-%m-%d}",
            f"position_{people[0].pk}": "chair",
        },
    )
    term = CommitteeTerm.objects.get()
    assert term.members.count() == 5 and term.members.get(position="chair").person == people[0]
    assert term.registration_due == start + dt.timedelta(days=30)
    page = text(alice.get("/committees/"))
    assert "第1届" in page and "党员 3" in page and "未备案" in page
    assert "按选举结果组成新一届" not in page
    assert world.client("property").post(f"/terms/{term.pk}/register/").status_code == 403
    assert "第1届" not in text(world.client("carol").get("/committees/"))


@pytest.fixture
def group(world):
    world.people["westcadre"] = make_staff("westcadre", Role.CADRE, world.west_compound)
    user = world.user("westcadre")
    group = services.group_create(
        user=user,
        compound=world.west_compound,
        name="西苑自治小组",
        formed_on=timezone.localdate(),
        leader_ids=[world.people["dave"].pk],
        member_ids=[],
    )
    project = services.project_propose(user=user, group=group, title="充电棚", budget=Decimal("1000"))
    project.status = "approved"
    project.save()
    today = timezone.localdate()
    services.ledger_record(
        user=user,
        project=project,
        kind="contribution",
        amount=Decimal("300.00"),
        on=today,
        counterparty="301",
    )
    services.ledger_record(
        user=user, project=project, kind="expense", amount=Decimal("120.50"), on=today, counterparty="施工方"
    )
    return group


def test_the_groups_public_ledger_balances(world, group):
    page = text(world.client("dave").get(f"/groups/{group.pk}/"))
    assert "300.00" in page and "120.50" in page and "179.50" in page
    assert world.client("alice").get(f"/groups/{group.pk}/").status_code == 404
