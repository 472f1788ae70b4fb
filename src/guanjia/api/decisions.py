"""API routes for the decisions app (thin: parse, call services/selectors, render).

Owners' votes in decisions_votes; consultations, committees and self-governance groups in their own
modules."""

from ninja import Router

from guanjia.api import decisions_committees, decisions_consultations, decisions_groups, decisions_votes

router = Router(tags=["decisions"])
router.add_router("", decisions_votes.router)
router.add_router("", decisions_consultations.router)
router.add_router("", decisions_committees.router)
router.add_router("", decisions_groups.router)
