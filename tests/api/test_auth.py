"""Token auth: issue, use, expiry, revoke; bad credentials; what counts as unauthenticated."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.test import Client
from django.utils import timezone

from guanjia.core import tokens
from guanjia.core.audit import current_actor
from guanjia.core.models import ApiToken
from tests.api.conftest import API, ApiClient, error_of
from tests.factories import PASSWORD


def issue(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_login_gives_a_token_that_works_and_expires_after_the_configured_days(world, settings):
    # given
    settings.API_TOKEN_TTL_DAYS = 7
    # when
    response = issue(Client(), "alice")
    # then
    assert response.status_code == 200
    data = response.json()
    expires = dt.datetime.fromisoformat(data["expires_at"])
    assert expires.utcoffset() is not None
    assert abs(expires - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    me = ApiClient(data["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == "alice"


def test_only_a_hash_of_the_token_is_stored(world):
    token = issue(Client(), "alice").json()["token"]
    record = ApiToken.objects.get(user=world.user("alice"))
    assert record.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_wrong_password_and_unknown_user_get_the_same_401(world):
    wrong = issue(Client(), "alice", "not-the-password")
    unknown = issue(Client(), "nobody-here", "whatever")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        error_of(wrong) == error_of(unknown) == {"code": "invalid_credentials", "message": "用户名或密码错误"}
    )
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token_and_loses_existing_ones(world):
    alice = world.user("alice")
    token = tokens.token_issue(user=alice).token
    alice.is_active = False
    alice.save()
    assert issue(Client(), "alice").status_code == 401
    assert ApiClient(token).get("/me").status_code == 401


def test_expired_token_is_refused(world):
    token = tokens.token_issue(user=world.user("alice")).token
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = ApiClient(token).get("/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_revoked_token_stops_working_and_others_keep_working(world):
    first = tokens.token_issue(user=world.user("alice")).token
    second = tokens.token_issue(user=world.user("alice")).token
    assert ApiClient(first).delete("/auth/token").status_code == 204
    assert ApiClient(first).get("/me").status_code == 401
    assert ApiClient(second).get("/me").status_code == 200


def test_revoking_needs_a_token(world):
    assert error_of(ApiClient().delete("/auth/token"))["code"] == "unauthenticated"
    assert world.client("alice").delete(f"{API}/auth/token").status_code == 401


def test_missing_or_garbage_token_is_401_json(world):
    for header in (None, "Bearer", "Bearer nonsense", "Bearer gj_forged", "Token abc", "Basic YWxpY2U6eA=="):
        client = Client()
        headers = {"Authorization": header} if header else {}
        response = client.get(f"{API}/compounds", headers=headers)
        assert response.status_code == 401, header
        assert error_of(response) == {"code": "unauthenticated", "message": "请先登录或提供有效的令牌"}


def test_a_bad_token_is_refused_even_beside_a_valid_session(world):
    client = world.client("alice")
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer gj_forged"})
    assert response.status_code == 401


def test_logged_in_session_may_read(world):
    response = world.client("alice").get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.login(username="grid1", password=PASSWORD)
    response = client.post(f"{API}/persons/{world.people['alice'].pk}/reveal", "{}", "application/json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    issued = tokens.token_issue(user=world.user("alice"))
    assert tokens.token_verify(issued.token) is not None
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only, no UPDATE
        tokens.token_verify(issued.token)
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    tokens.token_verify(issued.token)
    assert ApiToken.objects.get().last_used_at > first - dt.timedelta(minutes=2)


def test_requests_run_with_the_caller_as_audit_actor(world, api, monkeypatch):
    seen = []
    from guanjia.places import selectors

    real = selectors.coverage

    def spy(compounds):  # type: ignore[no-untyped-def]
        seen.append(current_actor())
        return real(compounds)

    monkeypatch.setattr(selectors, "coverage", spy)
    assert api("cadre1").get("/coverage").status_code == 200
    assert seen[0].user == world.user("cadre1")
    assert seen[0].via == "api"
