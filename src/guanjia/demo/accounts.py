"""The demo accounts: one per role, all with the same password, all around one compound (兴华苑) so
that each role's view of the same households can be compared."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from guanjia.demo import names

PASSWORD = "guanjia-demo"  # noqa: S105 -- the published password of the demo accounts

_COMMUNITY = names.DETAIL_COMMUNITY
_COMPOUND, _HOUSEHOLDS = names.DETAIL_COMPOUNDS[0][0], names.DETAIL_COMPOUNDS[0][1]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # what people.permissions.primary_role gives for the account
    label: str
    label_en: str
    scope: str


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin", "系统管理员", "system admin", "全部数据"),
    DemoAccount("secretary", "secretary", "社区书记", "community secretary", f"{_COMMUNITY}（13个小区）"),
    DemoAccount("cadre", "cadre", "包片干部", "community cadre", f"{_COMPOUND}（{_HOUSEHOLDS}户，3个网格）"),
    DemoAccount("gridworker", "grid_worker", "网格员", "grid worker", f"{_COMPOUND}第一网格"),
    DemoAccount("property", "property_staff", "物业人员", "property staff", _COMPOUND),
    DemoAccount("committee", "committee_member", "业委会主任", "owners' committee", _COMPOUND),
    DemoAccount("official", "official", "县级干部", "county official", f"{names.COUNTY[0]}（131个小区）"),
    DemoAccount("resident", "resident", "居民（业主）", "resident (owner)", f"{_COMPOUND} 1号楼1单元301"),
    DemoAccount(
        "resident2", "resident", "居民（邻居）", "resident (neighbour)", f"{_COMPOUND} 1号楼1单元302"
    ),
)
USERNAMES = tuple(a.username for a in ACCOUNTS)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table() -> str:
    """The accounts as an aligned plain-text table (Chinese characters count as two columns)."""
    header = ("用户名 username", "角色 role", "负责范围 scope")
    rows = [(a.username, f"{a.label} {a.label_en}", a.scope) for a in ACCOUNTS]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [f"演示账号 Demo accounts — 密码 password: {PASSWORD}"]
    for row in [header, *rows]:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
