"""The sales flow through the real dispatcher and database."""

from __future__ import annotations

from bot.app import App
from tests.support import say


def test_lead_to_order_through_dispatcher(app: App) -> None:
    assert say(app, "rep", "/lead Acme contact=Li").text.startswith("Lead L-1 saved")
    assert "D-1" in say(app, "rep", "/qualify L-1 amount=50k").text
    reply = say(app, "rep", "/quote D-1 10 x Server @ 5,000 discount=20")
    assert "waiting for approval" in reply.text
    assert say(app, "mgr", "/approve Q-1").ok
    reply = say(app, "rep", "/accept Q-1 plan=30/60/10")
    assert reply.ok, reply.text
    assert "O-1" in reply.text
