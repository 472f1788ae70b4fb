"""Notifications: stored in the in-app centre inside the caller's transaction, then sent over the external
channels (email through Django's email backend, SMS through a small provider interface) once it commits.

Channels are pluggable: settings.GUANJIA_NOTIFY_CHANNELS lists dotted paths of Channel classes."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from guanjia.core.models import Delivery, Notification

logger = logging.getLogger("guanjia.notify")


@dataclass(frozen=True)
class Message:
    user_id: int | None
    kind: str
    title: str
    body: str = ""
    url: str = ""


class Channel(Protocol):
    name: str

    def address(self, notification: Notification) -> str:
        """Where to send it ("" when the user has no address for this channel)."""
        ...

    def send(self, notification: Notification, address: str) -> None: ...


class EmailChannel:
    name = "email"

    def address(self, notification: Notification) -> str:
        return str(notification.user.email or "")

    def send(self, notification: Notification, address: str) -> None:
        send_mail(notification.title, f"{notification.body}\n{notification.url}".strip(), None, [address])


class SmsProvider(Protocol):
    def send_sms(self, phone: str, text: str) -> None: ...


class LoggingSmsProvider:
    """The default SMS provider writes to the log; a deployment plugs in its operator's API here."""

    def send_sms(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone[:3] + "****" + phone[-4:], text)


class SmsChannel:
    name = "sms"

    def __init__(self) -> None:
        self.provider: SmsProvider = import_string(settings.GUANJIA_SMS_PROVIDER)()

    def address(self, notification: Notification) -> str:
        from guanjia.core import pii

        person = getattr(notification.user, "person", None)
        return pii.decrypt(person.phone_enc) if person is not None and person.phone_enc else ""

    def send(self, notification: Notification, address: str) -> None:
        self.provider.send_sms(address, f"【管家】{notification.title}")


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.GUANJIA_NOTIFY_CHANNELS]


def notify(messages: Iterable[Message]) -> list[Notification]:
    """Store the notifications now (part of the caller's transaction); send externally after commit."""
    rows = [
        Notification(user_id=m.user_id, kind=m.kind, title=m.title[:200], body=m.body, url=m.url[:200])
        for m in messages
        if m.user_id is not None
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    transaction.on_commit(lambda: enqueue_delivery(ids))
    return created


def enqueue_delivery(ids: list[int]) -> None:
    from guanjia.core.tasks import deliver_notifications

    deliver_notifications(ids)


def deliver(ids: list[int]) -> int:
    """Send each notification over each channel at most once (a claimed Delivery row); returns sends."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids).select_related("user__person"):
        for channel in channels():
            address = channel.address(notification)
            if not address:
                continue  # nothing to send this way, so nothing to claim (and no write)
            try:
                with transaction.atomic():
                    delivery = Delivery.objects.create(notification=notification, channel=channel.name)
            except IntegrityError:
                continue  # claimed by an earlier attempt
            try:
                channel.send(notification, address)
            except Exception as exc:  # a channel failing must not stop the others
                logger.warning("notification %s over %s failed: %s", notification.pk, channel.name, exc)
                Delivery.objects.filter(pk=delivery.pk).update(error=str(exc)[:200])
                continue
            Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
            sent += 1
    return sent
