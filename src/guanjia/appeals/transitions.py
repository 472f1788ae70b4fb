"""Every transition of the state machine, as one service: look up the row in states.TABLE, check who may,
change the appeal under a row lock, record the event, notify on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.appeals import events
from guanjia.appeals.models import (
    STAFF_CHANNELS,
    Agency,
    Appeal,
    Holding,
    Photo,
    Rating,
    Status,
    Transfer,
)
from guanjia.appeals.permissions import appeal_q, may
from guanjia.appeals.states import TransitionRefused, transition
from guanjia.people import permissions as perms
from guanjia.people.models import Person, StaffAssignment

CALLBACK_AFTER = dt.timedelta(days=7)


@dataclass
class Act:
    """What a caller asks for; fields beyond `action` matter to some actions only."""

    action: str
    note: str = ""
    rating: str = ""
    committed_due: dt.datetime | None = None
    to_person: Person | None = None
    to_agency: Agency | None = None
    photos: Sequence[UploadedFile] = field(default_factory=tuple)


@dataclass
class _Ctx:
    appeal: Appeal
    act: Act
    user: Any
    scope: perms.Scope
    now: dt.datetime
    data: dict[str, Any] = field(default_factory=dict)


def act(*, user: Any, appeal: Appeal, request: Act, now: dt.datetime | None = None) -> Appeal:
    """Apply one transition. Raises Appeal.DoesNotExist if the caller may not see the appeal,
    TransitionRefused if the table or the caller's role does not allow it, ValidationError for bad input."""
    now = now or timezone.now()
    scope = perms.scope_for(user)
    with transaction.atomic():
        if not Appeal.objects.filter(appeal_q(scope), pk=appeal.pk).exists():
            raise Appeal.DoesNotExist
        locked = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("compound__community", "category")
            .get(pk=appeal.pk)
        )
        row = transition(request.action, locked.status)
        if not may(scope, row.actor, locked):
            raise TransitionRefused(_("您无权对该诉求执行“%(label)s”") % {"label": row.label}, "forbidden")
        ctx = _Ctx(locked, request, user, scope, now)
        before = locked.status
        HANDLERS[request.action](ctx)
        if row.target is not None:
            locked.status = row.target
        locked.save()
        events.record(
            locked,
            request.action,
            user=user,
            at=now,
            from_status=before,
            to_status=locked.status if locked.status != before else "",
            note=request.note.strip(),
            data=ctx.data,
        )
    return locked


def _need_note(ctx: _Ctx, message: str) -> str:
    note = ctx.act.note.strip()
    if not note:
        raise ValidationError({"note": [message]})
    return note


def _accept(ctx: _Ctx) -> None:
    ctx.appeal.accepted_at = ctx.now
    events.notify_resident(ctx.appeal, _("您的诉求已受理"))


def _start(ctx: _Ctx) -> None:
    if ctx.appeal.accepted_at is None:
        ctx.appeal.accepted_at = ctx.now


def _resolve(ctx: _Ctx) -> None:
    from guanjia.appeals.services import photo_problem

    appeal = ctx.appeal
    appeal.resolution_note = _need_note(ctx, _("请填写办理结果"))
    problem = photo_problem(ctx.act.photos)
    if problem:
        raise ValidationError({"photos": [problem]})
    for photo in ctx.act.photos:
        Photo.objects.create(appeal=appeal, stage=Photo.Stage.RESOLVED, image=photo)
    appeal.accepted_at = appeal.accepted_at or ctx.now
    appeal.resolved_at = ctx.now
    # Appeals taken by phone or visit get a callback; residents online rate it themselves.
    appeal.callback_needed = appeal.channel in STAFF_CHANNELS
    events.notify_resident(appeal, _("您的诉求已办结，请评价"))


def _rate(ctx: _Ctx, rating: str) -> None:
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意")]})
    appeal = ctx.appeal
    appeal.rating, appeal.rating_comment, appeal.rated_at = rating, ctx.act.note.strip()[:500], ctx.now
    appeal.closed_at, appeal.callback_needed = ctx.now, False
    ctx.data["rating"] = rating


def _confirm(ctx: _Ctx) -> None:
    _rate(ctx, ctx.act.rating)


def _reopen(ctx: _Ctx) -> None:
    appeal = ctx.appeal
    ctx.data["reason"] = _need_note(ctx, _("请说明哪里没有解决"))
    appeal.reopen_count += 1
    appeal.resolved_at = None
    # A fresh resolution window, and the deadline job starts over for it.
    appeal.committed_due = ctx.now + dt.timedelta(hours=appeal.category.resolve_hours)
    appeal.escalation_level, appeal.warned_at = 0, None
    events.notify_holder(appeal, _("诉求人反馈未解决，请重新办理"))


def _defer(ctx: _Ctx) -> None:
    appeal = ctx.appeal
    _need_note(ctx, _("请填写延期原因"))
    new_due = ctx.act.committed_due
    if new_due is None or new_due <= max(ctx.now, appeal.effective_due):
        raise ValidationError({"committed_due": [_("新的承诺时间应晚于现有时限")]})
    ctx.data["from"], ctx.data["to"] = appeal.effective_due.isoformat(), new_due.isoformat()
    appeal.committed_due, appeal.warned_at = new_due, None
    events.notify_resident(appeal, _("您的诉求已延期办理"))


def _reject(ctx: _Ctx) -> None:
    _need_note(ctx, _("请填写不予受理的理由"))
    from guanjia.appeals.routing import cadre_of, secretary_of

    day = timezone.localtime(ctx.now).date()
    events.notify_people(
        ctx.appeal,
        [cadre_of(ctx.appeal.compound, day) or secretary_of(ctx.appeal.compound, day)],
        _("不予受理待审核"),
    )


def _approve_rejection(ctx: _Ctx) -> None:
    ctx.appeal.closed_at = ctx.now
    events.notify_resident(ctx.appeal, _("您的诉求不予受理"))


def _overturn_rejection(ctx: _Ctx) -> None:
    _need_note(ctx, _("请填写继续办理的意见"))
    events.notify_holder(ctx.appeal, _("不予受理未获同意，请继续办理"))


def _withdraw(ctx: _Ctx) -> None:
    ctx.appeal.closed_at = ctx.now
    events.notify_holder(ctx.appeal, _("诉求人已撤回诉求"))


def _urge(ctx: _Ctx) -> None:
    ctx.appeal.urge_count += 1  # the row is locked: a plain increment is safe
    events.notify_holder(ctx.appeal, _("诉求人催办"))


def _transfer(ctx: _Ctx) -> None:
    act_, appeal = ctx.act, ctx.appeal
    reason = _need_note(ctx, _("请填写转办原因"))
    if act_.to_person is None and act_.to_agency is None:
        raise ValidationError({"to": [_("请选择转办对象")]})
    if act_.to_person is not None and act_.to_person.pk == appeal.assignee_id:
        raise ValidationError({"to": [_("不能转给当前承办人")]})
    if appeal.transfers.filter(state=Transfer.State.PENDING).exists():
        raise TransitionRefused(_("已有一个待接收的转办"))
    Transfer.objects.create(
        appeal=appeal,
        from_person_id=appeal.assignee_id,
        to_person=act_.to_person,
        to_agency=act_.to_agency,
        reason=reason,
        requested_at=ctx.now,
    )
    ctx.data.update(
        to_person=getattr(act_.to_person, "pk", None), to_agency=getattr(act_.to_agency, "pk", None)
    )
    if act_.to_person is not None:
        events.notify_people(appeal, [act_.to_person.pk], _("有诉求转给您，请接收"))


def _hand_over(
    ctx: _Ctx, person_id: int | None, agency_id: int | None, handed_by: int | None, reason: str
) -> None:
    appeal = ctx.appeal
    Holding.objects.filter(appeal=appeal, until__isnull=True).update(until=ctx.now)
    Holding.objects.create(
        appeal=appeal,
        person_id=person_id,
        agency_id=agency_id,
        handed_by_id=handed_by,
        reason=reason[:200],
        since=ctx.now,
    )
    appeal.assignee_id, appeal.accountable_id = person_id, person_id
    appeal.agency_id, appeal.needs_routing = agency_id, False
    ctx.data.update(person=person_id, agency=agency_id)


def _accept_transfer(ctx: _Ctx) -> None:
    pending = ctx.appeal.transfers.get(state=Transfer.State.PENDING)
    Transfer.objects.filter(pk=pending.pk).update(state=Transfer.State.ACCEPTED, decided_at=ctx.now)
    _hand_over(ctx, ctx.scope.person_id, pending.to_agency_id, pending.from_person_id, pending.reason)
    events.notify_people(ctx.appeal, [pending.from_person_id], _("转办已被接收"))


def _decline_transfer(ctx: _Ctx) -> None:
    pending = ctx.appeal.transfers.get(state=Transfer.State.PENDING)
    _need_note(ctx, _("请填写退回原因"))
    Transfer.objects.filter(pk=pending.pk).update(state=Transfer.State.DECLINED, decided_at=ctx.now)
    events.notify_people(ctx.appeal, [pending.from_person_id], _("转办被退回"))


def _assign(ctx: _Ctx) -> None:
    target = ctx.act.to_person
    if target is None:
        raise ValidationError({"to": [_("请选择承办人")]})
    if not StaffAssignment.objects.filter(
        perms.in_force(timezone.localtime(ctx.now).date()), person=target
    ).exists():
        raise ValidationError({"to": [_("只能指派给在岗的工作人员")]})
    _hand_over(ctx, target.pk, None, ctx.scope.person_id, ctx.act.note.strip() or "assign")
    events.notify_people(ctx.appeal, [target.pk], _("有诉求指派给您"))


def _callback(ctx: _Ctx) -> None:
    appeal = ctx.appeal
    due = appeal.resolved_at is not None and ctx.now - appeal.resolved_at >= CALLBACK_AFTER
    if not (appeal.channel in STAFF_CHANNELS or appeal.callback_needed or due):
        raise TransitionRefused(_("该诉求尚不需要回访（网上提交且评价期未满7天）"))
    _need_note(ctx, _("请记录回访情况"))
    if appeal.status == Status.RESOLVED and ctx.act.rating:
        _rate(ctx, ctx.act.rating)
        ctx.appeal.status = Status.CLOSED
        ctx.data["via"] = "callback"
    appeal.callback_needed = False


def _comment(ctx: _Ctx) -> None:
    _need_note(ctx, _("请填写留言"))


HANDLERS: dict[str, Callable[[_Ctx], None]] = {
    "accept": _accept,
    "start": _start,
    "resolve": _resolve,
    "confirm": _confirm,
    "reopen": _reopen,
    "defer": _defer,
    "reject": _reject,
    "approve_rejection": _approve_rejection,
    "overturn_rejection": _overturn_rejection,
    "withdraw": _withdraw,
    "urge": _urge,
    "transfer": _transfer,
    "accept_transfer": _accept_transfer,
    "decline_transfer": _decline_transfer,
    "assign": _assign,
    "callback": _callback,
    "comment": _comment,
}
