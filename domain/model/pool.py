"""The public pool (公海): leads and customers nobody follows up go back to it, and any rep
of the record's team may claim one from it.

A pooled record keeps its owner column (the previous owner) and its team (whose pool it is
in); `in_pool` says nobody works it. Reps cannot change a pooled record until they claim it;
the previous owner may not claim it back before `cooldown_until`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from domain.errors import Conflict, InvalidInput

MAX_RELEASE_REASON = 500


class Poolable(Protocol):
    """A lead or a customer: what the pool needs of it."""

    owner_id: int
    team: str | None
    in_pool: bool
    pooled_at: datetime | None
    previous_owner_id: int | None
    cooldown_until: datetime | None
    touched_at: datetime | None

    @property
    def number(self) -> str: ...


def send_to_pool(record: Poolable, now: datetime, cooldown_days: int) -> None:
    """The record goes to its team's pool; its owner may not take it back for a while."""
    if record.in_pool:
        raise Conflict("pool.already_in", ref=record.number)
    record.in_pool = True
    record.pooled_at = now
    record.previous_owner_id = record.owner_id
    record.cooldown_until = now + timedelta(days=cooldown_days)


def check_claimable(record: Poolable, user_id: int, now: datetime) -> None:
    """In the pool, and not the previous owner's while their cooldown lasts."""
    if not record.in_pool:
        raise Conflict("pool.not_in_pool", ref=record.number)
    if record.previous_owner_id == user_id and record.cooldown_until is not None \
            and now < record.cooldown_until:
        raise Conflict("pool.cooldown", ref=record.number, until=record.cooldown_until)


def take_from_pool(record: Poolable, user_id: int, team: str | None, now: datetime) -> None:
    """The claimer owns the record from now on; the clock of neglect starts again."""
    record.in_pool = False
    record.owner_id = user_id
    record.team = team
    record.touched_at = now


def release_reason(text: str | None) -> str:
    """Why a rep gives a record back: required."""
    reason = " ".join((text or "").split())
    if not reason:
        raise InvalidInput("pool.reason_required")
    return reason[:MAX_RELEASE_REASON]


def last_touch(record: Poolable, created_at: datetime) -> datetime:
    """When someone last worked the record (created, assigned, claimed or an activity)."""
    return record.touched_at or created_at
