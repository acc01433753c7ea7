"""Follow-up reminders: due at an instant, sent once, done or snoozed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import Conflict, InvalidInput
from domain.model.subjects import Subject
from domain.references import reference

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

    @classmethod
    def set_for(cls, user_id: int, subject: Subject | None, due_at: datetime, text: str,
                now: datetime) -> Reminder:
        """A reminder in the future with a text (a long one is cut short)."""
        text = text.strip()
        if not text:
            raise InvalidInput("reminder.no_text")
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        if due_at <= now:
            raise InvalidInput("reminder.in_past")
        return cls(
            user_id=user_id, text=text, due_at=due_at, created_at=now,
            ref_kind=subject.kind if subject else None, ref_id=subject.id if subject else None,
            ref_number=subject.number if subject else None,
        )

    @property
    def number(self) -> str:
        return reference("reminder", self.id)

    def check_open(self) -> None:
        if self.status != ReminderStatus.OPEN:
            raise Conflict("reminder.done_already", ref=self.number)

    def complete(self, now: datetime) -> None:
        self.check_open()
        self.status = ReminderStatus.DONE
        self.done_at = now

    def snooze(self, due_at: datetime, now: datetime) -> None:
        """Move it to a later time; it will be sent again then."""
        self.check_open()
        if due_at <= now:
            raise InvalidInput("reminder.in_past")
        self.due_at = due_at
        self.notified_at = None

    def mark_queued(self, now: datetime) -> None:
        """Its message is in the outbox; it is not queued again until snoozed."""
        self.notified_at = now

    def give_to(self, user_id: int) -> None:
        """The reminder goes along with its record to the record's new owner."""
        self.user_id = user_id
