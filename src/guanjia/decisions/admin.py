"""Owners' decisions in the admin: read only. Votes, ballots, consultations, committees and ledgers move
only through decisions.services (which check the rules and record who did what), so the admin shows them
and changes nothing. Each list is limited to the compounds the caller sees (decisions.permissions).
Individual ballots appear only once their vote is counted: a running tally would sway those yet to vote."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.db.models import Q

from guanjia.core.admin_scoped import ReadOnlyInline, ReadOnlyScopedAdmin
from guanjia.decisions import permissions as dperms
from guanjia.decisions.models import (
    Ballot,
    CommitteeMember,
    CommitteeTerm,
    Consultation,
    DecisionEvent,
    GroupProject,
    LedgerEntry,
    OwnersCommittee,
    OwnersVote,
    SelfGovernanceGroup,
    Voter,
)
from guanjia.people import permissions as perms

COUNTED = (OwnersVote.Status.CLOSED, OwnersVote.Status.PUBLISHED)


class ReadOnlyScoped(ReadOnlyScopedAdmin):
    scope_q: Callable[[perms.Scope], Q] = staticmethod(lambda scope: dperms.compounds_q(scope))


class VoteEventInline(ReadOnlyInline):
    model = DecisionEvent
    fk_name = "vote"
    fields = ("at", "kind", "actor_label", "via", "reason", "data")
    readonly_fields = fields


@admin.register(OwnersVote)
class OwnersVoteAdmin(ReadOnlyScoped):
    list_display = ["title", "compound", "matter", "status", "opens_at", "closes_at", "published_at"]
    list_filter = ["status", "matter"]
    list_select_related = ["compound"]
    search_fields = ["title"]
    date_hierarchy = "opens_at"
    inlines = [VoteEventInline]


@admin.register(Voter)
class VoterAdmin(ReadOnlyScoped):
    scope_q = staticmethod(lambda scope: dperms.compounds_q(scope, "vote__compound__"))
    list_display = ["label", "vote", "kind", "area", "headcount", "part_count"]
    list_filter = ["kind"]
    list_select_related = ["vote"]
    search_fields = ["label"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyScoped):
    scope_q = staticmethod(
        lambda scope: dperms.compounds_q(scope, "vote__compound__") & Q(vote__status__in=COUNTED)
    )
    list_display = ["vote", "voter", "choice", "origin", "cast_at", "is_current", "cast_by"]
    list_filter = ["origin", "choice", "is_current"]
    list_select_related = ["vote", "voter", "cast_by"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyScoped):
    list_display = ["question", "compound", "status", "target_percent", "closes_at", "target_met"]
    list_filter = ["status"]
    list_select_related = ["compound"]


class TermInline(ReadOnlyInline):
    model = CommitteeTerm
    fields = ("number", "elected_on", "starts_on", "ends_on", "registration_due", "registered_on")
    readonly_fields = fields


@admin.register(OwnersCommittee)
class OwnersCommitteeAdmin(ReadOnlyScoped):
    list_display = ["name", "compound", "kind", "status", "formed_on"]
    list_filter = ["kind", "status"]
    list_select_related = ["compound"]
    search_fields = ["name"]
    inlines = [TermInline]


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("person", "position", "is_owner", "is_party_member", "left_on", "left_reason")
    readonly_fields = fields


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ReadOnlyScoped):
    scope_q = staticmethod(lambda scope: dperms.compounds_q(scope, "committee__compound__"))
    list_display = ["committee", "number", "starts_on", "ends_on", "registration_due", "registered_on"]
    list_select_related = ["committee"]
    inlines = [MemberInline]


@admin.register(SelfGovernanceGroup)
class GroupAdmin(ReadOnlyScoped):
    list_display = ["name", "compound", "formed_on"]
    list_select_related = ["compound"]


class LedgerInline(ReadOnlyInline):
    model = LedgerEntry
    fields = ("on", "kind", "amount", "counterparty", "note", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(GroupProject)
class ProjectAdmin(ReadOnlyScoped):
    scope_q = staticmethod(lambda scope: dperms.compounds_q(scope, "group__compound__"))
    list_display = ["title", "group", "status", "budget"]
    list_filter = ["status"]
    list_select_related = ["group"]
    inlines = [LedgerInline]


@admin.register(DecisionEvent)
class DecisionEventAdmin(ReadOnlyScoped):
    scope_q = staticmethod(
        lambda scope: (
            dperms.compounds_q(scope, "vote__compound__")
            | dperms.compounds_q(scope, "consultation__compound__")
            | dperms.compounds_q(scope, "committee__compound__")
            | dperms.compounds_q(scope, "group__compound__")
        )
    )
    list_display = ["at", "kind", "actor_label", "via", "vote", "consultation", "committee", "group"]
    list_filter = ["kind", "via"]
    date_hierarchy = "at"
