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
        self.model, self.alias = model, alias

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
        self._plans: dict[tuple[str, ...], _Plan] = {}

    def all(self, params: Sequence[Any] | dict[str, Any] = ()) -> list[M]:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            names = tuple(d[0] for d in cursor.description)
            rows = cursor.fetchall()
        plan = self._plans.get(names)
        if plan is None:
            plan = self._plans[names] = _Plan(self.model, names, self.alias)
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
    if pre_save.has_listeners(model) or post_save.has_listeners(model):
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
        obj.pk = key
        obj._state.adding, obj._state.db = False, alias


@functools.cache
def _insert_sql(model: type[models.Model], alias: str, count: int) -> tuple[list[Any], str]:
    """The fields an insert writes (all but the database-numbered key) and its statement for `count` rows."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names only)
        f"VALUES {', '.join([row] * count)} RETURNING {quote(meta.pk.column)}"
    )
    return fields, sql


def insert_numbered(obj: M, column: str, prefix: str, width: int, alias: str = "default") -> None:
    """INSERT one row whose `column` is `prefix` followed by its own primary key, zero-padded to `width`
    digits (an appeal's number), and set both on `obj`. On PostgreSQL this is one statement: the key is
    drawn from the table's sequence inside the INSERT. Elsewhere (SQLite runs in-process, where a
    statement costs little) the row is inserted and then numbered."""
    model = type(obj)
    connection = connections[alias]
    attname = _concrete(model, column).attname
    if connection.vendor != "postgresql" or pre_save.has_listeners(model) or post_save.has_listeners(model):
        insert(obj, alias=alias)
        setattr(obj, attname, f"{prefix}{obj.pk:0{width}d}")
        with connection.cursor() as cursor:
            cursor.execute(_update_sql(model, alias, column), [getattr(obj, attname), obj.pk])
        return
    fields, sql = _numbered_sql(model, alias, column, width)
    params = [prefix] + [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    setattr(obj, attname, f"{prefix}{obj.pk:0{width}d}")
    obj._state.adding, obj._state.db = False, alias


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
def _numbered_sql(model: type[models.Model], alias: str, column: str, width: int) -> tuple[list[Any], str]:
    """PostgreSQL: the key comes from a CTE, evaluated once, so the number can be built from it."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    number = _concrete(model, column)
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and f is not number]
    table, pk = meta.db_table, meta.pk.column
    key = "(SELECT id FROM k)"
    padded = f"lpad({key}::text, greatest({int(width)}, length({key}::text)), '0')"
    values = ", ".join([key, f"%s || {padded}"] + ["%s"] * len(fields))
    columns = ", ".join(quote(str(c)) for c in [pk, number.column] + [f.column for f in fields])
    return fields, (
        f"WITH k AS (SELECT nextval(pg_get_serial_sequence('{quote(table)}', '{pk}')) AS id) "  # noqa: S608
        f"INSERT INTO {quote(table)} ({columns}) VALUES ({values}) RETURNING {quote(pk)}"
    )
