"""Upserting checked resident rows by natural key, in bulk.

Part of the residents import (people.imports). The existing registry under the file's compounds is
loaded once into maps keyed by name; each row is matched against them in memory; the new and changed
objects are then written with bulk_create / bulk_update, and audited in bulk (bulk writes skip the
save signals)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from guanjia.core.audit import bulk_record
from guanjia.core.models import AuditEntry
from guanjia.people.import_check import DwellingKey, Row
from guanjia.people.models import Household, OwnerKind, Person, Residency
from guanjia.places.models import Building, Compound, Dwelling, Entrance, ManagementMode

# Kinds in write order: each one's parent is written before it.
KINDS: dict[str, type[models.Model]] = {
    "compound": Compound,
    "building": Building,
    "entrance": Entrance,
    "dwelling": Dwelling,
    "household": Household,
    "person": Person,
    "residency": Residency,
}
CHUNK = 5000  # IN-list size when looking up many keys
PHONE_FIELDS = ("phone_enc", "phone_hash", "phone_masked")
ID_FIELDS = ("id_number_enc", "id_number_hash", "id_number_masked")


@dataclass
class Changes:
    """What the file does to one kind of object."""

    created: list[Any] = field(default_factory=list)
    updated: dict[int, Any] = field(default_factory=dict)
    fields: set[str] = field(default_factory=set)
    seen: set[int] = field(default_factory=set)

    def touch(self, obj: models.Model) -> None:
        self.seen.add(obj.pk)

    def change(self, obj: models.Model, *names: str) -> None:
        if obj.pk is not None:
            self.updated[obj.pk] = obj
            self.fields.update(names)

    @property
    def unchanged(self) -> int:
        return len(self.seen - self.updated.keys())


class Upsert:
    """Match rows to the stored registry and work out what to create and update; `write()` stores it."""

    def __init__(self, rows: list[Row], *, seal: bool = True) -> None:
        # Without sealing (a dry run) personal data is compared by hash but never encrypted.
        self.seal = seal
        self.changes = {kind: Changes() for kind in KINDS}
        self._load(rows)
        for row in rows:
            self._apply(row)

    # --- loading ------------------------------------------------------------------------------

    def _load(self, rows: list[Row]) -> None:
        community_ids = {row.community.pk for row in rows}
        wanted = {(row.community.pk, row.compound) for row in rows}
        self.compounds = {
            (c.community_id, c.name): c
            for c in Compound.objects.filter(community_id__in=community_ids)
            if (c.community_id, c.name) in wanted
        }
        ckey = {c.pk: key for key, c in self.compounds.items()}
        compound_ids = list(ckey)
        self.buildings = {
            (*ckey[b.compound_id], b.name): b for b in Building.objects.filter(compound_id__in=compound_ids)
        }
        bkey = {b.pk: key for key, b in self.buildings.items()}
        self.entrances = {
            (*bkey[e.building_id], e.name): e
            for e in Entrance.objects.filter(building__compound_id__in=compound_ids)
        }
        ekey = {e.pk: key for key, e in self.entrances.items()}
        # Through the entrances, not the denormalised compound: the keys are built from them.
        under = {"entrance__building__compound_id__in": compound_ids}
        self.dwellings: dict[DwellingKey, Dwelling] = {
            (*ekey[d.entrance_id], d.number): d for d in Dwelling.objects.filter(**under)
        }
        dkey = {d.pk: key for key, d in self.dwellings.items()}
        households = Household.objects.filter(label="", **{f"dwelling__{k}": v for k, v in under.items()})
        self.households = {dkey[h.dwelling_id]: h for h in households}
        hkey = {h.pk: key for key, h in self.households.items()}
        current = Residency.objects.filter(household__in=households, end_date__isnull=True)
        self.persons: dict[int, Person] = {
            p.pk: p for p in Person.objects.filter(pk__in=current.values("person_id"))
        }
        self.residencies = {(r.person_id, r.household_id): r for r in current}
        self.residents: dict[tuple[DwellingKey, str], Person] = {}
        for r in sorted(self.residencies.values(), key=lambda r: -r.person_id):
            r.person = self.persons[r.person_id]  # for the change log's description, without a query
            self.residents[(hkey[r.household_id], r.person.name)] = r.person
        self.by_id_hash: dict[str, Person] = {}
        for person in sorted(self.persons.values(), key=lambda p: -p.pk):
            if person.id_number_hash:
                self.by_id_hash[person.id_number_hash] = person
        # People of the file who live elsewhere so far (or nowhere yet).
        hashes = sorted({row.id_hash for row in rows if row.id_hash} - self.by_id_hash.keys())
        for chunk in _chunks(hashes, CHUNK):
            for person in Person.objects.filter(id_number_hash__in=chunk).order_by("-pk"):
                person = self.persons.setdefault(person.pk, person)  # one instance per person
                self.by_id_hash[person.id_number_hash] = person

    # --- matching -----------------------------------------------------------------------------

    def _apply(self, row: Row) -> None:
        household = self._household(row)
        person = self._person(row, household)
        residency = None
        if person.pk is not None and household.pk is not None:
            residency = self.residencies.get((person.pk, household.pk))
        changes = self.changes["residency"]
        if residency is None:
            residency = Residency(person=person, household=household, relation=row.relation)
            changes.created.append(residency)
            if person.pk is not None and household.pk is not None:
                self.residencies[(person.pk, household.pk)] = residency
            return
        changes.touch(residency)
        if residency.relation != row.relation:
            residency.relation = row.relation
            changes.change(residency, "relation")

    def _get(self, kind: str, store: dict[Any, Any], key: Any, make: Any) -> Any:
        obj = store.get(key)
        if obj is None:
            obj = store[key] = make()
            self.changes[kind].created.append(obj)
        elif obj.pk is not None:
            self.changes[kind].touch(obj)
        return obj

    def _household(self, row: Row) -> Household:
        community = row.community
        ckey = (community.pk, row.compound)
        compound = self._get(
            "compound",
            self.compounds,
            ckey,
            lambda: Compound(
                community=community, name=row.compound, management_mode=ManagementMode.UNMANAGED
            ),
        )
        bkey = (*ckey, row.building)
        building = self._get(
            "building", self.buildings, bkey, lambda: Building(compound=compound, name=row.building)
        )
        ekey = (*bkey, row.entrance)
        entrance = self._get(
            "entrance", self.entrances, ekey, lambda: Entrance(building=building, name=row.entrance)
        )
        dkey = row.dwelling_key
        dwelling = self._get(
            "dwelling",
            self.dwellings,
            dkey,
            lambda: Dwelling(entrance=entrance, compound=compound, number=row.dwelling),
        )
        self._update_dwelling(dwelling, row)
        return self._get("household", self.households, dkey, lambda: Household(dwelling=dwelling, label=""))

    def _update_dwelling(self, dwelling: Dwelling, row: Row) -> None:
        changes = self.changes["dwelling"]
        for name, area in (row.areas or {}).items():
            if getattr(dwelling, name) != area:
                setattr(dwelling, name, area)
                changes.change(dwelling, name)
        if row.grid is not None and dwelling.grid_id != row.grid.pk:
            dwelling.grid = row.grid
            changes.change(dwelling, "grid")

    def _person(self, row: Row, household: Household) -> Person:
        key = (row.dwelling_key, row.name)
        person = None
        if row.id_hash:
            person = self.by_id_hash.get(row.id_hash)
            if person is None:
                # Someone imported earlier without an ID number gets it now instead of a twin.
                namesake = self.residents.get(key)
                person = namesake if namesake is not None and not namesake.id_number_hash else None
        else:
            person = self.residents.get(key)
        if person is None:
            person = Person(name=row.name, owner_kind=OwnerKind.INDIVIDUAL)
            self.changes["person"].created.append(person)
        elif person.pk is not None:
            self.changes["person"].touch(person)
        self._update_person(person, row)
        self.residents[key] = person
        if row.id_hash:
            self.by_id_hash[row.id_hash] = person
        return person

    def _update_person(self, person: Person, row: Row) -> None:
        changes = self.changes["person"]
        values = {
            "name": row.name,
            "owner_kind": row.owner_kind,
            "birth_date": row.birth_date,
            "is_party_member": row.is_party_member,
        }
        for name, value in values.items():
            if value is not None and getattr(person, name) != value:
                setattr(person, name, value)
                changes.change(person, name)
        if row.phone and person.phone_hash != row.phone_hash:
            if self.seal:
                person.set_phone(row.phone)
            else:
                person.phone_hash = row.phone_hash
            changes.change(person, *PHONE_FIELDS)
        if row.id_number and person.id_number_hash != row.id_hash:
            if self.seal:
                person.set_id_number(row.id_number)
            else:
                person.id_number_hash = row.id_hash
            changes.change(person, *ID_FIELDS)

    # --- results ------------------------------------------------------------------------------

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """Per kind: (created, updated, unchanged)."""
        return {k: (len(c.created), len(c.updated), c.unchanged) for k, c in self.changes.items()}

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.changes.values())

    def write(self) -> None:
        """Store everything and record it in the change log. Call inside a transaction."""
        for kind, model in KINDS.items():
            changes = self.changes[kind]
            if changes.created:
                model._default_manager.bulk_create(changes.created, batch_size=2000)
        for kind, model in KINDS.items():
            changes = self.changes[kind]
            if changes.updated:
                objs = list(changes.updated.values())
                model._default_manager.bulk_update(objs, sorted(changes.fields), batch_size=500)
        for kind in KINDS:
            changes = self.changes[kind]
            bulk_record(AuditEntry.Action.CREATE, changes.created)
            bulk_record(AuditEntry.Action.UPDATE, changes.updated.values())


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
