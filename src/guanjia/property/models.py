"""Property management (红色物业): companies, service contracts and what they must disclose, bills and
payments, and the residents' rating of the service (1评).

Money is Decimal yuan with two places. A bill is never edited once issued: a correction is a credit
note (negative) or a replacement bill, both pointing at the original. What a household owes is always
derived — bills minus confirmed payments — never stored, so it cannot drift."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.audit import Audited
from guanjia.people.models import Household, Person
from guanjia.places.models import Compound, Dwelling, Region

CENT = Decimal("0.01")


def money_field(label: Any, **kwargs: Any) -> Any:
    return models.DecimalField(label, max_digits=12, decimal_places=2, **kwargs)


class PropertyCompany(Audited):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    is_fallback = models.BooleanField(
        _("政府兜底物业"), default=False, help_text=_("由政府（如县房地产服务中心）设立、兜底管理无管小区")
    )
    has_party_org = models.BooleanField(_("建有党组织"), default=False)
    party_org_name = models.CharField(_("党组织名称"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区县"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    service_phone = models.CharField(_("服务电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("物业公司")
        verbose_name_plural = _("物业公司")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompanyStaff(Audited):
    """A person working for a property company; those who handle appeals are listed for routing."""

    company = models.ForeignKey(
        PropertyCompany, verbose_name=_("物业公司"), on_delete=models.CASCADE, related_name="staff"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="property_jobs"
    )
    title = models.CharField(_("职务"), max_length=100, blank=True)
    is_in_charge = models.BooleanField(_("负责人"), default=False)
    handles_appeals = models.BooleanField(_("处理诉求"), default=True)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("物业公司人员")
        verbose_name_plural = _("物业公司人员")
        ordering = ["company_id", "-is_in_charge", "id"]
        indexes = [models.Index(fields=["person", "end_date"], name="companystaff_person_idx")]

    def __str__(self) -> str:
        return f"{self.company} · {self.person}"


class PartyKind(models.TextChoices):
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    MANAGEMENT_COMMITTEE = "management_committee", _("物业管理委员会")
    COMMUNITY = "community", _("社区居委会")


class FeeBasis(models.TextChoices):
    PER_HOUSEHOLD = "per_household", _("按户每月")
    PER_AREA = "per_area", _("按面积每平方米每月")
    ONE_OFF = "one_off", _("一次性")


class AreaBasis(models.TextChoices):
    LEGAL = "legal", _("登记面积（无则实测、合同面积）")
    REGISTERED = "registered", _("不动产登记面积")
    SURVEYED = "surveyed", _("实测面积")
    CONTRACT = "contract", _("合同面积")


class Cycle(models.TextChoices):
    MONTHLY = "monthly", _("按月")
    QUARTERLY = "quarterly", _("按季")
    YEARLY = "yearly", _("按年")


class NoticeKind(models.TextChoices):
    # Civil Code art. 946 (dismissal, 60 days), 947 (non-renewal, 90 days), 948 (open-ended, 60 days).
    DISMISSAL = "dismissal", _("业主依法解聘（提前60日书面通知）")
    NON_RENEWAL = "non_renewal", _("物业不再续聘（期满前90日书面通知）")
    OPEN_ENDED_END = "open_ended_end", _("解除不定期合同（提前60日书面通知）")


class ServiceContract(Audited):
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="service_contracts"
    )
    company = models.ForeignKey(
        PropertyCompany, verbose_name=_("物业公司"), on_delete=models.PROTECT, related_name="contracts"
    )
    party_kind = models.CharField(_("委托方"), max_length=30, choices=PartyKind.choices)
    party_name = models.CharField(_("委托方名称"), max_length=100)
    number = models.CharField(_("合同编号"), max_length=50, blank=True)
    signed_on = models.DateField(_("签订日期"))
    start_date = models.DateField(_("服务起始日"))
    end_date = models.DateField(_("约定期满日"), null=True, blank=True)
    # The last day of service once it is decided (dismissal, non-renewal, successor); empty while it runs.
    ended_on = models.DateField(_("服务终止日"), null=True, blank=True)
    billing_cycle = models.CharField(
        _("收费周期"), max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY
    )
    manager_name = models.CharField(_("项目负责人"), max_length=50)
    service_phone = models.CharField(_("服务电话"), max_length=30)
    dismissal_notice_days = models.PositiveSmallIntegerField(_("解聘提前通知天数"), default=60)
    non_renewal_notice_days = models.PositiveSmallIntegerField(_("不续聘提前通知天数"), default=90)
    notice_kind = models.CharField(_("通知类型"), max_length=20, choices=NoticeKind.choices, blank=True)
    notice_given_on = models.DateField(_("书面通知日期"), null=True, blank=True)
    notice_reason = models.CharField(_("通知事由"), max_length=200, blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("前一份合同"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successor",
    )

    class Meta:
        verbose_name = _("物业服务合同")
        verbose_name_plural = _("物业服务合同")
        ordering = ["compound_id", "-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_term_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="contract_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["compound", "start_date"], name="contract_compound_idx")]

    def __str__(self) -> str:
        return f"{self.compound} · {self.company}"

    def in_force(self, day: dt.date) -> bool:
        # After the agreed term, with no decision, service continues as an open-ended contract (art. 948).
        return self.start_date <= day and (self.ended_on is None or day <= self.ended_on)

    def is_open_ended(self, day: dt.date) -> bool:
        return self.end_date is not None and day > self.end_date and self.in_force(day)


class ServiceItem(Audited):
    class Category(models.TextChoices):
        CLEANING = "cleaning", _("环境卫生")
        ORDER = "order", _("秩序维护")
        REPAIRS = "repairs", _("共用设施维修")
        GREENING = "greening", _("绿化养护")
        PARKING = "parking", _("停车管理")
        OTHER = "other", _("其他")

    contract = models.ForeignKey(
        ServiceContract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="service_items"
    )
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    title = models.CharField(_("服务内容"), max_length=200)
    frequency = models.CharField(_("频次"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("服务公示项目")
        verbose_name_plural = _("服务公示项目")
        ordering = ["contract_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ChargeItem(Audited):
    """A fee of the contract and its formula: per household-month, per m²-month of an area, or once."""

    contract = models.ForeignKey(
        ServiceContract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="charge_items"
    )
    name = models.CharField(_("收费项目"), max_length=50)
    basis = models.CharField(_("计费方式"), max_length=20, choices=FeeBasis.choices)
    rate = models.DecimalField(
        _("单价（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    area_basis = models.CharField(
        _("计费面积"), max_length=20, choices=AreaBasis.choices, default=AreaBasis.LEGAL
    )
    # A one-off item is billed once, in the bill of the period that holds this month.
    bill_month = models.DateField(_("一次性收费月份"), null=True, blank=True)

    class Meta:
        verbose_name = _("收费标准")
        verbose_name_plural = _("收费标准")
        ordering = ["contract_id", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.rate}"


class DisclosureKind(models.TextChoices):
    # What Civil Code art. 943 asks the property service provider to make public.
    PERFORMANCE = "performance", _("服务履行情况")
    MAINTENANCE_FUND = "maintenance_fund", _("专项维修资金使用情况")
    COMMON_INCOME = "common_income", _("共有部分经营与收益情况")
    OTHER = "other", _("其他公示")


class Disclosure(models.Model):
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="disclosures"
    )
    contract = models.ForeignKey(
        ServiceContract, verbose_name=_("合同"), null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("公示类别"), max_length=20, choices=DisclosureKind.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"), blank=True)
    amount = money_field(_("金额（元）"), null=True, blank=True)
    published_on = models.DateField(_("公示日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公示事项")
        verbose_name_plural = _("公示事项")
        ordering = ["compound_id", "-published_on", "-id"]

    def __str__(self) -> str:
        return self.title


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


class EvaluationPeriod(models.Model):
    """A round of the residents' rating of property service (1评) across a region."""

    region = models.ForeignKey(Region, verbose_name=_("区域"), on_delete=models.PROTECT)
    name = models.CharField(_("名称"), max_length=50)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("物业服务评价期")
        verbose_name_plural = _("物业服务评价期")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="evaluation_period_unique_name"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="evaluation_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open(self, day: dt.date) -> bool:
        return self.opens_on <= day <= self.closes_on


SCORE = [MinValueValidator(1), MaxValueValidator(5)]
DIMENSIONS = ("cleanliness", "order", "repairs", "greening", "parking", "attitude")


class EvaluationResponse(models.Model):
    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="responses")
    compound = models.ForeignKey(Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(
        PropertyCompany, verbose_name=_("物业公司"), on_delete=models.PROTECT, related_name="evaluations"
    )
    household = models.ForeignKey(Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="+")
    cleanliness = models.PositiveSmallIntegerField(_("环境卫生"), validators=SCORE)
    order = models.PositiveSmallIntegerField(_("秩序与安全"), validators=SCORE)
    repairs = models.PositiveSmallIntegerField(_("维修服务"), validators=SCORE)
    greening = models.PositiveSmallIntegerField(_("绿化养护"), validators=SCORE)
    parking = models.PositiveSmallIntegerField(_("停车管理"), validators=SCORE)
    attitude = models.PositiveSmallIntegerField(_("服务态度"), validators=SCORE)
    comment = models.CharField(_("意见建议"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(Person, verbose_name=_("填写人"), null=True, on_delete=models.SET_NULL)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("物业服务评价")
        verbose_name_plural = _("物业服务评价")
        ordering = ["period_id", "compound_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "household"], name="evaluation_one_per_household"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{d}__gte": 1, f"{d}__lte": 5}), name=f"evaluation_{d}_1_5"
                )
                for d in DIMENSIONS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.household_id}"
