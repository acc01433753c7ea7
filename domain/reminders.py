"""Follow-up reminders: set, queued when due, done, snoozed."""

from __future__ import annotations

from datetime import datetime

from domain.model.reminders import Reminder
from domain.model.subjects import Subject
from domain.model.users import User
from domain.outbox import OutboxMessage
from domain.records import writable
from domain.unit_of_work import UnitOfWork


def add_reminder(
    uow: UnitOfWork, actor: User, subject: Subject | None, due_at: datetime, text: str,
    now: datetime,
) -> Reminder:
    """A reminder for the actor; it must be in the future."""
    reminder = Reminder.set_for(actor.id or 0, subject, due_at, text, now)
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
        reminder.mark_queued(now)
    return len(due)


def _own(uow: UnitOfWork, actor: User, reminder_id: int) -> Reminder:
    """The actor's reminder: a reminder is read and changed by its person alone."""
    reminder: Reminder = writable(uow, actor, "reminder", reminder_id).entity
    return reminder


def complete_reminder(uow: UnitOfWork, actor: User, reminder_id: int, now: datetime) -> Reminder:
    reminder = _own(uow, actor, reminder_id)
    reminder.complete(now)
    return reminder


def snooze_reminder(
    uow: UnitOfWork, actor: User, reminder_id: int, due_at: datetime, now: datetime
) -> Reminder:
    """Move an open reminder to a later time; it will be sent again then."""
    reminder = _own(uow, actor, reminder_id)
    reminder.snooze(due_at, now)
    return reminder
