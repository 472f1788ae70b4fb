"""Full numbers only on request, only for roles that need them, and every read is logged."""

from __future__ import annotations

from guanjia.core.models import PiiAccessLog


def reveal(client, person, field="phone"):
    return client.post(f"/people/{person.pk}/reveal/", {"field": field}, HTTP_HX_REQUEST="true")


def test_grid_worker_reveal_is_logged(world):
    alice = world.people["alice"]
    response = reveal(world.client("grid1"), alice)
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()
    log = PiiAccessLog.objects.get()
    assert (log.actor, log.person, log.field, log.via) == (world.user("grid1"), alice, "phone", "web")


def test_grid_worker_reveals_an_id_number(world):
    response = reveal(world.client("grid1"), world.people["alice"], field="id_number")
    assert "110101199003074514" in response.content.decode()
    assert PiiAccessLog.objects.get().field == "id_number"


def test_resident_reveals_own_number(world):
    response = reveal(world.client("alice"), world.people["alice"])
    assert "13812345678" in response.content.decode()
    assert PiiAccessLog.objects.filter(actor=world.user("alice")).count() == 1


def test_property_staff_sees_masked_phones_only_and_is_refused_the_full_one(world, alice_household):
    client = world.client("property")
    html = client.get(f"/households/{alice_household.pk}/").content.decode()
    assert "138****5678" in html
    assert "13812345678" not in html
    assert "显示完整号码" not in html
    response = reveal(client, world.people["alice"])
    assert response.status_code == 403
    assert response["X-Guanjia-Fragment"] == "1"  # shown in place of the button
    assert "13812345678" not in response.content.decode()
    assert not PiiAccessLog.objects.exists()


def test_outsider_gets_404_on_reveal_and_nothing_is_logged(world):
    for name in ("bob", "grid2", "official2"):
        assert reveal(world.client(name), world.people["alice"]).status_code == 404
    assert not PiiAccessLog.objects.exists()


def test_reveal_needs_post_and_a_known_field(world):
    client = world.client("grid1")
    assert client.get(f"/people/{world.people['alice'].pk}/reveal/").status_code == 405
    assert reveal(client, world.people["alice"], field="password").status_code == 404
    assert not PiiAccessLog.objects.exists()


def search(client, **params):
    return client.get("/residents/search/", params, HTTP_HX_REQUEST="true").content.decode()


def test_grid_worker_finds_alice_by_name_room_and_full_phone(world):
    client = world.client("grid1")
    grid = world.grid1.pk
    assert "alice的姓名" in search(client, q="alice", grid=grid)
    assert "alice的姓名" in search(client, q="101", grid=grid)
    by_phone = search(client, q="138 1234 5678", grid=grid)
    assert "alice的姓名" in by_phone and "bob的姓名" not in by_phone
    assert "alice的姓名" not in search(client, q="carol", grid=grid)


def test_other_grid_worker_does_not_find_alice(world):
    client = world.client("grid2")
    assert "alice的姓名" not in search(client, q="alice")
    assert "alice的姓名" not in search(client, q="alice", grid=world.grid1.pk)
    assert "alice的姓名" not in search(client, q="13812345678")
    assert "alice的姓名" not in client.get("/").content.decode()


def test_compound_search_is_scoped_too(world):
    assert "alice的姓名" in search(world.client("cadre1"), compound=world.sunshine.pk)
    assert "alice的姓名" not in search(world.client("cadre2"), compound=world.sunshine.pk)


def test_search_results_are_masked(world):
    html = search(world.client("grid1"), q="alice")
    assert "138****5678" in html and "13812345678" not in html
    assert "显示完整号码" in html


def test_resident_reveals_their_grid_workers_phone_from_the_home_page(world):
    from guanjia.core.models import PiiAccessLog

    grid1 = world.people["grid1"]
    grid1.set_phone("13566667777")
    grid1.save()
    client = world.client("alice")
    assert f"/people/{grid1.pk}/reveal/" in client.get("/").content.decode()
    response = client.post(f"/people/{grid1.pk}/reveal/", {"field": "phone"})
    assert response.status_code == 200 and "13566667777" in response.content.decode()
    assert PiiAccessLog.objects.filter(person=grid1, actor=world.user("alice"), field="phone").exists()
    assert client.post(f"/people/{grid1.pk}/reveal/", {"field": "id_number"}).status_code in {403, 404}
    assert client.post(f"/people/{world.people['grid2'].pk}/reveal/", {"field": "phone"}).status_code == 404
