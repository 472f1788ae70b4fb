"""Notifications: stored in the in-app centre inside the caller's transaction, then sent over the external
channels (email through Django's email backend, SMS through a small provider interface) once it commits.

Channels are pluggable: settings.GUANJIA_NOTIFY_CHANNELS lists dotted paths of Channel classes."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from guanjia.core import rows
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
    stored = [
        Notification(user_id=m.user_id, kind=m.kind, title=m.title[:200], body=m.body, url=m.url[:200])
        for m in messages
        if m.user_id is not None
    ]
    if not stored:
        return []
    rows.insert(*stored)
    transaction.on_commit(wake_delivery)
    return stored


class _Wakeup:
    """Asks for one delivery job per `GUANJIA_NOTIFY_BATCH_SECONDS` at most from this process. The job
    works through the whole outbox, so a burst of commits shares one job instead of paying a queue write,
    a job start and a query per notification (about a fifth of a submission's CPU when it did)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed = False

    def __call__(self) -> None:
        from huey.contrib.djhuey import HUEY

        delay = float(settings.GUANJIA_NOTIFY_BATCH_SECONDS)
        if delay <= 0 or HUEY.immediate:
            enqueue_delivery()
            return
        with self._lock:
            if self._armed:
                return  # a job is already asked for and will find this notification in the outbox
            self._armed = True
        # Not a daemon: a command that exits right after its commit still hands over its job.
        threading.Timer(delay, self._fire).start()

    def _fire(self) -> None:
        with self._lock:
            self._armed = False
        enqueue_delivery()

    def reset(self) -> None:
        """After fork: the child starts with no timer of its own."""
        self._lock = threading.Lock()
        self._armed = False


wake_delivery = _Wakeup()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=wake_delivery.reset)


def enqueue_delivery() -> None:
    from guanjia.core.tasks import deliver_notifications

    deliver_notifications()


def deliver_pending(batch: int = 200) -> int:
    """Send the outbox (notifications not yet dispatched) over each channel; returns sends. A job that
    was lost (a crash before it ran) is made up by the minutely sweep, which calls this too."""
    sent = 0
    configured = channels()
    while True:
        pending = list(
            Notification.objects.filter(dispatched_at__isnull=True)
            .select_related("user__person")
            .order_by("id")[:batch]
        )
        for notification in pending:
            sent += _send(notification, configured)
        ids = [n.pk for n in pending]
        Notification.objects.filter(pk__in=ids).update(dispatched_at=timezone.now())
        if len(pending) < batch:
            return sent


def _send(notification: Notification, configured: list[Channel]) -> int:
    """Send one notification over each channel at most once: a Delivery row is claimed before sending, so
    two jobs that picked up the same notification (or a retry) never send twice."""
    sent = 0
    for channel in configured:
        try:
            address = channel.address(notification)
        except Exception:  # one bad address must not hold up the outbox behind it
            logger.exception("notification %s: no address for %s", notification.pk, channel.name)
            continue
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
