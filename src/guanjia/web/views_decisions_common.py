"""What the decisions pages share: finding a vote the caller may see (else 404), turning a refused request
into a Chinese message, and the rules of art. 278 in plain words. Reads only; writes go through
decisions.services."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.decisions import law, selectors
from guanjia.decisions import permissions as dperms
from guanjia.decisions.errors import DecisionError
from guanjia.decisions.models import OwnersVote
from guanjia.people import permissions as perms

CENT = Decimal("0.01")


def new_form_key() -> str:
    """One key per rendered form: a double tap, or the same form sent twice, records one ballot."""
    return uuid.uuid4().hex


def int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def vote_or_404(user: Any, pk: int) -> OwnersVote:
    try:
        return selectors.access_vote(user, pk)
    except OwnersVote.DoesNotExist:
        raise Http404 from None


def refused(request: HttpRequest, message: str, *, back: str = "") -> HttpResponse:
    """A request the caller's role may not make: 403, the reason in Chinese, nothing changed."""
    return render(
        request,
        "web/decisions/refused.html",
        {"message": message, "back": back or request.META.get("HTTP_REFERER", "")},
        status=403,
    )


@contextlib.contextmanager
def rule_messages(request: HttpRequest) -> Iterator[list[DecisionError]]:
    """A rule of the decision that refuses the request becomes a message on the next page."""
    caught: list[DecisionError] = []
    try:
        yield caught
    except DecisionError as e:
        caught.append(e)
        messages.error(request, e.message)


@dataclass(frozen=True)
class Roles:
    """What the caller may do with the decisions of one compound."""

    organise: bool
    enter: bool
    see_roll: bool

    @classmethod
    def of(cls, user: Any, compound_id: int) -> Roles:
        scope = perms.scope_for(user)
        return cls(
            organise=dperms.can_organise(scope, compound_id),
            enter=dperms.can_enter(scope, compound_id),
            see_roll=dperms.can_see_roll(scope, compound_id),
        )


# --- the law in plain words ----------------------------------------------------------------------


def rules_in_words(vote: OwnersVote, totals: tuple[int, Decimal] | None = None) -> dict[str, Any]:
    """How this vote is decided, as an owner would be told it; with the numbers once the roll is frozen."""
    special = vote.matter in law.SPECIAL_MATTERS
    words: dict[str, Any] = {
        "special": special,
        "quorum": _(
            "参与表决的业主，所持专有部分面积合计要占全体业主的三分之二以上，人数也要占全体业主的三分之二以上，"
            "两项都达到，表决才有效。"
        ),
        "majority": _(
            "同意的业主，面积要占参与表决面积的四分之三以上，人数也要占参与表决人数的四分之三以上。"
        )
        if special
        else _("同意的业主，面积要超过参与表决面积的一半，人数也要超过参与表决人数的一半。"),
        "bounds": _("“以上”包括本数（恰好三分之二也算达到）；“过半数”不包括本数（恰好一半不算通过）。"),
        "abstain": _("弃权的业主算作参与了表决，但不算同意。")
        if vote.abstain_counts_as_participating
        else _("弃权的业主不算作参与表决。"),
        "parking": _("产权车位计入专有部分面积。") if vote.include_parking else _("车位不计入专有部分面积。"),
        "headcount": _(
            "一套房屋算一位业主；一人有多套房屋的合计算一人；建设单位未出售或未交付的房屋合计算一人。"
            "面积按不动产登记面积计算，没有登记的按实测面积，再没有的按合同面积。"
        ),
        "source": _(
            "依据：《民法典》第二百七十八条、第一千二百五十九条；最高人民法院建筑物区分所有权司法解释第八、九条。"
        ),
    }
    if totals is not None and totals[0]:
        owners, area = totals
        words["owners"] = owners
        words["area"] = area.quantize(CENT)
        words["fewest_owners"] = law.QUORUM.fewest_owners(owners)
        words["fewest_area"] = _cents_up(law.QUORUM.bound(area))
    return words


def _cents_up(value: Any) -> Decimal:
    cents = -(-value.numerator * 100 // value.denominator)
    return (Decimal(cents) / 100).quantize(CENT)


def notice_days(vote: OwnersVote) -> int:
    """Whole days between the notice and the opening (never negative: a vote may open at once)."""
    return max(0, (vote.opens_at - vote.announced_at).days)


EVENT_LABELS: dict[str, Any] = {
    "vote_announced": gettext_lazy("发布公告"),
    "candidate_added": gettext_lazy("提名候选人"),
    "vote_opened": gettext_lazy("开始表决，冻结名册"),
    "vote_closed": gettext_lazy("结束表决并计票"),
    "vote_published": gettext_lazy("公布结果"),
    "vote_cancelled": gettext_lazy("取消表决"),
}


def event_label(kind: str) -> Any:
    return EVENT_LABELS.get(kind, kind)
