"""SQLite writers queue on a file lock (guanjia.core.sqlite), not in SQLite's sleeping busy handler.

Each test opens its own connections to a database file of its own, with SQLite's busy timeout at zero:
without the file lock, a second writer would fail at once with "database is locked"."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from guanjia.core.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the file lock is POSIX-only")


def connect(path: Path) -> DatabaseWrapper:
    wrapper = DatabaseWrapper(
        {
            "NAME": str(path),
            "ENGINE": "guanjia.core.sqlite",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 0},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "TEST": {},
        }
    )
    wrapper.ensure_connection()
    return wrapper


def begin(wrapper: DatabaseWrapper) -> None:
    # What transaction.atomic() does on entry: BEGIN IMMEDIATE, here after the file lock.
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def finish(wrapper: DatabaseWrapper, *, commit: bool = True) -> None:
    wrapper.commit() if commit else wrapper.rollback()
    wrapper.set_autocommit(True)


@pytest.fixture(autouse=True)
def _own_connections(django_db_blocker):
    # These connections are the test's own, to its own file: not the test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "w.sqlite3"
    setup = connect(path)
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE t (n INTEGER)")
    setup.close()
    return path


def second_writer(path: Path, log: list[str]) -> threading.Thread:
    def run() -> None:
        other = connect(path)
        begin(other)
        log.append("second in")
        with other.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        finish(other)
        other.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_second_writer_waits_for_the_first_to_commit_and_then_gets_in(db_file):
    first = connect(db_file)
    begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    log: list[str] = []
    thread = second_writer(db_file, log)
    time.sleep(0.2)
    assert log == []  # queued on the lock, not failed with "database is locked"
    finish(first)
    thread.join(timeout=5)
    assert log == ["second in"]
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]
    first.close()


def test_a_rolled_back_writer_lets_the_next_one_in(db_file):
    first = connect(db_file)
    begin(first)
    log: list[str] = []
    thread = second_writer(db_file, log)
    time.sleep(0.1)
    finish(first, commit=False)
    thread.join(timeout=5)
    assert log == ["second in"]
    first.close()


def test_closing_a_connection_inside_a_transaction_releases_the_lock(db_file):
    first = connect(db_file)
    begin(first)
    first.close()
    log: list[str] = []
    second_writer(db_file, log).join(timeout=5)
    assert log == ["second in"]
