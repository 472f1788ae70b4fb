"""Self-governance groups (自治小组): members, projects decided by the residents, and a public ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.decisions import permissions as dperms
from guanjia.decisions.errors import DecisionError, invalid
from guanjia.decisions.models import (
    Consultation,
    GroupMember,
    GroupProject,
    LedgerEntry,
    OwnersVote,
    SelfGovernanceGroup,
)
from guanjia.decisions.services.events import record_event
from guanjia.people import permissions as perms
from guanjia.places.models import Compound, ManagementMode

CENT = Decimal("0.01")


def _may_keep(user: Any, group: SelfGovernanceGroup) -> bool:
    """Organisers of the compound, and the group's current leaders."""
    scope = perms.scope_for(user)
    if dperms.can_organise(scope, group.compound_id):
        return True
    if scope.person_id is None:
        return False
    return GroupMember.objects.filter(
        group=group, person_id=scope.person_id, role=GroupMember.Role.LEADER, left_on__isnull=True
    ).exists()


@transaction.atomic
def group_create(
    *,
    user: Any,
    compound: Compound,
    name: str,
    formed_on: dt.date,
    leader_ids: list[int],
    member_ids: list[int],
) -> SelfGovernanceGroup:
    perms.require(dperms.can_organise(perms.scope_for(user), compound), _("无权成立自治小组"))
    if compound.management_mode != ManagementMode.SELF_GOVERNED:
        raise DecisionError("not_self_governed", _("只有居民自治的小区设自治小组"))
    if not leader_ids:
        raise invalid("leader_ids", _("请指定组长"))
    group = SelfGovernanceGroup.objects.create(compound=compound, name=name, formed_on=formed_on)
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, person_id=pk, role=GroupMember.Role.LEADER, joined_on=formed_on)
            for pk in leader_ids
        ]
        + [
            GroupMember(group=group, person_id=pk, joined_on=formed_on)
            for pk in member_ids
            if pk not in leader_ids
        ]
    )
    record_event("group_formed", user=user, at=timezone.now(), group=group)
    return group


@transaction.atomic
def project_propose(
    *, user: Any, group: SelfGovernanceGroup, title: str, budget: Decimal, description: str = ""
) -> GroupProject:
    perms.require(_may_keep(user, group), _("无权为该自治小组提出项目"))
    if budget < 0:
        raise invalid("budget", _("预算不能为负"))
    project = GroupProject.objects.create(
        group=group, title=title, budget=budget.quantize(CENT), description=description
    )
    record_event("project_proposed", user=user, at=timezone.now(), group=group, data={"project": project.pk})
    return project


@transaction.atomic
def project_decide(
    *,
    user: Any,
    project: GroupProject,
    consultation: Consultation | None = None,
    vote: OwnersVote | None = None,
) -> GroupProject:
    """A project is approved or rejected by the residents: a closed consultation or a counted vote decides."""
    perms.require(_may_keep(user, project.group), _("无权维护该项目"))
    if (consultation is None) == (vote is None):
        raise invalid("decision", _("请指定一次征求意见或一次业主表决"))
    if consultation is not None:
        if consultation.compound_id != project.group.compound_id or consultation.target_met is None:
            raise DecisionError("not_decided", _("征求意见尚未结束"))
        approved = bool(consultation.target_met)
    else:
        assert vote is not None  # noqa: S101 -- one of the two, checked above
        if vote.compound_id != project.group.compound_id or not hasattr(vote, "result"):
            raise DecisionError("not_decided", _("业主表决尚未计票"))
        approved = vote.result.passed
    project.consultation, project.vote = consultation, vote
    project.status = GroupProject.Status.APPROVED if approved else GroupProject.Status.REJECTED
    project.save(update_fields=["consultation", "vote", "status"])
    record_event(
        "project_decided",
        user=user,
        at=timezone.now(),
        group=project.group,
        data={"project": project.pk, "approved": approved},
    )
    return project


@transaction.atomic
def ledger_record(
    *,
    user: Any,
    project: GroupProject,
    kind: str,
    amount: Decimal,
    on: dt.date,
    counterparty: str,
    note: str = "",
) -> LedgerEntry:
    """A ledger line, never edited afterwards. Expenses only for approved projects."""
    perms.require(_may_keep(user, project.group), _("无权记账"))
    if kind not in LedgerEntry.Kind.values:
        raise invalid("kind", _("类型应为收入或支出"))
    if amount <= 0 or amount != amount.quantize(CENT):
        raise invalid("amount", _("金额应为正数，最多两位小数"))
    if kind == LedgerEntry.Kind.EXPENSE and project.status not in (
        GroupProject.Status.APPROVED,
        GroupProject.Status.DONE,
    ):
        raise DecisionError("not_approved", _("项目未经居民同意，不能支出"))
    return LedgerEntry.objects.create(
        project=project,
        kind=kind,
        amount=amount,
        on=on,
        counterparty=counterparty[:100],
        note=note[:200],
        recorded_by=user,
        recorded_at=timezone.now(),
    )


@dataclass(frozen=True)
class Balance:
    contributions: Decimal
    expenses: Decimal

    @property
    def balance(self) -> Decimal:
        return self.contributions - self.expenses


def project_balance(project: GroupProject) -> Balance:
    sums = dict(
        LedgerEntry.objects.filter(project=project)
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    return Balance(
        contributions=sums.get(LedgerEntry.Kind.CONTRIBUTION) or Decimal("0.00"),
        expenses=sums.get(LedgerEntry.Kind.EXPENSE) or Decimal("0.00"),
    )
