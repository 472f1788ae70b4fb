"""Notifications reach the in-app centre at once and go out by email and SMS after commit, each at most
once per channel: a delivery is claimed before it is sent, so a retried job never sends twice."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from guanjia.core import notify
from guanjia.core.models import Delivery, Notification

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []


class RecordingSms:
    def send_sms(self, phone: str, text: str) -> None:
        SENT.append((phone, text))


class BrokenSms:
    def send_sms(self, phone: str, text: str) -> None:
        raise ConnectionError("operator down")


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.GUANJIA_SMS_PROVIDER = "tests.core.test_notify.RecordingSms"
    SENT.clear()


def reachable(world, name="alice", email="alice@example.org", phone="13800138000"):
    user = world.user(name)
    user.email = email
    user.save()
    user.person.set_phone(phone)
    user.person.save()
    return user


def tell(user, title="新诉求待受理"):
    return notify.notify([notify.Message(user_id=user.pk, kind="appeal", title=title, url="/appeals/1/")])


def test_a_notification_goes_out_by_email_and_sms_once_the_transaction_commits(
    world, django_capture_on_commit_callbacks
):
    user = reachable(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (stored,) = tell(user)
        assert Notification.objects.filter(user=user, title="新诉求待受理").exists()  # in the centre at once
        assert mail.outbox == [] and SENT == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert SENT == [("13800138000", "【管家】新诉求待受理")]
    channels = Delivery.objects.filter(notification=stored).values_list("channel", flat=True)
    assert set(channels) == {"email", "sms"}
    assert not Delivery.objects.filter(notification=stored, sent_at__isnull=True).exists()


def test_delivering_again_sends_nothing_twice(world, django_capture_on_commit_callbacks):
    user = reachable(world)
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = tell(user)
    assert Notification.objects.get(pk=stored.pk).dispatched_at is not None  # out of the outbox
    # A job that sent but crashed before marking it leaves it in the outbox; the next run finds it claimed.
    Notification.objects.filter(pk=stored.pk).update(dispatched_at=None)
    assert notify.deliver_pending() == 0
    assert len(mail.outbox) == 1 and len(SENT) == 1
    assert Notification.objects.get(pk=stored.pk).dispatched_at is not None


def test_a_lost_delivery_job_is_made_up_by_the_minutely_sweep(world, django_capture_on_commit_callbacks):
    from guanjia.core.tasks import sweep_notifications

    user = reachable(world)
    with django_capture_on_commit_callbacks(execute=False):  # the process died before its job was queued
        (stored,) = tell(user)
    assert mail.outbox == [] and Notification.objects.get(pk=stored.pk).dispatched_at is None
    sweep_notifications.call_local()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]] and len(SENT) == 1
    assert Notification.objects.get(pk=stored.pk).dispatched_at is not None


def test_the_outbox_is_worked_through_in_batches(world, django_capture_on_commit_callbacks):
    names = ["alice", "bob", "grid1", "cadre1", "secretary"]
    users = [reachable(world, name=n, email=f"{n}@example.org") for n in names]
    with django_capture_on_commit_callbacks(execute=False):
        for user in users:
            tell(user)
    assert notify.deliver_pending(batch=2) == 10  # email and SMS for each of five
    assert not Notification.objects.filter(dispatched_at__isnull=True).exists()


def test_a_channel_that_cannot_read_an_address_does_not_block_the_outbox(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    user = reachable(world)

    def broken(self, notification):
        raise ValueError("undecryptable phone")

    monkeypatch.setattr(notify.SmsChannel, "address", broken)
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = tell(user)
    assert len(mail.outbox) == 1 and SENT == []
    assert Notification.objects.get(pk=stored.pk).dispatched_at is not None


def test_a_burst_of_commits_asks_for_one_delivery_job(settings, monkeypatch):
    from huey.contrib.djhuey import HUEY

    settings.GUANJIA_NOTIFY_BATCH_SECONDS = 0.05
    monkeypatch.setattr(HUEY, "immediate", False)
    asked: list[float] = []
    monkeypatch.setattr(notify, "enqueue_delivery", lambda: asked.append(time.monotonic()))
    wake = notify._Wakeup()
    for _ in range(50):
        wake()
    time.sleep(0.3)
    assert len(asked) == 1  # fifty commits, one job for the outbox
    wake()
    time.sleep(0.3)
    assert len(asked) == 2  # a later commit asks again


def test_a_user_without_email_or_phone_gets_the_in_app_notice_and_no_delivery_rows(
    world, django_capture_on_commit_callbacks
):
    user = reachable(world, email="", phone="")
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = tell(user)
    assert Notification.objects.filter(pk=stored.pk).exists()
    assert mail.outbox == [] and SENT == []
    assert not Delivery.objects.filter(notification=stored).exists()


def test_a_failing_channel_is_recorded_and_does_not_stop_the_others(
    world, settings, django_capture_on_commit_callbacks
):
    settings.GUANJIA_SMS_PROVIDER = "tests.core.test_notify.BrokenSms"
    user = reachable(world)
    with django_capture_on_commit_callbacks(execute=True):
        (stored,) = tell(user)
    assert len(mail.outbox) == 1
    failed = Delivery.objects.get(notification=stored, channel="sms")
    assert failed.sent_at is None and "operator down" in failed.error
