"""What the appeals pages share: labels for the timeline, deadlines as people read them, who may be handed
an appeal, and small parsers for posted values. Reads only; every write goes through appeals.services and
appeals.transitions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.appeals import selectors
from guanjia.appeals.models import Agency, Appeal, Status
from guanjia.appeals.states import TABLE
from guanjia.people import permissions as perms
from guanjia.people.models import Person, Role
from guanjia.places.models import Compound, Region
from guanjia.web import queries

M = TypeVar("M", bound=Model)

# The timeline speaks Chinese: the table's own labels, plus what the system records by itself.
SYSTEM_LABELS: dict[str, Any] = {
    "submit": gettext_lazy("提交诉求"),
    "route": gettext_lazy("分派承办人"),
    "warn": gettext_lazy("临期预警"),
    "escalate": gettext_lazy("超时升级督办"),
    "me_too": gettext_lazy("有居民附议"),
    "callback_due": gettext_lazy("列入待回访"),
    "confirm": gettext_lazy("评价并关闭"),
}
# Internal bookkeeping a resident need not read on their own appeal.
STAFF_ONLY_EVENTS = frozenset({"warn", "callback_due"})

RULE_LABELS: dict[str, Any] = {
    "grid_worker": gettext_lazy("按网格分派给网格员"),
    "cadre": gettext_lazy("分派给包片干部"),
    "secretary": gettext_lazy("分派给社区书记"),
    "property": gettext_lazy("分派给物业公司"),
    "committee": gettext_lazy("分派给业委会"),
    "agency": gettext_lazy("分派给职能部门"),
    "nobody": gettext_lazy("暂无承办人，待人工分派"),
    "assign": gettext_lazy("指派"),
}

# Who an appeal may be handed to: the people who work in that place.
HANDLING_ROLES = (
    Role.GRID_WORKER,
    Role.CADRE,
    Role.SECRETARY,
    Role.PROPERTY_STAFF,
    Role.COMMITTEE_MEMBER,
)


def action_label(action: str) -> Any:
    if action in SYSTEM_LABELS:
        return SYSTEM_LABELS[action]
    row = TABLE.get(action)
    return row.label if row is not None else action


def rule_label(reason: str) -> Any:
    return RULE_LABELS.get(reason, reason)


def new_form_key() -> str:
    """One key per rendered form: a double tap or a retry of the same form files once."""
    return uuid.uuid4().hex


def appeal_or_404(user: Any, pk: int) -> Appeal:
    try:
        return selectors.access_appeal(user, pk)
    except Appeal.DoesNotExist:
        raise Http404(_("没有找到该诉求")) from None


def field_errors(error: ValidationError, fields: Iterable[str] = ()) -> dict[str, list[str]]:
    """Messages per field; those for fields the form does not show go under "all" (templates cannot
    read "__all__")."""
    shown = set(fields)
    out: dict[str, list[str]] = {}
    raw = error.message_dict if hasattr(error, "error_dict") else {"all": error.messages}
    for key, msgs in raw.items():
        out.setdefault(key if key in shown else "all", []).extend(str(m) for m in msgs)
    return out


def int_or_none(value: Any) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


def pick(qs: QuerySet[M], raw: Any) -> M | None:
    """The row of a scoped queryset whose id was posted, or None (also for a missing or malformed id)."""
    pk = int_or_none(raw)
    return qs.filter(pk=pk).first() if pk is not None else None


def parse_local(value: str) -> dt.datetime | None:
    """A datetime-local or date input, read in the site's time zone."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# --- deadlines ----------------------------------------------------------------------------------


def deadline(appeal: Appeal) -> dt.datetime:
    """The deadline that matters now: the response deadline while waiting, else the (committed) resolution."""
    if appeal.status == Status.SUBMITTED:
        return appeal.response_due
    return appeal.effective_due


def urgency(appeal: Appeal, now: dt.datetime) -> str:
    """'overdue', 'near' (inside the category's warning lead time) or '' — for open appeals only."""
    if appeal.status not in selectors.OPEN:
        return ""
    due = deadline(appeal)
    if due < now:
        return "overdue"
    if due - dt.timedelta(hours=appeal.category.warn_hours) <= now:
        return "near"
    return ""


def mark_urgency(appeals: Iterable[Appeal], now: dt.datetime | None = None) -> list[Appeal]:
    now = now or timezone.now()
    rows = list(appeals)
    for row in rows:
        row.urgency = urgency(row, now)  # type: ignore[attr-defined]
        row.deadline = deadline(row)  # type: ignore[attr-defined]
    return rows


def duration_text(span: dt.timedelta) -> str:
    """How long someone held an appeal, as people say it: 2天3小时, 5小时20分, 12分."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d天%(h)d小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d小时%(m)d分") % {"h": hours, "m": mins}
    return _("%(m)d分") % {"m": mins}


# --- who may take an appeal ---------------------------------------------------------------------


@dataclass(frozen=True)
class StaffChoice:
    person: Person
    role_label: Any
    place: str

    @property
    def value(self) -> str:
        return f"p:{self.person.pk}"


def staff_choices(compound_ids: Iterable[int], exclude: Iterable[int | None] = ()) -> list[StaffChoice]:
    """Current staff who work in these compounds (their grids, their community): whom to hand over to.

    The compound ids must come from a scoped read (the appeal the caller sees, compounds_for)."""
    ids = sorted(set(compound_ids))
    if not ids:
        return []
    communities = set(Compound.objects.filter(pk__in=ids).values_list("community_id", flat=True))
    grids = queries.grids_by_compound(ids)
    staff = queries.staff_for(
        compound_ids=ids,
        grid_ids=set().union(*grids.values()) if grids else set(),
        community_ids=communities,
        roles=HANDLING_ROLES,
    )
    skip = {p for p in exclude if p is not None}
    seen: set[int] = set()
    out = []
    for a in staff:
        if a.person_id in seen or a.person_id in skip:
            continue
        seen.add(a.person_id)
        target = a.compound or a.grid or a.community
        out.append(StaffChoice(a.person, a.get_role_display(), str(target or "")))
    return out


def agencies_for(appeal: Appeal) -> list[Agency]:
    """Agencies of the street, district and city above the appeal's place."""
    region = Region.objects.filter(pk=appeal.compound.community.region_id).values_list("path", flat=True)
    path = region.first() or ""
    ancestors = [int(p) for p in path.strip("/").split("/") if p.isdigit()]
    return list(Agency.objects.filter(region_id__in=ancestors).order_by("name"))


def supervised_compounds(user: Any) -> list[int]:
    """Compounds where the caller may assign appeals (包片 cadre, community secretary)."""
    scope = perms.scope_for(user)
    targets = scope.roles_by_target
    communities = sorted(targets.get(Role.SECRETARY, frozenset()))
    own = set(targets.get(Role.CADRE, frozenset()))
    if communities:
        own |= set(Compound.objects.filter(community_id__in=communities).values_list("pk", flat=True))
    return sorted(own)


def may_bulk_assign(scope: perms.Scope) -> bool:
    return scope.is_admin or scope.has(Role.CADRE, Role.SECRETARY)
