"""A deal's figures follow its quotes and its signed order, in the card and in every report.

Hand-computed dataset (Asia/Shanghai, the fixture users' zone):
- L-1 Acme made Tue 2026-09-01 10:00 (02:00 UTC) by rep, qualified at 120,000.
- Q-1 on D-1: 3 x Server @ 2,000 + 1 x Install @ 750 = 6,750, tax 6% = 405 -> 7,155.00.
- Q-1 accepted on 2026-11-23 with signed=2026-10-15: D-1 won at 7,155.00 on 2026-10-15.
  The won instant is noon of the signing day in the signer's zone (04:00 UTC), so the cycle is
  44 days and 2 hours = 3,808,800 s.
- L-2 Globex by rep2 on 2026-11-23, qualified at 50,000; Q-2 10 x Licence @ 1,000 tax 0 =
  10,000, still open: the pipeline counts 10,000 (weighted 10% = 1,000).
- L-3 Initech by rep on 2026-11-23, qualified at 30,000 and won with /won (no quote): 30,000
  won in November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from bot.app import App
from domain.digests import manager_digest
from domain.reports import Scope, Window
from storage.tables import deals, outbox
from tests.support import FakeClock, say

TZ = "Asia/Shanghai"
D = Decimal
START = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ALL = Scope("all")


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def _seed(app: App, clock: FakeClock) -> None:
    clock.now = START
    _ok(app, "rep", "/lead Acme")
    _ok(app, "rep", "/qualify L-1 amount=120k")
    clock.now = NOW
    _ok(app, "rep", "/quote D-1 3 x Server @ 2,000; 1 x Install @ 750 tax=6")
    _ok(app, "rep2", "/lead Globex")
    _ok(app, "rep2", "/qualify L-2 amount=50k")
    _ok(app, "rep2", "/quote D-2 10 x Licence @ 1,000 tax=0")
    _ok(app, "rep", "/accept Q-1 signed=2026-10-15")
    _ok(app, "rep", "/lead Initech")
    _ok(app, "rep", "/qualify L-3 amount=30k")
    _ok(app, "rep", "/won D-3")


def _month(key: str, start: date, end: date) -> Window:
    return Window.of(key, start, end, TZ)


OCTOBER = _month("2026-10", date(2026, 10, 1), date(2026, 11, 1))
NOVEMBER = _month("2026-11", date(2026, 11, 1), date(2026, 12, 1))


def _reports(app: App, method: str, *args: Any) -> Any:
    with app.uow() as uow:
        return getattr(uow.reports, method)(*args)


def test_won_deal_takes_the_orders_total_and_signing_day(app: App, clock: FakeClock) -> None:
    _seed(app, clock)
    with app.engine.connect() as conn:
        amount, closed = conn.execute(select(deals.c.amount, deals.c.closed_at)
                                      .where(deals.c.id == 1)).one()
    assert amount == D("7155.00")
    assert closed.astimezone(UTC) == datetime(2026, 10, 15, 4, 0, tzinfo=UTC)
    card = say(app, "rep", "/deal D-1").text
    assert "CN¥7,155.00" in card and "O-1" in card
    assert "CN¥120,000.00" not in card


def test_open_deal_shows_the_latest_quotes_total_and_says_so(app: App, clock: FakeClock) -> None:
    _seed(app, clock)
    card = say(app, "rep2", "/deal D-2").text
    assert "Amount: CN¥10,000.00 (from Q-2)" in card


def test_won_alert_speaks_of_the_orders_total(app: App, clock: FakeClock) -> None:
    _seed(app, clock)
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.params).where(outbox.c.key == "notify.deal_won")
                            .order_by(outbox.c.id)).scalars().all()
    assert [(p["deal"], p["amount"]["amount"]) for p in rows] == [
        ("D-1", "7155.00"), ("D-3", "30000.00")]


def test_reports_count_the_win_in_the_month_it_was_signed(app: App, clock: FakeClock) -> None:
    _seed(app, clock)
    assert [(r["deals"], r["amount"]) for r in _reports(app, "won_value", ALL, OCTOBER)] == [
        (1, D("7155.00"))]
    assert [(r["deals"], r["amount"]) for r in _reports(app, "won_value", ALL, NOVEMBER)] == [
        (1, D("30000.00"))]
    assert _reports(app, "closed", ALL, OCTOBER) == {
        "won": 1, "lost": 0, "cycle_deals": 1, "cycle_seconds": 44 * 86400 + 7200}
    forecast = {r["month"]: r for r in _reports(app, "forecast", ALL, [OCTOBER, NOVEMBER])}
    assert forecast["2026-10"]["won_amount"] == D("7155.00")
    assert forecast["2026-11"]["won_amount"] == D("30000.00")
    assert (forecast["2026-11"]["open_amount"], forecast["2026-11"]["weighted"]) == (
        D(0), D(0))  # D-2 has no close date
    pipeline = {r["stage"]: r for r in _reports(app, "pipeline", ALL, None)}
    assert (pipeline[None]["amount"], pipeline[None]["weighted"]) == (D("10000"), D("1000"))
    board = {r["name"]: (r["won"], r["won_amount"])
             for r in _reports(app, "leaderboard", ALL, OCTOBER, "CNY", 10)}
    assert board["rep"] == (1, D("7155.00"))


def test_kpi_and_digest_read_the_same_figures(app: App, clock: FakeClock) -> None:
    _seed(app, clock)
    kpi = say(app, "boss", "/kpi all period=2026-10").text
    assert "Average deal size: CN¥7,155.00 (won deals: 1)" in kpi
    assert "Average sales cycle: 44.1 days from lead to won (deals: 1)" in kpi
    with app.uow() as uow:
        digest = manager_digest(uow, app.settings, ALL,
                                datetime(2026, 10, 19, 1, 0, tzinfo=UTC))
    assert digest["won"] == [{"deals": 1, "amount": {"amount": "7155.00", "currency": "CNY"}}]
    assert digest["leaders"][0]["amount"] == {"amount": "7155.00", "currency": "CNY"}
