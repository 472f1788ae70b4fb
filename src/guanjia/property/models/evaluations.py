"""The residents' rating of property service (1评): rounds across a region and one response per household."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.people.models import Household, Person
from guanjia.places.models import Compound, Region
from guanjia.property.models.companies import PropertyCompany


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
