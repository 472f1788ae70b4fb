from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq

_SETTLED = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status not in _SETTLED:
            return False  # a failed transaction, or a query still running on it
        if not hasattr(select, "poll"):  # not POSIX: Django's own check
            return bool(super().is_usable())
        try:
            poller = select.poll()
            poller.register(connection.fileno(), select.POLLIN)
            pending = poller.poll(0)
        except (OSError, ValueError):
            return False
        return not pending  # the server spoke unasked: it is closing this connection
