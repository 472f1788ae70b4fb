"""The county's view of who runs its compounds (the "告别无管时代" dashboard): compounds by management
mode over the region tree, owners' committees formed or in preparation, the unmanaged list, and
how it changed month by month (read from places.ManagementModeChange).

Three queries whatever the size of the county (compounds, mode changes, regions), then Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from guanjia.places.models import Compound, ManagementMode, ManagementModeChange, Region
from guanjia.property.periods import add_months, month_end, month_start

MODES = [m.value for m in ManagementMode]
COMMITTEE_STATES = ("formed", "preparing", "none")


def committee_status(compound_ids: list[int]) -> dict[int, str]:
    """From the decisions app (owners' committees) when it is there; "none" for all until then."""
    try:
        from guanjia.decisions.selectors import committee_status as from_decisions
    except (ImportError, AttributeError):
        return dict.fromkeys(compound_ids, "none")
    found = from_decisions(compound_ids)
    return {pk: found.get(pk, "none") for pk in compound_ids}


@dataclass
class Row:
    """One node of the tree (a region or a community) and its counts."""

    kind: str  # "region" or "community"
    pk: int
    name: str
    modes: Counter[str] = field(default_factory=Counter)
    committees: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.modes.values())

    @property
    def managed(self) -> int:
        return self.total - self.modes[ManagementMode.UNMANAGED]

    @property
    def managed_rate(self) -> float:
        return round(self.managed / self.total * 100, 1) if self.total else 0.0

    @property
    def counts(self) -> list[int]:
        return [self.modes[m] for m in MODES]


@dataclass
class Dashboard:
    node: Row
    children: list[Row]
    months: list[dict[str, Any]]
    unmanaged: list[dict[str, Any]]
    preparing: int
    formed: int


def _mode_history(compounds: QuerySet[Compound]) -> dict[int, list[tuple[dt.date, str, str]]]:
    history: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    for cid, day, old, new in (
        ManagementModeChange.objects.filter(compound__in=compounds.order_by().values("pk"))
        .order_by("compound_id", "effective_on", "id")
        .values_list("compound_id", "effective_on", "from_mode", "to_mode")
    ):
        history[cid].append((day, old, new))
    return history


def monthly(
    compounds: list[tuple[int, str]],
    history: dict[int, list[tuple[dt.date, str, str]]],
    today: dt.date,
    months: int,
) -> list[dict[str, Any]]:
    """Counts by mode at the end of each of the last `months` months (the current one up to today)."""
    first = add_months(month_start(today), -(months - 1))
    starts = [add_months(first, i) for i in range(months)]
    days = [min(month_end(start), today) for start in starts]
    counts: list[Counter[str]] = [Counter() for _ in days]
    # Compounds that never changed count the same every month: one tally, added to each month.
    steady = Counter(current for pk, current in compounds if pk not in history)
    for changes in history.values():
        # Walk the months and the (dated, ordered) changes together.
        mode, n = changes[0][1] or None, 0
        for i, day in enumerate(days):
            while n < len(changes) and changes[n][0] <= day:
                mode, n = changes[n][2], n + 1
            if mode:
                counts[i][mode] += 1
    out = []
    for start, month in zip(starts, counts, strict=True):
        month.update(steady)
        total = sum(month.values())
        out.append(
            {
                "month": f"{start:%Y-%m}",
                "counts": [month[m] for m in MODES],
                "total": total,
                "managed": total - month[ManagementMode.UNMANAGED],
            }
        )
    return out


def _common_ancestor(paths: list[str]) -> Region | None:
    """The deepest region holding all these compounds (the county, for a county's compounds)."""
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return Region.objects.filter(pk=int(common[-1])).first() if common else None


def dashboard(
    compounds: QuerySet[Compound], node: Region | None, today: dt.date, months: int = 12
) -> Dashboard:
    """The caller's compounds (already scoped) under `node`, split by the node's children."""
    if node is not None:
        compounds = compounds.filter(community__region__path__startswith=node.path)
    rows = list(
        compounds.order_by().values_list(
            "pk", "name", "management_mode", "community_id", "community__name", "community__region__path"
        )
    )
    if node is None:
        node = _common_ancestor([r[5] for r in rows])
    ids = [r[0] for r in rows]
    committees = committee_status(ids)
    history = _mode_history(compounds)
    depth = len(node.path.strip("/").split("/")) if node is not None else 0
    child_ids = {
        int(r[5].strip("/").split("/")[depth]) for r in rows if len(r[5].strip("/").split("/")) > depth
    }
    names = dict(Region.objects.filter(pk__in=child_ids).values_list("pk", "name"))
    top = Row("region", node.pk if node else 0, node.name if node else "")
    children: dict[tuple[str, int], Row] = {}
    unmanaged = []
    for pk, name, mode, community_id, community_name, path in rows:
        parts = path.strip("/").split("/")
        key = ("region", int(parts[depth])) if len(parts) > depth else ("community", community_id)
        label = names.get(key[1], "") if key[0] == "region" else community_name
        row = children.setdefault(key, Row(key[0], key[1], label))
        for r in (top, row):
            r.modes[mode] += 1
            r.committees[committees[pk]] += 1
        if mode == ManagementMode.UNMANAGED:
            unmanaged.append(
                {"pk": pk, "name": name, "community": community_name, "committee": committees[pk]}
            )
    unmanaged.sort(key=lambda u: (u["community"], u["name"]))
    return Dashboard(
        node=top,
        children=sorted(children.values(), key=lambda r: (r.kind, r.name)),
        months=monthly([(r[0], r[2]) for r in rows], history, today, months),
        unmanaged=unmanaged,
        preparing=top.committees["preparing"],
        formed=top.committees["formed"],
    )
