"""Export of residents in the import's shape, and the import template.

    export_residents(user=request.user)            → .xlsx bytes (kind="csv" for UTF-8 CSV with BOM)
    template_bytes("xlsx") / template_bytes("csv") → the template shipped in people/files/

An export has one row per current residency the user may see (households_for / persons_for); user=None
is the system (the command line without --user) and exports everything. ID and phone numbers are
written in full only for the people the user may unmask (permissions.can_unmask), each such read
logged in PiiAccessLog; everyone else's are masked. Importing an export changes nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from guanjia.core import pii
from guanjia.core.models import PiiAccessLog
from guanjia.people import permissions as perms
from guanjia.people.import_check import AREA_FIELDS, OWNER_KINDS, RELATIONS
from guanjia.people.import_read import COLUMNS, REQUIRED, SHEET_NAME
from guanjia.people.models import Person, Residency
from guanjia.places.models import Grid

FILES = Path(__file__).resolve().parent / "files"
TEMPLATE_NAME = "residents_template"
KINDS = ("xlsx", "csv")

_RELATION_LABEL = {v: k for k, v in RELATIONS.items()}
_OWNER_LABEL = {v: k for k, v in OWNER_KINDS.items()}
_FIELDS = (
    "household__dwelling__compound__community__name",
    "household__dwelling__compound__name",
    "household__dwelling__entrance__building__name",
    "household__dwelling__entrance__name",
    "household__dwelling__number",
    "person__name",
    "relation",
    "person__id_number_enc",
    "person__id_number_masked",
    "person__phone_enc",
    "person__phone_masked",
    *(f"household__dwelling__{field}" for field in AREA_FIELDS.values()),
    "person__owner_kind",
    "person__birth_date",
    "person__is_party_member",
    "household__dwelling__grid_id",
    "person_id",
)


def export_residents(*, user: Any, kind: str = "xlsx") -> bytes:
    """Every current residency the user may see, as .xlsx (default) or .csv bytes; full personal data
    only where the user may unmask it, and each full value written is logged."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind: {kind}")
    with transaction.atomic():
        rows = list(export_rows(user=user))
    return _xlsx(rows) if kind == "xlsx" else _csv(rows)


def export_rows(*, user: Any) -> Iterator[list[Any]]:
    """The export as rows of cell values in COLUMNS order (Decimal areas, date birth dates)."""
    residencies = _residencies(user)
    full = _unmaskable(user, residencies)
    grids = _grid_labels(residencies)
    logged: set[int] = set()
    logs: list[PiiAccessLog] = []
    actor = user if getattr(user, "is_authenticated", False) else None
    for values in residencies.values_list(*_FIELDS).iterator(chunk_size=2000):
        (community, compound, building, entrance, number, name, relation) = values[:7]
        id_enc, id_masked, phone_enc, phone_masked = values[7:11]
        areas, (owner_kind, birth_date, party, grid_id, person_id) = values[11:14], values[14:]
        id_number, phone = id_masked, phone_masked
        if person_id in full:
            id_number, phone = pii.decrypt(id_enc) or id_masked, pii.decrypt(phone_enc) or phone_masked
            if person_id not in logged:
                logged.add(person_id)
                logs.extend(
                    PiiAccessLog(actor=actor, person_id=person_id, field=f, via="export")
                    for f, enc in (("id_number", id_enc), ("phone", phone_enc))
                    if enc
                )
        yield [
            community,
            compound,
            building,
            entrance,
            number,
            name,
            _RELATION_LABEL.get(relation, relation),
            id_number,
            phone,
            *areas,
            _OWNER_LABEL.get(owner_kind, owner_kind),
            birth_date,
            "是" if party else "否",
            grids.get(grid_id, ""),
        ]
    PiiAccessLog.objects.bulk_create(logs, batch_size=2000)


def _residencies(user: Any) -> Any:
    from guanjia.people.selectors import households_for, persons_for

    current = Residency.objects.filter(perms.in_force(timezone.localdate()))
    if user is not None:
        current = current.filter(
            household__in=households_for(user).values("pk"), person__in=persons_for(user).values("pk")
        )
    return current.order_by(
        "household__dwelling__compound__community_id",
        "household__dwelling__compound__name",
        "household__dwelling__entrance__building_id",
        "household__dwelling__entrance_id",
        "household__dwelling__number",
        "household__label",
        "id",
    )


def _unmaskable(user: Any, residencies: Any) -> set[int] | _All:
    if user is None or perms.scope_for(user).is_admin:
        return _All()
    q = perms.unmask_q(perms.scope_for(user))
    people = Person.objects.filter(q, pk__in=residencies.values("person_id"))
    return set(people.values_list("pk", flat=True))


class _All:
    def __contains__(self, item: object) -> bool:
        return True


def _grid_labels(residencies: Any) -> dict[int, str]:
    """Grid names, or the code where a community has two grids of one name (so re-import finds it)."""
    grids = Grid.objects.filter(pk__in=residencies.values("household__dwelling__grid_id"))
    names = list(grids.values_list("pk", "community_id", "name", "code"))
    twins = set(
        Grid.objects.filter(community_id__in={c for _, c, _, _ in names})
        .values("community_id", "name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("community_id", "name")
    )
    return {pk: (code if (community, name) in twins else name) for pk, community, name, code in names}


# --- files ---------------------------------------------------------------------------------------


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = max(10, len(column) * 2 + 4)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    # The BOM makes Excel open UTF-8 instead of guessing the ANSI code page.
    return out.getvalue().encode("utf-8-sig")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def template_bytes(kind: str) -> bytes:
    """The import template shipped in people/files/ ("xlsx" or "csv")."""
    if kind not in KINDS:
        raise ValueError(f"unknown template kind: {kind}")
    return (FILES / f"{TEMPLATE_NAME}.{kind}").read_bytes()


def build_template(kind: str) -> bytes:
    """Make the template: the header row; the .xlsx adds drop-down lists, text-formatted number
    columns and a sheet of instructions. people/files/make_template.py writes it to disk."""
    if kind == "csv":
        return _csv([])
    from guanjia.people.files.make_template import template_workbook

    out = io.BytesIO()
    template_workbook(COLUMNS, REQUIRED).save(out)
    return out.getvalue()
