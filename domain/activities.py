"""Logging an activity on a record, with an optional follow-up reminder."""

from __future__ import annotations

from datetime import datetime

from domain.model.activities import Activity, ActivityKind
from domain.model.reminders import Reminder
from domain.model.subjects import Subject
from domain.model.users import User
from domain.reminders import add_reminder
from domain.scoring import rescore
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork


def log_activity(
    uow: UnitOfWork,
    actor: User,
    subject: Subject,
    kind: ActivityKind,
    text: str,
    now: datetime,
    next_at: datetime | None = None,
    settings: Settings | None = None,
) -> tuple[Activity, Reminder | None]:
    """Record an activity; `next_at` also sets a follow-up reminder for the actor.

    The lead or customer it is about counts as worked (the pool's clock starts again); a
    lead's first activity is its response time, and with `settings` it is scored again."""
    activity = Activity.about(subject, kind, text, actor.id or 0, now)
    uow.activities.add(activity)
    if subject.lead_id is not None:
        lead = uow.leads.get(subject.lead_id)
        if lead is not None:
            lead.note_activity(now)
            if settings is not None:
                rescore(lead, settings.scoring, now)
    if subject.customer_id is not None:
        customer = uow.customers.get(subject.customer_id)
        if customer is not None:
            customer.note_activity(now)
    if subject.deal_id is not None:
        deal = uow.deals.get(subject.deal_id)
        if deal is not None:
            deal.note_activity(now, activity.text if next_at is not None else None)
    reminder = None
    if next_at is not None:
        reminder = add_reminder(uow, actor, subject, next_at, activity.text, now)
    return activity, reminder
