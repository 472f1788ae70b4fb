"""Consultations (征求意见): every occupied dwelling of a compound is asked one yes/no question.

A rented dwelling consents only when both the landlord (owner) and the tenant do. Answers come online
from the residents, or door to door from grid workers, with the same record of who entered what."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.decisions import permissions as dperms
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import Consultation, ConsultationResponse, ConsultationUnit
from guanjia.decisions.services.events import record_event
from guanjia.people import permissions as perms
from guanjia.people.models import Residency
from guanjia.people.permissions import in_force
from guanjia.places.models import Compound, Dwelling

OWNER, TENANT = ConsultationResponse.Party.OWNER, ConsultationResponse.Party.TENANT


@transaction.atomic
def consultation_create(
    *,
    user: Any,
    compound: Compound,
    question: str,
    closes_at: dt.datetime,
    target_percent: Decimal = Decimal("90"),
    description: str = "",
    now: dt.datetime | None = None,
) -> Consultation:
    """Opens a consultation at once and freezes the dwellings asked: those with someone living there."""
    now = now or timezone.now()
    perms.require(dperms.can_organise(perms.scope_for(user), compound), _("无权发起征求意见"))
    if not question.strip():
        raise invalid("question", _("请填写征求事项"))
    if closes_at <= now:
        raise invalid("closes_at", _("截止时间应晚于现在"))
    if not Decimal("0") < target_percent <= Decimal("100"):
        raise invalid("target_percent", _("目标同意率应在0到100之间"))
    consultation = Consultation.objects.create(
        compound=compound,
        question=question.strip(),
        description=description,
        target_percent=target_percent,
        opens_at=now,
        closes_at=closes_at,
        created_by=user,
    )
    units = _freeze_units(consultation, timezone.localdate(now))
    if not units:
        raise DecisionError("empty_roll", _("该小区没有在住的户"))
    record_event("consultation_opened", user=user, at=now, consultation=consultation, data={"units": units})
    return consultation


def _freeze_units(consultation: Consultation, day: dt.date) -> int:
    lived = Residency.objects.filter(in_force(day), household__dwelling__compound_id=consultation.compound_id)
    relations: dict[int, set[str]] = defaultdict(set)
    for dwelling_id, relation in lived.values_list("household__dwelling_id", "relation"):
        relations[dwelling_id].add(relation)
    rows = Dwelling.objects.filter(pk__in=list(relations)).values_list(
        "pk", "entrance__building_id", "entrance__building__name", "entrance__name", "number", "grid_id"
    )
    return len(
        ConsultationUnit.objects.bulk_create(
            [
                ConsultationUnit(
                    consultation=consultation,
                    dwelling_id=pk,
                    building_id=building_id,
                    grid_id=grid_id,
                    label=f"{building}{entrance}{number}"[:120],
                    rented=Residency.Relation.TENANT in relations[pk],
                )
                for pk, building_id, building, entrance, number, grid_id in rows.order_by("pk")
            ],
            batch_size=2000,
        )
    )


def _may_answer(user: Any, unit: ConsultationUnit, party: str, origin: str, day: dt.date) -> None:
    scope = perms.scope_for(user)
    if origin == ConsultationResponse.Origin.ONLINE:
        if scope.person_id is None:
            raise ConsultationUnit.DoesNotExist
        relation = Residency.Relation.OWNER if party == OWNER else Residency.Relation.TENANT
        own = Residency.objects.filter(
            in_force(day),
            person_id=scope.person_id,
            relation=relation,
            household__dwelling_id=unit.dwelling_id,
        ).exists()
        if not own:  # someone else's dwelling is not the caller's to see
            raise ConsultationUnit.DoesNotExist
        return
    # Door to door: the grid worker of that dwelling's grid, or an organiser of the compound.
    allowed = dperms.can_organise(scope, unit.consultation.compound_id) or (
        unit.grid_id is not None and unit.grid_id in scope.grid_ids
    )
    perms.require(allowed, _("只能录入本人网格内的入户意见"))


@transaction.atomic
def consultation_answer(
    *,
    user: Any,
    consultation: Consultation,
    dwelling_id: int,
    party: str,
    agrees: bool,
    origin: str,
    note: str = "",
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> tuple[ConsultationResponse, bool]:
    """Records one party's answer for a dwelling; a later one replaces it (both kept)."""
    now = now or timezone.now()
    if party not in ConsultationResponse.Party.values:
        raise invalid("party", _("身份应为 owner 或 tenant"))
    if origin not in ConsultationResponse.Origin.values:
        raise invalid("origin", _("来源应为 online、door_to_door 或 paper"))
    consultation = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    unit = ConsultationUnit.objects.select_for_update().get(
        consultation=consultation, dwelling_id=dwelling_id
    )
    _may_answer(user, unit, party, origin, timezone.localdate(now))
    if party == TENANT and not unit.rented:
        raise invalid("party", _("该户不是出租房屋"))
    key = idempotency_key.strip()[:100]
    if key:
        seen = ConsultationResponse.objects.filter(consultation=consultation, idempotency_key=key).first()
        if seen is not None:
            if (seen.unit_id, seen.party, seen.agrees) != (unit.pk, party, agrees):
                raise DecisionError("idempotency_key_reused", _("同一幂等键已用于另一条意见"))
            return seen, False
    if consultation.status != Consultation.Status.OPEN or now >= consultation.closes_at:
        raise DecisionError("consultation_closed", _("征求意见已结束"))
    ConsultationResponse.objects.filter(unit=unit, party=party, is_current=True).update(is_current=False)
    scope = perms.scope_for(user)
    try:
        with transaction.atomic():
            response = ConsultationResponse.objects.create(
                consultation=consultation,
                unit=unit,
                party=party,
                agrees=agrees,
                origin=origin,
                respondent_id=scope.person_id if origin == ConsultationResponse.Origin.ONLINE else None,
                entered_by=user,
                note=note[:200],
                at=now,
                idempotency_key=key,
            )
    except IntegrityError:
        raise DecisionError("conflict", _("该意见正被同时提交，请重试")) from None
    return response, True


@dataclass
class Progress:
    units: int = 0
    answered: int = 0
    consenting: int = 0
    rented: int = 0

    def share(self) -> Fraction:
        return Fraction(self.consenting, self.units) if self.units else Fraction(0)


@dataclass
class ConsultationTally:
    total: Progress
    by_building: dict[tuple[int, str], Progress] = field(default_factory=dict)
    by_grid: dict[int | None, Progress] = field(default_factory=dict)
    target: Fraction = Fraction(0)

    @property
    def target_met(self) -> bool:
        # "90%以上" includes the bound.
        return self.total.units > 0 and self.total.share() >= self.target


def consultation_tally(consultation: Consultation) -> ConsultationTally:
    """Consent per dwelling (both parties of a rented one), totalled and by building and grid."""
    answers: dict[int, dict[str, bool]] = defaultdict(dict)
    current = ConsultationResponse.objects.filter(consultation=consultation, is_current=True)
    for unit_id, party, agrees in current.values_list("unit_id", "party", "agrees"):
        answers[unit_id][party] = agrees
    result = ConsultationTally(total=Progress(), target=Fraction(consultation.target_percent) / 100)
    units = ConsultationUnit.objects.filter(consultation=consultation).values_list(
        "pk", "building_id", "building__name", "grid_id", "rented"
    )
    for pk, building_id, building, grid_id, rented in units:
        got = answers.get(pk, {})
        needed = (OWNER, TENANT) if rented else (OWNER,)
        consents = all(got.get(p) is True for p in needed)
        for bucket in (
            result.total,
            result.by_building.setdefault((building_id, building), Progress()),
            result.by_grid.setdefault(grid_id, Progress()),
        ):
            bucket.units += 1
            bucket.answered += bool(got)
            bucket.consenting += consents
            bucket.rented += rented
    return result


@transaction.atomic
def consultation_close(
    *, user: Any, consultation: Consultation, now: dt.datetime | None = None
) -> Consultation:
    now = now or timezone.now()
    perms.require(dperms.can_organise(perms.scope_for(user), consultation.compound_id), _("无权结束征求意见"))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != Consultation.Status.OPEN:
        raise DecisionError("wrong_state", _("征求意见已结束"))
    counted = consultation_tally(consultation)
    consultation.status, consultation.closed_at = Consultation.Status.CLOSED, now
    consultation.units_total, consultation.units_consenting = counted.total.units, counted.total.consenting
    consultation.target_met = counted.target_met
    consultation.save(update_fields=["status", "closed_at", "units_total", "units_consenting", "target_met"])
    record_event(
        "consultation_closed",
        user=user,
        at=now,
        consultation=consultation,
        data={
            "units": counted.total.units,
            "consenting": counted.total.consenting,
            "target_met": counted.target_met,
        },
    )
    return consultation
