"""A kept PostgreSQL connection that the server has dropped is noticed before a request uses it, without
a query: a request after a database restart reconnects instead of failing."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

# Transactional, so a killed connection spoils no outer test transaction; serialized_rollback like the
# project's other transactional tests, which need the rows data migrations wrote restored after a flush.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend only"),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def kill(pid: int) -> None:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_live_connection_is_usable_and_the_check_sends_no_query(monkeypatch):
    backend_pid()

    def no_query(*args, **kwargs):
        raise AssertionError("the health check sent a query")

    monkeypatch.setattr(connection.connection, "cursor", no_query)
    monkeypatch.setattr(connection.connection, "execute", no_query)
    assert connection.is_usable()


def test_a_connection_the_server_dropped_is_unusable_and_the_next_request_reconnects():
    pid = backend_pid()
    kill(pid)
    for _ in range(50):  # the server's goodbye reaches the socket within milliseconds
        if not connection.is_usable():
            break
        time.sleep(0.02)
    assert not connection.is_usable()

    connection.close_if_unusable_or_obsolete()  # what Django does when a request starts
    assert backend_pid() != pid  # a fresh connection, and the query ran


def test_a_failed_transaction_makes_the_connection_unusable():
    backend_pid()
    raw = connection.connection
    raw.autocommit = False
    with pytest.raises(psycopg.Error):
        raw.execute("SELECT 1/0")
    assert not connection.is_usable()
    raw.rollback()
    raw.autocommit = True
    assert connection.is_usable()
