"""Writes to the place registry. Each function is one use case, in a transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from guanjia.core.audit import acting_as, current_actor
from guanjia.people.permissions import can_change_registry, require, scope_for
from guanjia.places.models import Compound, ManagementMode, ManagementModeChange


@transaction.atomic
def compound_set_management_mode(
    *, user: Any, compound: Compound, mode: str, effective_on: dt.date | None = None, reason: str = ""
) -> ManagementModeChange:
    """Change who is in charge of a compound, keeping the dated history."""
    require(can_change_registry(scope_for(user), compound.community_id), "无权修改该小区的管理模式")
    ManagementMode(mode)  # unknown modes raise ValueError before anything is written
    effective_on = effective_on or timezone.localdate()
    compound = Compound.objects.select_for_update().get(pk=compound.pk)
    change = ManagementModeChange.objects.create(
        compound=compound,
        from_mode=compound.management_mode,
        to_mode=mode,
        effective_on=effective_on,
        reason=reason,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    latest = ManagementModeChange.objects.filter(compound=compound).order_by("-effective_on", "-id").first()
    if latest is not None and latest.pk == change.pk:
        compound.management_mode, compound.mode_since = mode, effective_on
        via = current_actor().via
        with acting_as(user, via=via, reason=reason):
            compound.save(update_fields=["management_mode", "mode_since"])
    return change
