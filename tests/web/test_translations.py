"""The English catalogue is complete and its compiled .mo matches the .po (both are kept in the repo)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

import guanjia

LC = Path(guanjia.__file__).parent / "locale" / "en" / "LC_MESSAGES"


FIELD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (.*(?:\n\".*)*)", re.M)


def _unquote(chunk: str) -> str:
    return "".join(ast.literal_eval(line) for line in re.findall(r'"(?:[^"\\]|\\.)*"', chunk))


def po_entries() -> list[dict[str, str]]:
    text = (LC / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        fields = dict(FIELD.findall(block))
        entries.append({k: _unquote(v) for k, v in fields.items()} | {"fuzzy": "#, fuzzy" in block})
    return entries


def test_every_message_has_an_english_translation():
    entries = po_entries()
    assert len(entries) > 200
    untranslated = [
        e["msgid"]
        for e in entries
        if e["fuzzy"] or not (e.get("msgstr") or (e.get("msgstr[0]") and e.get("msgstr[1]")))
    ]
    assert untranslated == []


@pytest.mark.parametrize(
    ("msgid", "one", "two"),
    [
        ("%(n)s 个项目", "1 project", "2 projects"),
        ("重办 %(n)s 次", "Reopened 1 time", "Reopened 2 times"),
        ("%(n)s 人附议", "1 person says “me too”", "2 people say “me too”"),
    ],
)
def test_counted_messages_take_the_english_singular_for_one_and_the_plural_for_two(msgid, one, two):
    with translation.override("en"):
        assert ngettext(msgid, msgid, 1) % {"n": 1} == one
        assert ngettext(msgid, msgid, 2) % {"n": 2} == two
    assert ngettext(msgid, msgid, 1) % {"n": 1} == msgid % {"n": 1}  # Chinese has one form


def test_compiled_catalogue_matches_the_po_file():
    with (LC / "django.mo").open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    for e in po_entries():
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if "msgid_plural" in e:
            assert catalog.get((key, 0)) == e["msgstr[0]"], e["msgid"]
            assert catalog.get((key, 1)) == e["msgstr[1]"], e["msgid"]
        else:
            assert catalog.get(key) == e["msgstr"], e["msgid"]
