"""Timed work: every job is idempotent; run twice or on two machines, it sends nothing twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.app import App
from bot.delivery import Deliverer, Stats
from domain.reminders import queue_due_reminders

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    """What one run of the due jobs did."""

    reminders: int = 0
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

    def deliver(self) -> Stats:
        return self.deliverer.run_once()

    def tick(self, now: datetime) -> TickReport:
        """Every job that is due at `now`, once, then one delivery pass."""
        report = TickReport()
        report.reminders = self.reminders(now)
        report.delivered = self.deliver()
        return report
