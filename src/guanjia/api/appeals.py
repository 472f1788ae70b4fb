"""API routes for the appeals app (thin: parse, call services/selectors, render)."""

from ninja import Router

router = Router(tags=["appeals"])
