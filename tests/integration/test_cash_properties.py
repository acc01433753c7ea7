"""Random cash sequences on SQLite and PostgreSQL: the books balance, and the SQL lists agree.

Each operation is its own transaction; a refused one is rolled back. After the sequence the
SQL-derived figures (`/invoices`, `/customer`) must equal what the domain derives from the
same records, today and two months later (when unpaid invoices are overdue).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from domain.model.customers import Customer
from domain.payments import credit_of
from handlers.unit_of_work import ChatUnitOfWork
from storage import tables_cash
from tests.unit.test_cash_properties import (
    CURRENCIES,
    NewOrder,
    Operation,
    Scenario,
    gapless,
    operations,
)

T = TypeVar("T")


def _scenario(app: App) -> Scenario:
    def run(fn: Callable[[ChatUnitOfWork], T]) -> T:
        with app.uow() as uow:
            uow.action = "property test"
            result = fn(uow)
            uow.commit()
            return result

    with app.uow() as uow:
        rep, fin = uow.users.by_username("rep"), uow.users.by_username("fin")
        assert rep is not None and fin is not None
        customers = []
        for name in ("Acme", "Globex"):
            customer = Customer(name=f"{name} {uuid.uuid4().hex[:8]}", name_key=name.lower(),
                                owner_id=rep.id or 0, team=rep.team,
                                created_at=app.dispatcher.clock())
            uow.customers.add(customer)
            uow.flush()
            customers.append(customer.id or 0)
        uow.commit()
    return Scenario(run, rep.id or 0, fin.id or 0, customers)


def _sql_agrees_with_the_domain(uow: ChatUnitOfWork, scenario: Scenario, days_later: int) -> None:
    today = scenario.today + timedelta(days=days_later)
    orders = [o for o in (uow.orders.get(i) for i in scenario.orders) if o is not None]
    invoices = {i.number: i for o in orders for i in uow.invoices.of_order(o.id or 0)}
    for customer_id in scenario.customers:
        rows = uow.cash_queries.invoices(owner_id=None, team=None, customer_id=customer_id,
                                         scope="all", today=today, page=1, per_page=500).rows
        mine = {n: i for n, i in invoices.items() if i.customer_id == customer_id}
        assert sorted(r["number"] for r in rows) == sorted(mine)
        for row in rows:
            invoice = mine[row["number"]]
            assert (row["paid"], row["credited"], row["outstanding"], row["status"]) == (
                invoice.paid, invoice.credited, invoice.outstanding, invoice.status(today))
        open_rows = uow.cash_queries.invoices(owner_id=None, team=None, customer_id=customer_id,
                                              scope="open", today=today, page=1,
                                              per_page=500).rows
        assert {r["number"] for r in open_rows} == {
            n for n, i in mine.items() if i.outstanding > 0}
        balances = {b["currency"]: b for b in uow.cash_queries.customer_balances(customer_id,
                                                                                 today)}
        for currency in CURRENCIES:
            billed = [i for i in mine.values() if i.currency == currency]
            expected_overdue = sum((i.outstanding for i in billed if i.due_on < today),
                                   Decimal(0))
            balance = balances.get(currency)
            if balance is None:
                assert not billed and credit_of(uow, customer_id, currency) == 0
                continue
            assert balance["outstanding"] == sum((i.outstanding for i in billed), Decimal(0))
            assert balance["overdue"] == expected_overdue
            assert balance["paid"] == sum((i.paid for i in billed), Decimal(0))
            assert balance["credit"] == credit_of(uow, customer_id, currency)
            assert balance["received"] == scenario.received.get((customer_id, currency),
                                                                Decimal(0))
        for row in uow.cash_queries.customer_orders(customer_id, limit=500):
            order = next(o for o in orders if o.id == row["id"])
            position = order.position(list(invoices.values()))
            assert (row["invoiced"], row["paid"], row["outstanding"], row["status"]) == (
                position.invoiced, position.paid, position.outstanding, position.status)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plays=st.lists(operations, min_size=1, max_size=18))
def test_books_balance_and_sql_agrees_on_the_database(app: App, plays: list[Operation]) -> None:
    scenario = _scenario(app)
    for op in [NewOrder(0, "CNY", 2, 100_000, "30/60/10"), *plays]:
        scenario.play(op)
    for days_later in (0, 60):
        scenario.run(partial(_sql_agrees_with_the_domain, scenario=scenario,
                             days_later=days_later))
    scenario.settle_everything()
    scenario.run(lambda uow: _sql_agrees_with_the_domain(uow, scenario, 0))
    with app.engine.connect() as conn:
        numbers = list(conn.execute(select(tables_cash.invoices.c.number)).scalars())
        notes = list(conn.execute(select(tables_cash.credit_notes.c.number)).scalars())
    assert gapless(numbers) and gapless(notes)
