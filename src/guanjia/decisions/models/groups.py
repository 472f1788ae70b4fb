"""Self-governance groups (自治小组) of self-governed compounds, their projects and public ledgers."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SelfGovernanceGroup(models.Model):
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name=_("小区"),
        on_delete=models.PROTECT,
        related_name="self_governance_groups",
    )
    name = models.CharField(_("名称"), max_length=100)
    formed_on = models.DateField(_("成立日期"))

    class Meta:
        verbose_name = _("自治小组")
        verbose_name_plural = _("自治小组")
        ordering = ["compound_id", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("组长")
        MEMBER = "member", _("成员")

    group = models.ForeignKey(SelfGovernanceGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("职务"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)

    class Meta:
        ordering = ["group_id", "role", "id"]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.group_id}"


class GroupProject(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("提议中")
        APPROVED = "approved", _("已通过")
        DONE = "done", _("已完成")
        REJECTED = "rejected", _("未通过")

    group = models.ForeignKey(SelfGovernanceGroup, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("项目"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # The decision that approved it: a consultation or an owners' vote.
    consultation = models.ForeignKey(
        "decisions.Consultation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vote = models.ForeignKey(
        "decisions.OwnersVote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("自治项目")
        verbose_name_plural = _("自治项目")
        ordering = ["group_id", "id"]

    def __str__(self) -> str:
        return self.title


class LedgerEntry(models.Model):
    """A public ledger line; never edited: a mistake is corrected by a reversing entry."""

    class Kind(models.TextChoices):
        CONTRIBUTION = "contribution", _("收入（居民出资）")
        EXPENSE = "expense", _("支出")

    project = models.ForeignKey(GroupProject, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(
        _("金额(元)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    on = models.DateField(_("日期"))
    counterparty = models.CharField(_("出资人/收款方"), max_length=100)
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记账人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记账时间"))

    class Meta:
        verbose_name = _("账目")
        verbose_name_plural = _("公开账目")
        ordering = ["project_id", "on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="ledger_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()} {self.amount}"
