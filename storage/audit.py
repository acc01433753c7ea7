"""The audit trail: every insert, update and delete of a mapped entity, with actor and action."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from storage.tables import audit_log

# Records whose history is their own log; auditing them would double every write.
_SKIP = {"OutboxMessage", "StageChange", "Activity"}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


_COLUMNS: dict[type, tuple[str, ...]] = {}


def _columns(obj: Any) -> tuple[str, ...]:
    """The mapped column attributes of the object's class (looked up once a class)."""
    keys = _COLUMNS.get(type(obj))
    if keys is None:
        keys = _COLUMNS[type(obj)] = tuple(attr.key
                                           for attr in inspect(obj).mapper.column_attrs)
    return keys


def _snapshot(obj: Any) -> dict[str, Any]:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _plain(history.deleted[0]) if history.deleted else None
            after[key] = _plain(history.added[0]) if history.added else None
    return before, after


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    actor = session.info.get("actor_id")
    action = session.info.get("action") or "system"
    now = session.info.get("at") or datetime.now(UTC)
    rows: list[dict[str, Any]] = []

    def row(obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        rows.append({"at": now, "actor_id": actor, "action": action[:40],
                     "entity": type(obj).__name__.lower(), "entity_id": getattr(obj, "id", None),
                     "before": before, "after": after})

    for obj in session.new:
        if type(obj).__name__ not in _SKIP:
            row(obj, None, _snapshot(obj))
    for obj in session.dirty:
        if type(obj).__name__ not in _SKIP and session.is_modified(obj,
                                                                   include_collections=False):
            before, after = _changes(obj)
            if after:
                row(obj, before, after)
    for obj in session.deleted:
        if type(obj).__name__ not in _SKIP:
            row(obj, _snapshot(obj), None)
    if rows:
        session.connection().execute(insert(audit_log), rows)


def install(session_class: type[Session]) -> None:
    """Attach the audit listener to a session class."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def record_new(session: Session, entity: str, rows: list[dict[str, Any]]) -> None:
    """Audit rows for records written around the session (a bulk insert of `rows`, each with
    its id), as a flush makes them."""
    if not rows:
        return
    actor = session.info.get("actor_id")
    action = (session.info.get("action") or "system")[:40]
    now = session.info.get("at") or datetime.now(UTC)
    session.connection().execute(insert(audit_log), [
        {"at": now, "actor_id": actor, "action": action, "entity": entity,
         "entity_id": row["id"], "before": None,
         "after": {key: _plain(value) for key, value in row.items()}} for row in rows])
