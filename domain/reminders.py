"""Follow-up reminders: set, listed, done, snoozed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.model.users import User
from domain.notifications import OutboxMessage
from domain.references import reference
from domain.subjects import Subject
from domain.unit_of_work import UnitOfWork

MAX_TEXT = 500


class ReminderStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(eq=False)
class Reminder:
    """Remind `user_id` at `due_at` (UTC) about a record (R-n)."""

    user_id: int
    text: str
    due_at: datetime
    created_at: datetime
    ref_kind: str | None = None
    ref_id: int | None = None
    ref_number: str | None = None
    status: ReminderStatus = ReminderStatus.OPEN
    done_at: datetime | None = None
    notified_at: datetime | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return reference("reminder", self.id)


def add_reminder(
    uow: UnitOfWork, actor: User, subject: Subject | None, due_at: datetime, text: str,
    now: datetime,
) -> Reminder:
    """A reminder for the actor; it must be in the future."""
    text = text.strip()
    if not text:
        raise InvalidInput("reminder.no_text")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    if due_at <= now:
        raise InvalidInput("reminder.in_past")
    reminder = Reminder(
        user_id=actor.id or 0, text=text, due_at=due_at, created_at=now,
        ref_kind=subject.kind if subject else None, ref_id=subject.id if subject else None,
        ref_number=subject.number if subject else None,
    )
    uow.reminders.add(reminder)
    uow.flush()
    return reminder


def queue_due_reminders(uow: UnitOfWork, now: datetime, limit: int = 500) -> int:
    """Put every reminder that is due and not yet sent into the outbox; returns how many."""
    due = uow.reminders.due(now, limit)
    for reminder in due:
        uow.outbox.add(OutboxMessage(
            recipient_kind="user", recipient=str(reminder.user_id), key="notify.reminder_due",
            params={"reminder": reminder.number, "text": reminder.text,
                    "about": reminder.ref_number or ""},
            dedupe_key=f"reminder:{reminder.id}:{reminder.due_at:%Y%m%dT%H%M}",
            created_at=now, next_attempt_at=now,
        ))
        reminder.notified_at = now
    return len(due)


def _own_open(uow: UnitOfWork, actor: User, reminder_id: int) -> Reminder:
    reminder = uow.reminders.get(reminder_id)
    if reminder is None:
        raise NotFound("ref.not_found", ref=reference("reminder", reminder_id))
    if reminder.user_id != actor.id:
        raise Forbidden("access.not_yours", ref=reminder.number)
    if reminder.status != ReminderStatus.OPEN:
        raise Conflict("reminder.done_already", ref=reminder.number)
    return reminder


def complete_reminder(uow: UnitOfWork, actor: User, reminder_id: int, now: datetime) -> Reminder:
    reminder = _own_open(uow, actor, reminder_id)
    reminder.status = ReminderStatus.DONE
    reminder.done_at = now
    return reminder


def snooze_reminder(
    uow: UnitOfWork, actor: User, reminder_id: int, due_at: datetime, now: datetime
) -> Reminder:
    """Move an open reminder to a later time; it will be sent again then."""
    reminder = _own_open(uow, actor, reminder_id)
    if due_at <= now:
        raise InvalidInput("reminder.in_past")
    reminder.due_at = due_at
    reminder.notified_at = None
    return reminder
