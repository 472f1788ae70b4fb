"""Service contracts: who commissioned which company for a compound, the notices that end them, the
services and fees they promise, and what the company must disclose (Civil Code art. 943)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core.audit import Audited
from guanjia.places.models import Compound
from guanjia.property.models.companies import PropertyCompany
from guanjia.property.models.money import money_field


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
