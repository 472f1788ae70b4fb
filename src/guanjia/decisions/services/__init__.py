"""Writes of the decisions app: one function per use case, keyword-only, in a transaction, recorded."""

from guanjia.decisions.services.ballots import Cast, ballot_cast
from guanjia.decisions.services.committees import (
    check_composition,
    committee_dissolve,
    committee_prepare,
    member_leave,
    term_register,
    term_start,
)
from guanjia.decisions.services.consultations import (
    consultation_answer,
    consultation_close,
    consultation_create,
    consultation_tally,
)
from guanjia.decisions.services.groups import (
    group_create,
    ledger_record,
    project_balance,
    project_decide,
    project_propose,
)
from guanjia.decisions.services.votes import (
    candidate_add,
    count_vote,
    vote_cancel,
    vote_close,
    vote_create,
    vote_open,
    vote_publish,
    votes_due,
)

__all__ = [
    "Cast",
    "ballot_cast",
    "candidate_add",
    "check_composition",
    "committee_dissolve",
    "committee_prepare",
    "consultation_answer",
    "consultation_close",
    "consultation_create",
    "consultation_tally",
    "count_vote",
    "group_create",
    "ledger_record",
    "member_leave",
    "project_balance",
    "project_decide",
    "project_propose",
    "term_register",
    "term_start",
    "vote_cancel",
    "vote_close",
    "vote_create",
    "vote_open",
    "vote_publish",
    "votes_due",
]
