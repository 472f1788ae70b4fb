"""Consultations (征求意见): a yes/no question put to every occupied dwelling of a compound."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Consultation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("征求中")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="consultations"
    )
    question = models.CharField(_("征求事项"), max_length=300)
    description = models.TextField(_("说明"), blank=True)
    # The share of dwellings that must consent, in percent ("以上": the bound itself is enough).
    target_percent = models.DecimalField(
        _("目标同意率(%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Stored at close: what was reported never changes afterwards.
    units_total = models.PositiveIntegerField(_("户数"), null=True, blank=True)
    units_consenting = models.PositiveIntegerField(_("同意户数"), null=True, blank=True)
    target_met = models.BooleanField(_("达到目标"), null=True, blank=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.question


class ConsultationUnit(models.Model):
    """A dwelling asked, frozen when the consultation opens. A rented one needs both landlord and tenant."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="units")
    dwelling = models.ForeignKey("places.Dwelling", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("places.Building", on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey("places.Grid", null=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(_("房屋"), max_length=120)
    rented = models.BooleanField(_("出租"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "dwelling"], name="consultation_unit_once")
        ]

    def __str__(self) -> str:
        return self.label


class ConsultationResponse(models.Model):
    """Every answer received; the current one per dwelling and party counts, earlier ones are kept."""

    class Party(models.TextChoices):
        OWNER = "owner", _("业主（房东）")
        TENANT = "tenant", _("租户")

    class Origin(models.TextChoices):
        ONLINE = "online", _("线上")
        DOOR_TO_DOOR = "door_to_door", _("网格员入户")
        PAPER = "paper", _("纸质签字录入")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(ConsultationUnit, on_delete=models.CASCADE, related_name="responses")
    party = models.CharField(_("身份"), max_length=8, choices=Party.choices)
    agrees = models.BooleanField(_("同意"))
    origin = models.CharField(_("来源"), max_length=14, choices=Origin.choices)
    respondent = models.ForeignKey(
        "people.Person", verbose_name=_("答复人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"))
    is_current = models.BooleanField(default=True)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "party"], condition=Q(is_current=True), name="consultation_one_current_answer"
            ),
            models.UniqueConstraint(
                fields=["consultation", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="consultation_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}·{self.party}: {self.agrees}"
