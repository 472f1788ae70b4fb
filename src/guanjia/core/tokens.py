"""Bearer tokens for the JSON API.

The token itself is shown once, when issued; the database keeps only its SHA-256, so a leaked
database does not hand out working tokens. Tokens expire after settings.API_TOKEN_TTL_DAYS."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from guanjia.core.models import ApiToken

PREFIX = "gj_"
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Issued:
    token: str
    record: ApiToken

    @property
    def expires_at(self) -> dt.datetime:
        return self.record.expires_at


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_issue(*, user: Any) -> Issued:
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        key_hash=digest(token),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return Issued(token=token, record=record)


def token_verify(token: str) -> ApiToken | None:
    """The live token record (with its user loaded), or None if unknown, expired or the user is inactive."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(token), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    if record.last_used_at is None or record.last_used_at < now - TOUCH_INTERVAL:
        # Conditional, so concurrent requests in the same minute write once.
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL), pk=record.pk
        ).update(last_used_at=now)
        record.last_used_at = now
    return record


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


def tokens_revoke_all(*, user: Any) -> int:
    """Used when an account is disabled or its password changes."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted
