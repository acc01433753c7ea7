"""Money stays exact and instants stay UTC on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Table, func, select
from sqlalchemy.exc import StatementError

from domain.model.customers import Customer
from domain.model.deals import Deal
from domain.model.users import Role
from domain.users import add_user
from storage.types import Amount, UTCDateTime
from storage.unit_of_work import SqlUnitOfWork, session_factory

probe_metadata = MetaData()
# A temporary table lives only on its connection, so it never leaks into the shared schema.
probe = Table(
    "probe_values", probe_metadata,
    Column("id", Integer, primary_key=True),
    Column("amount", Amount),
    Column("at", UTCDateTime),
    prefixes=["TEMPORARY"],
)


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        probe_metadata.create_all(connection)
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            probe_metadata.drop_all(connection)
            connection.commit()


AMOUNTS = ["0.01", "12345678901.2345", "-0.01", "-98765.4321", "0", "0.0001",
           "100000000000000.0000"]


def test_amounts_round_trip_exactly(conn: Connection) -> None:
    conn.execute(probe.insert(), [{"id": i, "amount": Decimal(v)} for i, v in enumerate(AMOUNTS)])
    loaded = conn.execute(select(probe.c.amount).order_by(probe.c.id)).scalars().all()
    assert loaded == [Decimal(v) for v in AMOUNTS]
    assert all(isinstance(v, Decimal) for v in loaded)


def test_null_amount_stays_null(conn: Connection) -> None:
    conn.execute(probe.insert().values(id=1, amount=None))
    assert conn.execute(select(probe.c.amount)).scalar_one() is None


def test_sum_of_many_amounts_is_exact(conn: Connection) -> None:
    # 0.1 and 0.2 are the classic values a float sum gets wrong.
    values = [Decimal("0.1"), Decimal("0.2"), Decimal("0.01"), Decimal("12345678901.2345"),
              Decimal("-0.07")] * 400
    conn.execute(probe.insert(), [{"id": i, "amount": v} for i, v in enumerate(values)])
    total = conn.execute(select(func.sum(probe.c.amount))).scalar_one()
    assert isinstance(total, Decimal)
    assert total == sum(values, Decimal(0)) == Decimal("4938271560589.8000")


def test_amounts_beyond_four_places_round_half_up_on_every_backend(conn: Connection) -> None:
    values = ["0.00005", "0.00015", "0.00025", "-0.00005", "1.23456"]
    conn.execute(probe.insert(), [{"id": i, "amount": Decimal(v)} for i, v in enumerate(values)])
    loaded = conn.execute(select(probe.c.amount).order_by(probe.c.id)).scalars().all()
    assert loaded == [Decimal("0.0001"), Decimal("0.0002"), Decimal("0.0003"),
                      Decimal("-0.0001"), Decimal("1.2346")]


def test_instants_come_back_aware_in_utc(conn: Connection) -> None:
    shanghai = datetime(2026, 11, 23, 10, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    conn.execute(probe.insert().values(id=1, at=shanghai))
    loaded = conn.execute(select(probe.c.at)).scalar_one()
    assert loaded.tzinfo is UTC
    assert loaded == shanghai
    assert (loaded.hour, loaded.minute, loaded.microsecond) == (2, 30, 123456)


def test_naive_instant_is_refused_and_nothing_written(conn: Connection) -> None:
    with pytest.raises(StatementError) as raised:
        conn.execute(probe.insert().values(id=1, at=datetime(2026, 11, 23, 10, 0)))
    assert isinstance(raised.value.orig, ValueError)
    conn.rollback()
    assert conn.execute(select(func.count()).select_from(probe)).scalar_one() == 0


def test_deal_amount_round_trips_through_the_mapping(engine: Engine) -> None:
    factory = session_factory(engine)
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    with SqlUnitOfWork(factory) as uow:
        owner = add_user(uow, "rep", Role.REP, now, locale="en", timezone="UTC")
        uow.flush()
        customer = Customer(name="Acme", name_key="acme", owner_id=owner.id or 0, team=None,
                            created_at=now)
        uow.customers.add(customer)
        uow.flush()
        deal = Deal(title="Servers", customer_id=customer.id or 0, owner_id=owner.id or 0,
                    team=None, stage="proposal", probability=50, currency="CNY",
                    created_at=now, last_activity_at=now, amount=Decimal("12345678901.23"))
        uow.deals.add(deal)
        uow.commit()
        deal_id = deal.id or 0
    with SqlUnitOfWork(factory) as uow:
        loaded = uow.deals.get(deal_id)
        assert loaded is not None
        assert loaded.amount == Decimal("12345678901.23")
        assert loaded.created_at == now and loaded.created_at.tzinfo is UTC
