"""Consultations over the API: open, answer online and door to door, progress by building and grid, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from tests.api.conftest import error_of


def test_a_consultation_end_to_end(api: Any, world: Any) -> None:
    created = api("committee").post(
        "/consultations",
        {
            "compound_id": world.sunshine.pk,
            "question": "是否同意成立业委会？",
            "closes_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
            "target_percent": "50",
        },
    )
    assert created.status_code == 201, created.content
    cid = created.json()["id"]
    roll = api("grid1").get(f"/consultations/{cid}/roll").json()
    assert roll["count"] == 2
    ok = api("alice").post(
        f"/consultations/{cid}/responses",
        {"dwelling_id": world.a101.pk, "party": "owner", "agrees": True, "origin": "online"},
    )
    assert ok.status_code == 201
    door = api("grid1").post(
        f"/consultations/{cid}/responses",
        {"dwelling_id": world.a102.pk, "party": "owner", "agrees": False, "origin": "door_to_door"},
    )
    assert door.status_code == 201
    progress = api("alice").get(f"/consultations/{cid}/result").json()
    assert progress["total"] == {
        "units": 2,
        "answered": 2,
        "consenting": 1,
        "rented": 0,
        "share": "1/2",
        "percent": "50.00",
    }
    assert progress["target_met"] and progress["by_grid"][0]["name"] == world.grid1.name
    closed = api("committee").post(f"/consultations/{cid}/close")
    assert closed.status_code == 200
    late = api("bob").post(
        f"/consultations/{cid}/responses",
        {"dwelling_id": world.a102.pk, "party": "owner", "agrees": True, "origin": "online"},
    )
    assert late.status_code == 409 and error_of(late)["code"] == "consultation_closed"


def test_strangers_see_nothing_and_residents_no_roll(api: Any, world: Any) -> None:
    cid = (
        api("committee")
        .post(
            "/consultations",
            {
                "compound_id": world.sunshine.pk,
                "question": "x",
                "closes_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
            },
        )
        .json()["id"]
    )
    assert api("carol").get(f"/consultations/{cid}").status_code == 404
    assert api("alice").get(f"/consultations/{cid}/roll").status_code == 403
    other = api("alice").post(
        f"/consultations/{cid}/responses",
        {"dwelling_id": world.a102.pk, "party": "owner", "agrees": True, "origin": "online"},
    )
    assert other.status_code == 404
