"""Writes of the appeals app: submit, me too, and every transition of the one state machine.

An appeal is acknowledged only after its transaction commits, and it commits stored, numbered, with its
deadlines and its first event. Routing runs inside the same transaction in a savepoint: if routing fails
the appeal is still stored, flagged `needs_routing`, and the next tick routes it — it is never lost."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.appeals import events, routing
from guanjia.appeals.models import (
    STAFF_CHANNELS,
    Appeal,
    AppealEvent,
    Category,
    Channel,
    Holding,
    MeToo,
    Photo,
    Status,
)
from guanjia.appeals.permissions import appeal_q
from guanjia.core import rows
from guanjia.core.memo import Memo
from guanjia.core.rows import Rows
from guanjia.people import permissions as perms
from guanjia.people.models import Household, Person
from guanjia.places.models import Compound, Dwelling

logger = logging.getLogger("guanjia.appeals")

# Lookups every submission makes, by primary key (see core.rows), memoised (see core.memo): the
# instances are shared, so nothing here changes them.
_BY_ID = "SELECT * FROM {} WHERE id = %s"
_PERSON = Rows(Person, _BY_ID.format(Person._meta.db_table))
_DWELLING = Rows(Dwelling, _BY_ID.format(Dwelling._meta.db_table))
_COMPOUND = Rows(Compound, _BY_ID.format(Compound._meta.db_table))
_PEOPLE: Memo[Person | None] = Memo("people", depends_on=["people.Person"])
_HOMES: Memo[Dwelling | None] = Memo("homes", depends_on=["places.Dwelling", "places.Compound"])
# Routing reads who is posted where, the property contracts and the registry.
_ROUTES: Memo[routing.Route] = Memo(
    "routes",
    depends_on=[
        "people.StaffAssignment",
        "people.Person",
        "property.CompanyStaff",
        "property.ServiceContract",
        "appeals.Agency",
        "appeals.Category",
        "places.Compound",
        "places.Dwelling",
    ],
)


def _person(pk: int) -> Person | None:
    return _PEOPLE.get(pk, lambda: _PERSON.first([pk]))


def _home(dwelling_id: int) -> Dwelling | None:
    """The dwelling with its compound loaded."""

    def load() -> Dwelling | None:
        dwelling = _DWELLING.first([dwelling_id])
        if dwelling is not None:
            dwelling.compound = _COMPOUND.first([dwelling.compound_id])  # type: ignore[assignment]
        return dwelling

    return _HOMES.get(dwelling_id, load)


MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 8 * 1024 * 1024
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}


def submit_appeal(
    *,
    user: Any,
    category: Category,
    title: str,
    description: str,
    channel: str,
    location: str = "",
    household: Household | None = None,
    compound: Compound | None = None,
    dwelling: Dwelling | None = None,
    submitter: Person | None = None,
    photos: Sequence[UploadedFile] = (),
    idempotency_key: str = "",
    now: dt.datetime | None = None,
) -> tuple[Appeal, bool]:
    """File an appeal; returns (appeal, created). A replay with the same Idempotency-Key returns the
    stored appeal (created=False), also when two replays race. Bad input raises ValidationError with
    a message per field and stores nothing."""
    scope = perms.scope_for(user)
    perms.require(scope.is_authenticated, _("请先登录"))
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Appeal.objects.filter(submitted_by=user, idempotency_key=key).first()
        if existing is not None:
            return existing, False
    place = _place(scope, user, channel, household, compound, dwelling, submitter)
    _check(category=category, title=title, description=description, channel=channel, photos=photos)
    now = now or timezone.now()
    # Routing only reads, so it runs before the write transaction: on SQLite that transaction holds
    # the one write lock, and every statement kept out of it is time other submissions don't wait.
    chosen = _choose(category, place.compound, place.dwelling, now)
    try:
        with transaction.atomic():
            appeal = _create(user, category, place, title, description, channel, location, key, now, chosen)
            _store_photos(appeal, photos, Photo.Stage.SUBMITTED)
    except IntegrityError:
        if not key:
            raise
        # Two identical submissions raced: the first one committed; this one returns it.
        return Appeal.objects.get(submitted_by=user, idempotency_key=key), False
    return appeal, True


class _Place:
    def __init__(
        self,
        compound: Compound,
        dwelling: Dwelling | None,
        household_id: int | None,
        submitter: Person | None,
    ) -> None:
        self.compound, self.dwelling, self.household_id, self.submitter = (
            compound,
            dwelling,
            household_id,
            submitter,
        )


def _place(
    scope: perms.Scope,
    user: Any,
    channel: str,
    household: Household | None,
    compound: Compound | None,
    dwelling: Dwelling | None,
    submitter: Person | None,
) -> _Place:
    """Where the appeal is and whose it is. A resident files for their own household; staff file on a
    resident's behalf (phone, visit, walk-in) for a place they answer for."""
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("渠道不正确")]})
    if channel in STAFF_CHANNELS:
        return _staff_place(scope, user, household, compound, dwelling, submitter)
    me = _person(scope.person_id) if scope.person_id is not None else None
    if household is None:
        if len(scope.household_ids) != 1:
            raise ValidationError({"household": [_("请选择您的住户")]})
        # One household: its dwelling and compound are the scope's one home, read by id.
        (household_id,), (dwelling_id,) = scope.household_ids, scope.dwelling_ids
        dwelling = _home(dwelling_id)
        if dwelling is None:
            raise ValidationError({"household": [_("请选择您的住户")]})
        return _Place(dwelling.compound, dwelling, household_id, me)
    if household.pk not in scope.household_ids:
        raise ValidationError({"household": [_("只能为自己的住户提交诉求")]})
    return _Place(household.dwelling.compound, household.dwelling, household.pk, me)


def _staff_place(
    scope: perms.Scope,
    user: Any,
    household: Household | None,
    compound: Compound | None,
    dwelling: Dwelling | None,
    submitter: Person | None,
) -> _Place:
    perms.require(scope.is_staff_role, _("只有工作人员可以代为登记诉求"))
    if household is not None:
        dwelling = household.dwelling
    if dwelling is not None:
        compound = dwelling.compound
    if compound is None:
        raise ValidationError({"compound": [_("请选择小区")]})
    if not Compound.objects.filter(perms.compound_q(scope), pk=compound.pk).exists():
        raise ValidationError({"compound": [_("不在您负责的范围内")]})
    if dwelling is not None and dwelling.compound_id != compound.pk:
        raise ValidationError({"dwelling": [_("房屋不在所选小区")]})
    if household is None and dwelling is not None:
        household = Household.objects.filter(dwelling=dwelling).order_by("id").first()
    return _Place(compound, dwelling, household.pk if household else None, submitter)


def _check(
    *, category: Category, title: str, description: str, channel: str, photos: Sequence[UploadedFile]
) -> None:
    errors: dict[str, list[str]] = {}
    if not category.active:
        errors["category"] = [_("该类别已停用")]
    if not (title or "").strip():
        errors["title"] = [_("请填写标题")]
    elif len(title) > 100:
        errors["title"] = [_("标题不超过100字")]
    if not (description or "").strip():
        errors["description"] = [_("请描述问题")]
    elif len(description) > 2000:
        errors["description"] = [_("描述不超过2000字")]
    problem = photo_problem(photos)
    if problem:
        errors["photos"] = [problem]
    elif category.photo_required and not photos and channel not in STAFF_CHANNELS:
        errors["photos"] = [_("该类别须附现场照片")]
    if errors:
        raise ValidationError(errors)


def photo_problem(photos: Sequence[UploadedFile]) -> str | None:
    if len(photos) > MAX_PHOTOS:
        return _("照片最多%(n)d张") % {"n": MAX_PHOTOS}
    for photo in photos:
        if (photo.content_type or "") not in PHOTO_TYPES:
            return _("只能上传照片（JPEG、PNG、WebP、HEIC）")
        if (photo.size or 0) > MAX_PHOTO_BYTES:
            return _("每张照片不超过8MB")
    return None


def _create(
    user: Any,
    category: Category,
    place: _Place,
    title: str,
    description: str,
    channel: str,
    location: str,
    key: str,
    now: dt.datetime,
    chosen: routing.Route | None,
) -> Appeal:
    # Routing was decided before the row is written, so the appeal is stored already routed in one
    # INSERT; if routing failed (chosen is None) it is stored all the same, flagged for the next tick.
    appeal = Appeal(
        category=category,
        compound=place.compound,
        dwelling=place.dwelling,
        household_id=place.household_id,
        submitter=place.submitter,
        submitted_by=user,
        title=title.strip(),
        description=description.strip(),
        location=(location or "").strip()[:200],
        channel=channel,
        idempotency_key=key,
        submitted_at=now,
        response_due=now + dt.timedelta(hours=category.response_hours),
        resolve_due=now + dt.timedelta(hours=category.resolve_hours),
        contact_phone_masked=place.submitter.phone_masked if place.submitter else "",
        assignee_id=chosen.person_id if chosen else None,
        accountable_id=chosen.person_id if chosen else None,
        agency_id=chosen.agency_id if chosen else None,
        needs_routing=chosen is None or chosen.person_id is None,
    )
    submitted = events.build(
        appeal, "submit", user=user, at=now, to_status=Status.SUBMITTED, data={"channel": channel}
    )
    trail = _route_rows(appeal, chosen, now) if chosen is not None else []
    # The rows of a submission skip Model.save's query building (core.rows): on PostgreSQL the appeal,
    # its number (the day and its own key), its first holding and its events are one statement.
    prefix = f"{timezone.localtime(now):%Y%m%d}"
    rows.insert_numbered(appeal, "number", prefix, 7, children=[submitted, *trail])
    if chosen is not None and chosen.person_id is not None:
        _tell_holder(appeal, chosen)
    return appeal


def _choose(
    category: Category, compound: Compound, dwelling: Dwelling | None, now: dt.datetime
) -> routing.Route | None:
    day = timezone.localtime(now).date()

    def load() -> routing.Route:
        return routing.route(category=category, compound=compound, dwelling=dwelling, day=day)

    key = (
        *(category.pk, category.handler_kind, category.agency_id),
        *(compound.pk, compound.management_mode, compound.community_id),
        *((dwelling.pk, dwelling.grid_id) if dwelling is not None else (None, None)),
        day,
    )
    try:
        if not transaction.get_connection().in_atomic_block:
            return _ROUTES.get(key, load)
        # Inside a caller's transaction a failed query must not spoil it (PostgreSQL aborts it).
        with transaction.atomic():
            return _ROUTES.get(key, load)
    except Exception:  # routing must never lose an appeal: it is stored flagged and the next tick routes it
        logger.exception("routing failed for a new appeal in compound %s; the next tick retries", compound.pk)
        return None


def _route_rows(appeal: Appeal, chosen: routing.Route, now: dt.datetime) -> list[Holding | AppealEvent]:
    """The trail's first holding (when a person was found) and the route event, unsaved."""
    holding: list[Holding | AppealEvent] = []
    if chosen.person_id is not None:
        holding = [
            Holding(
                appeal=appeal,
                person_id=chosen.person_id,
                agency_id=chosen.agency_id,
                reason=chosen.rule,
                since=now,
            )
        ]
    route = events.build(
        appeal,
        "route",
        at=now,
        data={"rule": chosen.rule, "person": chosen.person_id, "agency": chosen.agency_id},
    )
    return [*holding, route]


def _tell_holder(appeal: Appeal, chosen: routing.Route) -> None:
    # Loaded here (cheaply) because the reply names the holder; the notice goes to their account.
    appeal.assignee = _person(chosen.person_id) if chosen.person_id is not None else None
    events.notify_holder(appeal, _("新诉求待受理"))


def route_appeal(appeal: Appeal, *, now: dt.datetime) -> bool:
    """Route an appeal that is waiting (routing failed or nobody answered). False if still unrouted."""
    chosen = _choose(appeal.category, appeal.compound, appeal.dwelling, now)
    if chosen is None:
        return False
    with transaction.atomic():
        appeal.assignee_id, appeal.accountable_id = chosen.person_id, chosen.person_id
        appeal.agency_id, appeal.needs_routing = chosen.agency_id, chosen.person_id is None
        appeal.save(update_fields=["assignee", "accountable", "agency", "needs_routing", "updated_at"])
        for row in _route_rows(appeal, chosen, now):
            row.save()
        if chosen.person_id is not None:
            _tell_holder(appeal, chosen)
    return chosen.person_id is not None


@transaction.atomic
def me_too(*, user: Any, appeal: Appeal, now: dt.datetime | None = None) -> bool:
    """Join an open appeal of one's own compound, counted once per account; False if already joined."""
    scope = perms.scope_for(user)
    perms.require(scope.is_authenticated, _("请先登录"))
    homes = Dwelling.objects.filter(pk__in=sorted(scope.dwelling_ids)).values_list("compound_id", flat=True)
    if appeal.compound_id not in set(homes) or appeal.status not in (
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
    ):
        raise PermissionDenied(_("只能附议本小区正在办理的诉求"))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            MeToo.objects.create(appeal=appeal, user=user, person_id=scope.person_id, at=now)
    except IntegrityError:
        return False
    from django.db.models import F

    Appeal.objects.filter(pk=appeal.pk).update(me_too_count=F("me_too_count") + 1)
    events.record(appeal, "me_too", user=user, at=now)
    return True


def _store_photos(appeal: Appeal, photos: Sequence[UploadedFile], stage: str) -> None:
    for photo in photos:
        Photo.objects.create(appeal=appeal, stage=stage, image=photo)


def visible_appeals(user: Any) -> Any:
    return Appeal.objects.filter(appeal_q(perms.scope_for(user)))
