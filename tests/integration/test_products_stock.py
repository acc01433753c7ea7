"""Products and stock through the dispatcher, on SQLite and PostgreSQL: quotes by SKU at the
list price, the free-stock check on /accept and its alerts, deliveries that take stock out,
and two deliveries at the same moment that never sell one piece twice."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import select

from bot.app import App
from domain.deliveries import record_delivery
from domain.errors import Conflict
from storage.tables import outbox
from storage.tables_products import products, stock_moves
from tests.support import FakeClock, say


def _deal(app: App, company: str) -> str:
    lead = say(app, "rep", f"/lead {company}").text.split()[1]
    reply = say(app, "rep", f"/qualify {lead}")
    return next(w for w in reply.text.split() if w.startswith("D-"))


def _on_hand(app: App, sku: str) -> Decimal:
    with app.engine.connect() as conn:
        return Decimal(str(conn.execute(select(products.c.on_hand)
                                        .where(products.c.sku == sku)).scalar_one()))


def test_a_quote_by_sku_takes_the_list_price_and_free_text_still_works(app: App) -> None:
    assert say(app, "mgr", "/product add SRV-1 Cloud Server 4,800 unit=pc tax=6 stock=20").ok
    deal = _deal(app, "Acme")
    reply = say(app, "rep", f"/quote {deal} 10 x srv-1; 2 x SRV-1 @ 4,000; 1 x Install @ 500")
    assert reply.ok, reply.text
    assert "10 × SRV-1 Cloud Server @ CN¥4,800.00 = CN¥48,000.00" in reply.text
    assert "2 × SRV-1 Cloud Server @ CN¥4,000.00" in reply.text
    assert "1 × Install @ CN¥500.00" in reply.text
    assert "Tax 6%" in reply.text  # the product's rate, not the default 13%


def test_an_unknown_sku_without_a_price_is_refused_and_nothing_is_saved(app: App) -> None:
    deal = _deal(app, "Acme")
    reply = say(app, "rep", f"/quote {deal} 10 x NOPE-1")
    assert not reply.ok and "NOPE-1" in reply.text and "@" in reply.text
    assert not say(app, "rep", "/quote Q-1").ok


def test_accept_says_what_is_short_and_alerts_finance_and_ops(app: App) -> None:
    say(app, "mgr", "/product add SRV-1 Cloud Server 4,800 stock=3")
    deal = _deal(app, "Acme")
    say(app, "rep", f"/quote {deal} 5 x SRV-1")
    reply = say(app, "rep", "/accept Q-1 plan=net30")
    assert reply.ok, reply.text
    assert "SRV-1 Cloud Server: needs 5, free 3, short 2" in reply.text
    with app.engine.connect() as conn:
        told = set(conn.execute(select(outbox.c.recipient_kind, outbox.c.recipient)
                                .where(outbox.c.key == "notify.stock_short")).all())
    assert {("channel", "finance"), ("channel", "ops")} <= told


def test_deliver_takes_stock_out_and_refuses_below_zero(app: App) -> None:
    say(app, "mgr", "/product add SRV-1 Cloud Server 4,800 stock=3")
    deal = _deal(app, "Acme")
    say(app, "rep", f"/quote {deal} 5 x SRV-1")
    say(app, "rep", "/accept Q-1 plan=net30")
    assert say(app, "fin", "/deliver O-1 2 x SRV-1").ok
    assert _on_hand(app, "SRV-1") == 1
    refused = say(app, "fin", "/deliver O-1 all")
    assert not refused.ok and "only 1 on hand" in refused.text
    assert _on_hand(app, "SRV-1") == 1
    assert say(app, "fin", "/stock SRV-1 +10 note=container").ok
    assert say(app, "fin", "/deliver O-1 all").ok
    assert _on_hand(app, "SRV-1") == 8
    card = say(app, "rep", "/stock SRV-1").text
    assert "On hand 8 · reserved by orders 0 · free 8" in card
    assert "+10 · received · container" in card and "-3 · delivery O-1" in card


def test_stock_lists_low_products_and_refuses_a_rep_receiving(app: App) -> None:
    say(app, "mgr", "/product add SRV-1 Cloud Server 4,800 stock=3 min=5")
    say(app, "mgr", "/product add RCK-1 Rack 900 stock=30 min=5")
    low = say(app, "rep", "/stock").text
    assert "SRV-1 Cloud Server · on hand 3 · free 3 · minimum 5" in low and "RCK-1" not in low
    assert not say(app, "rep", "/stock SRV-1 +5").ok
    assert _on_hand(app, "SRV-1") == 3


def test_edit_of_a_sku_changes_the_product(app: App) -> None:
    say(app, "mgr", "/product add SRV-1 Cloud Server 4,800")
    reply = say(app, "fin", "/edit srv-1 price=4,500 unit=台 active=no")
    assert reply.ok, reply.text
    assert "CN¥4,800.00 → CN¥4,500.00" in reply.text
    deal = _deal(app, "Acme")
    refused = say(app, "rep", f"/quote {deal} 1 x SRV-1")
    assert not refused.ok and "no longer sold" in refused.text


def test_two_deliveries_at_once_never_oversell(app: App, clock: FakeClock) -> None:
    """Two orders of two customers share 6 pieces; each delivers 5 in its own transaction at
    the same moment. The first holds its lock until the second is waiting: the second must
    see what the first took and be refused."""
    say(app, "mgr", "/product add SRV-1 Cloud Server 100 stock=6")
    for company in ("Acme", "Globex"):
        deal = _deal(app, company)
        say(app, "rep", f"/quote {deal} 5 x SRV-1")
    say(app, "rep", "/accept Q-1 plan=net30")
    say(app, "rep", "/accept Q-2 plan=net30")
    with app.uow() as uow:
        fin = uow.users.by_username("fin")
        assert fin is not None
        fin_id = fin.id
    first_holds = threading.Event()
    second_started = threading.Event()
    outcomes: dict[str, str] = {}

    def deliver(name: str, order_id: int, hold: bool) -> None:
        try:
            with app.uow() as uow:
                actor = uow.users.get(fin_id or 0)
                assert actor is not None
                if not hold:
                    first_holds.wait(5)
                    second_started.set()
                record_delivery(uow, actor, order_id, None, clock(), clock().date())
                if hold:
                    first_holds.set()
                    second_started.wait(5)
                    threading.Event().wait(0.4)  # the second is now at the lock, or past it
                uow.commit()
            outcomes[name] = "delivered"
        except Conflict as refused:
            outcomes[name] = refused.key

    threads = [threading.Thread(target=deliver, args=("a", 1, True)),
               threading.Thread(target=deliver, args=("b", 2, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {"a": "delivered", "b": "stock.not_enough"}
    assert _on_hand(app, "SRV-1") == 1
    with app.engine.connect() as conn:
        taken = conn.execute(select(stock_moves.c.quantity)
                             .where(stock_moves.c.kind == "delivery")).scalars().all()
    assert [Decimal(str(q)) for q in taken] == [Decimal(-5)]


def test_backorders_when_configured(app: App) -> None:
    app.dispatcher.settings = app.settings = type(app.settings)(
        **{**vars(app.settings), "allow_backorders": True})
    say(app, "mgr", "/product add SRV-1 Cloud Server 100 stock=1")
    deal = _deal(app, "Acme")
    say(app, "rep", f"/quote {deal} 3 x SRV-1")
    say(app, "rep", "/accept Q-1 plan=net30")
    assert say(app, "fin", "/deliver O-1 all").ok
    assert _on_hand(app, "SRV-1") == -2
