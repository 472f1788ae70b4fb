from __future__ import annotations

import pytest
from django.db import connection


def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas only apply to SQLite")
def test_sqlite_runs_with_wal_and_a_busy_timeout(db, settings):
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
