"""A per-process memo for the registry rows every appeal submission reads: the category, the dwelling
and its compound, who routing picks, the people involved.

These rows change a few times a day and are read hundreds of times a second; each read was a statement
(about a fifth of a millisecond of CPU between Python and PostgreSQL, six of them per submission). A
memo keeps an answer for `ttl` seconds at most. It forgets everything at once when a model it depends on
is saved or deleted in this process (at once and again when that transaction commits); another process
picks the change up within `ttl`. So a registry change reaches routing within seconds, everywhere.

Memoised values are shared between threads and requests: treat them as read-only."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

V = TypeVar("V")

_ALL: list[Memo[Any]] = []


class Memo(Generic[V]):
    def __init__(self, name: str, *, depends_on: list[str], ttl: float = 10.0, size: int = 20_000) -> None:
        self.name, self.ttl, self.size = name, ttl, size
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._lock = threading.Lock()
        for label in depends_on:
            for signal in (post_save, post_delete):
                signal.connect(self._changed, sender=label, weak=False, dispatch_uid=f"memo-{name}-{label}")
        _ALL.append(self)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # bounded; the hot part refills in a moment
            self._entries[key] = (now + self.ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _changed(self, **kwargs: Any) -> None:
        # Now, and after commit: a request that reloaded the old row in between must not keep it.
        self.clear()
        transaction.on_commit(self.clear, using=kwargs.get("using"))


def clear_all() -> None:
    """Forget every memo of this process (tests start from a clean slate)."""
    for memo in _ALL:
        memo.clear()
