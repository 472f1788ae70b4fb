"""limit/offset pagination → {"count", "items"}; the caller fixes a stable order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Schema
from pydantic import Field

MAX_LIMIT = 200
M = TypeVar("M", bound=Model)


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，最多 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, description="跳过的条数")


def paginate(
    qs: QuerySet[M],
    params: PageParams,
    render: Callable[[M], dict[str, Any]],
    prepare: Callable[[list[M]], None] | None = None,
    count: Callable[[], int] | None = None,
    rows_of: Callable[[QuerySet[M], int, int], list[M]] | None = None,
) -> dict[str, Any]:
    """`prepare` loads what the rendering needs for the whole page at once (a bounded number of queries);
    `count` and `rows_of(qs, start, stop)`, when given, count the rows of `qs` and read a slice of them
    more cheaply than its COUNT and its slice would."""
    start, stop = params.offset, params.offset + params.limit
    rows = rows_of(qs, start, stop) if rows_of is not None else list(qs[start:stop])
    if prepare is not None:
        prepare(rows)
    # A short first page already tells the total; saves the COUNT query on small result sets.
    if params.offset == 0 and len(rows) < params.limit:
        total = len(rows)
    else:
        total = count() if count is not None else qs.count()
    return {"count": total, "items": [render(row) for row in rows]}
