"""Fast inserts for the largest writes (a county's monthly bill run: 100,000 bills).

Django's bulk_create prepares every object through the full save machinery and, on SQLite, splits
the rows into batches of a few dozen (999 parameters per statement). Prepared values sent with
executemany (SQLite, in-process) or COPY (PostgreSQL) are several times faster; no primary keys come
back, which bill runs don't need."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router

CHUNK = 5000
# Values of these field types go to the driver as they are on both SQLite and PostgreSQL.
PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def insert_rows(model: type[models.Model], objs: Sequence[models.Model]) -> int:
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Table and column names come from the model; every value is a bound parameter.
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(fields))})"
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    names = [f.attname for f in fields]
    prepare = [(i, f.get_db_prep_save) for i, f in enumerate(fields) if not isinstance(f, PLAIN)]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), CHUNK):
            rows = []
            for obj in objs[start : start + CHUNK]:
                values = obj.__dict__
                row = [values[name] for name in names]
                for i, prep in prepare:
                    row[i] = prep(row[i], connection)
                rows.append(row)
            if connection.vendor == "postgresql":
                # COPY streams the rows: no statement to parse per row, no round trip per row.
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(head + one, rows)
    return len(objs)
