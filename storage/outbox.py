"""Claiming and settling outbox rows; safe with several senders on one database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update

from domain.outbox import OutboxStatus
from storage.tables import outbox


@dataclass(frozen=True)
class Claimed:
    """One outbox row taken for sending."""

    id: int
    recipient_kind: str
    recipient: str
    key: str
    params: dict[str, Any]
    dedupe_key: str
    attempts: int
    created_at: datetime


class OutboxStore:
    """Rows are claimed by pushing their next try past a lease; a dead sender's rows come back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
        """Take up to `limit` due rows; nobody else gets them until the lease ends."""
        query = (select(outbox).where(outbox.c.status == OutboxStatus.PENDING,
                                      outbox.c.next_attempt_at <= now)
                 .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit))
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            else:
                # SQLite: take the write lock first so two processes cannot read the same rows.
                conn.exec_driver_sql("UPDATE outbox SET id = id WHERE 0")
            rows = conn.execute(query).mappings().all()
            if not rows:
                return []
            conn.execute(update(outbox).where(outbox.c.id.in_([r["id"] for r in rows]))
                         .values(next_attempt_at=now + lease))
        return [Claimed(id=r["id"], recipient_kind=r["recipient_kind"], recipient=r["recipient"],
                        key=r["key"], params=r["params"], dedupe_key=r["dedupe_key"],
                        attempts=r["attempts"], created_at=r["created_at"]) for r in rows]

    def sent(self, message_id: int, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(
                status=OutboxStatus.SENT, sent_at=now, last_error=None))

    def failed(self, message_id: int, error: str, retry_at: datetime | None,
               params: dict[str, Any] | None = None) -> None:
        """Count a failed try; retry at `retry_at`, or park the row when it is None."""
        values: dict[str, Any] = {"attempts": outbox.c.attempts + 1, "last_error": error[:1000]}
        if retry_at is None:
            values["status"] = OutboxStatus.PARKED
        else:
            values["next_attempt_at"] = retry_at
        if params is not None:
            values["params"] = params
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

    def progress(self, message_id: int, params: dict[str, Any]) -> None:
        """Save which of a message's readers have it already, before sending to the next."""
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(params=params))

    def defer(self, message_id: int, until: datetime) -> None:
        """Hold a row until `until` without counting a try (quiet hours, rate limits)."""
        with self.engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == message_id)
                         .values(next_attempt_at=until))

    def backlog(self) -> tuple[int, datetime | None]:
        """How many rows wait to be sent, and when the oldest of them was written."""
        with self.engine.connect() as conn:
            row = conn.execute(select(func.count(), func.min(outbox.c.created_at))
                               .where(outbox.c.status == OutboxStatus.PENDING)).one()
        return int(row[0]), row[1]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
            return {str(status): int(n) for status, n in rows}
