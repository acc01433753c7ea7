"""SqlUnitOfWork: one transaction per `with`, durable only on commit."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from domain.model.users import Role, User
from domain.users import add_user
from storage.unit_of_work import SqlUnitOfWork, session_factory

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


def _add(uow: SqlUnitOfWork, username: str) -> User:
    return add_user(uow, username, Role.REP, NOW, team="east", locale="en", timezone="UTC")


def _exists(factory: sessionmaker[Session], username: str) -> bool:
    with SqlUnitOfWork(factory) as uow:
        return uow.users.by_username(username) is not None


def test_leaving_without_commit_rolls_back(factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        _add(uow, "ghost")
        uow.flush()
        assert uow.users.by_username("ghost") is not None
    assert not _exists(factory, "ghost")


def test_error_inside_with_rolls_back(factory: sessionmaker[Session]) -> None:
    with pytest.raises(RuntimeError), SqlUnitOfWork(factory) as uow:
        _add(uow, "ghost")
        uow.flush()
        raise RuntimeError("boom")
    assert not _exists(factory, "ghost")


def test_commit_persists(factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        user = _add(uow, "kept")
        uow.commit()
    assert _exists(factory, "kept")
    with SqlUnitOfWork(factory) as uow:
        loaded = uow.users.by_username("kept")
        assert loaded is not None
        assert (loaded.id, loaded.role, loaded.team, loaded.created_at) == (
            user.id, Role.REP, "east", NOW)


def test_explicit_rollback_discards_work_since_last_commit(
        factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        _add(uow, "first")
        uow.commit()
        _add(uow, "second")
        uow.flush()
        uow.rollback()
        uow.commit()
    assert _exists(factory, "first")
    assert not _exists(factory, "second")


def test_ids_are_assigned_on_flush(factory: sessionmaker[Session]) -> None:
    with SqlUnitOfWork(factory) as uow:
        first = User("first", "First", Role.REP, "east", "en", "UTC", NOW)
        second = User("second", "Second", Role.REP, "east", "en", "UTC", NOW)
        uow.users.add(first)
        uow.users.add(second)
        assert first.id is None and second.id is None
        uow.flush()
        assert isinstance(first.id, int) and isinstance(second.id, int)
        assert first.id != second.id
        assert uow.users.get(first.id) is first


def test_session_is_unavailable_outside_with(factory: sessionmaker[Session]) -> None:
    uow = SqlUnitOfWork(factory)
    with pytest.raises(RuntimeError):
        _ = uow.session
    with uow:
        _add(uow, "once")
        uow.commit()
    with pytest.raises(RuntimeError):
        _ = uow.session
    assert _exists(factory, "once")


def test_a_record_got_twice_in_one_unit_of_work_is_read_once(
        factory: sessionmaker[Session], engine: Engine) -> None:
    """The session's identity map forgets what nobody holds; `get` keeps what it loaded for
    the unit of work, so an access check and the use case after it read the record once."""
    with SqlUnitOfWork(factory) as uow:
        user = _add(uow, "twice")
        uow.commit()
        user_id = user.id
    assert user_id is not None
    reads: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with SqlUnitOfWork(factory) as uow:
            first = uow.users.get(user_id)
            assert first is not None and first.username == "twice"
            del first
            gc.collect()
            again = uow.users.get(user_id)
            assert again is not None and again.username == "twice"
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(reads) == 1, reads
