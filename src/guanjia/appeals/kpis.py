"""Appeal KPIs, computed in the database with aggregates. The exact definitions are in docs/kpis.md;
each rule below names the section that states it.

Which appeals count: those *submitted* in the period [start, end) (a cohort), measured in their current
state; `as_of` (normally now) only decides which deadlines have already passed. Withdrawn appeals are
counted as submitted and withdrawn, and nowhere else; approved rejections (不予受理) count as responded
and are left out of everything about resolving."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DurationField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from guanjia.appeals.models import Appeal, AppealEvent, Rating, Status

# The handler's first answer to the resident (docs/kpis.md § first response).
RESPONSE_ACTIONS = ("accept", "start", "resolve", "reject")
DEFAULT_WEIGHTS = {"response": 0.1, "resolution": 0.5, "satisfaction": 0.4}
DEFAULT_BASIC_SATISFIED = 0.9
RESOLVED = (Status.RESOLVED, Status.CLOSED)


def basic_satisfied_weight() -> float:
    """How much a 基本满意 counts towards the satisfaction rate (settings.GUANJIA_KPI_BASIC_SATISFIED)."""
    return float(getattr(settings, "GUANJIA_KPI_BASIC_SATISFIED", DEFAULT_BASIC_SATISFIED))


def weights() -> dict[str, float]:
    """Composite weights by rate (settings.GUANJIA_KPI_WEIGHTS; missing keys keep their default)."""
    return {**DEFAULT_WEIGHTS, **getattr(settings, "GUANJIA_KPI_WEIGHTS", {})}


@dataclass(frozen=True)
class Period:
    """[start, end): aware datetimes; `of_dates` takes local calendar days, `to` exclusive."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def of_dates(cls, start: dt.date, end: dt.date) -> Period:
        tz = timezone.get_current_timezone()
        return cls(
            dt.datetime.combine(start, dt.time(), tzinfo=tz), dt.datetime.combine(end, dt.time(), tzinfo=tz)
        )

    @classmethod
    def month(cls, day: dt.date) -> Period:
        first = day.replace(day=1)
        return cls.of_dates(first, next_month(first))

    @property
    def first_day(self) -> dt.date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> dt.date:
        return timezone.localtime(self.end).date() - dt.timedelta(days=1)


def next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def ratio(num: float, den: float) -> float | None:
    """A rate, or None when there is nothing to measure (shown as "—", never as 0 %)."""
    return num / den if den else None


@dataclass
class Kpis:
    """The counts of one group of appeals, and the rates derived from them (fractions 0–1)."""

    submitted: int = 0
    withdrawn: int = 0
    rejected: int = 0
    counted: int = 0
    response_due: int = 0
    responded: int = 0
    responded_on_time: int = 0
    resolution_due: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    ever_resolved: int = 0
    reopened: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    median_response_hours: float | None = None
    median_resolution_hours: float | None = None

    @property
    def response_rate(self) -> float | None:
        return ratio(self.responded_on_time, self.response_due)

    @property
    def resolution_rate(self) -> float | None:
        return ratio(self.resolved, self.resolution_due)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.resolved_on_time, self.resolution_due)

    @property
    def reopen_rate(self) -> float | None:
        return ratio(self.reopened, self.ever_resolved)

    @property
    def satisfaction_rate(self) -> float | None:
        return ratio(self.satisfied + basic_satisfied_weight() * self.basic, self.rated)

    @property
    def composite(self) -> float | None:
        """0–100: the weighted mean of the response, resolution and satisfaction rates; a rate with
        nothing to measure drops out and the other weights keep their proportions."""
        parts = {
            "response": self.response_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate,
        }
        w = weights()
        total = sum(w[k] for k, v in parts.items() if v is not None)
        if not total:
            return None
        return 100 * sum(w[k] * v for k, v in parts.items() if v is not None) / total

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in RATES:
            value = getattr(self, name)
            out[name] = None if value is None else round(value, 4)
        out["composite"] = None if self.composite is None else round(self.composite, 2)
        for name in ("median_response_hours", "median_resolution_hours"):
            out[name] = None if out[name] is None else round(out[name], 2)
        return out


RATES = ("response_rate", "resolution_rate", "on_time_rate", "reopen_rate", "satisfaction_rate")
COUNT_FIELDS = tuple(f.name for f in fields(Kpis) if f.type == "int")


def first_response() -> Subquery:
    """When the handler first answered: the earliest accept / start / resolve / reject event."""
    return Subquery(
        AppealEvent.objects.filter(appeal_id=OuterRef("pk"), action__in=RESPONSE_ACTIONS)
        .order_by("at")
        .values("at")[:1]
    )


def _answers(**extra: Any) -> Exists:
    return Exists(AppealEvent.objects.filter(appeal_id=OuterRef("pk"), action__in=RESPONSE_ACTIONS, **extra))


def _conditions(as_of: dt.datetime) -> dict[str, Q]:
    """Plain conditions on Appeal (no annotations, so the aggregate is one flat query). "Answered by
    the response deadline" is "some answering event at or before it", the same as the first one being so;
    the deadline is committed_due when set, else resolve_due."""
    counted = ~Q(status=Status.WITHDRAWN)
    responded = counted & Q(_answers())
    resolvable = counted & ~Q(status=Status.REJECTED)
    resolved = resolvable & Q(status__in=RESOLVED)
    due_passed = Q(committed_due__lte=as_of) | Q(committed_due__isnull=True, resolve_due__lte=as_of)
    in_time = Q(resolved_at__lte=F("committed_due")) | Q(
        committed_due__isnull=True, resolved_at__lte=F("resolve_due")
    )
    return {
        "submitted": Q(pk__isnull=False),
        "withdrawn": Q(status=Status.WITHDRAWN),
        "rejected": Q(status=Status.REJECTED),
        "counted": counted,
        "response_due": responded | (counted & Q(response_due__lte=as_of)),
        "responded": responded,
        "responded_on_time": counted & Q(_answers(at__lte=OuterRef("response_due"))),
        "resolution_due": resolved | (resolvable & due_passed),
        "resolved": resolved,
        "resolved_on_time": resolved & in_time,
        "ever_resolved": resolved | (resolvable & Q(reopen_count__gt=0)),
        "reopened": resolvable & Q(reopen_count__gt=0),
        "rated": counted & ~Q(rating=""),
        "satisfied": counted & Q(rating=Rating.SATISFIED),
        "basic": counted & Q(rating=Rating.BASIC),
        "unsatisfied": counted & Q(rating=Rating.UNSATISFIED),
    }


def in_period(qs: QuerySet[Appeal], period: Period) -> QuerySet[Appeal]:
    return qs.filter(submitted_at__gte=period.start, submitted_at__lt=period.end)


def measure(
    qs: QuerySet[Appeal], period: Period, *, as_of: dt.datetime | None = None, medians: bool = True
) -> Kpis:
    """The KPIs of these appeals (already scoped) for the period: one aggregate query + two medians."""
    return measure_by(qs, None, period, as_of=as_of, medians=medians).get(None, Kpis())


def measure_by(
    qs: QuerySet[Appeal],
    key: Expression | F | Subquery | str | None,
    period: Period,
    *,
    as_of: dt.datetime | None = None,
    medians: bool = True,
) -> dict[Any, Kpis]:
    """The KPIs of each group (GROUP BY `key`): one aggregate query, plus two window queries for the
    medians. Groups without appeals are absent."""
    as_of = as_of or timezone.now()
    key_expr = F(key) if isinstance(key, str) else key
    cohort = in_period(qs, period).order_by()
    # Prefixed: some counts share a name with a field their own condition reads (response_due).
    aggregates = {f"n_{name}": Count("pk", filter=cond) for name, cond in _conditions(as_of).items()}
    groups: dict[Any, Kpis] = {}
    if key_expr is None:  # one group: a plain aggregate (a constant GROUP BY key is dropped)
        totals = cohort.aggregate(**aggregates)
        if totals["n_submitted"]:
            groups[None] = _kpis(totals)
    else:
        cohort = cohort.annotate(kpi_key=key_expr)
        for row in cohort.values("kpi_key").annotate(**aggregates):
            groups[row["kpi_key"]] = _kpis(row)
    if medians and groups:
        response = _median_hours(
            cohort.annotate(first_response=first_response()).filter(
                first_response__isnull=False, status__in=_not_withdrawn()
            ),
            Elapsed(F("first_response"), F("submitted_at")),
        )
        resolution = _median_hours(
            cohort.filter(status__in=RESOLVED),
            Elapsed(F("resolved_at"), F("submitted_at")),
        )
        for k, kpis in groups.items():
            kpis.median_response_hours = response.get(k)
            kpis.median_resolution_hours = resolution.get(k)
    return groups


def _kpis(row: dict[str, Any]) -> Kpis:
    return Kpis(**{name: row[f"n_{name}"] for name in COUNT_FIELDS})


def _not_withdrawn() -> list[str]:
    return [s for s in Status.values if s != Status.WITHDRAWN]


def _median_hours(cohort: QuerySet[Appeal], duration: Expression) -> dict[Any, float]:
    """Median duration per group, in the database: rank rows within their group and keep the middle
    one (odd count) or two (even count): n <= 2·rank <= n + 2."""
    grouped = "kpi_key" in cohort.query.annotations
    partition = [F("kpi_key")] if grouped else None
    ranked = (
        cohort.annotate(kpi_duration=duration)
        .annotate(
            kpi_rank=Window(
                RowNumber(), partition_by=partition, order_by=[F("kpi_duration").asc(), F("pk").asc()]
            ),
            kpi_n=Window(Count("pk"), partition_by=partition),
        )
        .annotate(kpi_twice=F("kpi_rank") * 2)
        .filter(kpi_twice__gte=F("kpi_n"), kpi_twice__lte=F("kpi_n") + 2)
        .values_list("kpi_key" if grouped else "kpi_n", "kpi_duration")
    )
    middles: dict[Any, list[dt.timedelta]] = {}
    for k, duration_value in ranked:
        middles.setdefault(k if grouped else None, []).append(_as_timedelta(duration_value))
    return {
        k: sum(values, dt.timedelta()).total_seconds() / len(values) / 3600 for k, values in middles.items()
    }


class Elapsed(Func):
    """`end - start` between two datetimes, as a duration. On SQLite it is plain SQL to the millisecond
    (julianday) instead of Django's Python function, which SQLite called for every row the median ranks
    (half of a community-month's KPI time)."""

    arity = 2
    output_field = DurationField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        end, start = self.source_expressions
        return compiler.compile(
            ExpressionWrapper(end - start, output_field=DurationField()).resolve_expression(compiler.query)
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        (end_sql, end_params), (start_sql, start_params) = (
            compiler.compile(e) for e in self.source_expressions
        )
        sql = f"(CAST(ROUND((julianday({end_sql}) - julianday({start_sql})) * 86400000) AS INTEGER) * 1000)"
        return sql, (*end_params, *start_params)


def _as_timedelta(value: Any) -> dt.timedelta:
    # PostgreSQL returns an interval; SQLite's timestamp difference comes back as microseconds.
    return value if isinstance(value, dt.timedelta) else dt.timedelta(microseconds=int(value))
