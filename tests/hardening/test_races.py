"""Racing commands on PostgreSQL with real threads: one wins, the others get a clear answer."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.tables import orders, outbox
from tests.support import say

RACERS = 6
WAIT = 30.0  # seconds; an upper bound, never a delay


def test_concurrent_accepts_of_one_quote_make_one_order_and_clear_refusals(app: App) -> None:
    if app.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    for text in ("/lead Acme", "/qualify L-1 amount=10k", "/quote D-1 1 x Server @ 1000"):
        assert say(app, "rep", text).ok, text
    start = threading.Barrier(RACERS, timeout=WAIT)

    def accept() -> tuple[bool, str]:
        start.wait()
        reply = say(app, "rep", "/accept Q-1 plan=net30")
        return reply.ok, reply.text

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = [f.result(timeout=WAIT) for f in [pool.submit(accept) for _ in range(RACERS)]]
    winners = [text for ok, text in results if ok]
    losers = [text for ok, text in results if not ok]
    assert len(winners) == 1 and winners[0].startswith("Order O-1 created")
    assert losers == ["Q-1 is accepted; it can no longer change."] * (RACERS - 1)
    with app.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders)).scalar_one() == 1
        alerts = conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.key == "notify.command_failed")).scalar_one()
    assert alerts == 0
