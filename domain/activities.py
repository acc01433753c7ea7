"""Activities: calls, meetings, visits, emails, WeChat messages and notes on a record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInput
from domain.model.users import User
from domain.reminders import Reminder, add_reminder
from domain.settings import Settings
from domain.subjects import Subject
from domain.unit_of_work import UnitOfWork
from domain.vocabulary import resolve

MAX_TEXT = 2000


class ActivityKind(StrEnum):
    CALL = "call"
    MEETING = "meeting"
    VISIT = "visit"
    EMAIL = "email"
    WECHAT = "wechat"
    NOTE = "note"


def parse_kind(text: str, settings: Settings | None = None) -> ActivityKind:
    """A kind of activity by key or by any of the company's words for it (电话, meet)."""
    terms = (settings or Settings()).terms("kind")
    return ActivityKind(resolve(terms, text, "kind"))


@dataclass(eq=False)
class Activity:
    """Something a person did about a record, at a time."""

    kind: ActivityKind
    text: str
    user_id: int
    at: datetime
    ref_kind: str
    ref_id: int
    lead_id: int | None = None
    customer_id: int | None = None
    deal_id: int | None = None
    id: int | None = None


def log_activity(
    uow: UnitOfWork,
    actor: User,
    subject: Subject,
    kind: ActivityKind,
    text: str,
    now: datetime,
    next_at: datetime | None = None,
) -> tuple[Activity, Reminder | None]:
    """Record an activity; `next_at` also sets a follow-up reminder for the actor."""
    text = text.strip()
    if not text:
        raise InvalidInput("activity.no_text")
    if len(text) > MAX_TEXT:
        raise InvalidInput("field.too_long", field="text", limit=MAX_TEXT)
    activity = Activity(
        kind=kind, text=text, user_id=actor.id or 0, at=now, ref_kind=subject.kind,
        ref_id=subject.id, lead_id=subject.lead_id, customer_id=subject.customer_id,
        deal_id=subject.deal_id,
    )
    uow.activities.add(activity)
    if subject.deal_id is not None:
        deal = uow.deals.get(subject.deal_id)
        if deal is not None:
            deal.note_activity(now, text if next_at is not None else None)
    reminder = None
    if next_at is not None:
        reminder = add_reminder(uow, actor, subject, next_at, text, now)
    return activity, reminder
