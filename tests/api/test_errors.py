"""Every failure answers {"error": {"code", "message", "fields"?}} with the right status, in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError

from guanjia.api.errors import validation_fields
from tests.api.conftest import API, error_of


def test_bad_query_parameter_types_are_422_with_fields(world, api):
    response = api("secretary").get("/persons", limit="abc", compound="x")
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert error["message"] == "请求参数有误"
    assert {"field": "limit", "message": "应为整数"} in error["fields"]
    assert {"field": "compound", "message": "应为整数"} in error["fields"]


def test_limit_above_200_is_refused(world, api):
    error = error_of(api("official").get("/compounds", limit=201))
    assert error["fields"] == [{"field": "limit", "message": "不能大于 200"}]


def test_unknown_choice_lists_the_valid_ones(world, api):
    error = error_of(api("official").get("/compounds", mode="managed-somehow"))
    assert error["fields"][0]["field"] == "mode"
    assert "professional" in error["fields"][0]["message"]
    assert "or" not in error["fields"][0]["message"]


def test_invalid_phone_search_names_the_problem(world, api):
    error = error_of(api("grid1").get("/persons", phone="12345"))
    assert error["fields"] == [{"field": "phone", "message": "应为11位手机号或带区号的固定电话"}]


@pytest.mark.parametrize(
    ("limit", "english", "chinese"),
    [(1, "At least 1 character", "至少 1 个字符"), (2, "At least 2 characters", "至少 2 个字符")],
)
def test_a_length_limit_counts_in_english(limit, english, chinese):
    class Named(BaseModel):
        name: str = Field(min_length=limit)

    with pytest.raises(PydanticError) as caught:
        Named(name="")
    errors = caught.value.errors(include_url=False)
    with translation.override("en"):
        assert validation_fields(errors) == [{"field": "name", "message": english}]
    with translation.override("zh-hans"):
        assert validation_fields(errors) == [{"field": "name", "message": chinese}]


def test_missing_body_field_is_422(world):
    response = Client().post(f"{API}/auth/token", {"username": "alice"}, content_type="application/json")
    assert response.status_code == 422
    assert error_of(response)["fields"] == [{"field": "password", "message": "必填"}]


def test_malformed_json_is_400(world):
    response = Client().post(f"{API}/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_missing_and_hidden_objects_get_the_same_404(world, api):
    bob = api("bob")
    hidden = bob.get(f"/persons/{world.people['alice'].pk}")
    missing = bob.get("/persons/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert error_of(hidden) == {"code": "not_found", "message": "对象不存在或无权查看"}


def test_unknown_api_paths_are_json_404(world, api):
    for path in ("/no-such-thing", "/compounds/1/nothing", "/"):
        response = api("admin").get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_json_405(world, api):
    response = api("admin").delete("/compounds")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_permission_denied_is_403_with_its_message(world, api):
    response = api("property").post(f"/persons/{world.people['alice'].pk}/reveal")
    assert response.status_code == 403
    assert error_of(response) == {"code": "forbidden", "message": "无权查看完整的证件号码或手机号"}


def test_unexpected_failure_is_500_without_traceback(world, api, monkeypatch):
    from guanjia.places import selectors

    def broken(compounds):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "coverage", broken)
    response = api("official").get("/coverage")
    assert response.status_code == 500
    assert error_of(response) == {"code": "server_error", "message": "服务器内部错误，请稍后再试"}
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content
