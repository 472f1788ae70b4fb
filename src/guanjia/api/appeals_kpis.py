"""API routes for appeal KPIs (GET /kpis/appeals); thin: parse, call appeals.kpis, render."""

from ninja import Router

router = Router(tags=["kpis"])
