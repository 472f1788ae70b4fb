"""API routes for the decisions app (thin: parse, call services/selectors, render).

Owners' votes in decisions_votes, consultations and committees in their own modules."""

from ninja import Router

from guanjia.api import decisions_consultations, decisions_votes

router = Router(tags=["decisions"])
router.add_router("", decisions_votes.router)
router.add_router("", decisions_consultations.router)
