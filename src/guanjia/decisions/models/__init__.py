"""Models of the decisions app: owners' votes (art. 278), consultations, committees, self-governance."""

from guanjia.decisions.models.committees import CommitteeMember, CommitteeTerm, OwnersCommittee
from guanjia.decisions.models.consultations import (
    Consultation,
    ConsultationResponse,
    ConsultationUnit,
)
from guanjia.decisions.models.events import DecisionEvent
from guanjia.decisions.models.groups import GroupMember, GroupProject, LedgerEntry, SelfGovernanceGroup
from guanjia.decisions.models.votes import (
    Ballot,
    Candidate,
    CandidateResult,
    Matter,
    OwnersVote,
    ParkingSpace,
    RollPart,
    Voter,
    VoteResult,
    VoterOwner,
)

__all__ = [
    "Ballot",
    "Candidate",
    "CandidateResult",
    "CommitteeMember",
    "CommitteeTerm",
    "Consultation",
    "ConsultationResponse",
    "ConsultationUnit",
    "DecisionEvent",
    "GroupMember",
    "GroupProject",
    "LedgerEntry",
    "Matter",
    "OwnersCommittee",
    "OwnersVote",
    "ParkingSpace",
    "RollPart",
    "SelfGovernanceGroup",
    "VoteResult",
    "Voter",
    "VoterOwner",
]
