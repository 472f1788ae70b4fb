"""People and who answers for what: Person, Household, Residency, StaffAssignment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.core import pii
from guanjia.core.audit import Audited
from guanjia.places.models import Community, Compound, Dwelling, Grid, Region


class OwnerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    DEVELOPER = "developer", _("建设单位")
    ORGANISATION = "organisation", _("单位")


class Person(Audited):
    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")
        UNKNOWN = "", _("未知")

    name = models.CharField(_("姓名"), max_length=100, db_index=True)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    owner_kind = models.CharField(
        _("产权人类型"), max_length=20, choices=OwnerKind.choices, default=OwnerKind.INDIVIDUAL
    )
    # Personal data: ciphertext, keyed lookup hash, and the masked form shown to most roles.
    id_number_enc = models.TextField(_("证件号码（密文）"), blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_number_masked = models.CharField(_("证件号码"), max_length=32, blank=True, editable=False)
    phone_enc = models.TextField(_("手机号（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号"), max_length=20, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def set_id_number(self, value: str) -> None:
        sealed = pii.seal("id_number", value)
        self.id_number_enc, self.id_number_hash, self.id_number_masked = (
            sealed.ciphertext,
            sealed.lookup,
            sealed.masked,
        )

    def set_phone(self, value: str) -> None:
        sealed = pii.seal("phone", value)
        self.phone_enc, self.phone_hash, self.phone_masked = sealed.ciphertext, sealed.lookup, sealed.masked

    def age_on(self, day: dt.date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Household(Audited):
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("房屋"), on_delete=models.PROTECT, related_name="households"
    )
    # Usually one household per dwelling; a label tells apart several (e.g. shared rentals).
    label = models.CharField(_("户别"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["dwelling_id", "label"]
        constraints = [models.UniqueConstraint(fields=["dwelling", "label"], name="household_unique_label")]

    def __str__(self) -> str:
        return f"{self.dwelling}{'·' + self.label if self.label else ''}"


class Residency(Audited):
    class Relation(models.TextChoices):
        OWNER = "owner", _("业主")
        FAMILY = "family", _("家庭成员")
        TENANT = "tenant", _("租户")

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="residencies"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.CASCADE, related_name="residencies"
    )
    relation = models.CharField(_("关系"), max_length=10, choices=Relation.choices)
    start_date = models.DateField(_("起始日期"), null=True, blank=True)
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住关系")
        verbose_name_plural = _("居住关系")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "household"],
                condition=Q(end_date__isnull=True),
                name="residency_one_current_per_household",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="residency_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_relation_display()}"

    def is_current(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )


class Role(models.TextChoices):
    """Staff roles. Residents are not assigned: a current Residency makes one a resident."""

    GRID_WORKER = "grid_worker", _("网格员")
    CADRE = "cadre", _("包片干部")
    SECRETARY = "secretary", _("社区书记/管理员")
    PROPERTY_STAFF = "property_staff", _("物业人员")
    COMMITTEE_MEMBER = "committee_member", _("业委会/物管会委员")
    AGENCY_STAFF = "agency_staff", _("职能部门人员")
    OFFICIAL = "official", _("街道/区县干部")


# Which place a role answers for: exactly this target field is set.
ROLE_TARGET = {
    Role.GRID_WORKER: "grid",
    Role.CADRE: "compound",
    Role.SECRETARY: "community",
    Role.PROPERTY_STAFF: "compound",
    Role.COMMITTEE_MEMBER: "compound",
    Role.AGENCY_STAFF: "region",
    Role.OFFICIAL: "region",
}
TARGETS = ("region", "community", "compound", "grid")


class StaffAssignment(Audited):
    """Who answers for which grid, compound, community or region, from when to when (包片/网格分工)."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("职责"), max_length=20, choices=Role.choices, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("区域"), null=True, blank=True, on_delete=models.CASCADE
    )
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), null=True, blank=True, on_delete=models.CASCADE
    )
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), null=True, blank=True, on_delete=models.CASCADE
    )
    grid = models.ForeignKey(Grid, verbose_name=_("网格"), null=True, blank=True, on_delete=models.CASCADE)
    title = models.CharField(
        _("职务"), max_length=100, blank=True, help_text=_("如：社区两委委员、社工、物业公司名称")
    )
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分工")
        verbose_name_plural = _("分工（包片/网格）")
        ordering = ["role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["grid_worker"],
                        grid__isnull=False,
                        compound__isnull=True,
                        community__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role__in=["cadre", "property_staff", "committee_member"],
                        compound__isnull=False,
                        grid__isnull=True,
                        community__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role="secretary",
                        community__isnull=False,
                        grid__isnull=True,
                        compound__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        role__in=["agency_staff", "official"],
                        region__isnull=False,
                        grid__isnull=True,
                        compound__isnull=True,
                        community__isnull=True,
                    )
                ),
                name="assignment_target_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["person", "end_date"], name="assignment_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.target}"

    @property
    def target(self) -> models.Model | None:
        return getattr(self, ROLE_TARGET[Role(self.role)])

    def clean(self) -> None:
        wanted = ROLE_TARGET[Role(self.role)] if self.role else None
        for field in TARGETS:
            if field == wanted and getattr(self, f"{field}_id") is None:
                raise ValidationError({field: _("该职责需要指定此项")})
            if field != wanted and getattr(self, f"{field}_id") is not None:
                raise ValidationError({field: _("该职责不应指定此项")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于起始日期")})
