"""Django's SQLite backend, with writers queued on an operating-system file lock.

SQLite lets one writer in at a time (BEGIN IMMEDIATE, see settings). A writer that finds the database
locked waits in SQLite's busy handler, which sleeps in steps of up to 100 ms and checks again, so under
concurrent submissions the unlucky ones waited seconds while the lock sat free. Here every write
transaction first takes an exclusive `flock` on `<database>.writer-lock`, which the kernel hands to
the next waiter the moment the holder commits or rolls back. Each connection (one per thread) opens
its own descriptor, so threads of one process queue on it as well as processes do.

In-memory databases (the default test database) have one connection per process and need no lock."""

from __future__ import annotations

import os
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # not POSIX: SQLite's own busy handler is all there is
    fcntl = None  # type: ignore[assignment]


class DatabaseWrapper(base.DatabaseWrapper):
    # The hooks overridden below are private to Django's backends, so django-stubs doesn't list them.

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_held = False

    def _writer_lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if fcntl is None or self.is_in_memory_db() or not name:
            return None
        return name + ".writer-lock"

    def _take_writer_lock(self) -> None:
        if self._writer_held:
            return
        if self._writer_fd is None:
            path = self._writer_lock_path()
            if path is None:
                return
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writer_held = True

    def _release_writer_lock(self) -> None:
        if self._writer_held and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writer_held = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_writer_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_writer_lock()

    def _close(self) -> Any:
        self._release_writer_lock()
        if self._writer_fd is not None:
            os.close(self._writer_fd)
            self._writer_fd = None
        return super()._close()  # type: ignore[misc]
