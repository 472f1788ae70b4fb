"""Latency of the KPI endpoint and the staff queue on a database filled by bench.generate_appeals.

    .venv/bin/python -m bench.bench_appeals_queries [--runs 30] [--only queue]

In-process (Django's test client, the whole request stack without the socket), with bearer tokens of
the generated accounts: `GET /api/v1/kpis/appeals` for community 1 and last month (as its secretary and
as the admin, and with `by=grid_worker`), the report page, and the staff queue `GET /api/v1/appeals` as
each staff member opens it: the open appeals of the community (secretary), of two compounds (cadre),
`mine=1` (grid worker of grid 1), each with `overdue=1`, and the grid worker's whole grid. Prints median
and p95 in milliseconds, how many appeals are in the database and in the community-month, and how many
each queue holds. `--only` keeps the cases whose name contains the word."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

from bench.generate_appeals import setup_django


def timed(call: Any, runs: int) -> dict[str, float]:
    for _ in range(3):
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    args = parser.parse_args(argv)
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from guanjia.appeals import kpis
    from guanjia.appeals.models import Appeal
    from guanjia.core import tokens
    from guanjia.places.models import Community

    community = Community.objects.order_by("pk").first()
    assert community is not None, "run bench.generate_appeals first"
    last_month = kpis.Period.month(timezone.localdate().replace(day=1) - timezone.timedelta(days=1))
    period = {"from": f"{last_month.first_day}", "to": f"{last_month.last_day + timezone.timedelta(days=1)}"}
    users = get_user_model().objects
    bearer = {
        name: tokens.token_issue(user=users.get(username=name)).token
        for name in ("bench-secretary", "bench-admin", "bench-grid", "bench-cadre")
    }
    client = Client()

    def get(who: str, path: str, **params: Any) -> Any:
        def call() -> Any:
            response = client.get(
                path, params, HTTP_AUTHORIZATION=f"Bearer {bearer[who]}", HTTP_HOST="127.0.0.1"
            )
            assert response.status_code == 200, response.content[:300]
            return response

        return call

    scope = f"community:{community.pk}"
    session = Client()
    session.force_login(users.get(username="bench-secretary"))
    cases = {
        "kpis community-month (secretary)": get(
            "bench-secretary", "/api/v1/kpis/appeals", scope=scope, **period
        ),
        "kpis community-month (admin)": get("bench-admin", "/api/v1/kpis/appeals", scope=scope, **period),
        "kpis community-month + grid-worker ranking": get(
            "bench-secretary", "/api/v1/kpis/appeals", scope=scope, by="grid_worker", **period
        ),
        "queue mine=1 (grid worker)": get("bench-grid", "/api/v1/appeals", mine="1"),
        "queue mine=1 overdue=1 (grid worker)": get("bench-grid", "/api/v1/appeals", mine="1", overdue="1"),
        "queue open, community (secretary)": get("bench-secretary", "/api/v1/appeals"),
        "queue overdue=1, community (secretary)": get("bench-secretary", "/api/v1/appeals", overdue="1"),
        "queue open, compounds (cadre)": get("bench-cadre", "/api/v1/appeals"),
        "queue overdue=1, compounds (cadre)": get("bench-cadre", "/api/v1/appeals", overdue="1"),
        "queue open, whole grid (grid worker)": get("bench-grid", "/api/v1/appeals"),
        "queue overdue=1, whole grid (grid worker)": get("bench-grid", "/api/v1/appeals", overdue="1"),
        "report page community-month (secretary)": lambda: session.get(
            "/reports/appeals/",
            {"scope": scope, "from": period["from"], "to": f"{last_month.last_day}"},
            HTTP_HOST="127.0.0.1",
        ),
    }
    results = {name: timed(call, args.runs) for name, call in cases.items() if args.only in name}
    held = {name: cases[name]().json()["count"] for name in results if name.startswith("queue")}
    in_month = Appeal.objects.filter(
        compound__community=community, submitted_at__gte=last_month.start, submitted_at__lt=last_month.end
    ).count()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "appeals": Appeal.objects.count(),
                "community_month_appeals": in_month,
                "period": period,
                "results": results,
                "queue_counts": held,
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
