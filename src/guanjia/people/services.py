"""Writes about people. Reading a full ID or phone number is a write too: it is logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from guanjia.core import pii
from guanjia.core.models import PiiAccessLog
from guanjia.people import permissions as perms
from guanjia.people.models import Person

REVEALABLE = {"phone": "phone_enc", "id_number": "id_number_enc"}


@transaction.atomic
def person_reveal(
    *,
    user: Any,
    person: Person,
    fields: tuple[str, ...] = ("phone", "id_number"),
    via: str,
    purpose: str = "",
) -> dict[str, str]:
    """The full values of a person's personal data, if the caller's role needs them; each read logged.

    Raises PermissionDenied (and logs nothing) when the caller may only see masked values."""
    unknown = set(fields) - set(REVEALABLE)
    if unknown:
        raise ValueError(f"unknown personal-data field: {sorted(unknown)}")
    scope = perms.scope_for(user)
    perms.require(
        all(perms.can_unmask(scope, person.pk, f) for f in fields), "无权查看完整的证件号码或手机号"
    )
    values = {f: pii.decrypt(getattr(person, REVEALABLE[f])) for f in fields}
    PiiAccessLog.objects.bulk_create(
        [
            PiiAccessLog(actor=user, person=person, field=f, via=via, purpose=purpose[:200])
            for f, v in values.items()
            if v
        ]
    )
    return values


def masked_contact(person: Person) -> dict[str, str]:
    return {"phone": person.phone_masked, "id_number": person.id_number_masked}
