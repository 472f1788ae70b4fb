"""Self-governance groups: projects the residents decide, and a public ledger that always balances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanjia.decisions import services
from guanjia.decisions.errors import DecisionError
from guanjia.people.models import Role
from tests.factories import make_staff

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def group(world: Any) -> Any:
    world.people["westcadre"] = make_staff("westcadre", Role.CADRE, world.west_compound)
    return services.group_create(
        user=world.user("westcadre"),
        compound=world.west_compound,
        name="西苑自治小组",
        formed_on=TODAY,
        leader_ids=[world.people["dave"].pk],
        member_ids=[],
    )


def test_only_self_governed_compounds_have_groups(world: Any) -> None:
    with pytest.raises(DecisionError):
        services.group_create(
            user=world.user("committee"),
            compound=world.sunshine,
            name="x",
            formed_on=TODAY,
            leader_ids=[1],
            member_ids=[],
        )


def test_a_project_spends_only_after_the_residents_agree(world: Any, group: Any) -> None:
    dave = world.user("dave")
    project = services.project_propose(user=dave, group=group, title="电动车充电棚", budget=Decimal("12000"))
    services.ledger_record(
        user=dave,
        project=project,
        kind="contribution",
        amount=Decimal("200.00"),
        on=TODAY,
        counterparty="3号楼201",
    )
    with pytest.raises(DecisionError):
        services.ledger_record(
            user=dave,
            project=project,
            kind="expense",
            amount=Decimal("50.00"),
            on=TODAY,
            counterparty="施工队",
        )
    c = services.consultation_create(
        user=world.user("westcadre"),
        compound=world.west_compound,
        question="是否同意自筹建设充电棚？",
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    services.consultation_answer(
        user=dave,
        consultation=c,
        dwelling_id=world.west_dwelling.pk,
        party="owner",
        agrees=True,
        origin="online",
    )
    services.consultation_close(user=world.user("westcadre"), consultation=c)
    c.refresh_from_db()
    assert services.project_decide(user=dave, project=project, consultation=c).status == "approved"
    services.ledger_record(
        user=dave, project=project, kind="expense", amount=Decimal("50.10"), on=TODAY, counterparty="施工队"
    )
    balance = services.project_balance(project)
    assert (balance.contributions, balance.expenses, balance.balance) == (
        Decimal("200.00"),
        Decimal("50.10"),
        Decimal("149.90"),
    )


def test_amounts_are_positive_with_at_most_two_decimals(world: Any, group: Any) -> None:
    project = services.project_propose(user=world.user("dave"), group=group, title="x", budget=Decimal("1"))
    for bad in (Decimal("0"), Decimal("-1"), Decimal("1.005")):
        with pytest.raises(DecisionError):
            services.ledger_record(
                user=world.user("dave"),
                project=project,
                kind="contribution",
                amount=bad,
                on=TODAY,
                counterparty="x",
            )


def test_outsiders_keep_no_ledger(world: Any, group: Any) -> None:
    project = services.project_propose(user=world.user("dave"), group=group, title="x", budget=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.ledger_record(
            user=world.user("alice"),
            project=project,
            kind="contribution",
            amount=Decimal("1"),
            on=TODAY,
            counterparty="x",
        )
