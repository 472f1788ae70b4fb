"""With REDIS_URL set (production, and CI's PostgreSQL run), the cache and the job queue use Redis."""

from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis tests skipped"
)


def test_cache_round_trips_through_redis():
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    key = f"guanjia-test-{uuid.uuid4()}"
    cache.set(key, {"小区": 131}, timeout=10)
    assert cache.get(key) == {"小区": 131}
    cache.delete(key)


def test_job_queue_is_redis_backed():
    from huey.contrib.djhuey import HUEY

    assert type(HUEY).__name__ == "RedisHuey"
    HUEY.immediate = False  # tests run jobs inline (memory storage); look at the real queue storage
    try:
        assert HUEY.storage.conn.ping()
    finally:
        HUEY.immediate = True
