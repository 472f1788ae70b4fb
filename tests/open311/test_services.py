"""GeoReport v2 discovery, service list and service definitions, in the spec's XML and JSON shapes."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client

from guanjia.appeals.models import Category
from tests.open311.conftest import V2, fields, json_of, xml_of

EAST = "140109001001"  # street 140109001 + community 001


def test_discovery_names_the_v2_endpoint_and_both_formats(db):
    root = xml_of(Client().get("/open311/discovery.xml"))
    assert root.tag == "discovery"
    assert {child.tag for child in root} == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = root.find("endpoints").findall("endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.find("formats").findall("format")] == ["text/xml", "application/json"]
    doc = json_of(Client().get("/open311/discovery.json"))
    assert doc["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert doc["changeset"] == root.findtext("changeset")


def test_the_changeset_moves_when_a_category_is_edited_in_the_admin(world):
    before = json_of(Client().get("/open311/discovery.json"))["changeset"]
    noise = Category.objects.get(code="noise")
    LogEntry.objects.log_actions(
        world.user("admin").pk, [noise], CHANGE, change_message="改时限", single_object=True
    )
    after = json_of(Client().get("/open311/discovery.json"))["changeset"]
    assert after > before


def test_services_list_one_realtime_service_per_active_category(db):
    Category.objects.filter(code="other").update(active=False)
    root = xml_of(Client().get(f"{V2}/services.xml"))
    assert root.tag == "services"
    services = [fields(s) for s in root.findall("service")]
    assert len(services) == Category.objects.filter(active=True).count()
    noise = next(s for s in services if s["service_code"] == "noise")
    assert noise == {
        "service_code": "noise",
        "service_name": "噪音扰民",
        "description": "即办件：2小时内响应，24小时内办结",
        "metadata": "true",
        "type": "realtime",
        "keywords": "秩序,噪音扰民",
        "group": "秩序",
    }
    assert "other" not in {s["service_code"] for s in services}
    as_json = json_of(Client().get(f"{V2}/services.json"))
    assert isinstance(as_json, list)
    assert next(s for s in as_json if s["service_code"] == "noise")["metadata"] is True


def test_a_jurisdiction_must_exist_if_given(world):
    assert Client().get(f"{V2}/services.xml", {"jurisdiction_id": EAST}).status_code == 200
    response = Client().get(f"{V2}/services.json", {"jurisdiction_id": "999999999999"})
    assert response.status_code == 404
    [err] = json_of(response)
    assert err["code"] == 404 and "jurisdiction_id" in err["description"]


def test_a_service_definition_lists_its_optional_attributes(db):
    root = xml_of(Client().get(f"{V2}/services/noise.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "noise"
    attributes = root.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in attributes] == ["household", "compound", "channel", "title"]
    assert [a.findtext("order") for a in attributes] == ["1", "2", "3", "4"]
    assert {a.findtext("required") for a in attributes} == {"false"}
    channel = attributes[2]
    assert channel.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in channel.find("values").findall("value")] == [
        "phone",
        "visit",
        "walk_in",
    ]
    doc = json_of(Client().get(f"{V2}/services/noise.json"))
    assert doc["service_code"] == "noise"
    assert doc["attributes"][0]["datatype_description"] is None
    assert doc["attributes"][2]["values"][0] == {"key": "phone", "name": "电话"}


def test_an_unknown_service_is_a_404_in_the_spec_error_shape(db):
    response = Client().get(f"{V2}/services/no-such.xml")
    assert response.status_code == 404
    root = xml_of(response)
    assert root.tag == "errors"
    [error] = root.findall("error")
    assert error.findtext("code") == "404"
    assert "no-such" in error.findtext("description")


def test_unknown_paths_and_wrong_methods_answer_in_the_error_shape(db):
    response = Client().get(f"{V2}/nothing.json")
    assert response.status_code == 404
    assert json_of(response)[0]["code"] == 404
    assert xml_of(Client().get("/open311/whatever")).tag == "errors"
    response = Client().post(f"{V2}/services.xml")
    assert response.status_code == 400
    assert xml_of(response).find("error").findtext("code") == "400"


def test_an_unexpected_failure_is_still_in_the_error_shape(db, monkeypatch):
    from guanjia.api.open311 import shapes

    def boom(category):
        raise RuntimeError("bug")

    monkeypatch.setattr(shapes, "service", boom)
    response = Client().get(f"{V2}/services.json")
    assert response.status_code == 500
    assert json_of(response)[0]["code"] == 500
