"""Owners' committees (业主委员会) and property management committees (物业管理委员会): terms and members."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OwnersCommittee(models.Model):
    class Kind(models.TextChoices):
        OWNERS = "owners", _("业主委员会")
        PROPERTY_MANAGEMENT = "property_management", _("物业管理委员会")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        FORMED = "formed", _("已成立")
        DISSOLVED = "dissolved", _("已解散")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="committees"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OWNERS)
    name = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PREPARING)
    preparing_since = models.DateField(_("筹备开始"), null=True, blank=True)
    formed_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("解散日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("业委会/物管会")
        verbose_name_plural = _("业委会/物管会")
        ordering = ["compound_id", "id"]
        constraints = [
            # One living committee per compound: a new one may form only after the old is dissolved.
            models.UniqueConstraint(
                fields=["compound"],
                condition=~Q(status="dissolved"),
                name="committee_one_active_per_compound",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeTerm(models.Model):
    """One term (届) of a committee: who sits on it, from when to when, and its registration (备案)."""

    committee = models.ForeignKey(OwnersCommittee, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    election = models.ForeignKey(
        "decisions.OwnersVote",
        verbose_name=_("选举表决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    elected_on = models.DateField(_("选举日期"))
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"))
    registration_due = models.DateField(_("备案期限"))
    registered_on = models.DateField(_("备案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届次")
        verbose_name_plural = _("届次")
        ordering = ["committee_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="committee_term_number_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} 第{self.number}届"


class CommitteeMember(models.Model):
    class Position(models.TextChoices):
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        MEMBER = "member", _("委员")

    term = models.ForeignKey(CommitteeTerm, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("成员"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("职务"), max_length=12, choices=Position.choices, default=Position.MEMBER)
    # As at the start of the term: the composition shown is the one elected.
    is_owner = models.BooleanField(_("业主"), default=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    left_on = models.DateField(_("离任日期"), null=True, blank=True)
    left_reason = models.CharField(_("离任原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["term_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="committee_member_once_per_term")
        ]

    def __str__(self) -> str:
        return str(self.person)
