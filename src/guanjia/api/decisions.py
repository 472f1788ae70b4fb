"""API routes for the decisions app (thin: parse, call services/selectors, render)."""

from ninja import Router

router = Router(tags=["decisions"])
