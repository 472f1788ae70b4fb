"""Demo appeals: about three months of them in the detailed community (and a sprinkle elsewhere), in
every state, so that the workbenches, timelines and KPI pages look lived in.

Each appeal is played forward from its submission through the same steps the state machine allows
(route → accept or reject → start → defer / transfer / urge / escalate → resolve → rate or reopen or
call back), each step at a plausible delay; a step that would fall after midnight today does not happen,
so the youngest appeals are still open. Written with bulk_create: appeals, events, holdings, transfers."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone

from guanjia.appeals import routing
from guanjia.appeals.models import Appeal, AppealEvent, Category, Holding, Status, Transfer
from guanjia.demo.appeals_words import CATEGORY_WEIGHTS, CHANNELS, NOTES, RATINGS, TITLES
from guanjia.people.models import Person, Residency
from guanjia.places.models import Community, Compound, Dwelling

DAYS = 92
PER_DAY_DETAIL = 13  # 兴华路社区: ~1,200 appeals in three months
SPRINKLE = 160  # the other communities together
H = dt.timedelta(hours=1)
Place = tuple[int, int | None, int | None]  # dwelling, household, a resident
Pick = tuple[Place, dt.datetime, int | None, bool]  # where, when, the account filing it, awaiting rating


def _pick(rng: random.Random, weighted: Any) -> Any:
    items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    return rng.choices([k for k, _w in items], weights=[w for _k, w in items])[0]


@dataclass
class Story:
    """One appeal being played forward; `events` keeps (at, action, actor person, from, to, note, data)."""

    appeal: Appeal
    holder: int | None
    awaiting: bool = False  # resolved, waiting for the resident's rating (a demo resident's own)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)


class Demo:
    def __init__(self, today: dt.date, seed: int) -> None:
        self.rng = random.Random(seed * 7 + 3)
        self.end = dt.datetime.combine(today, dt.time(), tzinfo=timezone.get_current_timezone())
        self.today = today
        self.categories = {c.code: c for c in Category.objects.filter(active=True).order_by("id")}
        self.users = dict(Person.objects.filter(user__isnull=False).values_list("pk", "user_id"))
        self.routes: dict[tuple[Any, ...], routing.Route] = {}
        self.supervisor: dict[int, int | None] = {}

    # --- where and who -------------------------------------------------------------------------

    def places(self, compounds: list[Compound]) -> list[Place]:
        """(dwelling, household, a resident) of every occupied dwelling of these compounds; where
        nobody is registered (the other communities), every 7th dwelling with no one named."""
        rows = (
            Residency.objects.filter(household__dwelling__compound__in=compounds, end_date__isnull=True)
            .order_by("household__dwelling_id", "household_id", "id")
            .values_list("household__dwelling_id", "household_id", "person_id")
        )
        first: dict[int, tuple[int, int]] = {}
        for dwelling_id, household_id, person_id in rows:
            first.setdefault(dwelling_id, (household_id, person_id))
        if not first:
            empty = (
                Dwelling.objects.filter(compound__in=compounds).order_by("pk").values_list("pk", flat=True)
            )
            return [(d, None, None) for d in list(empty)[::7]]
        return [(d, *first[d]) for d in sorted(first)]

    def route(self, category: Category, dwelling: Dwelling) -> routing.Route:
        key = (category.handler_kind, category.agency_id, dwelling.compound_id, dwelling.grid_id)
        if key not in self.routes:
            self.routes[key] = routing.route(
                category=category, compound=dwelling.compound, dwelling=dwelling, day=self.today
            )
        return self.routes[key]

    def cadre(self, compound: Compound) -> int | None:
        if compound.pk not in self.supervisor:
            self.supervisor[compound.pk] = routing.cadre_of(compound, self.today) or routing.secretary_of(
                compound, self.today
            )
        return self.supervisor[compound.pk]

    # --- one appeal ------------------------------------------------------------------------------

    def appeal(
        self,
        place: tuple[Dwelling, int | None, int | None],
        at: dt.datetime,
        submitted_by: int | None,
        awaiting: bool = False,
    ) -> Story:
        dwelling, household, person = place
        rng = self.rng
        category = self.categories[_pick(rng, CATEGORY_WEIGHTS)]
        channel = "web" if submitted_by else _pick(rng, CHANNELS if person else CHANNELS[1:4])
        route = self.route(category, dwelling)
        appeal = Appeal(
            category=category,
            compound=dwelling.compound,
            dwelling=dwelling,
            household_id=household,
            submitter_id=person,
            submitted_by_id=submitted_by,
            channel=channel,
            title=rng.choice(TITLES[category.code]),
            description=f"{dwelling.compound.name}："
            + rng.choice(
                ["请尽快处理，谢谢。", "已经持续好几天了。", "影响正常生活，希望解决。", "麻烦派人来看看。"]
            ),
            location=rng.choice(["", "楼道", "单元门口", "小区东门", "地下车库", "3号楼前"]),
            submitted_at=at,
            response_due=at + category.response_hours * H,
            resolve_due=at + category.resolve_hours * H,
            assignee_id=route.person_id,
            accountable_id=route.person_id,
            agency_id=route.agency_id,
            needs_routing=route.person_id is None,
        )
        story = Story(appeal, route.person_id, awaiting)
        self.event(story, at, "submit", None, "", Status.SUBMITTED, data={"channel": channel})
        self.event(story, at, "route", None, data={"rule": route.rule, "person": route.person_id})
        if route.person_id is not None:
            story.holdings.append(Holding(person_id=route.person_id, reason=route.rule, since=at))
        self.play(story)
        return story

    def event(
        self,
        story: Story,
        at: dt.datetime,
        action: str,
        person: int | None,
        from_status: str = "",
        to_status: str = "",
        note: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        story.events.append((at, action, person, from_status, to_status, note, data or {}))
        if to_status:
            story.appeal.status = to_status

    def later(self, at: dt.datetime, low: float, high: float) -> dt.datetime | None:
        """A moment `low`–`high` hours (log-uniform) after `at`, in waking hours; None if after today."""
        hours = low * (high / low) ** self.rng.random()
        moment = at + dt.timedelta(hours=hours)
        if moment.astimezone(self.end.tzinfo).hour < 7:
            moment += 7 * H
        return moment if moment < self.end else None

    def play(self, story: Story) -> None:
        a, rng, resident = story.appeal, self.rng, story.appeal.submitted_by_id
        if story.holder is None:  # nobody to route to: it waits, and the deadline job escalates it
            return self.escalate(story, a.response_due)
        if story.awaiting:
            return self.resolve_quickly(story)
        slow = 8 if rng.random() < 0.05 else 1  # some wait long for an answer
        when = self.later(a.submitted_at, 0.2, 2.5 * slow * a.category.response_hours)
        if rng.random() < 0.04:  # the resident withdraws before anyone answers
            if (t := self.later(a.submitted_at, 0.3, 6)) is not None:
                self.event(story, t, "withdraw", resident, a.status, Status.WITHDRAWN, "问题已自行解决")
                a.closed_at = t
            return
        if when is None:
            return self.escalate(story, a.response_due)
        self.escalate(story, a.response_due, until=when)
        if rng.random() < 0.04:
            return self.reject(story, when)
        self.event(story, when, "accept", story.holder, a.status, Status.ACCEPTED)
        a.accepted_at = when
        if rng.random() < 0.07 and not self.transfer(story, when):
            return
        when = self.later(when, 0.5, 8)
        if when is None:
            return
        self.event(story, when, "start", story.holder, a.status, Status.IN_PROGRESS)
        if rng.random() < 0.06:
            due = a.resolve_due + rng.choice([48, 72, 120]) * H
            self.event(story, when + H, "defer", story.holder, note=rng.choice(NOTES["defer"]))
            a.committed_due = due
        self.work(story, when)

    def resolve_quickly(self, story: Story) -> None:
        a = story.appeal
        self.event(story, a.submitted_at + H, "accept", story.holder, a.status, Status.ACCEPTED)
        self.event(story, a.submitted_at + 2 * H, "start", story.holder, a.status, Status.IN_PROGRESS)
        self.event(
            story,
            a.submitted_at + 20 * H,
            "resolve",
            story.holder,
            a.status,
            Status.RESOLVED,
            NOTES["resolve"][1],
        )
        a.accepted_at, a.resolved_at, a.resolution_note = (
            a.submitted_at + H,
            a.submitted_at + 20 * H,
            NOTES["resolve"][1],
        )

    def work(self, story: Story, since: dt.datetime) -> None:
        """From in progress: maybe urged, then resolved, then rated / reopened / called back."""
        a, rng = story.appeal, self.rng
        span = (a.effective_due - since).total_seconds() / 3600
        slow = 8 if rng.random() < 0.18 else 1  # the hard ones drag on past their deadline
        when = self.later(since, max(0.5, span * 0.05), max(1.0, span * 1.4 * slow))
        if rng.random() < 0.1 and (urged := self.later(since, 2, 30)) and (when is None or urged < when):
            self.event(story, urged, "urge", a.submitted_by_id, note=NOTES["urge"][0])
            a.urge_count += 1
        if when is None:
            return self.escalate(story, a.effective_due)
        self.escalate(story, a.effective_due, until=when)
        self.event(
            story, when, "resolve", story.holder, a.status, Status.RESOLVED, rng.choice(NOTES["resolve"])
        )
        a.resolved_at, a.resolution_note = when, story.events[-1][5]
        a.callback_needed = a.channel in ("phone", "visit", "walk_in")
        rated = self.later(when, 1, 160)
        if rated is None:
            if self.end - when > dt.timedelta(days=7):
                a.callback_needed = True
            return
        if rng.random() < 0.07 and a.reopen_count == 0:
            self.event(
                story,
                rated,
                "reopen",
                a.submitted_by_id,
                a.status,
                Status.IN_PROGRESS,
                rng.choice(NOTES["reopen"]),
            )
            a.reopen_count, a.resolved_at, a.callback_needed = 1, None, False
            a.committed_due, a.escalation_level = rated + a.category.resolve_hours * H, 0
            return self.work(story, rated)
        rating = _pick(rng, RATINGS)
        if a.callback_needed:
            caller = self.cadre(a.compound)
            self.event(
                story,
                rated,
                "callback",
                caller,
                a.status,
                Status.CLOSED,
                rng.choice(NOTES["callback"]),
                {"rating": rating, "via": "callback"},
            )
        else:
            self.event(
                story, rated, "confirm", a.submitted_by_id, a.status, Status.CLOSED, data={"rating": rating}
            )
        a.rating, a.rated_at, a.closed_at, a.callback_needed = rating, rated, rated, False

    def reject(self, story: Story, when: dt.datetime) -> None:
        a = story.appeal
        self.event(
            story,
            when,
            "reject",
            story.holder,
            a.status,
            Status.REJECTION_PENDING,
            self.rng.choice(NOTES["reject"]),
        )
        review = self.later(when, 2, 40)
        if review is None:
            return
        if self.rng.random() < 0.75:
            self.event(story, review, "approve_rejection", self.cadre(a.compound), a.status, Status.REJECTED)
            a.closed_at = review
            return
        self.event(
            story,
            review,
            "overturn_rejection",
            self.cadre(a.compound),
            a.status,
            Status.ACCEPTED,
            "请继续办理",
        )
        a.accepted_at = a.accepted_at or review
        self.work(story, review)

    def transfer(self, story: Story, when: dt.datetime) -> bool:
        """Hand it to the 包片 cadre (or back from them to the grid worker); False if still pending."""
        a = story.appeal
        target = self.cadre(a.compound)
        if target is None or target == story.holder:
            return True
        note = self.rng.choice(NOTES["transfer"])
        self.event(story, when + 0.5 * H, "transfer", story.holder, note=note, data={"to_person": target})
        taken = self.later(when + 0.5 * H, 0.5, 10)
        story.transfers.append(
            Transfer(
                from_person_id=story.holder,
                to_person_id=target,
                reason=note,
                requested_at=when + 0.5 * H,
                state=Transfer.State.ACCEPTED if taken else Transfer.State.PENDING,
                decided_at=taken,
            )
        )
        if taken is None:
            return False
        self.event(story, taken, "accept_transfer", target, data={"person": target})
        story.holdings[-1].until = taken
        story.holdings.append(Holding(person_id=target, handed_by_id=story.holder, reason=note, since=taken))
        a.assignee_id = a.accountable_id = story.holder = target
        return True

    def escalate(self, story: Story, breached: dt.datetime, until: dt.datetime | None = None) -> None:
        """The deadline job's escalations between the breach and `until` (or today): one level a day."""
        a, stop = story.appeal, min(until or self.end, self.end)
        kind = "response" if a.status == Status.SUBMITTED else "resolution"
        level = a.escalation_level
        while level < 3 and breached + level * 24 * H <= stop:
            at = breached + level * 24 * H
            level += 1
            self.event(story, at, "escalate", None, data={"from": level - 1, "to": level, "breach": kind})
        a.escalation_level = level


def _detail_community() -> Community | None:
    return (
        Community.objects.annotate(n=Count("compounds__dwellings__households")).order_by("-n", "pk").first()
    )


def load(*, today: dt.date, seed: int) -> dict[str, int]:
    community = _detail_community()
    if community is None:
        return {}
    demo = Demo(today, seed)
    rng = demo.rng
    detail = demo.places(list(Compound.objects.filter(community=community).order_by("pk")))
    others = demo.places(list(Compound.objects.exclude(community=community).order_by("pk")))
    start = demo.end - dt.timedelta(days=DAYS)
    picks: list[Pick] = []
    for places, count in ((detail, DAYS * PER_DAY_DETAIL), (others, SPRINKLE)):
        for _i in range(count if places else 0):
            at = start + dt.timedelta(seconds=rng.randrange(DAYS * 86400))
            picks.append((rng.choice(places), at.replace(hour=rng.choice(range(7, 22))), None, False))
    picks += _own_appeals(demo, detail)
    dwellings = Dwelling.objects.select_related("compound__community").in_bulk({p[0][0] for p in picks})
    stories = [demo.appeal((dwellings[d], h, p), at, by, wait) for (d, h, p), at, by, wait in picks]
    return _write(demo, stories)


def _own_appeals(demo: Demo, detail: list[Place]) -> list[Pick]:
    """The demo residents' own appeals, at ages that leave them in different states."""
    from guanjia.demo.accounts import USERNAMES

    picks: list[Pick] = []
    in_detail = {d for d, _h, _p in detail}
    homes = (
        Residency.objects.filter(person__user__username__in=USERNAMES, end_date__isnull=True)
        .order_by("person_id", "household_id")
        .values_list("household__dwelling_id", "household_id", "person_id", "person__user_id")
    )
    for dwelling_id, household_id, person_id, user_id in homes:
        if dwelling_id in in_detail:
            for hours_ago in (3, 30, 60, 200, 500, 900):
                at = demo.end - hours_ago * H
                picks.append(((dwelling_id, household_id, person_id), at, user_id, hours_ago == 60))
    return picks


def _write(demo: Demo, stories: list[Story]) -> dict[str, int]:
    stories.sort(key=lambda s: s.appeal.submitted_at)
    appeals = Appeal.objects.bulk_create([s.appeal for s in stories], batch_size=1000)
    for appeal in appeals:
        appeal.number = f"{timezone.localtime(appeal.submitted_at):%Y%m%d}{appeal.pk:07d}"
    Appeal.objects.bulk_update(appeals, ["number"], batch_size=1000)
    events, holdings, transfers = [], [], []
    people = {p for s in stories for e in s.events if (p := e[2])}
    names = dict(Person.objects.filter(pk__in=people).values_list("pk", "name"))
    for story in stories:
        for at, action, person, from_status, to_status, note, data in story.events:
            actor = demo.users.get(person) if person else None
            events.append(
                AppealEvent(
                    appeal=story.appeal,
                    at=at,
                    action=action,
                    actor_id=actor,
                    actor_label=names.get(person, "") if person else "系统",
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    data=data,
                )
            )
        for holding in story.holdings:
            holding.appeal = story.appeal
        for transfer in story.transfers:
            transfer.appeal = story.appeal
        holdings += story.holdings
        transfers += story.transfers
    AppealEvent.objects.bulk_create(events, batch_size=2000)
    Holding.objects.bulk_create(holdings, batch_size=2000)
    Transfer.objects.bulk_create(transfers, batch_size=2000)
    return {"appeals": len(appeals), "appeal_events": len(events)}
