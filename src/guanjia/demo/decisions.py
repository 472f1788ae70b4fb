"""Demo data for owners' decisions, written after the registry.

- Every compound of the county has a committee formed (109) or in preparation (22), as in seed 003's county.
- 兴华苑: its 业委会 elected two years ago (a counted election), a published vote on keeping the property
  company, an open vote on using the maintenance fund (the demo resident has not voted yet; the
  neighbour has), and one announced for later.
- 粮站宿舍 (no management): a door-to-door consultation on forming a committee and hiring a company.
- 建设小区 (self-governed): a self-governance group, its EV charging shed approved by consultation, and
  the shed's public ledger.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from guanjia.decisions import services
from guanjia.decisions.models import (
    Ballot,
    CommitteeMember,
    CommitteeTerm,
    Consultation,
    ConsultationResponse,
    ConsultationUnit,
    GroupMember,
    GroupProject,
    LedgerEntry,
    OwnersCommittee,
    OwnersVote,
    SelfGovernanceGroup,
    Voter,
)
from guanjia.demo import names
from guanjia.people.models import Person, Residency, Role, StaffAssignment
from guanjia.places.models import Compound, ManagementMode

FORMED, PREPARING = 109, 22
HOME = names.DETAIL_COMPOUNDS[0][0]  # 兴华苑


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load(*, today: dt.date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 31 + 5)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["committee", "secretary"])}
    detail = (
        Compound.objects.filter(community__name=names.DETAIL_COMMUNITY)
        .annotate(n=Count("dwellings"))
        .order_by("-n")
    )
    by_name = {c.name: c for c in detail}
    committees = _committees(rng, today)
    home = by_name[HOME]
    votes = _home_votes(rng, today, home, users["committee"], committees[home.pk])
    consultations = _consultation(rng, today, by_name["粮站宿舍"], users["secretary"])
    groups = _group(rng, today, by_name["建设小区"], users["secretary"])
    return {
        "committees": len(committees),
        "owners_votes": votes,
        "ballots": Ballot.objects.count(),
        "consultations": consultations,
        "self_governance_groups": groups,
    }


def _committees(rng: random.Random, today: dt.date) -> dict[int, OwnersCommittee]:
    """109 formed and 22 in preparation across the county; detailed compounds follow their assignments."""
    with_members = set(
        StaffAssignment.objects.filter(role=Role.COMMITTEE_MEMBER).values_list("compound_id", flat=True)
    )
    all_ids = list(Compound.objects.order_by("pk").values_list("pk", "name", "management_mode"))
    others = [c for c in all_ids if c[0] not in with_members]
    preparing = set(rng.sample([c[0] for c in others], PREPARING))
    rows = []
    for pk, name, mode in all_ids:
        pmc = mode == ManagementMode.FALLBACK
        kind = OwnersCommittee.Kind.PROPERTY_MANAGEMENT if pmc else OwnersCommittee.Kind.OWNERS
        state = OwnersCommittee.Status.PREPARING if pk in preparing else OwnersCommittee.Status.FORMED
        years = rng.randint(1, 4)
        rows.append(
            OwnersCommittee(
                compound_id=pk,
                kind=kind,
                name=f"{name}{kind.label}",
                status=state,
                preparing_since=today - dt.timedelta(days=365 * years + 90),
                formed_on=None
                if state == OwnersCommittee.Status.PREPARING
                else today - dt.timedelta(days=365 * years),
            )
        )
    made = OwnersCommittee.objects.bulk_create(rows)
    return {c.compound_id: c for c in made}


def _ballots(rng: random.Random, vote: OwnersVote, share: float, at: dt.datetime, skip: set[int]) -> None:
    """Ballots for a share of the roll, from every channel (bulk: the demo is written in seconds)."""
    rows = []
    for voter_id in vote.voters.values_list("pk", flat=True):
        if voter_id in skip or rng.random() >= share:
            continue
        origin = rng.choices(["online", "paper", "proxy"], [6, 3, 1])[0]
        rows.append(
            Ballot(
                vote=vote,
                voter_id=voter_id,
                choice=rng.choices(["agree", "oppose", "abstain"], [75, 15, 10])[0],
                marks={str(c): "agree" for c in vote.candidates.values_list("pk", flat=True)}
                if vote.is_election
                else {},
                origin=origin,
                proxy_name="亲属代签" if origin == "proxy" else "",
                authorisation=f"委托书 {voter_id:05d}" if origin == "proxy" else "",
                paper_reference=f"纸质选票 {voter_id:05d}" if origin == "paper" else "",
                cast_at=at + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 9)),
            )
        )
    Ballot.objects.bulk_create(rows, batch_size=2000)


def _run(
    rng: random.Random, user: Any, compound: Compound, start: dt.date, *, share: float, **kw: Any
) -> OwnersVote:
    """A vote told 16 days ahead, open 10 days, counted and published."""
    vote = services.vote_create(
        user=user,
        compound=compound,
        opens_at=_at(start),
        closes_at=_at(start + dt.timedelta(days=10), 18),
        now=_at(start - dt.timedelta(days=16)),
        **kw,
    )
    services.vote_open(user=user, vote=vote, now=_at(start))
    _ballots(rng, vote, share, _at(start), set())
    services.vote_close(user=user, vote=vote, now=vote.closes_at)
    return services.vote_publish(user=user, vote=vote, now=vote.closes_at + dt.timedelta(days=1))


def _home_votes(
    rng: random.Random, today: dt.date, home: Compound, user: Any, committee: OwnersCommittee
) -> int:
    members = list(
        StaffAssignment.objects.filter(role=Role.COMMITTEE_MEMBER, compound=home)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    elected_on = today - dt.timedelta(days=730)
    election = _run(
        rng,
        user,
        home,
        elected_on - dt.timedelta(days=10),
        share=0.8,
        title="选举第二届业主委员会",
        matter="elect_committee",
        seats=len(members),
        candidate_ids=members,
        committee=committee,
    )
    term = CommitteeTerm.objects.create(
        committee=committee,
        number=2,
        election=election,
        elected_on=elected_on,
        starts_on=elected_on,
        ends_on=elected_on.replace(year=elected_on.year + 5) - dt.timedelta(days=1),
        registration_due=elected_on + dt.timedelta(days=30),
        registered_on=elected_on + dt.timedelta(days=12),
    )
    people = Person.objects.in_bulk(members)
    CommitteeMember.objects.bulk_create(
        [
            CommitteeMember(
                term=term,
                person_id=pk,
                position="chair" if i == 0 else "member",
                is_owner=True,
                is_party_member=people[pk].is_party_member or i < 3,
            )
            for i, pk in enumerate(members)
        ]
    )
    _run(
        rng,
        user,
        home,
        today - dt.timedelta(days=60),
        share=0.78,
        title=f"续聘物业服务企业（{today.year}—{today.year + 2}年度）",
        matter="hire_property_company",
    )
    current = services.vote_create(
        user=user,
        compound=home,
        title="使用专项维修资金更换1号楼电梯",
        matter="use_maintenance_fund",
        description="1号楼两部电梯已运行25年，拟使用专项维修资金更换，预算约68万元。",
        opens_at=_at(today - dt.timedelta(days=3)),
        closes_at=_at(today + dt.timedelta(days=12), 18),
        now=_at(today - dt.timedelta(days=20)),
    )
    services.vote_open(user=user, vote=current, now=_at(today - dt.timedelta(days=3)))
    demo_resident = set(
        Voter.objects.filter(vote=current, owners__person__user__username="resident").values_list(
            "pk", flat=True
        )
    )
    _ballots(rng, current, 0.42, _at(today - dt.timedelta(days=3)), demo_resident)
    services.vote_create(
        user=user,
        compound=home,
        title="增设电动自行车集中充电设施（改变共有部分用途）",
        matter="change_common_use",
        opens_at=_at(today + dt.timedelta(days=16)),
        closes_at=_at(today + dt.timedelta(days=30), 18),
        now=_at(today - dt.timedelta(days=1)),
    )
    return OwnersVote.objects.count()


def _consultation(rng: random.Random, today: dt.date, compound: Compound, user: Any) -> int:
    """Door to door, as the grid workers did it: two out of three households answered so far."""
    c = services.consultation_create(
        user=user,
        compound=compound,
        question="是否同意成立业主委员会并选聘物业服务企业？",
        target_percent=Decimal("90"),
        closes_at=_at(today + dt.timedelta(days=7), 18),
        now=_at(today - dt.timedelta(days=7)),
    )
    rows = []
    for unit in ConsultationUnit.objects.filter(consultation=c):
        if rng.random() > 0.66:
            continue
        parties = ["owner", "tenant"] if unit.rented else ["owner"]
        for party in parties:
            rows.append(
                ConsultationResponse(
                    consultation=c,
                    unit=unit,
                    party=party,
                    agrees=rng.random() < 0.93,
                    origin="door_to_door",
                    entered_by=user,
                    at=_at(today - dt.timedelta(days=rng.randint(0, 6)), rng.randint(9, 19)),
                )
            )
    ConsultationResponse.objects.bulk_create(rows, batch_size=2000)
    return Consultation.objects.count()


def _group(rng: random.Random, today: dt.date, compound: Compound, user: Any) -> int:
    owners = list(
        Residency.objects.filter(
            relation="owner", household__dwelling__compound=compound, end_date__isnull=True
        )
        .order_by("pk")
        .values_list(
            "person_id", "household__dwelling__number", "household__dwelling__entrance__building__name"
        )[:400]
    )
    formed = today - dt.timedelta(days=420)
    group = SelfGovernanceGroup.objects.create(
        compound=compound, name=f"{compound.name}居民自治小组", formed_on=formed
    )
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, person_id=pk, role="leader" if i == 0 else "member", joined_on=formed)
            for i, (pk, _, _) in enumerate(owners[:5])
        ]
    )
    c = Consultation.objects.create(
        compound=compound,
        question="是否同意自筹资金建设电动自行车充电棚？",
        target_percent=Decimal("66.67"),
        opens_at=_at(today - dt.timedelta(days=200)),
        closes_at=_at(today - dt.timedelta(days=190)),
        status=Consultation.Status.CLOSED,
        closed_at=_at(today - dt.timedelta(days=190)),
        units_total=len(owners),
        units_consenting=int(len(owners) * 0.81),
        target_met=True,
        created_by=user,
    )
    project = GroupProject.objects.create(
        group=group,
        title="电动自行车充电棚",
        budget=Decimal("18600.00"),
        status=GroupProject.Status.DONE,
        consultation=c,
        description="在3号楼北侧空地建设充电棚，含12个充电口，居民自愿出资。",
    )
    entries = [
        LedgerEntry(
            project=project,
            kind="contribution",
            amount=Decimal(rng.choice([100, 150, 200, 300])),
            on=today - dt.timedelta(days=180 - i),
            counterparty=f"{b}{n}",
            note="自愿出资",
            recorded_by=user,
            recorded_at=_at(today - dt.timedelta(days=180 - i)),
        )
        for i, (_, n, b) in enumerate(owners[:96])
    ]
    for i, (what, amount) in enumerate(
        [
            ("钢结构棚体", "9800.00"),
            ("充电桩12口", "6240.00"),
            ("电缆及施工", "2150.50"),
            ("消防器材", "386.00"),
        ]
    ):
        entries.append(
            LedgerEntry(
                project=project,
                kind="expense",
                amount=Decimal(amount),
                on=today - dt.timedelta(days=60 - i * 7),
                counterparty="施工方",
                note=what,
                recorded_by=user,
                recorded_at=_at(today - dt.timedelta(days=60 - i * 7)),
            )
        )
    LedgerEntry.objects.bulk_create(entries)
    return SelfGovernanceGroup.objects.count()
