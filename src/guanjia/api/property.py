"""API routes for the property app (thin: parse, call services/selectors, render)."""

from ninja import Router

router = Router(tags=["property"])
