"""A chat delivery is handled once, even when the platform repeats it or two workers race."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.app import App
from domain.model.users import Role, User
from storage.tables import leads, processed_deliveries
from storage.unit_of_work import SqlUnitOfWork, session_factory
from tests.support import say

WAIT = 20.0  # seconds; an upper bound for a blocked call, never a synchronisation delay


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def test_first_sighting_is_new_and_repeats_are_seen(factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        assert uow.deliveries.seen("telegram", "update-1") is False
        assert uow.deliveries.seen("telegram", "update-1") is True
        uow.commit()
    with SqlUnitOfWork(factory) as uow:
        assert uow.deliveries.seen("telegram", "update-1") is True
        assert uow.deliveries.seen("slack", "update-1") is False
        assert uow.deliveries.seen("telegram", "update-2") is False


def test_seen_check_keeps_earlier_work_of_the_transaction(factory: sessionmaker[Session],
                                                          engine: Engine) -> None:
    with SqlUnitOfWork(factory) as uow:
        assert uow.deliveries.seen("slack", "a") is False
        assert uow.deliveries.seen("slack", "a") is True  # the failed insert is undone alone
        assert uow.deliveries.seen("slack", "b") is False
        uow.commit()
    with engine.connect() as conn:
        ids = conn.execute(select(processed_deliveries.c.delivery_id)
                           .order_by(processed_deliveries.c.delivery_id)).scalars().all()
    assert ids == ["a", "b"]


def test_uncommitted_sighting_is_forgotten(factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        assert uow.deliveries.seen("telegram", "update-9") is False
    with SqlUnitOfWork(factory) as uow:
        assert uow.deliveries.seen("telegram", "update-9") is False


def _lead_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(leads)).scalar_one()


def test_repeated_delivery_is_applied_once(app: App) -> None:
    first = say(app, "rep", "/lead Acme", delivery_id="tg-100")
    second = say(app, "rep", "/lead Acme", delivery_id="tg-100")
    assert first.ok and first.text.startswith("Lead L-1 saved")
    assert second.silent
    assert _lead_count(app.engine) == 1
    third = say(app, "rep", "/lead Acme", delivery_id="tg-101")
    assert third.text.startswith("Lead L-2 saved")
    assert _lead_count(app.engine) == 2


def test_refused_delivery_is_answered_once(app: App) -> None:
    # The refusal is the answer: a repeat of the delivery (a replay, a retry) is dropped.
    first = say(app, "fin", "/lead Acme", delivery_id="tg-7")
    second = say(app, "fin", "/lead Acme", delivery_id="tg-7")
    assert not first.ok and second.silent
    assert _lead_count(app.engine) == 0


def _postgres_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers with one file lock; concurrent inserts of one "
                    "key only race on PostgreSQL")


def test_two_workers_racing_on_one_delivery_only_one_handles_it(
        engine: Engine, factory: sessionmaker[Session]) -> None:
    _postgres_only(engine)
    start = threading.Barrier(2, timeout=WAIT)

    def worker() -> bool:
        with SqlUnitOfWork(factory) as uow:
            uow.session.execute(text("SELECT 1"))  # connected before the race starts
            start.wait()
            seen = uow.deliveries.seen("slack", "Ev-race")
            uow.commit()
            return seen

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [f.result(timeout=WAIT) for f in [pool.submit(worker), pool.submit(worker)]]
    assert sorted(results) == [False, True]


def _wait_until_blocked(engine: Engine, application_name: str) -> None:
    """Poll the server until the named session waits on a lock (a condition, not a delay)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                 "AND datname = current_database() AND wait_event_type = 'Lock'")
    deadline = time.monotonic() + WAIT
    # Autocommit: inside one transaction pg_stat_activity would stay a frozen snapshot.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        while time.monotonic() < deadline:
            if conn.execute(query, {"name": application_name}).scalar_one():
                return
            time.sleep(0.01)
    raise AssertionError("the second worker never waited for the first")


@pytest.mark.parametrize("first_commits", [True, False])
def test_second_worker_waits_for_the_first_and_follows_its_outcome(
        engine: Engine, factory: sessionmaker[Session], first_commits: bool) -> None:
    _postgres_only(engine)
    name = f"ltc_second_{uuid.uuid4().hex[:8]}"

    def second() -> bool:
        with SqlUnitOfWork(factory) as uow:
            uow.session.execute(text("SELECT set_config('application_name', :name, true)"),
                                {"name": name})
            seen = uow.deliveries.seen("telegram", "upd-42")
            uow.commit()
            return seen

    with ThreadPoolExecutor(max_workers=1) as pool, SqlUnitOfWork(factory) as first:
        assert first.deliveries.seen("telegram", "upd-42") is False
        future = pool.submit(second)
        _wait_until_blocked(engine, name)
        if first_commits:
            first.commit()
        else:
            first.rollback()
        # A new sighting after the first committed is "seen"; after it rolled back, "new".
        assert future.result(timeout=WAIT) is first_commits


def _durability(uow: SqlUnitOfWork) -> str:
    """How the transaction's commit will wait for the disk: SQLite's `synchronous` level
    (2 full, 1 normal) or PostgreSQL's `synchronous_commit`."""
    if uow.session.get_bind().dialect.name == "postgresql":
        return str(uow.session.execute(text("SHOW synchronous_commit")).scalar_one())
    return str(uow.session.execute(text("PRAGMA synchronous")).scalar_one())


def test_a_delivery_recorded_alone_commits_without_waiting_for_the_disk(
        factory: sessionmaker[Session], engine: Engine) -> None:
    with SqlUnitOfWork(factory) as uow:
        durable = _durability(uow)
        assert uow.deliveries.seen("telegram", "read-1") is False
        relaxed = _durability(uow)
        uow.commit()
    assert (durable, relaxed) in (("2", "1"), ("on", "off"))
    with SqlUnitOfWork(factory) as uow:  # the next transaction on the pooled connection
        assert _durability(uow) == durable
        assert uow.deliveries.handled("telegram", "read-1")


def test_a_delivery_recorded_with_other_work_commits_durably(
        factory: sessionmaker[Session], engine: Engine) -> None:
    with SqlUnitOfWork(factory) as uow:
        durable = _durability(uow)
        uow.session.execute(processed_deliveries.insert().values(
            platform="telegram", delivery_id="other-work", at=datetime.now(UTC)))
        assert uow.deliveries.seen("telegram", "write-1") is False
        assert _durability(uow) == durable
        uow.commit()


def test_after_a_flushed_change_the_delivery_commits_durably_without_asking(
        factory: sessionmaker[Session], engine: Engine) -> None:
    """A transaction known to have written (a flush of an entity) is durable as it is: the
    delivery is recorded without a statement about the disk; after a rollback, a read is
    relaxed again."""
    asked: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "synchronous" in statement:
            asked.append(statement)

    with SqlUnitOfWork(factory) as uow:
        durable = _durability(uow)
        uow.users.add(User(username="durable", display_name="Durable", role=Role.REP, team=None,
                           locale="en", timezone="UTC", created_at=datetime.now(UTC)))
        uow.flush()
        event.listen(engine, "before_cursor_execute", note)
        try:
            assert uow.deliveries.seen("telegram", "write-2") is False
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert asked == [] and _durability(uow) == durable
        uow.rollback()
        assert uow.deliveries.seen("telegram", "read-2") is False
        assert _durability(uow) != durable  # nothing written since the rollback: relaxed
        uow.commit()


class _RecordedMeanwhile:
    """The application's unit of work, with another process recording `delivery_id` (in its
    own committed transaction) while the command runs, just before the answer commits."""

    def __init__(self, app: App, delivery_id: str) -> None:
        self.app, self.delivery_id = app, delivery_id
        self.make = app.dispatcher.uow_factory

    def __call__(self) -> SqlUnitOfWork:
        uow = self.make()
        assert isinstance(uow, SqlUnitOfWork)
        flush = uow.flush

        def flush_then_race() -> None:
            flush()
            with self.app.engine.begin() as conn:
                conn.execute(processed_deliveries.insert().values(
                    platform="console", delivery_id=self.delivery_id, at=datetime.now(UTC)))

        uow.flush = flush_then_race  # type: ignore[method-assign]
        return uow


@pytest.mark.parametrize("line", ["/todo", "/lead Acme"])
def test_a_delivery_another_process_answered_meanwhile_is_dropped_whole(
        app: App, line: str) -> None:
    if line != "/todo" and app.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the other process would wait for this one's write lock")
    app.dispatcher.uow_factory = _RecordedMeanwhile(app, "race-1")
    reply = say(app, "rep", line, delivery_id="race-1")
    assert reply.silent
    assert _lead_count(app.engine) == 0
    with app.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(processed_deliveries)
                            .where(processed_deliveries.c.delivery_id == "race-1")).scalar_one()
    assert rows == 1
