"""Reading the body of an appeals write: JSON, or multipart/form-data when photos come along; and turning
the ids in it into objects the caller may use (a reference the caller may not see is a field error)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, TypeVar

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from guanjia.api.appeals_schemas import ActIn, AppealIn
from guanjia.api.errors import ApiError
from guanjia.api.people import current
from guanjia.appeals import selectors
from guanjia.appeals.models import Agency, Category
from guanjia.people import selectors as people
from guanjia.people.models import Person, StaffAssignment
from guanjia.places import selectors as places

S = TypeVar("S", bound=Schema)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
PHOTO_FIELD = "photos"


def parse(request: HttpRequest, schema: type[S]) -> tuple[S, list[UploadedFile]]:
    """The body as `schema`, and any uploaded photos (form field "photos", repeated)."""
    if request.content_type in FORM_TYPES:
        # A form sends every field as text; an empty optional field means "not given".
        data: Any = {k: v for k, v in request.POST.items() if v != ""}
        photos = request.FILES.getlist(PHOTO_FIELD)
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise HttpError(400, "invalid JSON") from None
        photos = []
    if not isinstance(data, dict):
        raise NinjaValidationError([{"loc": ("body", "payload"), "type": "dict_type"}])
    try:
        return schema.model_validate(data), photos
    except pydantic.ValidationError as e:
        raise NinjaValidationError(
            [{**err, "loc": ("body", "payload", *err["loc"])} for err in e.errors()]
        ) from None


class Fields:
    """Collects field errors so one 422 names every bad reference at once."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def check(self) -> None:
        if self.errors:
            raise ApiError(422, "validation_error", _("请求参数有误"), self.errors)


def category(value: int | str | None) -> Category | None:
    """By id or by code; categories are a public list."""
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return selectors.category_by(pk=value)
    found = selectors.category_by(code=value.strip())
    if found is None and value.strip().isdigit():
        found = selectors.category_by(pk=int(value))
    return found


def intake_refs(user: Any, body: AppealIn) -> dict[str, Any]:
    """Keyword arguments for services.submit_appeal from the ids in the body, each through the caller's
    scope: an id the caller may not see is reported as not found."""
    fields = Fields()
    found: dict[str, Any] = {"category": category(body.category)}
    if found["category"] is None:
        fields.add("category", _("类别不存在"))
    # Querysets are built only for the ids that were sent: a resident's usual body sends none of them.
    lookups = {
        "household": (body.household, people.households_for),
        "compound": (body.compound, places.compounds_for),
        "dwelling": (body.dwelling, places.dwellings_for),
        "submitter": (body.submitter, people.persons_for),
    }
    for name, (pk, scoped) in lookups.items():
        found[name] = None if pk is None else scoped(user).filter(pk=pk).first()
        if pk is not None and found[name] is None:
            fields.add(name, _("不存在或无权查看"))
    fields.check()
    return found


def staff_person(pk: int | None) -> Person | None:
    """Someone on duty today (transfer and assignment go to staff, never to a resident)."""
    if pk is None:
        return None
    on_duty = StaffAssignment.objects.filter(current(timezone.localdate())).values("person_id")
    return Person.objects.filter(pk=pk, pk__in=on_duty).first()


def act_refs(body: ActIn) -> dict[str, Any]:
    fields = Fields()
    to_person = staff_person(body.to_person)
    if body.to_person is not None and to_person is None:
        fields.add("to_person", _("接收人不存在或不在岗"))
    to_agency = None if body.to_agency is None else Agency.objects.filter(pk=body.to_agency).first()
    if body.to_agency is not None and to_agency is None:
        fields.add("to_agency", _("职能部门不存在"))
    fields.check()
    return {"to_person": to_person, "to_agency": to_agency, "committed_due": aware(body.committed_due)}


def aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def idempotency_key(request: HttpRequest) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise ApiError(
            422,
            "validation_error",
            _("请求参数有误"),
            [{"field": "Idempotency-Key", "message": _("最多 100 个字符")}],
        )
    return key


def form_schema(schema: type[Schema], files: Sequence[str] = (PHOTO_FIELD,)) -> dict[str, Any]:
    """OpenAPI request body: the schema as JSON, or as form fields plus photo files."""
    json_schema = schema.model_json_schema()
    form = {
        **json_schema,
        "properties": {
            **json_schema.get("properties", {}),
            **{f: {"type": "array", "items": {"type": "string", "format": "binary"}} for f in files},
        },
    }
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {"schema": form},
            }
        }
    }
