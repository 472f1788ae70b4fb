"""Demo data for property management, after seed 000: the county's government fallback company signs
with the 物管会 of every fallback compound at 20 yuan per household-month and posts the service items
of the seed (clean grounds, stairwells swept weekly, main sewers dredged, septic tanks emptied);
professional companies serve the others at a per-m² fee. Each contract has its bills since it began
(the last three months), payments at realistic collection rates, disclosures, and one rating round.

The demo resident has paid up to two months ago and has an "I paid" claim waiting for the property
staff; the neighbour owes three months and has a reminder. A rating round is open, so the resident
can rate in the browser; the previous quarter's round is published."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from guanjia.demo import names
from guanjia.people.models import Household, Person, Residency, Role, StaffAssignment
from guanjia.places.models import Compound, Dwelling, ManagementMode, Region
from guanjia.property.billing import bill_lines
from guanjia.property.bulk import insert_rows
from guanjia.property.models import (
    Bill,
    BillRun,
    ChargeItem,
    CompanyStaff,
    Disclosure,
    EvaluationPeriod,
    EvaluationResponse,
    FeeBasis,
    PartyKind,
    Payment,
    PaymentEvent,
    PropertyCompany,
    Reminder,
    ServiceContract,
    ServiceItem,
)
from guanjia.property.periods import add_months, month_end, month_start, period_for

BATCH = 2000
MONTHS_BILLED = 3
FALLBACK_ITEMS = (
    ("cleaning", "小区内保持干净整洁，垃圾日产日清", "每日"),
    ("cleaning", "楼道清扫", "每周一次"),
    ("repairs", "维护、疏通清理小区下水主管道", "每季度巡查，堵塞随报随修"),
    ("cleaning", "清理化粪池", "每半年一次"),
    ("order", "门岗值守、外来车辆登记", "每日"),
)
PROFESSIONAL_ITEMS = (
    *FALLBACK_ITEMS[:2],
    ("order", "24小时门岗和夜间巡逻", "每日"),
    ("repairs", "公共设施设备维修", "报修后24小时内处理"),
    ("greening", "绿化修剪、补植", "每月一次"),
    ("parking", "停车秩序管理", "每日"),
)
OTHER_COMPANIES = ("晋川新城物业服务有限公司", "阳川鑫安物业管理有限公司")
# How likely a household of this kind of compound is to pay on time, to pay late, or not at all.
PAYERS = {ManagementMode.FALLBACK: (0.62, 0.22), ManagementMode.PROFESSIONAL: (0.78, 0.14)}


def _name(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES[:60]) + rng.choice(names.GIVEN_MALE) + rng.choice(names.GIVEN_MALE)


def _phone(rng: random.Random) -> str:
    return f"0359-{rng.randint(6000000, 6999999)}"


def load(*, today: dt.date, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 17 + 4)
    county = Region.objects.get(code=names.COUNTY[1])
    compounds = list(
        Compound.objects.filter(
            community__region__path__startswith=county.path,
            management_mode__in=[ManagementMode.FALLBACK, ManagementMode.PROFESSIONAL],
        )
        .select_related("community")
        .order_by("community_id", "pk")
    )
    companies = _companies(county, rng)
    contracts = _contracts(compounds, companies, today, rng)
    staff = _staff(companies, today, rng)
    bills, runs = _bills(contracts, today)
    payments = _payments(contracts, today, rng)
    extras = _disclosures(contracts, today, rng)
    rated = _ratings(county, contracts, today, rng)
    return {
        "property_companies": len(companies),
        "service_contracts": len(contracts),
        "company_staff": staff,
        "bill_runs": runs,
        "bills": bills,
        "payments": payments,
        "disclosures": extras,
        "evaluation_responses": rated,
    }


def _companies(county: Region, rng: random.Random) -> dict[str, PropertyCompany]:
    specs = [(names.FALLBACK_COMPANY, True, True)]
    specs += [(n, False, i % 2 == 0) for i, n in enumerate((*names.PROPERTY_COMPANIES, *OTHER_COMPANIES))]
    made = PropertyCompany.objects.bulk_create(
        [
            PropertyCompany(
                name=name,
                is_fallback=fallback,
                has_party_org=party,
                party_org_name=f"{name.removesuffix('有限公司')}党支部" if party else "",
                region=county,
                service_phone=_phone(rng),
                address=f"{rng.choice(names.ROADS)}{rng.randint(1, 200)}号",
            )
            for name, fallback, party in specs
        ]
    )
    return {c.name: c for c in made}


def _contracts(
    compounds: list[Compound], companies: dict[str, PropertyCompany], today: dt.date, rng: random.Random
) -> list[ServiceContract]:
    """One contract per managed compound, from the day its mode began (or a renewal three years ago)."""
    fallback = companies[names.FALLBACK_COMPANY]
    professional = [c for c in companies.values() if not c.is_fallback]
    staff_company = dict(
        StaffAssignment.objects.filter(role=Role.PROPERTY_STAFF).values_list("compound_id", "title")
    )
    rows = []
    for i, compound in enumerate(compounds):
        is_fallback = compound.management_mode == ManagementMode.FALLBACK
        company = (
            fallback
            if is_fallback
            else companies.get(staff_company.get(compound.pk, ""), professional[i % len(professional)])
        )
        since = compound.mode_since or today - dt.timedelta(days=400)
        start = since if since > today - dt.timedelta(days=3 * 365) else since.replace(year=today.year - 2)
        rows.append(
            ServiceContract(
                compound=compound,
                company=company,
                party_kind=PartyKind.MANAGEMENT_COMMITTEE if is_fallback else PartyKind.OWNERS_COMMITTEE,
                party_name=f"{compound.name}{'物管会' if is_fallback else '业主委员会'}",
                number=f"WY{start:%Y}-{i + 1:03d}",
                signed_on=start - dt.timedelta(days=rng.randint(3, 20)),
                start_date=start,
                end_date=start.replace(year=start.year + (1 if is_fallback else 3)) - dt.timedelta(days=1),
                manager_name=_name(rng),
                service_phone=_phone(rng),
            )
        )
    contracts = ServiceContract.objects.bulk_create(rows, batch_size=BATCH)
    ChargeItem.objects.bulk_create(
        [
            ChargeItem(contract=c, name="物业服务费", basis=FeeBasis.PER_HOUSEHOLD, rate=Decimal("20.00"))
            if c.company.is_fallback
            else ChargeItem(
                contract=c,
                name="物业服务费",
                basis=FeeBasis.PER_AREA,
                rate=Decimal(rng.choice(("0.45", "0.60", "0.85", "1.10"))),
            )
            for c in contracts
        ]
    )
    ServiceItem.objects.bulk_create(
        [
            ServiceItem(contract=c, category=cat, title=title, frequency=freq, position=n)
            for c in contracts
            for n, (cat, title, freq) in enumerate(
                FALLBACK_ITEMS if c.company.is_fallback else PROFESSIONAL_ITEMS
            )
        ],
        batch_size=BATCH,
    )
    return contracts


def _staff(companies: dict[str, PropertyCompany], today: dt.date, rng: random.Random) -> int:
    """The property staff of the registry work for the company named in their assignment; the fallback
    company's general manager (a made-up name) is its person in charge."""
    rows = []
    for person_id, title, start in StaffAssignment.objects.filter(role=Role.PROPERTY_STAFF).values_list(
        "person_id", "title", "start_date"
    ):
        if title in companies:
            rows.append(
                CompanyStaff(
                    company=companies[title], person_id=person_id, title="项目经理", start_date=start
                )
            )
    # Bulk writes skip the change log: the load is recorded once, as a whole, by the demo loader.
    (manager,) = Person.objects.bulk_create([Person(name=_name(rng), is_party_member=True)])
    rows.append(
        CompanyStaff(
            company=companies[names.FALLBACK_COMPANY],
            person=manager,
            title="总经理（县房地产服务中心物业科科长兼任）",
            is_in_charge=True,
            start_date=today - dt.timedelta(days=240),
        )
    )
    CompanyStaff.objects.bulk_create(rows)
    return len(rows)


def _months(contract: ServiceContract, today: dt.date) -> list[dt.date]:
    """The months billed so far: from the first whole month of service, the last three at most."""
    first = month_start(contract.start_date)
    if first < contract.start_date:
        first = add_months(first, 1)
    months: list[dt.date] = []
    month = month_start(today)
    while month >= first and len(months) < MONTHS_BILLED:
        months.append(month)
        month = add_months(month, -1)
    return sorted(months)


def _bills(contracts: list[ServiceContract], today: dt.date) -> tuple[int, int]:
    items: dict[int, list[ChargeItem]] = {}
    for item in ChargeItem.objects.filter(contract__in=contracts):
        items.setdefault(item.contract_id, []).append(item)
    dwellings: dict[int, list[tuple[Any, ...]]] = {}
    for row in (
        Dwelling.objects.filter(compound__in=[c.compound_id for c in contracts])
        .order_by("pk")
        .values_list("compound_id", "pk", "area_registered", "area_surveyed", "area_contract")
    ):
        dwellings.setdefault(row[0], []).append(row[1:])
    households = dict(Household.objects.order_by("-id").values_list("dwelling_id", "id"))
    now = timezone.now()
    runs, bills = [], []
    for c in contracts:
        for month in _months(c, today):
            start, end = period_for("monthly", month)
            run = BillRun(contract=c, period_start=start, period_end=end)
            runs.append(run)
            for pk, *areas in dwellings.get(c.compound_id, []):
                lines, amount, _missing = bill_lines(items[c.pk], 1, start, end, tuple(areas))
                if lines:
                    run.created += 1
                    run.total += amount
                    bills.append(
                        Bill(
                            number=f"{c.pk}-{start:%Y-%m}-{pk}",
                            contract=c,
                            compound_id=c.compound_id,
                            dwelling_id=pk,
                            household_id=households.get(pk),
                            period_start=start,
                            period_end=end,
                            amount=amount,
                            lines=lines,
                            due_date=end,
                            issued_at=now,
                            run=run,
                        )
                    )
    BillRun.objects.bulk_create(runs, batch_size=BATCH)
    for bill in bills:
        bill.run_id = bill.run.pk  # type: ignore[union-attr]
    insert_rows(Bill, bills)
    return len(bills), len(runs)


def _payments(contracts: list[ServiceContract], today: dt.date, rng: random.Random) -> int:
    """Per household: pays every month, pays late (a month or two behind), or has not paid yet."""
    by_contract = {c.pk: c for c in contracts}
    owed: dict[tuple[int, int], list[tuple[dt.date, Decimal]]] = {}
    for contract_id, dwelling_id, start, amount in (
        Bill.objects.filter(contract__in=contracts)
        .order_by("contract_id", "dwelling_id", "period_start")
        .values_list("contract_id", "dwelling_id", "period_start", "amount")
    ):
        owed.setdefault((contract_id, dwelling_id), []).append((start, amount))
    demo = _demo_dwellings()
    rows: list[Payment] = []
    claims: list[Payment] = []
    for (contract_id, dwelling_id), months in owed.items():
        contract = by_contract[contract_id]
        on_time, late = PAYERS[ManagementMode(contract.compound.management_mode)]
        draw = rng.random()
        behind = 0 if draw < on_time else (rng.randint(1, 2) if draw < on_time + late else len(months))
        if dwelling_id == demo.get("resident"):
            behind = min(2, len(months))
        elif dwelling_id == demo.get("resident2"):
            behind = min(3, len(months))
        paid = months[: len(months) - behind]
        # Some pay a quarter at once, most month by month.
        step = 3 if rng.random() < 0.5 else 1
        for i in range(0, len(paid), step):
            chunk = paid[i : i + step]
            day = min(chunk[-1][0] + dt.timedelta(days=rng.randint(3, 25)), today)
            method = rng.choice(("wechat", "wechat", "alipay", "cash", "bank"))
            rows.append(
                Payment(
                    contract_id=contract_id,
                    compound_id=contract.compound_id,
                    dwelling_id=dwelling_id,
                    amount=sum((a for _, a in chunk), Decimal("0.00")),
                    method=method,
                    reference="" if method == "cash" else f"{rng.randint(10**11, 10**12 - 1)}",
                    paid_on=day,
                    status=Payment.Status.CONFIRMED,
                    confirmed_at=timezone.now(),
                )
            )
        if dwelling_id == demo.get("resident"):
            claims.append(
                Payment(
                    contract_id=contract_id,
                    compound_id=contract.compound_id,
                    dwelling_id=dwelling_id,
                    amount=months[-behind][1] if behind else months[-1][1],
                    method="wechat",
                    reference="4200002024" + f"{rng.randint(10**7, 10**8 - 1)}",
                    paid_on=today - dt.timedelta(days=2),
                    status=Payment.Status.CLAIMED,
                    note="微信转账给物业对公账户",
                )
            )
    # Demo receipts carry a "D" so they can never collide with the numbers real payments get (by key).
    now = timezone.now()
    for seq, p in enumerate(rows, start=1):
        p.receipt_number = f"SJ{p.paid_on:%Y%m}D{seq:06d}"
    for p in rows + claims:
        p.created_at = now
    insert_rows(Payment, rows + claims)
    made = list(Payment.objects.filter(contract__in=contracts).values_list("pk", "status"))
    insert_rows(
        PaymentEvent,
        [
            PaymentEvent(
                payment_id=pk,
                action="recorded" if status == "confirmed" else "claimed",
                status=status,
                at=now,
            )
            for pk, status in made
        ],
    )
    if "resident2" in demo:
        compound_id = Dwelling.objects.get(pk=demo["resident2"]).compound_id
        reminded = next((c for c in contracts if c.compound_id == compound_id), None)
        if reminded is not None:
            due = sum((a for _, a in owed.get((reminded.pk, demo["resident2"]), [])[-3:]), Decimal("0.00"))
            Reminder.objects.create(
                contract=reminded,
                dwelling_id=demo["resident2"],
                amount_due=due,
                message=f"截至{today:%Y-%m-%d}，您家尚欠物业费{due}元，请及时缴纳。",
            )
    return len(made)


def _demo_dwellings() -> dict[str, int]:
    users = dict(
        get_user_model().objects.filter(username__in=["resident", "resident2"]).values_list("pk", "username")
    )
    rows = Residency.objects.filter(person__user_id__in=users, end_date__isnull=True).values_list(
        "person__user_id", "household__dwelling_id"
    )
    return {users[user_id]: dwelling_id for user_id, dwelling_id in rows}


def _disclosures(contracts: list[ServiceContract], today: dt.date, rng: random.Random) -> int:
    rows = []
    for c in contracts:
        if c.compound.community.name != names.DETAIL_COMMUNITY:
            continue
        rows.append(
            Disclosure(
                compound_id=c.compound_id,
                contract=c,
                kind="performance",
                title=f"{add_months(month_start(today), -1):%Y年%m月}物业服务履行情况",
                body="清运积存垃圾、疏通下水主管道、清理地下室杂物；楼道每周清扫。",
                published_on=month_start(today),
            )
        )
        if not c.company.is_fallback:
            rows.append(
                Disclosure(
                    compound_id=c.compound_id,
                    contract=c,
                    kind="common_income",
                    title="地面停车位及广告位收益",
                    amount=Decimal(rng.randint(8, 40) * 500),
                    body="收益归全体业主，用于补充专项维修资金。",
                    published_on=month_start(today) - dt.timedelta(days=20),
                )
            )
        rows.append(
            Disclosure(
                compound_id=c.compound_id,
                contract=c,
                kind="maintenance_fund",
                title="更换单元门禁及楼道照明",
                amount=Decimal(rng.randint(20, 90) * 100),
                body="经业主共同决定使用专项维修资金。",
                published_on=month_end(add_months(today, -2)),
            )
        )
    Disclosure.objects.bulk_create(rows)
    return len(rows)


def _ratings(county: Region, contracts: list[ServiceContract], today: dt.date, rng: random.Random) -> int:
    """Last month's round (closed and published, with responses) and this quarter's, open now. Every
    compound that changed its mode this year did so at least 20 days ago, so all are rated."""
    closes = today - dt.timedelta(days=15)
    closed = EvaluationPeriod.objects.create(
        region=county,
        name=f"{closes.year}年{closes.month}月物业服务评价",
        opens_on=closes - dt.timedelta(days=30),
        closes_on=closes,
        published_at=timezone.make_aware(dt.datetime.combine(closes + dt.timedelta(days=5), dt.time(9))),
    )
    EvaluationPeriod.objects.create(
        region=county,
        name=f"{today.year}年第{(today.month - 1) // 3 + 1}季度物业服务评价",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    in_force = {c.compound_id: c for c in contracts if c.start_date <= closed.closes_on}
    households = Household.objects.filter(dwelling__compound_id__in=list(in_force)).values_list(
        "pk", "dwelling__compound_id"
    )
    rows = []
    for household_id, compound_id in households:
        if rng.random() > 0.35:
            continue
        contract = in_force[compound_id]
        base = 4.1 if contract.company.is_fallback else 3.8
        scores = {
            d: max(1, min(5, round(rng.gauss(base, 0.8))))
            for d in ("cleanliness", "order", "repairs", "greening", "parking", "attitude")
        }
        rows.append(
            EvaluationResponse(
                period=closed,
                compound_id=compound_id,
                company_id=contract.company_id,
                household_id=household_id,
                **scores,
            )
        )
    EvaluationResponse.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
