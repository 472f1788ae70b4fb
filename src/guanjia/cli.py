"""The `guanjia` command: Django's management commands, with the project's own spellings.

guanjia demo [--host H] [--port P]     migrate, load the demo county if empty, serve
guanjia serve [--host H] [--port P]    serve with a production WSGI server
guanjia migrate                        create or update the database
guanjia load-demo                      load the demo county
guanjia import residents FILE [--dry-run] [--user U]
guanjia export residents FILE [--user U]
guanjia <any Django command>           e.g. createsuperuser, shell, check
"""

from __future__ import annotations

import os
import sys

# `guanjia import residents` → `import_residents`: registries are nouns under a verb.
NESTED = {"import": {"residents"}, "export": {"residents"}}


def translate(argv: list[str]) -> list[str]:
    if not argv:
        return ["help"]
    head, rest = argv[0], argv[1:]
    if head in NESTED:
        if not rest or rest[0] not in NESTED[head]:
            kinds = ", ".join(sorted(NESTED[head]))
            raise SystemExit(f"用法 usage: guanjia {head} {{{kinds}}} FILE")
        return [f"{head}_{rest[0]}", *rest[1:]]
    if head in {"-h", "--help"}:
        return ["help"]
    return [head.replace("-", "_") if not head.startswith("-") else head, *rest]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanjia.settings")
    args = translate(list(argv if argv is not None else sys.argv[1:]))
    if args == ["help"]:
        print(__doc__)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guanjia", *args])
