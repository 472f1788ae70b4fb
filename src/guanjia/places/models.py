"""Places, from large to small: Region (city → district/county → street) → Community → Compound →
Building → Entrance → Dwelling; Grids group dwellings for grid workers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.core.audit import Audited


def area_field(label: Any) -> Any:
    """A floor area in m², two decimals; empty when the source doesn't give it."""
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )


class Region(Audited):
    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")
        STREET = "street", _("街道/乡镇")

    PARENT_LEVEL = {Level.CITY: None, Level.DISTRICT: Level.CITY, Level.STREET: Level.DISTRICT}

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    # GB/T 2260 division code: 6 digits for city and district; streets add 3 (GB/T 10114).
    code = models.CharField(
        _("区划代码"), max_length=12, unique=True, validators=[RegexValidator(r"^\d{6}(\d{3})?$")]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/5/12/" so a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = self.PARENT_LEVEL[self.Level(self.level)]
        actual = self.parent.level if self.parent else None
        if expected != actual:
            raise ValidationError(
                {
                    "parent": _("上级层级不符：%(level)s 的上级应为 %(expected)s")
                    % {"level": self.get_level_display(), "expected": expected or _("无")}
                }
            )
        if self.level == self.Level.STREET and len(self.code) != 9:
            raise ValidationError({"code": _("街道代码应为9位（区县6位+3位）")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs = {**kwargs, "force_insert": False, "force_update": True}
        self.path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        super().save(*args, **kwargs)

    @property
    def street_code(self) -> str:
        return self.code[-3:]


class Community(Audited):
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属街道"),
        on_delete=models.PROTECT,
        related_name="communities",
        limit_choices_to={"level": Region.Level.STREET},
    )
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(
        _("社区代码"), max_length=3, validators=[RegexValidator(r"^\d{3}$")], help_text=_("街道内3位序号")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["region_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="community_unique_name_in_street"),
            models.UniqueConstraint(fields=["region", "code"], name="community_unique_code_in_street"),
        ]

    def __str__(self) -> str:
        return self.name


class ManagementMode(models.TextChoices):
    PROFESSIONAL = "professional", _("物业公司管理")
    FALLBACK = "fallback", _("政府兜底物业")
    SELF_GOVERNED = "self_governed", _("居民自治")
    UNMANAGED = "unmanaged", _("无人管理")


class Compound(Audited):
    community = models.ForeignKey(
        Community, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="compounds"
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    management_mode = models.CharField(
        _("管理模式"),
        max_length=20,
        choices=ManagementMode.choices,
        default=ManagementMode.UNMANAGED,
        db_index=True,
    )
    mode_since = models.DateField(_("管理模式起始日"), null=True, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]

    def __str__(self) -> str:
        return self.name


class ManagementModeChange(models.Model):
    """Dated history of a compound's management mode; written only by places.services."""

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="mode_changes"
    )
    from_mode = models.CharField(_("原模式"), max_length=20, choices=ManagementMode.choices, blank=True)
    to_mode = models.CharField(_("新模式"), max_length=20, choices=ManagementMode.choices)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("管理模式变更")
        verbose_name_plural = _("管理模式变更")
        ordering = ["compound_id", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.compound} {self.effective_on}: {self.get_to_mode_display()}"


class Building(Audited):
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField(_("楼栋"), max_length=50)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["compound_id", "id"]
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return self.name


class Entrance(Audited):
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="entrances"
    )
    name = models.CharField(_("单元"), max_length=50)

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        ordering = ["building_id", "id"]
        constraints = [models.UniqueConstraint(fields=["building", "name"], name="entrance_unique_name")]

    def __str__(self) -> str:
        return self.name


class Grid(Audited):
    community = models.ForeignKey(
        Community, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="grids"
    )
    serial = models.CharField(_("网格序号"), max_length=2, validators=[RegexValidator(r"^\d{2}$")])
    name = models.CharField(_("名称"), max_length=100)
    # CJ/T 349-2010: object code (6) + district (6) + street (3) + community (3) + serial (2).
    code = models.CharField(_("网格编码"), max_length=20, unique=True, editable=False)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["community_id", "serial"]
        constraints = [models.UniqueConstraint(fields=["community", "serial"], name="grid_unique_serial")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = grid_code(self.community, self.serial)
        super().save(*args, **kwargs)


def grid_code(community: Community, serial: str) -> str:
    street = community.region
    return f"{settings.GRID_OBJECT_CODE}{street.code[:6]}{street.code[6:9]}{community.code}{serial}"


class Dwelling(Audited):
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("单元"), on_delete=models.PROTECT, related_name="dwellings"
    )
    # Denormalised from entrance → building → compound: scope checks are one indexed filter.
    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.PROTECT, related_name="dwellings", editable=False
    )
    number = models.CharField(_("房号"), max_length=20)
    floor = models.SmallIntegerField(_("楼层"), null=True, blank=True)
    grid = models.ForeignKey(
        Grid,
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dwellings",
    )
    area_registered = area_field(_("不动产登记面积(㎡)"))
    area_surveyed = area_field(_("实测面积(㎡)"))
    area_contract = area_field(_("合同面积(㎡)"))

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["entrance_id", "number"]
        constraints = [models.UniqueConstraint(fields=["entrance", "number"], name="dwelling_unique_number")]
        indexes = [models.Index(fields=["compound", "grid"], name="dwelling_compound_grid_idx")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.compound_id:
            self.compound_id = (
                Building.objects.only("compound_id").get(entrances=self.entrance_id).compound_id
            )
        super().save(*args, **kwargs)

    @property
    def legal_area(self) -> Decimal | None:
        """The area Civil Code votes count: registered, else surveyed, else contract (民法典解释 第8条)."""
        return self.area_registered or self.area_surveyed or self.area_contract
