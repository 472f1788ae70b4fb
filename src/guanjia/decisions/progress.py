"""Live participation of an open vote, for those who run it: who has returned a ballot, by building and
by grid, and how far the quorum still is. Choices are never shown before the count: a running tally
would sway the owners who have not voted yet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from guanjia.decisions import law
from guanjia.decisions.models import Ballot, OwnersVote, RollPart, Voter

CENT = Decimal("0.01")


@dataclass
class Share:
    """Parts (dwellings or parking spaces) and their area: all of them, and those whose owner voted."""

    parts: int = 0
    area: Decimal = Decimal("0")
    voted_parts: int = 0
    voted_area: Decimal = Decimal("0")

    @property
    def percent(self) -> int:
        return round(100 * self.voted_parts / self.parts) if self.parts else 0

    @property
    def area_percent(self) -> int:
        return round(100 * self.voted_area / self.area) if self.area else 0


@dataclass
class Participation:
    voters: int
    area: Decimal
    voted: int
    voted_area: Decimal
    by_origin: dict[str, int]
    by_building: list[tuple[str, Share]] = field(default_factory=list)
    by_grid: list[tuple[str, Share]] = field(default_factory=list)

    @property
    def owners_needed(self) -> int:
        """Owners still missing for the quorum by headcount (≥ 2/3, 第278条)."""
        return max(0, law.QUORUM.fewest_owners(self.voters) - self.voted)

    @property
    def area_needed(self) -> Decimal:
        bound = law.QUORUM.bound(self.area)
        missing = max(Fraction(0), bound - Fraction(self.voted_area))
        # Rounded up to the cent: the figure an organiser reads must be enough, never a hair short.
        cents = -(-missing.numerator * 100 // missing.denominator)
        return (Decimal(cents) / 100).quantize(CENT)

    @property
    def percent(self) -> int:
        return round(100 * self.voted / self.voters) if self.voters else 0

    @property
    def area_percent(self) -> int:
        return round(100 * self.voted_area / self.area) if self.area else 0


def participation(vote: OwnersVote) -> Participation:
    """Four queries whatever the size of the roll."""
    voters = Voter.objects.filter(vote=vote).aggregate(n=Count("pk"), area=Sum("area"))
    current = Ballot.objects.filter(vote=vote, is_current=True)
    voted_ids = set(current.values_list("voter_id", flat=True))
    by_origin = dict(Counter(current.values_list("origin", flat=True)))
    buildings: dict[str, Share] = {}
    grids: dict[str, Share] = {}
    grid_order: dict[str, str] = {}
    rows = RollPart.objects.filter(vote=vote).values_list(
        "voter_id",
        "area",
        "dwelling__entrance__building__name",
        "dwelling__grid__name",
        "dwelling__grid__code",
        "parking_space_id",
    )
    voted_area = Decimal("0")
    for voter_id, area, building, grid, code, parking in rows.order_by("id").iterator():
        voted = voter_id in voted_ids
        voted_area += area if voted else 0
        b_name = _("车位") if parking else building or _("未登记楼栋")
        g_name = _("车位") if parking else grid or _("未划网格")
        grid_order.setdefault(g_name, code or "~")
        for bucket in (buildings.setdefault(b_name, Share()), grids.setdefault(g_name, Share())):
            bucket.parts += 1
            bucket.area += area
            bucket.voted_parts += voted
            bucket.voted_area += area if voted else 0
    return Participation(
        voters=voters["n"] or 0,
        area=(voters["area"] or Decimal("0")).quantize(CENT),
        voted=len(voted_ids),
        voted_area=voted_area.quantize(CENT),
        by_origin=by_origin,
        by_building=sorted(buildings.items(), key=lambda kv: _natural(kv[0])),
        # Grids by their code (CJ/T 349 serials), not their names ("第二" sorts before "第三" only so).
        by_grid=sorted(grids.items(), key=lambda kv: (grid_order[kv[0]], kv[0])),
    )


def _natural(name: str) -> tuple[Any, ...]:
    """ "2号楼" before "10号楼"."""
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 10**9, name)


def roll_totals(vote: OwnersVote) -> tuple[int, Decimal]:
    """Owners and area on the frozen roll (what the quorum is measured against)."""
    got = Voter.objects.filter(vote=vote).aggregate(n=Count("pk"), area=Sum("area"))
    # Quantised: SQLite's SUM drops the trailing zeros of two-decimal areas.
    return got["n"] or 0, (got["area"] or Decimal("0")).quantize(CENT)
