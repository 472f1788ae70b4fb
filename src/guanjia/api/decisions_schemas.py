"""Shapes of the decisions API. Areas are strings with two decimals; thresholds show the exact fraction."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from guanjia.api.schemas import Ref

MatterCode = Literal[
    "rules_of_procedure",
    "management_rules",
    "elect_committee",
    "hire_property_company",
    "use_maintenance_fund",
    "raise_maintenance_fund",
    "rebuild",
    "change_common_use",
    "other_major",
]
ChoiceCode = Literal["agree", "oppose", "abstain"]


class VoteIn(Schema):
    compound_id: int
    title: str = Field(min_length=1, max_length=200)
    matter: MatterCode
    opens_at: dt.datetime
    closes_at: dt.datetime
    description: str = ""
    abstain_counts_as_participating: bool = True
    include_parking: bool = False
    notice_override_reason: str = Field("", max_length=300, description="开始时间距公告不足15日时必填")
    seats: int | None = Field(None, description="选举业委会时的应选名额（5–11的单数）")
    committee_id: int | None = None
    candidate_ids: list[int] = Field(default_factory=list, max_length=30)


class MyVoterOut(Schema):
    voter_id: int
    label: str
    area: str
    current_choice: str | None
    current_origin: str | None


class CandidateOut(Schema):
    id: int
    name: str
    is_owner: bool
    is_party_member: bool


class VoteOut(Schema):
    id: int
    compound: Ref
    title: str
    description: str
    matter: str
    matter_label: str
    special_matter: bool = Field(description="第278条第(6)–(8)项：须四分之三以上同意")
    status: str
    status_label: str
    announced_at: dt.datetime
    opens_at: dt.datetime
    closes_at: dt.datetime
    notice_override_reason: str
    abstain_counts_as_participating: bool
    include_parking: bool
    seats: int | None
    candidates: list[CandidateOut]
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    publish_due: dt.datetime | None
    my_voters: list[MyVoterOut] = Field(description="调用者本人名下、可在线投票的表决权人")


class VotePage(Schema):
    count: int
    items: list[VoteOut]


class RollPartOut(Schema):
    label: str
    area: str
    area_source: str = Field(description="registered 登记 / surveyed 实测 / contract 合同 / missing 缺失")


class VoterOut(Schema):
    id: int
    kind: str
    kind_label: str
    label: str
    area: str
    headcount: int
    parts: list[RollPartOut]


class RollPage(Schema):
    count: int
    total_area: str
    total_owners: int
    items: list[VoterOut]


class BallotIn(Schema):
    voter_id: int
    choice: ChoiceCode
    origin: Literal["online", "paper", "proxy"]
    marks: dict[str, ChoiceCode] = Field(default_factory=dict, description="选举：候选人id → 意见")
    proxy_name: str = Field("", max_length=100)
    authorisation: str = Field("", max_length=200, description="书面委托书编号或说明（委托投票必填）")
    paper_reference: str = Field("", max_length=100)


class BallotOut(Schema):
    id: int
    voter_id: int
    choice: str
    origin: str
    marks: dict[str, str]
    cast_at: dt.datetime
    replaced_ballot_id: int | None


class ReasonIn(Schema):
    reason: str = Field("", max_length=300)


class Figure(Schema):
    area: str
    owners: int


class ThresholdOut(Schema):
    name: str
    label: str
    share: str = Field(description="如 2/3、3/4、1/2")
    inclusive: bool = Field(description="true：以上（≥）；false：过半数（>）")
    comparison: str
    of: str
    bound: str = Field(description="精确界值（分数）")
    bound_rounded: str
    fewest: int | None = Field(description="人数：满足要求的最少人数")
    actual: str
    met: bool


class CandidateResultOut(Schema):
    candidate_id: int
    name: str
    is_owner: bool
    is_party_member: bool
    participating: Figure
    agreeing: Figure
    thresholds: list[ThresholdOut]
    passed: bool
    elected: bool
    rank: int | None


class ResultOut(Schema):
    vote_id: int
    matter: str
    matter_label: str
    special_matter: bool
    abstain_counts_as_participating: bool
    include_parking: bool
    total: Figure
    participating: Figure
    agreeing: Figure
    opposing: Figure
    abstaining: Figure
    thresholds: list[ThresholdOut]
    quorum_met: bool
    majority_met: bool
    passed: bool
    ballots_received: int
    counted_at: dt.datetime
    published_at: dt.datetime | None
    publish_due: dt.datetime | None
    published_late: bool
    candidates: list[CandidateResultOut]
