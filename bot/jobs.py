"""Timed work: every job is idempotent; run twice or on two machines, it sends nothing twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.app import App
from bot.delivery import Deliverer, Stats
from domain.dunning import chase_overdue
from domain.reminders import queue_due_reminders

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one run of the due jobs did."""

    reminders: int = 0
    dunning: int = 0
    delivered: Stats = field(default_factory=Stats)


class Jobs:
    """The jobs the scheduler (or `python -m bot tick`) runs."""

    def __init__(self, app: App, deliverer: Deliverer) -> None:
        self.app = app
        self.deliverer = deliverer

    def reminders(self, now: datetime) -> int:
        """Queue every follow-up reminder that is due."""
        with self.app.uow() as uow:
            uow.action = "job:reminders"
            count = queue_due_reminders(uow, now)
            uow.commit()
        return count

    def dunning(self, now: datetime) -> int:
        """Chase overdue invoices as of the company's today; returns messages queued."""
        today = now.astimezone(ZoneInfo(self.app.settings.timezone)).date()
        try:
            with self.app.uow() as uow:
                uow.action = "job:dunning"
                count = chase_overdue(uow, self.app.settings, today, now)
                uow.commit()
        except IntegrityError:
            # Another instance marked the same levels first; it sends them, we send nothing.
            log.info("dunning for %s already done by another instance", today)
            return 0
        return count

    def dunning_due(self, now: datetime) -> bool:
        """The daily chase is due once the company clock has passed `schedule.dunning_at`."""
        local = now.astimezone(ZoneInfo(self.app.settings.timezone))
        return local.time() >= time.fromisoformat(self.app.settings.dunning_at)

    def deliver(self) -> Stats:
        return self.deliverer.run_once()

    def tick(self, now: datetime) -> TickReport:
        """Every job that is due at `now`, once, then one delivery pass."""
        report = TickReport()
        report.reminders = self.reminders(now)
        if self.dunning_due(now):
            report.dunning = self.dunning(now)
        report.delivered = self.deliver()
        return report
