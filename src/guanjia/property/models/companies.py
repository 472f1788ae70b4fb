"""Property companies and the people who work for them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.audit import Audited
from guanjia.people.models import Person
from guanjia.places.models import Region


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
