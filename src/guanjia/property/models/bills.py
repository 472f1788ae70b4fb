"""Bills and payments: bill runs, bills and their corrections, payments and their state changes, and
reminders to pay (催缴)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.people.models import Household
from guanjia.places.models import Compound, Dwelling
from guanjia.property.models.contracts import ServiceContract
from guanjia.property.models.money import CENT, money_field


class BillRun(models.Model):
    """One execution of billing for a contract and period: who ran it, and what it created."""

    contract = models.ForeignKey(
        ServiceContract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="bill_runs"
    )
    period_start = models.DateField(_("账期开始"))
    period_end = models.DateField(_("账期结束"))
    created = models.PositiveIntegerField(_("新开账单数"), default=0)
    skipped = models.PositiveIntegerField(_("已有账单数"), default=0)
    missing_area = models.PositiveIntegerField(_("缺面积房屋数"), default=0)
    total = money_field(_("新开金额"), default=Decimal("0.00"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("执行人"), null=True, on_delete=models.SET_NULL
    )
    run_at = models.DateTimeField(_("执行时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("出账批次")
        verbose_name_plural = _("出账批次")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contract} {self.period_start}"


class Bill(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("账单")
        CREDIT = "credit", _("红冲（贷项）")
        REPLACEMENT = "replacement", _("更正账单")

    number = models.CharField(_("账单号"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    # Foreign keys covered by the composite indexes below get no index of their own: every index
    # costs time on each of the 100,000 inserts of a county's monthly bill run.
    contract = models.ForeignKey(
        ServiceContract,
        verbose_name=_("合同"),
        on_delete=models.PROTECT,
        related_name="bills",
        db_index=False,
    )
    # Denormalised from the dwelling: scope checks and per-compound sums are one indexed filter.
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("房屋"), on_delete=models.PROTECT, related_name="property_bills"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    period_start = models.DateField(_("账期开始"))
    period_end = models.DateField(_("账期结束"))
    amount = money_field(_("金额（元）"))
    # The formula as it was applied: [{"item", "basis", "rate", "quantity", "months", "amount"}].
    lines = models.JSONField(_("明细"), default=list)
    due_date = models.DateField(_("应缴日期"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的账单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.CharField(_("更正原因"), max_length=200, blank=True)
    run = models.ForeignKey(
        BillRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="bills", db_index=False
    )
    issued_at = models.DateTimeField(_("开具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开具人"),
        null=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )

    class Meta:
        verbose_name = _("账单")
        verbose_name_plural = _("账单")
        ordering = ["dwelling_id", "period_start", "id"]
        constraints = [
            # Rerunning a bill run creates nothing: one original bill per contract, dwelling and period.
            models.UniqueConstraint(
                fields=["contract", "dwelling", "period_start"],
                condition=Q(kind="invoice"),
                name="bill_one_invoice_per_period",
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", corrects__isnull=True)
                | Q(kind__in=["credit", "replacement"], corrects__isnull=False),
                name="bill_correction_points_at_original",
            ),
            models.CheckConstraint(
                condition=Q(kind="credit", amount__lte=0) | Q(~Q(kind="credit"), amount__gte=0),
                name="bill_sign_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["contract", "dwelling", "period_start"], name="bill_account_idx"),
            models.Index(fields=["compound", "period_start"], name="bill_compound_period_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    WECHAT = "wechat", _("微信支付")
    ALIPAY = "alipay", _("支付宝")
    BANK = "bank", _("银行转账")


class Payment(models.Model):
    class Status(models.TextChoices):
        CLAIMED = "claimed", _("居民已申报，待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未到账，已驳回")

    contract = models.ForeignKey(
        ServiceContract,
        verbose_name=_("合同"),
        on_delete=models.PROTECT,
        related_name="payments",
        db_index=False,
    )
    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="+")
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("房屋"), on_delete=models.PROTECT, related_name="property_payments"
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    amount = money_field(_("金额（元）"), validators=[MinValueValidator(CENT)])
    method = models.CharField(_("缴费方式"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("交易单号/凭证号"), max_length=64, blank=True)
    paid_on = models.DateField(_("缴费日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, db_index=True)
    receipt_number = models.CharField(_("收据号"), max_length=30, null=True, blank=True, unique=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("缴费")
        verbose_name_plural = _("缴费")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["contract", "dwelling", "status"], name="payment_account_idx")]

    def __str__(self) -> str:
        return f"{self.dwelling} {self.amount}"


class PaymentEvent(models.Model):
    """Who changed a payment's state, when and why: recorded, claimed, confirmed, rejected."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Payment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("缴费记录变更")
        verbose_name_plural = _("缴费记录变更")
        ordering = ["payment_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.payment_id} {self.action}"


class Reminder(models.Model):
    """A reminder to pay (催缴), shown to the household on their bills page."""

    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="reminders")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.CASCADE, related_name="property_reminders")
    amount_due = money_field(_("欠费金额"))
    message = models.CharField(_("内容"), max_length=200)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("催缴提醒")
        verbose_name_plural = _("催缴提醒")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.message
