"""core.memo keeps read-mostly registry rows for a few seconds per process: an answer is reused until
its time is up, and forgotten at once when a model it depends on is saved or deleted here."""

from __future__ import annotations

import pytest

from guanjia.core import memo as memo_module
from guanjia.core.memo import Memo
from guanjia.places.models import Compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(memo_module.time, "monotonic", lambda: now[0])
    return now


def counting_loader(values):
    calls = []

    def load():
        calls.append(1)
        return values[len(calls) - 1]

    return load, calls


def test_an_answer_is_reused_until_its_time_is_up(clock):
    m: Memo[str] = Memo("t-ttl", depends_on=[], ttl=10)
    load, calls = counting_loader(["first", "second"])
    assert m.get("k", load) == "first"
    clock[0] += 9.9
    assert m.get("k", load) == "first" and len(calls) == 1
    clock[0] += 0.2
    assert m.get("k", load) == "second" and len(calls) == 2


def test_saving_a_model_it_depends_on_forgets_everything(world, clock):
    m: Memo[str] = Memo("t-save", depends_on=["places.Compound"], ttl=60)
    load, calls = counting_loader(["before", "after"])
    assert m.get("k", load) == "before"
    compound = Compound.objects.get(pk=world.sunshine.pk)
    compound.name = "阳光新城"
    compound.save()
    assert m.get("k", load) == "after" and len(calls) == 2


def test_a_row_reread_before_the_change_commits_is_forgotten_at_commit(
    world, clock, django_capture_on_commit_callbacks
):
    m: Memo[str] = Memo("t-commit", depends_on=["places.Compound"], ttl=60)
    load, calls = counting_loader(["read before the change committed", "read after"])
    with django_capture_on_commit_callbacks(execute=True):
        Compound.objects.get(pk=world.sunshine.pk).save()
        # Another request reads the row before the saving transaction commits, and memoises it.
        assert m.get("k", load) == "read before the change committed"
    assert m.get("k", load) == "read after" and len(calls) == 2


def test_other_models_do_not_clear_it(world, clock):
    m: Memo[str] = Memo("t-other", depends_on=["appeals.Category"], ttl=60)
    load, calls = counting_loader(["kept", "reloaded"])
    m.get("k", load)
    Compound.objects.get(pk=world.sunshine.pk).save()
    assert m.get("k", load) == "kept" and len(calls) == 1


def test_it_holds_a_bounded_number_of_answers(clock):
    m: Memo[int] = Memo("t-size", depends_on=[], size=3)
    for i in range(10):
        m.get(i, lambda i=i: i)
    assert len(m._entries) <= 3
