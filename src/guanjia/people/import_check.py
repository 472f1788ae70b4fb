"""Checking the rows of a residents sheet: each cell, then rows against each other.

Part of the residents import (people.imports). Reads communities and grids once per file; every
problem becomes a RowError in Chinese with the row number the user sees in Excel."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.core import pii
from guanjia.people.import_read import (
    COLUMNS,
    CellProblem,
    Table,
    cell_text,
    number_text,
    parse_area,
    parse_date,
    parse_yes_no,
)
from guanjia.people.models import OwnerKind, Residency
from guanjia.people.permissions import can_change_registry, scope_for
from guanjia.places.models import Community, Grid

RELATIONS = {
    "业主": Residency.Relation.OWNER,
    "家庭成员": Residency.Relation.FAMILY,
    "租户": Residency.Relation.TENANT,
}
OWNER_KINDS = {"个人": OwnerKind.INDIVIDUAL, "建设单位": OwnerKind.DEVELOPER, "单位": OwnerKind.ORGANISATION}
AREA_FIELDS = {"不动产登记面积": "area_registered", "实测面积": "area_surveyed", "合同面积": "area_contract"}
MAX_LENGTH = {"社区": 100, "小区": 100, "楼栋": 50, "单元": 50, "房号": 20, "姓名": 100}

DwellingKey = tuple[int, str, str, str, str]  # community pk, compound, building, entrance, number


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:
            return self.message
        if self.column:
            return _("第%(row)d行 %(column)s：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第%(row)d行：%(message)s") % {"row": self.row, "message": self.message}


@dataclass(slots=True)
class Row:
    """One good row, parsed; optional values are None (or "") when the cell was empty."""

    number: int
    community: Community
    compound: str
    building: str
    entrance: str
    dwelling: str
    name: str
    relation: str
    id_number: str = ""
    id_hash: str = ""
    phone: str = ""
    phone_hash: str = ""
    areas: dict[str, Decimal] | None = None  # Dwelling field name → area
    owner_kind: str | None = None
    birth_date: dt.date | None = None
    is_party_member: bool | None = None
    grid: Grid | None = None

    @property
    def dwelling_key(self) -> DwellingKey:
        return (self.community.pk, self.compound, self.building, self.entrance, self.dwelling)

    def person_values(self) -> dict[str, Any]:
        """What the row says about the person, for comparing rows that name the same ID number."""
        values = {
            "姓名": self.name,
            "手机号": self.phone_hash or None,
            "产权人类型": self.owner_kind,
            "出生日期": self.birth_date,
            "是否党员": self.is_party_member,
        }
        return {k: v for k, v in values.items() if v is not None}


class Places:
    """The communities the importing user may fill, and their grids: loaded once per file.

    `user=None` is the system (the command line without --user): every community."""

    def __init__(self, user: Any) -> None:
        from guanjia.places.selectors import communities_for

        scope = None if user is None else scope_for(user)
        visible = Community.objects.all() if user is None else communities_for(user)
        self.by_name: dict[str, list[tuple[Community, bool]]] = defaultdict(list)
        for community in visible:
            allowed = scope is None or can_change_registry(scope, community.pk)
            self.by_name[community.name].append((community, allowed))
        allowed_ids = [c.pk for options in self.by_name.values() for c, ok in options if ok]
        self.grids: dict[int, dict[str, list[Grid]]] = defaultdict(lambda: defaultdict(list))
        for grid in Grid.objects.filter(community_id__in=allowed_ids):
            for key in {grid.code, grid.serial, grid.name}:
                self.grids[grid.community_id][key].append(grid)

    def community(self, name: str) -> Community:
        options = self.by_name.get(name, [])
        if not options:
            raise CellProblem(_("未找到该社区（请核对名称，或确认您有权查看）"))
        allowed = [c for c, ok in options if ok]
        if not allowed:
            raise CellProblem(_("无权导入该社区的数据"))
        if len(allowed) > 1:
            raise CellProblem(_("有多个同名社区，无法确定是哪一个，请联系系统管理员"))
        return allowed[0]

    def grid(self, community: Community, text: str) -> Grid:
        key = text.zfill(2) if text.isdigit() and len(text) < 2 else text
        found = self.grids[community.pk].get(key, [])
        if not found:
            raise CellProblem(_("该社区没有这个网格（可填网格名称、序号或编码）"))
        if len(found) > 1:
            raise CellProblem(_("该社区有多个同名网格，请改填网格编码"))
        return found[0]


def check_rows(table: Table, places: Places, errors: list[RowError]) -> tuple[list[Row], int]:
    """The good rows of the table and the number of non-empty rows read; problems go to `errors`."""
    today = timezone.localdate()
    cross = _CrossCheck()
    good: list[Row] = []
    read = 0
    columns = [(c, i) for c, i in table.header.items() if c in COLUMNS]
    for number, values in table.rows:
        width = len(values)
        cells = {c: values[i] if i < width else None for c, i in columns}
        text = {c: cell_text(v) for c, v in cells.items()}
        if not any(text.values()):
            continue
        read += 1
        row_errors: list[RowError] = []
        row = _check_cells(number, cells, text, places, today, row_errors)
        if row is not None and not row_errors:
            row_errors = cross.check(row)
        if row_errors:
            errors.extend(row_errors)
        elif row is not None:
            good.append(row)
    return good, read


def _check_cells(
    number: int,
    cells: dict[str, Any],
    text: dict[str, str],
    places: Places,
    today: dt.date,
    errors: list[RowError],
) -> Row | None:
    def problem(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    for column, limit in MAX_LENGTH.items():
        value = text[column]
        if not value:
            problem(column, _("必填，不能为空"))
        elif len(value) > limit:
            problem(column, _("不能超过%(limit)d个字") % {"limit": limit})
    relation = text["关系"]
    if not relation:
        problem("关系", _("必填，不能为空"))
    elif relation not in RELATIONS:
        problem("关系", _("应为“业主”“家庭成员”或“租户”"))
    community = None
    if text["社区"] and len(text["社区"]) <= MAX_LENGTH["社区"]:
        try:
            community = places.community(text["社区"])
        except CellProblem as exc:
            problem("社区", str(exc))
    optional = _check_optional(cells, text, community, places, today, problem)
    if errors or community is None:
        return None
    return Row(
        number=number,
        community=community,
        compound=text["小区"],
        building=text["楼栋"],
        entrance=text["单元"],
        dwelling=text["房号"],
        name=text["姓名"],
        relation=RELATIONS[relation],
        **optional,
    )


def _check_optional(
    cells: dict[str, Any],
    text: dict[str, str],
    community: Community | None,
    places: Places,
    today: dt.date,
    problem: Any,
) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def parse(column: str, parser: Any) -> Any:
        if not text.get(column):
            return None
        try:
            return parser(cells[column])
        except CellProblem as exc:
            problem(column, str(exc))
            return None

    id_number = parse("证件号码", lambda v: _personal("id_number", number_text(v, "证件号码")))
    if id_number:
        found["id_number"], found["id_hash"] = id_number, pii.lookup_hash("id_number", id_number)
    phone = parse("手机号", lambda v: _personal("phone", number_text(v, "手机号")))
    if phone:
        found["phone"], found["phone_hash"] = phone, pii.lookup_hash("phone", phone)
    areas = {field: parse(column, parse_area) for column, field in AREA_FIELDS.items()}
    found["areas"] = {f: a for f, a in areas.items() if a is not None} or None
    found["owner_kind"] = parse("产权人类型", _owner_kind)
    found["birth_date"] = parse("出生日期", lambda v: parse_date(v, today))
    found["is_party_member"] = parse("是否党员", parse_yes_no)
    if community is not None:
        found["grid"] = parse("网格", lambda v: places.grid(community, cell_text(v)))
    return found


def _personal(kind: str, value: str) -> str:
    if "*" in value:
        raise CellProblem(_("是打了星号的脱敏号码，请填写完整号码"))
    check = pii.id_number_problem if kind == "id_number" else pii.phone_problem
    message = check(value)
    if message:
        raise CellProblem(message)
    return pii.normalise(kind, value)


def _owner_kind(value: Any) -> str:
    kind = OWNER_KINDS.get(cell_text(value))
    if kind is None:
        raise CellProblem(_("应为“个人”“建设单位”或“单位”"))
    return kind


class _CrossCheck:
    """Rows that contradict an earlier good row: another area for the same dwelling, the same person
    twice in one household, or one ID number with two names."""

    def __init__(self) -> None:
        self.dwellings: dict[DwellingKey, dict[str, tuple[int, Any]]] = {}
        self.households: dict[DwellingKey, dict[str, list[tuple[int, str]]]] = {}
        self.people: dict[str, dict[str, tuple[int, Any]]] = {}

    def check(self, row: Row) -> list[RowError]:
        key = row.dwelling_key
        errors = [*self._dwelling(row, key), *self._household(row, key), *self._person(row)]
        if not errors:
            self._remember(row, key)
        return errors

    def _dwelling(self, row: Row, key: DwellingKey) -> Iterable[RowError]:
        seen = self.dwellings.get(key, {})
        for column, value in _dwelling_values(row).items():
            if column in seen and seen[column][1] != value:
                earlier, before = seen[column]
                yield RowError(
                    row.number,
                    column,
                    _("与第%(row)d行同一房屋填写的不一致（%(before)s / %(now)s）")
                    % {"row": earlier, "before": before, "now": value},
                )

    def _household(self, row: Row, key: DwellingKey) -> Iterable[RowError]:
        names = self.households.get(key, {})
        for earlier, id_hash in names.get(row.name, []):
            if not row.id_hash or not id_hash or id_hash == row.id_hash:
                yield RowError(
                    row.number, "姓名", _("与第%(row)d行重复：同一户中的同一人") % {"row": earlier}
                )
                return
        for others in names.values():
            for earlier, id_hash in others:
                if row.id_hash and id_hash == row.id_hash:
                    yield RowError(
                        row.number, "证件号码", _("与第%(row)d行重复：同一户中的同一人") % {"row": earlier}
                    )
                    return

    def _person(self, row: Row) -> Iterable[RowError]:
        if not row.id_hash:
            return
        seen = self.people.get(row.id_hash, {})
        for column, value in row.person_values().items():
            if column in seen and seen[column][1] != value:
                yield RowError(
                    row.number,
                    column,
                    _("与第%(row)d行证件号码相同（同一人），但此项不一致") % {"row": seen[column][0]},
                )

    def _remember(self, row: Row, key: DwellingKey) -> None:
        dwelling = self.dwellings.setdefault(key, {})
        for column, value in _dwelling_values(row).items():
            dwelling.setdefault(column, (row.number, value))
        self.households.setdefault(key, {}).setdefault(row.name, []).append((row.number, row.id_hash))
        if row.id_hash:
            person = self.people.setdefault(row.id_hash, {})
            for column, value in row.person_values().items():
                person.setdefault(column, (row.number, value))


def _dwelling_values(row: Row) -> dict[str, Any]:
    values: dict[str, Any] = {c: (row.areas or {}).get(f) for c, f in AREA_FIELDS.items()}
    values["网格"] = row.grid
    return {k: v for k, v in values.items() if v is not None}
