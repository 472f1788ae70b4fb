"""Freezing the voter roll when a vote opens: every exclusive part of the compound, its area as the law
reads it (解释 第8条), grouped into owners as the law counts them (解释 第9条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from guanjia.decisions import law
from guanjia.decisions.models import OwnersVote, ParkingSpace, RollPart, Voter, VoterOwner
from guanjia.people.models import OwnerKind, Residency
from guanjia.people.permissions import in_force
from guanjia.places.models import Dwelling


@dataclass
class _Part:
    key: str
    label: str
    area: Decimal
    source: str
    dwelling_id: int | None = None
    parking_id: int | None = None


def legal_area(
    registered: Decimal | None, surveyed: Decimal | None, contract: Decimal | None
) -> tuple[Decimal, str]:
    """Registered area, else surveyed, else contract (解释 第8条); none: 0 m², flagged."""
    for value, source in ((registered, "registered"), (surveyed, "surveyed"), (contract, "contract")):
        if value:
            return value, source
    return Decimal("0"), "missing"


def collect_parts(
    vote: OwnersVote, day: dt.date
) -> tuple[list[_Part], dict[str, set[int]], dict[int, tuple[str, str]]]:
    """The compound's exclusive parts, who owns each on `day`, and the owners' names and kinds."""
    parts: list[_Part] = []
    owners: dict[str, set[int]] = {}
    people: dict[int, tuple[str, str]] = {}
    rows = Dwelling.objects.filter(compound_id=vote.compound_id).values_list(
        "pk",
        "entrance__building__name",
        "entrance__name",
        "number",
        "area_registered",
        "area_surveyed",
        "area_contract",
    )
    for pk, building, entrance, number, reg, sur, con in rows.order_by(
        "entrance__building_id", "entrance_id", "number"
    ):
        value, source = legal_area(reg, sur, con)
        parts.append(_Part(f"d{pk}", f"{building}{entrance}{number}", value, source, dwelling_id=pk))
    residencies = Residency.objects.filter(
        in_force(day), relation=Residency.Relation.OWNER, household__dwelling__compound_id=vote.compound_id
    ).values_list("household__dwelling_id", "person_id", "person__name", "person__owner_kind")
    for dwelling_id, person_id, name, kind in residencies:
        owners.setdefault(f"d{dwelling_id}", set()).add(person_id)
        people[person_id] = (name, kind)
    if vote.include_parking:
        spaces = ParkingSpace.objects.filter(compound_id=vote.compound_id).values_list(
            "pk", "number", "area", "owner_id", "owner__name", "owner__owner_kind"
        )
        for pk, number, space_area, owner_id, name, kind in spaces.order_by("number"):
            parts.append(
                _Part(
                    f"p{pk}",
                    f"车位{number}",
                    space_area or Decimal("0"),
                    "registered" if space_area else "missing",
                    parking_id=pk,
                )
            )
            if owner_id is not None:
                owners.setdefault(f"p{pk}", set()).add(owner_id)
                people[owner_id] = (name, kind)
    return parts, owners, people


def freeze(vote: OwnersVote, day: dt.date) -> int:
    """Writes the roll for `vote` (bulk); returns the number of voters."""
    parts, owners, people = collect_parts(vote, day)
    by_key = {p.key: p for p in parts}
    exclusive = []
    for p in parts:
        held = frozenset(owners.get(p.key, ()))
        developers = sorted(o for o in held if people[o][1] == OwnerKind.DEVELOPER)
        exclusive.append(
            law.ExclusivePart(
                key=p.key,
                area=Fraction(p.area),
                owners=frozenset(developers) if developers else held,
                developer=developers[0] if developers else None,
            )
        )
    units = law.voter_units(exclusive)
    voters = Voter.objects.bulk_create(
        [
            Voter(
                vote=vote,
                kind=unit.kind,
                label=_label(unit, people, by_key)[:200],
                area=sum((by_key[k].area for k in unit.parts), Decimal("0")),
                part_count=len(unit.parts),
            )
            for unit in units
        ],
        batch_size=2000,
    )
    RollPart.objects.bulk_create(
        [
            RollPart(
                vote=vote,
                voter=voter,
                dwelling_id=by_key[k].dwelling_id,
                parking_space_id=by_key[k].parking_id,
                label=by_key[k].label[:120],
                area=by_key[k].area,
                area_source=by_key[k].source,
            )
            for unit, voter in zip(units, voters, strict=True)
            for k in unit.parts
        ],
        batch_size=2000,
    )
    VoterOwner.objects.bulk_create(
        [
            VoterOwner(voter=voter, vote=vote, person_id=person_id)
            for unit, voter in zip(units, voters, strict=True)
            for person_id in sorted(unit.owners)
        ],
        batch_size=2000,
    )
    return len(voters)


def _label(unit: law.VoterUnit, people: dict[int, tuple[str, str]], parts: dict[str, _Part]) -> str:
    names = "、".join(people[o][0] for o in sorted(unit.owners))
    if unit.kind == Voter.Kind.DEVELOPER:
        return f"{names}（建设单位，{len(unit.parts)}处合计一人）"
    if unit.kind == Voter.Kind.UNKNOWN:
        return f"{parts[unit.parts[0]].label}（产权人未登记）"
    return names
