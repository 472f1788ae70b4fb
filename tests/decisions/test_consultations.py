"""Consultations: every occupied dwelling asked; a rented one consents only with landlord and tenant both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from guanjia.decisions import services
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import ConsultationResponse, ConsultationUnit, DecisionEvent
from guanjia.people.models import Residency
from tests.factories import make_resident


def start(world: Any, target: str = "90") -> Any:
    return services.consultation_create(
        user=world.user("committee"),
        compound=world.sunshine,
        question="是否同意成立业委会并选聘物业？",
        closes_at=timezone.now() + dt.timedelta(days=10),
        target_percent=Decimal(target),
    )


def answer(world: Any, who: str, c: Any, dwelling: Any, agrees: bool = True, **kw: Any) -> Any:
    kw.setdefault("party", "owner")
    kw.setdefault("origin", "online")
    return services.consultation_answer(
        user=world.user(who), consultation=c, dwelling_id=dwelling.pk, agrees=agrees, **kw
    )


@pytest.fixture
def rented(world: Any) -> Any:
    """bob's A-102 is let to a tenant, tina."""
    world.people["tina"] = make_resident("tina", world.a102, relation=Residency.Relation.TENANT)
    return world.a102


def test_every_occupied_dwelling_is_asked(world: Any, rented: Any) -> None:
    c = start(world)
    units = {u.dwelling_id: u.rented for u in ConsultationUnit.objects.filter(consultation=c)}
    assert units == {world.a101.pk: False, world.a102.pk: True}


def test_a_rented_flat_needs_both_landlord_and_tenant(world: Any, rented: Any) -> None:
    c = start(world, target="100")
    answer(world, "alice", c, world.a101)
    answer(world, "bob", c, rented)
    assert services.consultation_tally(c).total.consenting == 1
    answer(world, "tina", c, rented, party="tenant")
    counted = services.consultation_tally(c)
    assert counted.total.consenting == 2 and counted.target_met


def test_the_target_is_inclusive(world: Any) -> None:
    c = start(world, target="50")
    answer(world, "alice", c, world.a101)
    answer(world, "bob", c, world.a102, agrees=False)
    counted = services.consultation_tally(c)
    assert counted.total.share() == Decimal("0.5") and counted.target_met  # 50%以上 includes 50%


def test_grid_workers_enter_door_to_door_answers_for_their_own_grid_only(world: Any) -> None:
    c = start(world)
    done, _ = answer(world, "grid1", c, world.a102, origin="door_to_door", note="入户签字")
    assert (done.origin, done.entered_by) == ("door_to_door", world.user("grid1"))
    with pytest.raises(PermissionDenied):
        answer(world, "grid2", c, world.a102, origin="door_to_door")


def test_a_resident_answers_only_for_their_own_dwelling(world: Any) -> None:
    c = start(world)
    with pytest.raises(ConsultationUnit.DoesNotExist):
        answer(world, "alice", c, world.a102)
    with pytest.raises(ConsultationUnit.DoesNotExist):
        answer(world, "alice", c, world.a101, party="tenant")  # alice is the owner, not a tenant


def test_changes_keep_every_answer_and_the_key_makes_a_retry_harmless(world: Any) -> None:
    c = start(world)
    answer(world, "alice", c, world.a101, agrees=False, idempotency_key="a1")
    answer(world, "alice", c, world.a101, agrees=False, idempotency_key="a1")
    answer(world, "alice", c, world.a101, agrees=True)
    rows = list(ConsultationResponse.objects.order_by("id").values_list("agrees", "is_current"))
    assert rows == [(False, False), (True, True)]


def test_progress_by_building_and_grid_and_the_close(world: Any) -> None:
    c = start(world)  # carol's household in 月季 is in another compound: not asked
    answer(world, "alice", c, world.a101)
    counted = services.consultation_tally(c)
    ((_, building),) = counted.by_building
    assert counted.by_grid[world.grid1.pk].answered == 1 and counted.total.units == 2
    assert building.endswith("1号楼")
    closed = services.consultation_close(user=world.user("committee"), consultation=c)
    assert (closed.units_total, closed.units_consenting, closed.target_met) == (2, 1, False)
    assert DecisionEvent.objects.filter(consultation=c).count() == 2
    with pytest.raises(DecisionError):
        answer(world, "bob", c, world.a102)
