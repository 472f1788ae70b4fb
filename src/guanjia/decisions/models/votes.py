"""Owners' votes (业主共同决定事项表决): the vote, its frozen roll, the ballots and the counted result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guanjia.decisions import law


def area(label: Any) -> Any:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=0)


class Matter(models.TextChoices):
    RULES_OF_PROCEDURE = "rules_of_procedure", _("制定和修改业主大会议事规则")
    MANAGEMENT_RULES = "management_rules", _("制定和修改管理规约")
    ELECT_COMMITTEE = "elect_committee", _("选举业主委员会或者更换业主委员会成员")
    HIRE_PROPERTY_COMPANY = "hire_property_company", _("选聘和解聘物业服务企业或者其他管理人")
    USE_MAINTENANCE_FUND = "use_maintenance_fund", _("使用建筑物及其附属设施的维修资金")
    RAISE_MAINTENANCE_FUND = "raise_maintenance_fund", _("筹集建筑物及其附属设施的维修资金")
    REBUILD = "rebuild", _("改建、重建建筑物及其附属设施")
    CHANGE_COMMON_USE = "change_common_use", _("改变共有部分的用途或者利用共有部分从事经营活动")
    OTHER_MAJOR = "other_major", _("有关共有和共同管理权利的其他重大事项")


assert tuple(Matter.values) == law.MATTERS  # noqa: S101 -- the law module and the model agree


class ParkingSpace(models.Model):
    """A parking space sold as an exclusive part; counted only by votes that include parking."""

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="parking_spaces"
    )
    number = models.CharField(_("车位号"), max_length=30)
    area = models.DecimalField(_("面积(㎡)"), max_digits=8, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(
        "people.Person",
        verbose_name=_("产权人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parking_spaces",
    )

    class Meta:
        verbose_name = _("产权车位")
        verbose_name_plural = _("产权车位")
        constraints = [models.UniqueConstraint(fields=["compound", "number"], name="parking_unique_number")]

    def __str__(self) -> str:
        return self.number


class OwnersVote(models.Model):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("已公告")
        OPEN = "open", _("表决中")
        CLOSED = "closed", _("已计票")
        PUBLISHED = "published", _("已公布")
        CANCELLED = "cancelled", _("已取消")

    compound = models.ForeignKey(
        "places.Compound", verbose_name=_("小区"), on_delete=models.PROTECT, related_name="owners_votes"
    )
    title = models.CharField(_("表决事项"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    matter = models.CharField(_("事项类别"), max_length=30, choices=Matter.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ANNOUNCED, db_index=True
    )
    announced_at = models.DateTimeField(_("公告时间"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    notice_override_reason = models.CharField(_("缩短公告期的理由"), max_length=300, blank=True)
    abstain_counts_as_participating = models.BooleanField(_("弃权计入参与表决"), default=True)
    include_parking = models.BooleanField(_("车位计入专有部分"), default=False)
    seats = models.PositiveSmallIntegerField(_("应选名额"), null=True, blank=True)
    committee = models.ForeignKey(
        "decisions.OwnersCommittee",
        verbose_name=_("选举的委员会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("开启时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("业主共同决定事项表决")
        verbose_name_plural = _("业主表决")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="vote_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_election(self) -> bool:
        return self.matter == Matter.ELECT_COMMITTEE

    @property
    def publish_due(self) -> dt.datetime | None:
        return self.closed_at + law.PUBLISH_WITHIN if self.closed_at else None


class Candidate(models.Model):
    """A candidate in an election of committee members; owner and Party status as at nomination."""

    vote = models.ForeignKey(
        OwnersVote, verbose_name=_("表决"), on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("候选人"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_owner = models.BooleanField(_("业主"), default=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    statement = models.CharField(_("简介"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["vote_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="candidate_once_per_vote")]

    def __str__(self) -> str:
        return str(self.person)


class Voter(models.Model):
    """One owner on the frozen roll, counted as art. 278 counts owners (解释 第9条)."""

    class Kind(models.TextChoices):
        OWNER = "owner", _("业主")
        CO_OWNERS = "co_owners", _("共有业主")
        DEVELOPER = "developer", _("建设单位（未售或未交付部分合计一人）")
        UNKNOWN = "unknown", _("产权人未登记")

    vote = models.ForeignKey(
        OwnersVote, verbose_name=_("表决"), on_delete=models.CASCADE, related_name="voters"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("业主"), max_length=200)
    area = area(_("专有部分面积(㎡)"))
    headcount = models.PositiveSmallIntegerField(_("人数"), default=1)
    part_count = models.PositiveIntegerField(_("专有部分数"), default=1)

    class Meta:
        verbose_name = _("表决权人")
        verbose_name_plural = _("表决权人名册")
        ordering = ["vote_id", "id"]

    def __str__(self) -> str:
        return self.label


class VoterOwner(models.Model):
    """Who may cast the voter's ballot online: the owners of its parts when the roll was frozen."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="owners")
    vote = models.ForeignKey(OwnersVote, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["voter", "person"], name="voter_owner_once")]
        indexes = [models.Index(fields=["vote", "person"], name="voterowner_vote_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}→{self.voter_id}"


class RollPart(models.Model):
    """An exclusive part on the frozen roll, with the area the vote counts and where that figure came from."""

    vote = models.ForeignKey(OwnersVote, on_delete=models.CASCADE, related_name="roll_parts")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="parts")
    dwelling = models.ForeignKey("places.Dwelling", null=True, on_delete=models.PROTECT, related_name="+")
    parking_space = models.ForeignKey(ParkingSpace, null=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("部位"), max_length=120)
    area = area(_("面积(㎡)"))
    # registered / surveyed / contract / missing (解释 第8条)
    area_source = models.CharField(_("面积依据"), max_length=12)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """Every ballot ever received. The current one per voter counts; changes keep the earlier ones."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("同意")
        OPPOSE = "oppose", _("反对")
        ABSTAIN = "abstain", _("弃权")

    class Origin(models.TextChoices):
        ONLINE = "online", _("业主线上投票")
        PAPER = "paper", _("纸质签名选票录入")
        PROXY = "proxy", _("书面委托代理投票")

    vote = models.ForeignKey(OwnersVote, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        Voter, verbose_name=_("表决权人"), on_delete=models.CASCADE, related_name="ballots"
    )
    choice = models.CharField(_("意见"), max_length=8, choices=Choice.choices)
    marks = models.JSONField(_("对候选人的意见"), default=dict, blank=True)
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proxy_name = models.CharField(_("代理人"), max_length=100, blank=True)
    authorisation = models.CharField(_("书面委托书"), max_length=200, blank=True)
    paper_reference = models.CharField(_("纸质选票编号"), max_length=100, blank=True)
    cast_at = models.DateTimeField(_("提交时间"))
    is_current = models.BooleanField(_("有效"), default=True)
    superseded_at = models.DateTimeField(_("被更改时间"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["vote_id", "id"]
        constraints = [
            # The database itself refuses a second counted ballot for one voter, whatever the channel.
            models.UniqueConstraint(
                fields=["vote", "voter"], condition=Q(is_current=True), name="ballot_one_current_per_voter"
            ),
            models.UniqueConstraint(
                fields=["vote", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="ballot_idempotency_key_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id}: {self.choice} ({self.origin})"


class VoteResult(models.Model):
    """The counted figures, stored at close so that what was published never changes."""

    vote = models.OneToOneField(OwnersVote, on_delete=models.CASCADE, related_name="result")
    total_area = area(_("总面积"))
    total_owners = models.PositiveIntegerField(_("总人数"))
    participating_area = area(_("参与表决面积"))
    participating_owners = models.PositiveIntegerField(_("参与表决人数"))
    agreeing_area = area(_("同意面积"))
    agreeing_owners = models.PositiveIntegerField(_("同意人数"))
    opposing_area = area(_("反对面积"))
    opposing_owners = models.PositiveIntegerField(_("反对人数"))
    abstaining_area = area(_("弃权面积"))
    abstaining_owners = models.PositiveIntegerField(_("弃权人数"))
    quorum_met = models.BooleanField(_("达到参与表决要求"))
    majority_met = models.BooleanField(_("达到同意要求"))
    passed = models.BooleanField(_("通过"))
    ballots_received = models.PositiveIntegerField(_("收到选票（含更改）"))
    counted_at = models.DateTimeField(_("计票时间"))

    def __str__(self) -> str:
        return f"{self.vote_id}: {'passed' if self.passed else 'failed'}"


class CandidateResult(models.Model):
    vote = models.ForeignKey(OwnersVote, on_delete=models.CASCADE, related_name="candidate_results")
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="result")
    participating_area = area(_("参与表决面积"))
    participating_owners = models.PositiveIntegerField(_("参与表决人数"))
    agreeing_area = area(_("同意面积"))
    agreeing_owners = models.PositiveIntegerField(_("同意人数"))
    passed = models.BooleanField(_("达到同意要求"))
    elected = models.BooleanField(_("当选"))
    rank = models.PositiveSmallIntegerField(_("名次"), null=True)

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.elected}"
