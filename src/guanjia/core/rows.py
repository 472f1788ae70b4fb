"""Model instances from a fixed SQL statement, for the few lookups every request makes.

Building a QuerySet costs 250–500 µs of Python per query, and `Model.objects.raw()` still about 100 µs
because it works out its column mapping and field converters on every call. `Rows` works them out once
per (database, columns) and then costs about what the cursor costs. Use it only where a lookup runs on
every request of a hot path; everywhere else the ORM is clearer."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


class _Plan:
    def __init__(self, model: type[models.Model], names: Sequence[str], alias: str) -> None:
        connection = connections[alias]
        index_of = {name: i for i, name in enumerate(names)}
        # Model.from_db takes the values in the model's field order, whatever the table's column order.
        self.field_slots: list[tuple[int, str, list[Converter], Any]] = []
        for field in model._meta.concrete_fields:
            if field.column not in index_of:
                continue
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            self.field_slots.append((index_of[field.column], field.attname, converters, expression))
        columns = {f.column for f in model._meta.concrete_fields}
        self.extra_slots = [(i, name) for i, name in enumerate(names) if name not in columns]
        self.attnames = [attname for _i, attname, _c, _e in self.field_slots]
        self.model, self.alias, self.width = model, alias, len(names)

    def build(self, row: Sequence[Any], connection: Any) -> Any:
        values = []
        for index, _attname, converters, expression in self.field_slots:
            value = row[index]
            for convert in converters:
                value = convert(value, expression, connection)
            values.append(value)
        instance = self.model.from_db(self.alias, self.attnames, values)
        for index, name in self.extra_slots:
            setattr(instance, name, row[index])
        return instance


class Rows(Generic[M]):
    """`Rows(Person, "SELECT * FROM people_person WHERE id = %s").all([pk])`. Extra columns (aliases
    that are not the model's) land on the instances as plain attributes, unconverted."""

    def __init__(self, model: type[M], sql: str, alias: str = "default") -> None:
        self.model, self.sql, self.alias = model, sql, alias
        # The statement is fixed, so its columns are too; reading cursor.description on every call
        # built a column object per column (a tenth of a millisecond for a `SELECT *` of a person).
        self._plan: _Plan | None = None

    def all(self, params: Sequence[Any] | dict[str, Any] = ()) -> list[M]:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
            plan = self._plan
            if plan is None or (rows and len(rows[0]) != plan.width):  # first call, or the table changed
                names = tuple(d[0] for d in cursor.description)
                plan = self._plan = _Plan(self.model, names, self.alias)
        return [plan.build(row, connection) for row in rows]

    def first(self, params: Sequence[Any] | dict[str, Any] = ()) -> M | None:
        found = self.all(params)
        return found[0] if found else None


def insert(*objs: M, alias: str = "default") -> None:
    """INSERT instances of one model in one statement and set their primary keys — what `bulk_create`
    does, without its per-call query building (~0.3–0.8 ms of Python per call on the submission path).
    Values go through each field's `pre_save` (auto_now) and `get_db_prep_save`, as the ORM's own
    insert does. Models with save signals are saved the ordinary way, so no receiver is skipped."""
    if not objs:
        return
    model = type(objs[0])
    if _has_signals(model):
        for obj in objs:
            obj.save(using=alias)
        return
    connection = connections[alias]
    fields, sql = _insert_sql(model, alias, len(objs))
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = [r[0] for r in cursor.fetchall()]
    for obj, key in zip(objs, keys, strict=True):
        _stored(obj, key, alias)


@functools.cache
def _insert_sql(model: type[models.Model], alias: str, count: int) -> tuple[list[Any], str]:
    """The fields an insert writes (all but the database-numbered key) and its statement for `count` rows."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = _written(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names only)
        f"VALUES {', '.join([row] * count)} RETURNING {quote(meta.pk.column)}"
    )
    return fields, sql


def insert_numbered(
    obj: M,
    column: str,
    prefix: str,
    width: int,
    children: Sequence[models.Model] = (),
    alias: str = "default",
) -> None:
    """INSERT one row whose `column` is `prefix` followed by its own primary key, zero-padded to `width`
    digits (an appeal's number), together with `children`: rows of other models that point at it (its
    first events, say), given unsaved with their foreign key set to `obj`. Keys and numbers are set on
    the instances. On PostgreSQL this is one statement: the key is drawn from the table's sequence and
    every row is written by one data-modifying CTE. Elsewhere (SQLite runs in-process, where a statement
    costs little) the row is inserted, numbered, and its children inserted a model at a time."""
    model = type(obj)
    connection = connections[alias]
    attname = _concrete(model, column).attname
    groups = _by_model(children)
    links = {child_model: _link(child_model, model).attname for child_model in groups}  # checked first
    family: list[type[models.Model]] = [model, *groups]
    if connection.vendor != "postgresql" or any(_has_signals(m) for m in family):
        insert(obj, alias=alias)
        setattr(obj, attname, f"{prefix}{obj.pk:0{width}d}")
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(model, alias, column), [getattr(obj, attname), obj.pk])
        _point_at(obj, groups, links)
        for objs in groups.values():
            insert(*objs, alias=alias)
        return
    shape = tuple((m, len(objs)) for m, objs in groups.items())
    plan, sql = _numbered_sql(model, alias, column, width, shape)
    batches: list[list[models.Model]] = [[obj], *groups.values()]
    params: list[Any] = [prefix]
    for (fields, _count), batch in zip(plan, batches, strict=True):
        params += [f.get_db_prep_save(f.pre_save(o, True), connection) for o in batch for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = sorted(cursor.fetchall(), key=lambda row: row[0])  # by group; each in insertion order
    instances = [o for batch in batches for o in batch]
    for instance, (_group, key) in zip(instances, keys, strict=True):
        _stored(instance, key, alias)
    setattr(obj, attname, f"{prefix}{obj.pk:0{width}d}")
    _point_at(obj, groups, links)


def _stored(obj: models.Model, key: Any, alias: str) -> None:
    """What Model.save leaves on an instance it inserted."""
    obj.pk = key
    obj._state.adding, obj._state.db = False, alias


def _point_at(
    parent: models.Model, groups: dict[type[models.Model], list[models.Model]], links: dict[Any, str]
) -> None:
    for child_model, objs in groups.items():
        for child in objs:
            setattr(child, links[child_model], parent.pk)


def _written(model: type[models.Model]) -> list[Any]:
    """The fields an INSERT writes: all but the database-numbered key."""
    return [f for f in model._meta.local_concrete_fields if f is not model._meta.auto_field]


def _has_signals(model: type[models.Model]) -> bool:
    return pre_save.has_listeners(model) or post_save.has_listeners(model)


def _by_model(objs: Sequence[models.Model]) -> dict[type[models.Model], list[models.Model]]:
    groups: dict[type[models.Model], list[models.Model]] = {}
    for o in objs:
        groups.setdefault(type(o), []).append(o)
    return groups


@functools.cache
def _link(child: type[models.Model], parent: type[models.Model]) -> models.Field[Any, Any]:
    """The child's one foreign key to the parent."""
    links = [
        f
        for f in child._meta.concrete_fields
        if f.many_to_one and f.related_model is parent and isinstance(f, models.Field)
    ]
    if len(links) != 1:
        raise ValueError(f"{child.__name__} needs exactly one foreign key to {parent.__name__}")
    return links[0]


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


@functools.cache
def _update_sql(model: type[models.Model], alias: str, column: str) -> str:
    quote = connections[alias].ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"UPDATE {table} SET {quote(column)} = %s WHERE {pk} = %s"  # noqa: S608 (names only)


@functools.cache
def _numbered_sql(
    model: type[models.Model],
    alias: str,
    column: str,
    width: int,
    shape: tuple[tuple[type[models.Model], int], ...],
) -> tuple[list[tuple[list[Any], int]], str]:
    """PostgreSQL: the key comes from a CTE, evaluated once, so the number and the children's foreign
    keys can be built from it. Returns, per model (the parent first), the fields that take parameters,
    and the statement; its rows are (group, key) in the order the instances were given."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    table, pk = quote(meta.db_table), meta.pk.column
    number = _concrete(model, column)
    key = "(SELECT id FROM k)"
    padded = f"lpad({key}::text, greatest({int(width)}, length({key}::text)), '0')"
    fields = [f for f in _written(model) if f is not number]
    parts = [
        f"k AS (SELECT nextval(pg_get_serial_sequence('{table}', '{pk}')) AS id)",
        _cte_insert(
            0,
            model,
            [pk, str(number.column)] + [f.column for f in fields],
            ", ".join([key, f"%s || {padded}"] + ["%s"] * len(fields)),
            1,
            quote,
        ),
    ]
    plan: list[tuple[list[Any], int]] = [(fields, 1)]
    for i, (child, count) in enumerate(shape, start=1):
        link = _link(child, model)
        cfields = _written(child)
        row = ", ".join(key if f is link else "%s" for f in cfields)
        parts.append(_cte_insert(i, child, [f.column for f in cfields], row, count, quote))
        plan.append(([f for f in cfields if f is not link], count))
    union = " UNION ALL ".join(f"SELECT {i}, id FROM g{i}" for i in range(len(plan)))  # noqa: S608
    return plan, f"WITH {', '.join(parts)} {union}"


def _cte_insert(
    index: int, model: type[models.Model], columns: list[str], row: str, count: int, quote: Any
) -> str:
    names = ", ".join(quote(c) for c in columns)
    rows = ", ".join([f"({row})"] * count)
    return (
        f"g{index} AS (INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608 (names only)
        f"VALUES {rows} RETURNING {quote(model._meta.pk.column)} AS id)"
    )
