"""The demo county, loaded once per test module inside a transaction rolled back after the module.

Each test still runs in its own savepoint (the usual `db` fixture), so tests cannot disturb each
other, and nothing of the demo is left for other modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from guanjia.demo.loader import LoadResult, load_demo

# The values tests/conftest.py sets per test; the module-wide load must use them too.
TEST_SETTINGS = {
    "PII_KEY": "test-key-not-secret",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LoadResult]:
    with django_db_blocker.unblock(), override_settings(**TEST_SETTINGS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
