"""1评: residents rate their property company once per household per round; results per compound, a
company score (later combined with appeal KPIs) and a ranking; published on the disclosure page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from guanjia.property import selectors, services
from guanjia.property.errors import RuleError
from guanjia.property.evaluation import company_score, compound_results, ranking
from guanjia.property.models import EvaluationResponse
from tests.factories import make_resident

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 9, 10)
GOOD = {"cleanliness": 5, "order": 4, "repairs": 4, "greening": 3, "parking": 4, "attitude": 5}


@pytest.fixture
def period(world):
    return services.period_open(
        user=world.user("official"), region=world.east, name="2024年第三季度",
        opens_on=dt.date(2024, 9, 1), closes_on=dt.date(2024, 9, 30),
    )  # fmt: skip


def rate(world, period, name="alice", scores=GOOD, today=TODAY):
    household = world.people[name].residencies.get().household
    return services.evaluation_submit(
        user=world.user(name), period=period, household=household, scores=scores, today=today
    )


def test_one_response_per_household_per_round(world, contract, period):
    response = rate(world, period)
    assert response.company == contract.company and response.compound == world.sunshine
    spouse = make_resident("alice2", world.a101, relation="family")
    with pytest.raises(RuleError) as refused:
        services.evaluation_submit(
            user=spouse.user, period=period, household=response.household, scores=GOOD, today=TODAY
        )
    assert refused.value.code == "already_rated"
    assert EvaluationResponse.objects.count() == 1


def test_only_a_member_of_the_household_rates_for_it(world, contract, period):
    household = world.people["alice"].residencies.get().household
    for name in ("bob", "property", "cadre1"):
        with pytest.raises(PermissionDenied):
            services.evaluation_submit(
                user=world.user(name), period=period, household=household, scores=GOOD, today=TODAY
            )
    assert not EvaluationResponse.objects.exists()


def test_scores_are_1_to_5_and_the_round_must_be_open(world, contract, period):
    with pytest.raises(RuleError):
        rate(world, period, scores={**GOOD, "parking": 6})
    with pytest.raises(RuleError):
        rate(world, period, scores={k: v for k, v in GOOD.items() if k != "order"})
    with pytest.raises(RuleError):
        rate(world, period, today=dt.date(2024, 10, 1))
    assert not EvaluationResponse.objects.exists()


def test_a_compound_without_a_company_under_contract_has_nothing_to_rate(world, period):
    with pytest.raises(RuleError):
        rate(world, period)


def test_only_officials_of_the_region_open_rounds(world):
    with pytest.raises(PermissionDenied):
        services.period_open(
            user=world.user("official2"), region=world.east, name="x", opens_on=TODAY, closes_on=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.period_open(
            user=world.user("secretary"), region=world.east, name="x", opens_on=TODAY, closes_on=TODAY
        )


def test_results_company_score_and_ranking(world, contract, fallback_contract, period):
    rate(world, period, "alice")
    rate(world, period, "bob", dict.fromkeys(GOOD, 3))
    rate(world, period, "carol", dict.fromkeys(GOOD, 5))
    sunshine = compound_results(period)[world.sunshine.pk]
    assert sunshine.responses == 2
    assert sunshine.means["cleanliness"] == Decimal("4.00") and sunshine.means["greening"] == Decimal("3.00")
    assert sunshine.overall == Decimal("3.58")  # (25/6 + 3) / 2
    score = company_score(contract.company, period)
    assert (
        score.resident.score == Decimal("71.6")
        and score.appeal_score is None
        and score.total == Decimal("71.6")
    )
    combined = company_score(
        contract.company, period, {"response_rate": 100, "resolution_rate": 90, "satisfaction_rate": 80}
    )
    assert combined.appeal_score == Decimal("90.0")
    assert combined.total == Decimal("79.0")  # 71.6 × 0.6 + 90 × 0.4 = 78.96
    order = ranking(period)
    assert [(s.rank, s.company) for s in order] == [(1, fallback_contract.company), (2, contract.company)]
    with_kpis = ranking(
        period,
        {
            contract.company.pk: {"satisfaction_rate": 100},
            fallback_contract.company.pk: {"satisfaction_rate": 0},
        },
    )
    assert with_kpis[0].company == contract.company


def test_results_appear_on_the_disclosure_page_once_published(world, contract, period):
    rate(world, period)
    assert selectors.disclosure(world.sunshine).evaluation is None
    services.period_publish(user=world.user("official"), period=period)
    shown = selectors.disclosure(world.sunshine).evaluation
    assert shown.period == period and shown.result.responses == 1
    assert shown.company_score.company == contract.company


def test_the_companys_appeal_kpis_join_its_score(world, contract, period):
    """1评 combines residents' ratings with the company's appeal KPIs: here, one property appeal in the
    round's region, accountable to the company's staff, answered and resolved in time and rated satisfied."""
    from guanjia.appeals.models import Category
    from guanjia.appeals.services import submit_appeal
    from guanjia.appeals.transitions import Act, act
    from guanjia.property.evaluation import appeal_kpis_by_company
    from guanjia.property.models import CompanyStaff

    CompanyStaff.objects.get_or_create(
        company=contract.company,
        person=world.people["property"],
        defaults={"start_date": dt.date(2024, 1, 1)},
    )
    filed = dt.datetime(2024, 9, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    appeal, _ = submit_appeal(
        user=world.user("grid1"),
        category=Category.objects.get(code="private-repair"),
        title="水管漏水",
        description="电话反映",
        channel="phone",
        dwelling=world.a101,
        now=filed,
    )
    assert appeal.assignee == world.people["property"]
    act(
        user=world.user("property"),
        appeal=appeal,
        request=Act("resolve", note="已更换阀门"),
        now=filed + dt.timedelta(hours=1),
    )
    act(
        user=world.user("cadre1"),
        appeal=appeal,
        request=Act("callback", note="回访满意", rating="satisfied"),
        now=filed + dt.timedelta(hours=2),
    )
    rates = appeal_kpis_by_company(period)[contract.company.pk]
    assert rates == {"response_rate": 100.0, "resolution_rate": 100.0, "satisfaction_rate": 100.0}
    rate(world, period, "alice")
    score = ranking(period, appeal_kpis_by_company(period))[0]
    assert score.company == contract.company and score.appeal_score == Decimal("100.0")
