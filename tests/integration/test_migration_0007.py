"""Migration 0007 brings data made before it in line: deals worth their latest quote or their
signed order, won on the signing day, and every record filed under its search terms.

The data is written at revision 0006, as the bot of that time left it, then upgraded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text

from storage.database import make_engine, migrate
from storage.tables import contacts, customers, deals, leads, orders, quotes, users
from storage.tables_search import search_terms
from tests.conftest import BACKENDS, PG_SERVER

T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
CLOSED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own, migrated to 0006 only."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        migrate(engine, "0006")
        yield engine
        engine.dispose()
        return
    name = f"ltc_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    try:
        migrate(engine, "0006")
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _user(uid: int, name: str, tz: str) -> dict[str, Any]:
    return {"id": uid, "username": name, "display_name": name, "role": "rep", "team": "east",
            "locale": "en", "timezone": tz, "active": True, "created_at": T0}


def _deal(did: int, status: str, amount: str | None, owner: int = 1,
          closed: datetime | None = None) -> dict[str, Any]:
    return {"id": did, "title": f"Deal {did}", "customer_id": 1, "owner_id": owner,
            "team": "east", "stage": status if status != "open" else "qualification",
            "probability": {"open": 10, "won": 100, "lost": 0}[status], "currency": "CNY",
            "amount": Decimal(amount) if amount else None, "status": status,
            "created_at": T0, "last_activity_at": T0, "closed_at": closed}


def _quote(qid: int, deal_id: int, status: str, total: str) -> dict[str, Any]:
    return {"id": qid, "deal_id": deal_id, "owner_id": 1, "team": "east", "currency": "CNY",
            "discount_pct": Decimal(0), "tax_pct": Decimal(0), "valid_until": date(2026, 12, 31),
            "status": status, "total": Decimal(total), "created_at": T0}


def _order(oid: int, quote_id: int, deal_id: int, total: str, signed: date,
           owner: int = 1) -> dict[str, Any]:
    return {"id": oid, "quote_id": quote_id, "deal_id": deal_id, "customer_id": 1,
            "owner_id": owner, "team": "east", "currency": "CNY", "total": Decimal(total),
            "discount_pct": Decimal(0), "tax_pct": Decimal(0), "signed_on": signed,
            "plan": "100", "created_at": CLOSED}


def _old_data(engine: Engine) -> None:
    won_same_day = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
    with engine.begin() as conn:
        conn.execute(insert(users), [_user(1, "rep", "Asia/Shanghai"),
                                     _user(2, "rep2", "America/New_York")])
        conn.execute(insert(customers), [{"id": 1, "name": "北京华为技术有限公司",
                                          "name_key": "北京华为技术", "owner_id": 1,
                                          "team": "east", "created_at": T0}])
        conn.execute(insert(leads), [{
            "id": 1, "company": "Acme Ltd", "name_key": "acme", "owner_id": 1, "team": "east",
            "status": "qualified", "contact": "Li Ming", "phone": "+86 138 0013 8000",
            "email": "Li@Acme.com", "customer_id": 1, "deal_id": 1, "created_at": T0}])
        conn.execute(insert(contacts), [{"id": 1, "customer_id": 1, "name": "Li Ming",
                                         "phone": "138-0013-8000", "created_at": T0}])
        conn.execute(insert(deals), [
            _deal(1, "open", "120000"), _deal(2, "won", "120000", closed=CLOSED),
            _deal(3, "won", "30000", closed=CLOSED), _deal(4, "open", None),
            _deal(5, "won", None, closed=won_same_day), _deal(6, "open", "800"),
            _deal(7, "won", "50000", owner=2, closed=CLOSED)])
        conn.execute(insert(quotes), [
            _quote(1, 1, "withdrawn", "7000"), _quote(2, 1, "draft", "7155"),
            _quote(3, 1, "rejected", "9000"), _quote(4, 2, "accepted", "7155"),
            _quote(5, 5, "accepted", "2000"), _quote(6, 6, "rejected", "500"),
            _quote(7, 7, "accepted", "45200")])
        conn.execute(insert(orders), [
            _order(1, 4, 2, "7155", date(2026, 10, 15)),
            _order(2, 5, 5, "2000", date(2026, 11, 20)),
            _order(3, 7, 7, "45200", date(2026, 10, 1), owner=2)])


def test_upgrading_brings_deal_figures_in_line_with_quotes_and_orders(
        old_engine: Engine) -> None:
    _old_data(old_engine)
    migrate(old_engine)
    with old_engine.connect() as conn:
        rows = {r.id: (r.amount, r.amount_source, r.amount_ref, r.closed_at) for r in conn.execute(
            select(deals.c.id, deals.c.amount, deals.c.amount_source, deals.c.amount_ref,
                   deals.c.closed_at))}
    assert rows == {
        1: (Decimal("7155"), "quote", 2, None),  # the latest quote still open
        2: (Decimal("7155"), "order", 1, datetime(2026, 10, 15, 4, 0, tzinfo=UTC)),
        3: (Decimal("30000"), "typed", None, CLOSED),  # won with /won, no quote
        4: (None, None, None, None),
        5: (Decimal("2000"), "order", 2, datetime(2026, 11, 20, 3, 0, tzinfo=UTC)),
        6: (Decimal("500"), "quote", 6, None),  # only a rejected quote: still the best known
        7: (Decimal("45200"), "order", 3, datetime(2026, 10, 1, 16, 0, tzinfo=UTC)),  # NY noon
    }


def test_upgrading_files_every_record_under_its_search_terms(old_engine: Engine) -> None:
    _old_data(old_engine)
    migrate(old_engine)
    with old_engine.connect() as conn:
        terms = {(r.kind, r.record_id, r.field, r.term) for r in conn.execute(select(search_terms))}
    assert {("lead", 1, "name", "acme"), ("lead", 1, "name", "li"), ("lead", 1, "name", "ming"),
            ("lead", 1, "phone", "13800138000"), ("lead", 1, "tail", "00083100831"),
            ("lead", 1, "email", "li@acme.com"), ("lead", 1, "email", "acme.com"),
            ("customer", 1, "name", "华为技术"), ("contact", 1, "phone", "13800138000"),
            ("deal", 7, "name", "deal")} <= terms
