"""Ranking tables and trends over the KPIs: one grouped aggregate per table (appeals.kpis.measure_by).

People are ranked on the appeals they are accountable for (首接责任人, docs/kpis.md § who answers);
property companies on the appeals their staff are accountable for; places on the appeals filed there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanjia.appeals import kpis
from guanjia.appeals.kpis_scopes import company_staff_model
from guanjia.appeals.models import Appeal
from guanjia.people.models import Person, Role, StaffAssignment
from guanjia.places.models import Community, Compound, Grid

TABLES: dict[str, Any] = {
    "grid_worker": _("网格员"),
    "cadre": _("包片干部"),
    "company": _("物业公司"),
    "compound": _("小区"),
}


@dataclass
class Row:
    key: Any
    label: str
    kpis: kpis.Kpis
    rank: int | None = None


def _people_with(role: str) -> Any:
    return StaffAssignment.objects.filter(role=role).values("person_id")


def _grouping(table: str) -> tuple[Q | None, Expression | F | Subquery, Any]:
    """(filter, group key, labeller) for one table."""
    if table in ("grid_worker", "cadre"):
        role = Role.GRID_WORKER if table == "grid_worker" else Role.CADRE
        return Q(accountable_id__in=_people_with(role)), F("accountable_id"), _person_names
    if table == "company":
        staff_model = company_staff_model()
        if staff_model is None:  # without the property app: the property staff themselves
            people = _people_with(Role.PROPERTY_STAFF)
            return Q(accountable_id__in=people), F("accountable_id"), _person_names
        # The company the accountable person works for (their latest job there).
        company = Subquery(
            staff_model.objects.filter(person_id=OuterRef("accountable_id"))
            .order_by("-start_date", "-id")
            .values("company_id")[:1]
        )
        people = staff_model.objects.values("person_id")
        return Q(accountable_id__in=people), company, _company_names
    if table == "compound":
        return None, F("compound_id"), _compound_names
    if table == "community":
        return None, F("compound__community_id"), _names(Community)
    if table == "grid":
        return None, F("dwelling__grid_id"), _names(Grid)
    raise KeyError(table)


def ranking(
    qs: QuerySet[Appeal], period: kpis.Period, table: str, *, as_of: dt.datetime | None = None
) -> list[Row]:
    """Rows best first: composite score, then more appeals counted; rows without a score last.
    Ties share a rank."""
    only, key, labels = _grouping(table)
    if only is not None:
        qs = qs.filter(only)
    groups = kpis.measure_by(qs, key, period, as_of=as_of)
    names = labels([k for k in groups if k is not None])
    rows = [Row(k, names.get(k, str(k)), v) for k, v in groups.items() if k is not None]
    rows.sort(key=lambda r: (r.kpis.composite is None, -(r.kpis.composite or 0), -r.kpis.counted, r.label))
    previous: tuple[float | None, int] | None = None
    for position, row in enumerate(rows, 1):
        if row.kpis.composite is None:
            break
        current = (round(row.kpis.composite, 2), row.kpis.counted)
        row.rank = rows[position - 2].rank if current == previous else position
        previous = current
    return rows


def trend(
    qs: QuerySet[Appeal], last: dt.date, months: int = 6, *, as_of: dt.datetime | None = None
) -> list[tuple[dt.date, kpis.Kpis]]:
    """Month by month, the `months` months ending with the one holding `last` (empty months too)."""
    firsts = [last.replace(day=1)]
    for _i in range(months - 1):
        firsts.insert(0, (firsts[0] - dt.timedelta(days=1)).replace(day=1))
    period = kpis.Period.of_dates(firsts[0], kpis.next_month(firsts[-1]))
    key = TruncMonth("submitted_at", tzinfo=timezone.get_current_timezone())
    groups = kpis.measure_by(qs, key, period, as_of=as_of, medians=False)
    by_day = {_day(k): v for k, v in groups.items()}
    return [(first, by_day.get(first, kpis.Kpis())) for first in firsts]


def _day(value: Any) -> dt.date:
    # TruncMonth gives an aware datetime (PostgreSQL, SQLite) or a date; compare by calendar month.
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _person_names(keys: list[Any]) -> dict[Any, str]:
    return dict(Person.objects.filter(pk__in=keys).values_list("pk", "name"))


def _compound_names(keys: list[Any]) -> dict[Any, str]:
    return {c.pk: c.name for c in Compound.objects.filter(pk__in=keys)}


def _company_names(keys: list[Any]) -> dict[Any, str]:
    staff_model = company_staff_model()
    if staff_model is None:
        return {}
    company_model = staff_model._meta.get_field("company").related_model
    return dict(company_model.objects.filter(pk__in=keys).values_list("pk", "name"))


def _names(model: Any) -> Any:
    def labeller(keys: list[Any]) -> dict[Any, str]:
        return {o.pk: str(o) for o in model.objects.filter(pk__in=keys)}

    return labeller
