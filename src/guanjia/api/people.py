"""Read endpoints for people and households, plus the logged reveal of full contact data.

Phones and ID numbers are always masked here; the full values come only from POST
/persons/{id}/reveal, which goes through people.services.person_reveal (permission check + log)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Body, Query, Router

from guanjia.api.auth import caller
from guanjia.api.errors import field_error
from guanjia.api.paging import PageParams, paginate
from guanjia.api.registry import address, dwelling_out, join_address, ref
from guanjia.api.schemas import ErrorOut, HouseholdOut, MeOut, PersonOut, PersonPage, RevealIn, RevealOut
from guanjia.core import pii
from guanjia.people import permissions as perms
from guanjia.people import selectors, services
from guanjia.people.models import Person, Residency, Role, StaffAssignment

router = Router(tags=["people"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ROLE_LABELS: dict[str, Any] = {
    **{r.value: r.label for r in Role},
    perms.RESIDENT: gettext_lazy("居民"),
    perms.ADMIN: gettext_lazy("系统管理员"),
    "none": gettext_lazy("无"),
}
ADDRESS_PATH = ("household__dwelling__entrance__building", "household__dwelling__compound")


def role_label(code: str) -> dict[str, str]:
    return {"code": code, "label": str(ROLE_LABELS.get(code, code))}


def current(day: dt.date) -> Q:
    return (Q(start_date__isnull=True) | Q(start_date__lte=day)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )


RESIDENCY_FIELDS = (
    "person_id",
    "household_id",
    "relation",
    "start_date",
    "end_date",
    "household__dwelling__number",
    "household__dwelling__entrance__name",
    "household__dwelling__entrance__building__name",
    "household__dwelling__compound_id",
    "household__dwelling__compound__name",
)


def attach_residencies(user: Any, persons: list[Person], *, current_only: bool) -> None:
    """Sets `visible_residencies` on each person: only those in households the caller may see,
    since where else someone lives is not for everyone. Two queries for the whole page; plain
    rows rather than six model instances per residency, which dominated the time of a page."""
    rows = Residency.objects.filter(person__in=[p.pk for p in persons])
    if current_only:
        rows = rows.filter(current(timezone.localdate()))
    found = list(rows.order_by("start_date", "id").values(*RESIDENCY_FIELDS))
    # Checking only the households at hand is much cheaper than a subquery over every visible one.
    seen = {r["household_id"] for r in found}
    visible = set(selectors.households_for(user).filter(pk__in=seen).values_list("pk", flat=True))
    by_person: dict[int, list[dict[str, Any]]] = {p.pk: [] for p in persons}
    for r in found:
        if r["household_id"] in visible:
            by_person[r["person_id"]].append(residency_out(r))
    for p in persons:
        p.visible_residencies = by_person[p.pk]  # type: ignore[attr-defined]


def residency_out(r: dict[str, Any]) -> dict[str, Any]:
    d = "household__dwelling__"
    return {
        "household_id": r["household_id"],
        "address": join_address(
            r[f"{d}compound__name"],
            r[f"{d}entrance__building__name"],
            r[f"{d}entrance__name"],
            r[f"{d}number"],
        ),
        "compound": {"id": r[f"{d}compound_id"], "name": r[f"{d}compound__name"]},
        "relation": r["relation"],
        "relation_label": str(Residency.Relation(r["relation"]).label),
        "start_date": r["start_date"],
        "end_date": r["end_date"],
    }


def person_out(p: Person) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "gender": p.gender,
        "age": p.age_on(timezone.localdate()),
        "is_party_member": p.is_party_member,
        "phone": p.phone_masked,
        "id_number": p.id_number_masked,
        "residencies": getattr(p, "visible_residencies", []),
    }


# --- me ------------------------------------------------------------------------------------------


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="当前用户")
def me(request: HttpRequest) -> Any:
    user = caller(request)
    scope = perms.scope_for(user)
    today = timezone.localdate()
    person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    assignments = StaffAssignment.objects.filter(current(today), person=person).select_related(
        "region", "community", "compound", "grid"
    )
    homes = Residency.objects.filter(current(today), person=person).select_related(*ADDRESS_PATH)
    if person is None:
        assignments, homes = assignments.none(), homes.none()
    return {
        "username": user.get_username(),
        "name": person.name if person else "",
        "is_admin": scope.is_admin,
        "roles": [role_label(r) for r in sorted(scope.roles)],
        "primary_role": role_label(perms.primary_role(scope)),
        "assignments": [
            {
                "role": a.role,
                "role_label": str(a.get_role_display()),
                "title": a.title,
                "target_type": next(t for t in ("region", "community", "compound", "grid") if getattr(a, t)),
                "target": ref(a.target),
                "start_date": a.start_date,
                "end_date": a.end_date,
            }
            for a in assignments.order_by("role", "start_date", "id")
        ],
        "households": [
            {
                "id": r.household_id,
                "address": address(r.household.dwelling),
                "relation": r.relation,
                "relation_label": str(r.get_relation_display()),
            }
            for r in homes.order_by("household_id")
        ],
    }


# --- households ----------------------------------------------------------------------------------


@router.get("/households/{household_id}", response={200: HouseholdOut, **ERRORS}, summary="户详情")
def household_detail(request: HttpRequest, household_id: int) -> Any:
    household = (
        selectors.households_for(caller(request)).select_related("dwelling__grid").get(pk=household_id)
    )
    members = (
        household.residencies.filter(current(timezone.localdate()))
        .select_related("person")
        .order_by("relation", "id")
    )
    return {
        "id": household.pk,
        "label": household.label,
        "dwelling": dwelling_out(household.dwelling),
        "members": [
            {
                "person_id": r.person_id,
                "name": r.person.name,
                "relation": r.relation,
                "relation_label": str(r.get_relation_display()),
                "start_date": r.start_date,
                "phone": r.person.phone_masked,
                "id_number": r.person.id_number_masked,
            }
            for r in members
        ],
    }


# --- persons -------------------------------------------------------------------------------------


@router.get("/persons", response={200: PersonPage, **ERRORS}, summary="人员")
def person_list(
    request: HttpRequest,
    page: Query[PageParams],
    compound: int | None = None,
    grid: int | None = None,
    household: int | None = None,
    relation: Residency.Relation | None = None,
    q: str | None = Query(None, max_length=50, description="按姓名查找"),
    phone: str | None = Query(None, max_length=20, description="按手机号精确查找（仅工作人员）"),
) -> Any:
    user = caller(request)
    qs = selectors.persons_for(user)
    lookups = {
        "household__dwelling__compound_id": compound,
        "household__dwelling__grid_id": grid,
        "household_id": household,
        "relation": relation,
    }
    wanted = {k: v for k, v in lookups.items() if v is not None}
    if wanted:
        homes = Residency.objects.filter(
            current(timezone.localdate()),
            household__in=selectors.households_for(user).values("pk"),
            **wanted,
        )
        qs = qs.filter(pk__in=homes.values("person_id"))
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if phone is not None:
        qs = qs.filter(phone_hash=phone_lookup(user, phone))
    return paginate(
        qs.order_by("id"),
        page,
        person_out,
        prepare=lambda rows: attach_residencies(user, rows, current_only=True),
    )


def phone_lookup(user: Any, phone: str) -> str:
    if not perms.scope_for(user).is_staff_role:
        raise PermissionDenied(_("无权按手机号查找人员"))
    problem = pii.phone_problem(phone)
    if problem:
        raise field_error("phone", problem)
    return pii.lookup_hash("phone", phone)


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="人员详情")
def person_detail(request: HttpRequest, person_id: int) -> Any:
    person = selectors.access_person(caller(request), person_id)
    attach_residencies(caller(request), [person], current_only=False)
    return person_out(person)


@router.post(
    "/persons/{person_id}/reveal",
    response={200: RevealOut, **ERRORS},
    summary="查看完整手机号和证件号码（记录在案）",
)
def person_reveal(request: HttpRequest, person_id: int, payload: RevealIn = Body(None)) -> Any:  # noqa: B008
    payload = payload or RevealIn()
    fields = tuple(dict.fromkeys(payload.fields))
    person = selectors.access_contact(
        caller(request), person_id, "id_number" if "id_number" in fields else "phone"
    )
    return services.person_reveal(
        user=caller(request),
        person=person,
        fields=fields,
        via="api",
        purpose=payload.purpose,
    )
