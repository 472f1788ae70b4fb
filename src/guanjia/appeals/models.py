"""Appeals (诉求): categories, the appeal itself, its event log, hand-off trail, photos and "me too"s.

An appeal's status only changes through appeals.services (the one state machine, states.py); every change
is an AppealEvent with who, when and why."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.people.models import Household, Person
from guanjia.places.models import Compound, Dwelling, Region

USER = settings.AUTH_USER_MODEL


class HandlerKind(models.TextChoices):
    GRID_WORKER = "grid_worker", _("网格员")
    CADRE = "cadre", _("包片干部")
    PROPERTY = "property", _("物业公司")
    AGENCY = "agency", _("职能部门")


class CaseType(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    PROMISED = "promised", _("承诺件")
    COORDINATED = "coordinated", _("协调件")


class Agency(models.Model):
    """职能部门: receives work orders the community cannot settle alone (街道, 住建局, 城管, 供水…)."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="agencies"
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    group = models.CharField(_("大类"), max_length=50, blank=True, help_text=_("如：安全隐患"))
    handler_kind = models.CharField(_("默认承办"), max_length=20, choices=HandlerKind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("默认承办为职能部门时填写"),
    )
    case_type = models.CharField(_("办件类型"), max_length=20, choices=CaseType.choices)
    response_hours = models.PositiveIntegerField(_("响应时限(小时)"))
    resolve_hours = models.PositiveIntegerField(_("办结时限(小时)"))
    warn_hours = models.PositiveIntegerField(_("预警提前(小时)"), default=2)
    photo_required = models.BooleanField(_("须附照片"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolve_hours__gte=models.F("response_hours")),
                name="category_resolve_after_response",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}·{self.name}" if self.group else self.name


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已办结待评价")
    CLOSED = "closed", _("已关闭")
    REJECTION_PENDING = "rejection_pending", _("不予受理待审核")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REJECTION_PENDING)
FINAL_STATUSES = (Status.CLOSED, Status.REJECTED, Status.WITHDRAWN)


class Channel(models.TextChoices):
    WEB = "web", _("网页")
    API = "api", _("接口")
    OPEN311 = "open311", _("Open311")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("走访")
    WALK_IN = "walk_in", _("来访")


STAFF_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.WALK_IN)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Appeal(models.Model):
    number = models.CharField(_("编号"), max_length=24, unique=True, null=True, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="appeals"
    )
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="appeals"
    )
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("房屋"), null=True, blank=True, on_delete=models.SET_NULL
    )
    household = models.ForeignKey(
        Household, verbose_name=_("户"), null=True, blank=True, on_delete=models.SET_NULL
    )
    location = models.CharField(_("位置"), max_length=200, blank=True, help_text=_("小区内的具体位置"))
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("描述"), max_length=2000)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    submitter = models.ForeignKey(
        Person,
        verbose_name=_("诉求人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals",
    )
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("提交账号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # The holder works on it now; the accountable person answers for it until a transfer is accepted.
    assignee = models.ForeignKey(
        Person,
        verbose_name=_("当前承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_held",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    accountable = models.ForeignKey(
        Person,
        verbose_name=_("首接责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_accountable",
    )
    needs_routing = models.BooleanField(_("待分派"), default=False, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    response_due = models.DateTimeField(_("响应时限"))
    resolve_due = models.DateTimeField(_("办结时限"))
    committed_due = models.DateTimeField(
        _("承诺办结时间"), null=True, blank=True, help_text=_("延期后的新时限")
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    resolution_note = models.TextField(_("办理结果"), blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    me_too_count = models.PositiveIntegerField(_("附议人数"), default=0)
    # 0 = the holder; 1 = 包片 cadre; 2 = community secretary; 3 = street. Raised only by the deadline job.
    escalation_level = models.PositiveSmallIntegerField(_("升级层级"), default=0)
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    callback_needed = models.BooleanField(_("待回访"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="appeal_idempotency",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "resolve_due"], name="appeal_queue_idx"),
            models.Index(fields=["compound", "status"], name="appeal_compound_status_idx"),
            models.Index(fields=["compound", "submitted_at"], name="appeal_compound_time_idx"),
            models.Index(fields=["status", "response_due"], name="appeal_due_idx"),
            models.Index(fields=["accountable", "submitted_at"], name="appeal_accountable_time_idx"),
            # The queue reads the caller's scope part by part (appeals.selectors.queue): a grid's open
            # appeals without reading the closed ones of its flats.
            models.Index(fields=["dwelling", "status"], name="appeal_dwelling_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number or self.pk} {self.title}"

    @property
    def effective_due(self) -> dt.datetime:
        return self.committed_due or self.resolve_due


class AppealEvent(models.Model):
    """One row per thing that happened to an appeal: the timeline, the audit trail and the KPI source."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    action = models.CharField(_("动作"), max_length=30)
    actor = models.ForeignKey(
        USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=100, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["appeal", "at"], name="appeal_event_idx"),
            # The first answer (KPI response time) reads only these actions.
            models.Index(
                fields=["appeal", "at"],
                condition=Q(action__in=["accept", "start", "resolve", "reject"]),
                name="appeal_event_answer_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Holding(models.Model):
    """The hand-off trail: who held the appeal, from whom, since when, until when, why."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    handed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    since = models.DateTimeField(_("起"))
    until = models.DateTimeField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办记录")
        verbose_name_plural = _("承办记录")
        ordering = ["appeal_id", "since", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.person_id or self.agency_id} {self.since:%Y-%m-%d %H:%M}"


class Transfer(models.Model):
    """A hand-off waiting for the receiver: the sender stays accountable until it is accepted."""

    class State(models.TextChoices):
        PENDING = "pending", _("待接收")
        ACCEPTED = "accepted", _("已接收")
        DECLINED = "declined", _("已退回")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="transfers")
    from_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal"], condition=Q(state="pending"), name="one_pending_transfer"
            ),
            models.CheckConstraint(
                condition=Q(to_person__isnull=False) | Q(to_agency__isnull=False), name="transfer_has_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} → {self.to_person_id or self.to_agency_id} ({self.state})"


class Photo(models.Model):
    class Stage(models.TextChoices):
        SUBMITTED = "submitted", _("提交时")
        RESOLVED = "resolved", _("办结时")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    # Checked as an image by the service (content type and size); Pillow is not needed to store it.
    image = models.FileField(upload_to="appeals/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self) -> str:
        return self.image.name


class MeToo(models.Model):
    """A neighbour with the same problem joins an open appeal instead of filing a new one."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        constraints = [models.UniqueConstraint(fields=["appeal", "user"], name="me_too_once")]

    def __str__(self) -> str:
        return f"{self.appeal_id} + {self.user_id}"
