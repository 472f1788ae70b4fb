"""The deadline job: route what is waiting, warn before deadlines, escalate on breach, ask for callbacks.

`tick(now)` is idempotent: each step claims its rows with a conditional UPDATE, so running it twice (or on
two workers at once) warns and escalates once. Escalation climbs one level per breach step:
1 包片 cadre at the deadline, 2 community secretary one step later, 3 street one more step later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.appeals import events, routing
from guanjia.appeals.models import Appeal, Category, Status
from guanjia.appeals.transitions import CALLBACK_AFTER

WORKING = (Status.ACCEPTED, Status.IN_PROGRESS)
LEVEL_NAMES = {1: "cadre", 2: "secretary", 3: "street"}


@dataclass
class TickReport:
    routed: int = 0
    warned: int = 0
    escalated: int = 0
    callbacks: int = 0


def step() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "GUANJIA_ESCALATION_STEP_HOURS", 24))


def tick(now: dt.datetime | None = None) -> TickReport:
    now = now or timezone.now()
    report = TickReport()
    report.routed = route_waiting(now)
    report.warned = warn_near_due(now)
    report.escalated = escalate_breaches(now)
    report.callbacks = flag_callbacks(now)
    return report


def route_waiting(now: dt.datetime) -> int:
    from guanjia.appeals.services import route_appeal

    routed = 0
    for appeal in Appeal.objects.filter(needs_routing=True, status__in=(Status.SUBMITTED, *WORKING)):
        with transaction.atomic():
            routed += route_appeal(appeal, now=now)
    return routed


def _due() -> Coalesce:
    return Coalesce("committed_due", "resolve_due")


def warn_near_due(now: dt.datetime) -> int:
    warned = 0
    for category in Category.objects.all():
        lead = dt.timedelta(hours=category.warn_hours)
        near = Q(status=Status.SUBMITTED, response_due__gt=now, response_due__lte=now + lead) | Q(
            status__in=WORKING, due__gt=now, due__lte=now + lead
        )
        candidates = (
            Appeal.objects.annotate(due=_due())
            .filter(near, category=category, warned_at__isnull=True)
            .values_list("pk", flat=True)
        )
        for pk in list(candidates):
            with transaction.atomic():
                if Appeal.objects.filter(pk=pk, warned_at__isnull=True).update(warned_at=now) != 1:
                    continue  # another tick warned it
                appeal = Appeal.objects.get(pk=pk)
                events.record(appeal, "warn", at=now)
                events.notify_holder(appeal, _("诉求即将超时，请尽快办理"))
                warned += 1
    return warned


def _breached_at(appeal: Appeal) -> dt.datetime:
    return appeal.response_due if appeal.status == Status.SUBMITTED else appeal.effective_due


def escalate_breaches(now: dt.datetime) -> int:
    gap = step()
    levels = Q()
    for level in (0, 1, 2):
        # Due for level+1: breached at least `level` steps ago.
        cutoff = now - gap * level
        levels |= Q(escalation_level=level) & (
            Q(status=Status.SUBMITTED, response_due__lte=cutoff) | Q(status__in=WORKING, due__lte=cutoff)
        )
    escalated = 0
    candidates = Appeal.objects.annotate(due=_due()).filter(levels).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            appeal = Appeal.objects.select_related("compound__community").get(pk=pk)
            overdue = now - _breached_at(appeal)
            target = min(3, 1 + int(overdue / gap)) if overdue >= dt.timedelta(0) else 0
            if target <= appeal.escalation_level:
                continue
            if (
                Appeal.objects.filter(pk=pk, escalation_level=appeal.escalation_level).update(
                    escalation_level=target
                )
                != 1
            ):
                continue  # another tick got there first
            _tell_chain(appeal, appeal.escalation_level, target, now)
            escalated += 1
    return escalated


def _tell_chain(appeal: Appeal, old: int, new: int, now: dt.datetime) -> None:
    day = timezone.localtime(now).date()
    chain = routing.escalation_chain(appeal.compound, day)
    told = [person for level, _name, person in chain if old < level <= new]
    kind = "response" if appeal.status == Status.SUBMITTED else "resolution"
    events.record(
        appeal,
        "escalate",
        at=now,
        data={"from": old, "to": new, "level": LEVEL_NAMES[new], "breach": kind, "told": told},
    )
    events.notify_people(appeal, told, _("诉求超时未办，已升级督办"), kind="escalation")
    events.notify_holder(appeal, _("诉求已超时并升级督办"))


def flag_callbacks(now: dt.datetime) -> int:
    """Resolved appeals nobody rated within 7 days go to the callback list (回访)."""
    stale = Appeal.objects.filter(
        status=Status.RESOLVED, callback_needed=False, resolved_at__lte=now - CALLBACK_AFTER
    )
    flagged = 0
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            if Appeal.objects.filter(pk=pk, callback_needed=False).update(callback_needed=True) != 1:
                continue
            appeal = Appeal.objects.select_related("compound__community").get(pk=pk)
            events.record(appeal, "callback_due", at=now)
            day = timezone.localtime(now).date()
            events.notify_people(appeal, [routing.cadre_of(appeal.compound, day)], _("诉求7天未评价，请回访"))
            flagged += 1
    return flagged
