"""Property management (红色物业): companies, service contracts and what they must disclose, bills and
payments, and the residents' rating of the service (1评).

Money is Decimal yuan with two places. A bill is never edited once issued: a correction is a credit
note (negative) or a replacement bill, both pointing at the original. What a household owes is always
derived — bills minus confirmed payments — never stored, so it cannot drift."""

from guanjia.property.models.bills import Bill, BillRun, Payment, PaymentEvent, PaymentMethod, Reminder
from guanjia.property.models.companies import CompanyStaff, PropertyCompany
from guanjia.property.models.contracts import (
    AreaBasis,
    ChargeItem,
    Cycle,
    Disclosure,
    DisclosureKind,
    FeeBasis,
    NoticeKind,
    PartyKind,
    ServiceContract,
    ServiceItem,
)
from guanjia.property.models.evaluations import DIMENSIONS, SCORE, EvaluationPeriod, EvaluationResponse
from guanjia.property.models.money import CENT, money_field

__all__ = [
    "CENT",
    "DIMENSIONS",
    "SCORE",
    "AreaBasis",
    "Bill",
    "BillRun",
    "ChargeItem",
    "CompanyStaff",
    "Cycle",
    "Disclosure",
    "DisclosureKind",
    "EvaluationPeriod",
    "EvaluationResponse",
    "FeeBasis",
    "NoticeKind",
    "PartyKind",
    "Payment",
    "PaymentEvent",
    "PaymentMethod",
    "PropertyCompany",
    "Reminder",
    "ServiceContract",
    "ServiceItem",
    "money_field",
]
