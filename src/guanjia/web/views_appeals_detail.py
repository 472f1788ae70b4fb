"""One appeal: its timeline, hand-off trail and photos, and a form for each action this caller may take now.

Which actions: states.TABLE (from the current status) and appeals.permissions.may (for this caller). The
transition itself — and every refusal — is appeals.transitions.act's call."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from guanjia.appeals import permissions as appeal_perms
from guanjia.appeals import selectors
from guanjia.appeals.models import STAFF_CHANNELS, Agency, Appeal, Rating, Status, Transfer
from guanjia.appeals.services import MAX_PHOTOS
from guanjia.appeals.states import TABLE, TransitionRefused
from guanjia.appeals.transitions import CALLBACK_AFTER, Act, act
from guanjia.people import permissions as perms
from guanjia.people.models import Person
from guanjia.web import views_appeals_common as common
from guanjia.web.decorators import login_required

# What each action's form asks for. Actions not listed need nothing beyond an optional note.
NOTE_REQUIRED = {"resolve", "reopen", "defer", "reject", "overturn_rejection", "transfer", "decline_transfer"}
NOTE_REQUIRED |= {"callback", "comment"}
NOTE_LABELS: dict[str, Any] = {
    "resolve": gettext_lazy("办理结果"),
    "reopen": gettext_lazy("哪里没有解决"),
    "defer": gettext_lazy("延期原因"),
    "reject": gettext_lazy("不予受理的理由"),
    "overturn_rejection": gettext_lazy("继续办理的意见"),
    "transfer": gettext_lazy("转办原因"),
    "decline_transfer": gettext_lazy("退回原因"),
    "callback": gettext_lazy("回访情况"),
    "comment": gettext_lazy("留言"),
    "confirm": gettext_lazy("评价意见（可不填）"),
    "withdraw": gettext_lazy("撤回原因（可不填）"),
    "urge": gettext_lazy("催办说明（可不填）"),
    "assign": gettext_lazy("指派说明（可不填）"),
}
# Shown open on the page; the others sit folded under their label.
PRIMARY = ("accept", "start", "resolve", "confirm", "accept_transfer", "approve_rejection")
ACT_FIELDS = ("note", "rating", "committed_due", "to", "photos")


# One tap, no fields: shown together as buttons.
QUICK = ("accept", "start", "accept_transfer")


@dataclass
class ActionForm:
    action: str
    label: Any
    note_label: Any
    note_required: bool
    primary: bool

    @property
    def quick(self) -> bool:
        return self.action in QUICK


def allowed_actions(scope: perms.Scope, appeal: Appeal, pending: Transfer | None) -> list[str]:
    """The table's actions from this status that this caller fills the actor role for."""
    fills: dict[str, bool] = {}
    out = []
    for action, row in TABLE.items():
        if appeal.status not in row.sources:
            continue
        if row.actor not in fills:
            fills[row.actor] = appeal_perms.may(scope, row.actor, appeal)
        if fills[row.actor]:
            out.append(action)
    # Offer only what can succeed: one pending transfer at a time; callbacks when one is due.
    if pending is not None and "transfer" in out:
        out.remove("transfer")
    if "callback" in out and not _callback_open(appeal):
        out.remove("callback")
    return out


def _callback_open(appeal: Appeal) -> bool:
    late = appeal.resolved_at is not None and timezone.now() - appeal.resolved_at >= CALLBACK_AFTER
    return appeal.channel in STAFF_CHANNELS or appeal.callback_needed or late


def _forms(actions: list[str]) -> list[ActionForm]:
    forms = []
    for action in actions:
        label = NOTE_LABELS.get(action) or _("说明（可不填）")
        forms.append(
            ActionForm(action, TABLE[action].label, label, action in NOTE_REQUIRED, action in PRIMARY)
        )
    return forms


@dataclass
class Step:
    """One line of the timeline, as people read it."""

    at: dt.datetime
    action: str
    label: Any
    who: str
    to_label: Any
    target: str
    rating_label: Any
    note: str


def _timeline(appeal: Appeal, staff_view: bool) -> list[Step]:
    events = list(appeal.events.select_related("actor__person").order_by("at", "id"))
    if not staff_view:
        events = [e for e in events if e.action not in common.STAFF_ONLY_EVENTS]
    datas = [e.data if isinstance(e.data, dict) else {} for e in events]
    person_ids = [d.get(k) for d in datas for k in ("person", "to_person")]
    agency_ids = [d.get(k) for d in datas for k in ("agency", "to_agency")]
    names = dict(Person.objects.filter(pk__in=[p for p in person_ids if p]).values_list("pk", "name"))
    agencies = dict(Agency.objects.filter(pk__in=[a for a in agency_ids if a]).values_list("pk", "name"))
    steps = []
    for e, data in zip(events, datas, strict=True):
        person = getattr(e.actor, "person", None) if e.actor is not None else None
        who = person.name if person else (e.actor.get_username() if e.actor is not None else _("系统"))
        target = names.get(data.get("person") or data.get("to_person") or 0) or agencies.get(
            data.get("agency") or data.get("to_agency") or 0
        )
        rating = data.get("rating")
        steps.append(
            Step(
                at=e.at,
                action=e.action,
                label=common.action_label(e.action),
                who=who,
                to_label=Status(e.to_status).label if e.to_status in Status.values else "",
                target=target or "",
                rating_label=Rating(rating).label if rating in Rating.values else "",
                note=e.note,
            )
        )
    return steps


def detail_context(request: HttpRequest, appeal: Appeal, **extra: Any) -> dict[str, Any]:
    scope = perms.scope_for(request.user)
    pending = (
        appeal.transfers.filter(state=Transfer.State.PENDING)
        .select_related("to_person", "to_agency", "from_person")
        .first()
    )
    actions = allowed_actions(scope, appeal, pending)
    staff_view = scope.is_staff_role and not appeal_perms.is_resident_of(scope, appeal)
    common.mark_urgency([appeal])
    context: dict[str, Any] = {
        "nav_key": "workbench" if staff_view else "appeals",
        "appeal": appeal,
        "staff_view": staff_view,
        "events": _timeline(appeal, staff_view),
        "photos": list(appeal.photos.order_by("stage", "id")),
        "pending": pending,
        "forms": _forms(actions),
        "quick": [f for f in _forms(actions) if f.quick],
        "quick_actions": QUICK,
        "is_open": appeal.status in selectors.OPEN,
        "ratings": Rating.choices,
        "max_photos": MAX_PHOTOS,
        "errors": {},
        "posted": {},
    }
    if staff_view:
        context["holdings"] = list(
            appeal.holdings.select_related("person", "agency", "handed_by").order_by("since", "id")
        )
        for h in context["holdings"]:
            h.reason_label = common.rule_label(h.reason)
            h.held_text = common.duration_text((h.until or timezone.now()) - h.since)
    if "transfer" in actions or "assign" in actions:
        context["people"] = common.staff_choices([appeal.compound_id], exclude=[appeal.assignee_id])
    if "transfer" in actions:
        context["agencies"] = common.agencies_for(appeal)
        for agency in context["agencies"]:
            agency.pk_str = str(agency.pk)
    context.update(extra)
    return context


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = common.appeal_or_404(request.user, pk)
    return render(request, "web/appeals/detail.html", detail_context(request, appeal))


def _target(request: HttpRequest, appeal: Appeal, action: str) -> tuple[Person | None, Agency | None]:
    """The person or agency picked in the form, only from the choices this page offered."""
    raw = request.POST.get("to", "")
    kind, _sep, value = raw.partition(":")
    wanted = common.int_or_none(value)
    if wanted is None:
        return None, None
    if kind == "a" and action == "transfer":
        return None, next((a for a in common.agencies_for(appeal) if a.pk == wanted), None)
    if kind == "p":
        people = common.staff_choices([appeal.compound_id], exclude=[appeal.assignee_id])
        return next((c.person for c in people if c.person.pk == wanted), None), None
    return None, None


def request_from_post(request: HttpRequest, appeal: Appeal, action: str) -> Act:
    person, agency = _target(request, appeal, action) if action in ("transfer", "assign") else (None, None)
    return Act(
        action=action,
        note=request.POST.get("note", ""),
        rating=request.POST.get("rating", ""),
        committed_due=common.parse_local(request.POST.get("committed_due", "")),
        to_person=person,
        to_agency=agency,
        photos=request.FILES.getlist("photos"),
    )


@login_required
@require_POST
def perform(request: HttpRequest, pk: int) -> HttpResponse:
    """One transition from a form on the detail page; errors are shown next to that form."""
    appeal = common.appeal_or_404(request.user, pk)
    action = request.POST.get("action", "")
    status = 200
    try:
        act(user=request.user, appeal=appeal, request=request_from_post(request, appeal, action))
    except Appeal.DoesNotExist:
        raise Http404(_("没有找到该诉求")) from None
    except ValidationError as error:
        errors, status = common.field_errors(error, ACT_FIELDS), 422
    except TransitionRefused as refusal:
        errors, status = {"all": [refusal.message]}, 403 if refusal.code == "forbidden" else 409
    else:
        label = TABLE[action].label
        messages.success(request, _("已%(label)s") % {"label": label})
        return redirect("web:appeals-detail", pk=appeal.pk)
    appeal = common.appeal_or_404(request.user, pk)
    posted = {k: request.POST.get(k, "") for k in ("note", "rating", "committed_due", "to")}
    context = detail_context(request, appeal, errors=errors, failed=action, posted=posted)
    if action not in {f.action for f in context["forms"]}:
        context["refusal"] = "；".join(m for msgs in errors.values() for m in msgs) or _("操作未完成")
    return render(request, "web/appeals/detail.html", context, status=status)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """Photos are served only to those who may see the appeal."""
    appeal = common.appeal_or_404(request.user, pk)
    found = appeal.photos.filter(pk=photo_pk).first()
    if found is None:
        raise Http404(_("没有找到该照片"))
    kind = mimetypes.guess_type(found.image.name)[0] or "application/octet-stream"
    response = FileResponse(found.image.open("rb"), content_type=kind)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # Streamed, not buffered; the shared decorators are typed for plain responses.
    return cast(HttpResponse, response)
