"""Upgrading a database that holds text typed before it was normalised: bank references that
clash once case and width are folded are reported, not refused; names get simplified keys."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from storage.database import make_engine, migrate
from storage.tables import customers, leads, users
from storage.tables_cash import payments
from storage.tables_doors import dialog_states
from tests.conftest import BACKENDS, PG_SERVER

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own, not yet migrated."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    name = f"ltc_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_SERVER.rsplit("/", 1)[0] + "/" + name)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _old_data(engine: Engine) -> None:
    """What a database at revision 0006 could hold: refs and names as they were typed."""
    with engine.begin() as conn:
        conn.execute(insert(users).values(id=1, username="fin", display_name="Fin", role="finance",
                                          locale="en", timezone="UTC", active=True,
                                          created_at=NOW))
        conn.execute(insert(customers).values(id=1, name="華為技術有限公司", name_key="華為技術",
                                              owner_id=1, created_at=NOW))
        conn.execute(insert(leads).values(id=1, company="華為技術", name_key="華為技術",
                                          owner_id=1, status="new", created_at=NOW))
        for payment_id, ref in [(1, "BANK-9"), (2, "bank-9"), (3, "ＢＡＮＫ－９"), (4, "FW-1"),
                                (5, None)]:
            conn.execute(insert(payments).values(
                id=payment_id, customer_id=1, owner_id=1, currency="CNY", amount=Decimal(100),
                received_on=date(2026, 11, 20), method="bank", ref=ref, recorded_by=1,
                created_at=NOW))


def test_upgrade_reports_bank_ref_clashes_and_keeps_every_payment(
        fresh: Engine, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    migrate(fresh, "0006")
    _old_data(fresh)
    with caplog.at_level(logging.WARNING, logger="ltcbot.migrations"):
        migrate(fresh)
    with fresh.connect() as conn:
        rows = conn.execute(select(payments.c.id, payments.c.ref, payments.c.ref_key)
                            .order_by(payments.c.id)).all()
    assert [tuple(r) for r in rows] == [
        (1, "BANK-9", "bank-9"),
        (2, "bank-9", "bank-9~dup~P-2"),
        (3, "ＢＡＮＫ－９", "bank-9~dup~P-3"),
        (4, "FW-1", "fw-1"),
        (5, None, None),
    ]
    reported = [r.getMessage() for r in caplog.records if r.name == "ltcbot.migrations"]
    assert len(reported) == 2
    assert "P-2" in reported[0] and "P-1" in reported[0] and "'bank-9'" in reported[0]
    assert "P-3" in reported[1] and "P-1" in reported[1]
    assert "P-2" in capsys.readouterr().err


def test_after_the_upgrade_a_folded_bank_ref_cannot_be_stored_twice(fresh: Engine) -> None:
    migrate(fresh, "0006")
    _old_data(fresh)
    migrate(fresh)
    with pytest.raises(IntegrityError), fresh.begin() as conn:
        conn.execute(insert(payments).values(
            customer_id=1, owner_id=1, currency="CNY", amount=Decimal(5),
            received_on=date(2026, 11, 21), method="bank", ref="Bank-9 ", ref_key="bank-9",
            recorded_by=1, created_at=NOW))


def test_upgrade_gives_traditional_names_simplified_keys_and_dialogs_a_set_aside_flag(
        fresh: Engine) -> None:
    migrate(fresh, "0006")
    _old_data(fresh)
    migrate(fresh)
    with fresh.connect() as conn:
        assert conn.execute(select(leads.c.name_key)).scalar_one() == "华为技术"
        assert conn.execute(select(customers.c.name_key)).scalar_one() == "华为技术"
        conn.execute(insert(dialog_states).values(platform="console", chat_id="c", user_id=1,
                                                  name="lead", step=0, answers={},
                                                  updated_at=NOW))
        assert conn.execute(select(dialog_states.c.set_aside)).scalar_one() is False
