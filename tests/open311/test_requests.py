"""GeoReport v2 service requests: POST files an appeal as the api_key's account through the same intake
as every face; GET shows what that account may see anywhere else, with the spec's filters and limits;
richer states map to open/closed with the detail in status_notes."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanjia.api.open311 import views
from guanjia.appeals.models import Appeal
from tests.appeals.conftest import do, file
from tests.open311.conftest import fields, json_of, xml_of

EAST, WEST = "140109001001", "140109002001"
NOISE = {"service_code": "noise", "address_string": "3号楼下", "description": "夜里装修很吵\n已经三天了"}
SPEC_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


# --- POST ----------------------------------------------------------------------------------------


def test_a_resident_posts_a_request_and_gets_its_id_at_once(world, georeport):
    response = georeport("alice").post("requests.xml", jurisdiction_id=EAST, **NOISE)
    assert response.status_code == 200, response.content
    root = xml_of(response)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    appeal = Appeal.objects.get()
    assert fields(request) == {
        "service_request_id": appeal.number,
        "service_notice": "已交grid1的姓名办理。即办件：2小时内响应，24小时内办结",
        "account_id": None,
    }
    assert (appeal.channel, appeal.household.dwelling, appeal.location) == ("open311", world.a101, "3号楼下")
    assert appeal.title == "夜里装修很吵"
    assert appeal.submitted_by == world.user("alice")


def test_json_answers_are_arrays(world, georeport):
    [reply] = json_of(georeport("alice").post("requests.json", **NOISE))
    assert reply["service_request_id"] == Appeal.objects.get().number
    assert reply["account_id"] is None


def test_a_missing_or_wrong_api_key_is_403_and_stores_nothing(world, georeport):
    response = georeport(None).post("requests.xml", **NOISE)
    assert response.status_code == 403
    assert xml_of(response).find("error").findtext("code") == "403"
    response = georeport(None).post("requests.json", api_key="gj_not-a-token", **NOISE)
    assert response.status_code == 403
    assert not Appeal.objects.exists()


def test_service_code_and_location_are_required(world, georeport):
    alice = georeport("alice")
    assert alice.post("requests.json", description="x", address_string="y").status_code == 400
    assert alice.post("requests.json", **{**NOISE, "service_code": "nope"}).status_code == 404
    [err] = json_of(alice.post("requests.json", service_code="noise", description="没有位置"))
    assert err["code"] == 400 and "address_string" in err["description"]
    assert alice.post("requests.json", **{**NOISE, "description": ""}).status_code == 400
    assert (
        alice.post("requests.json", service_code="noise", description="x", lat="abc", long="1").status_code
        == 400
    )
    assert not Appeal.objects.exists()


def test_coordinates_alone_are_kept_as_the_location(world, georeport):
    response = georeport("alice").post(
        "requests.json", service_code="noise", description="吵", lat="37.8", long="112.5"
    )
    assert response.status_code == 200, response.content
    assert Appeal.objects.get().location == "37.8,112.5"


def test_the_jurisdiction_must_exist_and_hold_the_residents_household(world, georeport):
    response = georeport("alice").post("requests.json", jurisdiction_id="140109009009", **NOISE)
    assert response.status_code == 404
    response = georeport("alice").post("requests.json", jurisdiction_id=WEST, **NOISE)
    assert response.status_code == 400
    assert "attribute[compound]" in json_of(response)[0]["description"]
    assert not Appeal.objects.exists()


def test_staff_file_on_behalf_with_a_compound_and_a_dwelling(world, georeport):
    response = georeport("grid1").post(
        "requests.json",
        **NOISE,
        **{"attribute[compound]": str(world.sunshine.pk), "address_id": str(world.a101.pk)},
    )
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.compound, appeal.dwelling) == ("phone", world.sunshine, world.a101)
    assert appeal.submitted_by == world.user("grid1")


def test_staff_stay_inside_their_scope_and_residents_cannot_file_for_a_compound(world, georeport):
    outside = {**NOISE, "attribute[compound]": str(world.rose.pk)}
    assert georeport("grid1").post("requests.json", **outside).status_code == 400
    mine = {**NOISE, "attribute[compound]": str(world.sunshine.pk)}
    assert georeport("alice").post("requests.json", **mine).status_code == 403
    bad_channel = {**mine, "attribute[channel]": "pigeon"}
    assert georeport("grid1").post("requests.json", **bad_channel).status_code == 400
    assert not Appeal.objects.exists()


def test_a_service_that_needs_a_photo_takes_it_as_media(world, georeport):
    alice = georeport("alice")
    sanitation = {**NOISE, "service_code": "sanitation"}
    [err] = json_of(alice.post("requests.json", **sanitation))
    assert err["description"].startswith("media：")
    photo = SimpleUploadedFile("bin.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    response = alice.post("requests.json", **sanitation, media=photo)
    assert response.status_code == 200, response.content
    assert Appeal.objects.get().photos.count() == 1


def test_an_idempotency_key_makes_a_retry_return_the_same_request(world, georeport):
    alice = georeport("alice")
    payload = {"api_key": alice.api_key, **NOISE}
    first = alice.client.post("/open311/v2/requests.json", payload, headers={"Idempotency-Key": "o-1"})
    again = alice.client.post("/open311/v2/requests.json", payload, headers={"Idempotency-Key": "o-1"})
    other = alice.client.post("/open311/v2/requests.json", payload, headers={"Idempotency-Key": "o-2"})
    assert json_of(first) == json_of(again) != json_of(other)
    assert Appeal.objects.count() == 2


# --- GET -----------------------------------------------------------------------------------------


def test_get_requests_shows_what_the_account_may_see_in_the_spec_shape(world, georeport):
    appeal = file(world, at=timezone.now())
    [row] = json_of(georeport("alice").get("requests.json"))
    assert list(row) == SPEC_FIELDS
    assert row["service_request_id"] == appeal.number
    assert (row["status"], row["status_notes"], row["service_code"]) == ("open", "待受理", "noise")
    assert row["address"] == "阳光小区，东社区，东街道"
    assert row["requested_datetime"].endswith("+08:00")
    assert row["lat"] is None and row["zipcode"] is None
    root = xml_of(georeport("grid1").get("requests.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [appeal.number]
    for who in ("bob", "grid2", "official2"):
        assert json_of(georeport(who).get("requests.json")) == []
    assert georeport(None).get("requests.json").status_code == 403


def test_richer_states_map_to_open_or_closed_with_notes(world, georeport):
    now = timezone.now()
    resolved = file(world, at=now)
    do(world, "grid1", resolved, "resolve", at=now, note="已劝导")
    rejected = file(world, at=now)
    do(world, "grid1", rejected, "reject", at=now, note="属司法程序")
    do(world, "cadre1", rejected, "approve_rejection", at=now)
    working = file(world, at=now)
    do(world, "grid1", working, "accept", at=now)
    rows = {r["service_request_id"]: r for r in json_of(georeport("grid1").get("requests.json"))}
    assert (rows[resolved.number]["status"], rows[resolved.number]["status_notes"]) == (
        "closed",
        "已办结待评价：已劝导",
    )
    assert (rows[rejected.number]["status"], rows[rejected.number]["status_notes"]) == (
        "closed",
        "不予受理：属司法程序",
    )
    assert (rows[working.number]["status"], rows[working.number]["status_notes"]) == ("open", "已受理")
    closed = json_of(georeport("grid1").get("requests.json", status="closed"))
    assert {r["service_request_id"] for r in closed} == {resolved.number, rejected.number}
    both = json_of(georeport("grid1").get("requests.json", status="open,closed"))
    assert len(both) == 3


def test_the_default_window_is_the_last_90_days_and_ids_override_it(world, georeport):
    now = timezone.now()
    old = file(world, at=now - dt.timedelta(days=100))
    new = file(world, "dispute", at=now - dt.timedelta(days=1))
    grid1 = georeport("grid1")
    assert [r["service_request_id"] for r in json_of(grid1.get("requests.json"))] == [new.number]
    start = (now - dt.timedelta(days=120)).isoformat()
    end = (now - dt.timedelta(days=60)).isoformat()
    ranged = json_of(grid1.get("requests.json", start_date=start, end_date=end))
    assert [r["service_request_id"] for r in ranged] == [old.number]
    by_id = json_of(grid1.get("requests.json", service_request_id=f"{old.number},{new.number}"))
    assert {r["service_request_id"] for r in by_id} == {old.number, new.number}
    by_code = json_of(grid1.get("requests.json", service_code="dispute,lighting"))
    assert [r["service_request_id"] for r in by_code] == [new.number]


def test_bad_filters_are_400(world, georeport):
    grid1 = georeport("grid1")
    too_long = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"}
    assert grid1.get("requests.json", **too_long).status_code == 400
    assert grid1.get("requests.json", start_date="yesterday").status_code == 400
    assert grid1.get("requests.json", status="pending").status_code == 400
    assert grid1.get("requests.json", jurisdiction_id="000000000000").status_code == 404


def test_at_most_1000_requests_come_back(world, georeport, monkeypatch):
    monkeypatch.setattr(views, "MAX_REQUESTS", 2)
    now = timezone.now()
    made = [file(world, at=now - dt.timedelta(hours=h)) for h in range(3)]
    rows = json_of(georeport("grid1").get("requests.json"))
    assert [r["service_request_id"] for r in rows] == [made[0].number, made[1].number]


def test_one_request_by_its_id_and_tokens_map_to_the_id(world, georeport):
    appeal = file(world)
    root = xml_of(georeport("alice").get(f"requests/{appeal.number}.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [appeal.number]
    response = georeport("bob").get(f"requests/{appeal.number}.xml")
    assert response.status_code == 404
    assert xml_of(response).find("error").findtext("code") == "404"
    [token] = json_of(georeport("alice").get(f"tokens/{appeal.number}.json"))
    assert token == {"service_request_id": appeal.number, "token": appeal.number}
    assert georeport("bob").get(f"tokens/{appeal.number}.json").status_code == 404


def test_jurisdiction_narrows_the_requests(world, georeport):
    appeal = file(world, at=timezone.now())
    admin = georeport("admin")
    assert [r["service_request_id"] for r in json_of(admin.get("requests.json", jurisdiction_id=EAST))] == [
        appeal.number
    ]
    assert json_of(admin.get("requests.json", jurisdiction_id=WEST)) == []
    assert admin.get(f"requests/{appeal.number}.json", jurisdiction_id=WEST).status_code == 404
