"""Timed work: every job is idempotent; run twice or on two machines, it sends nothing twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import IntegrityError

from bot.app import App
from bot.delivery import Deliverer, Stats
from bot.metrics import observe_dunning
from domain.dates import parse_time
from domain.digests import queue_digests
from domain.dunning import chase_overdue
from domain.notifications import queue_notifications
from domain.pool import sweep
from domain.reminders import queue_due_reminders
from handlers.dialogs import DIALOG_TTL
from storage.delivery_log import prune_delivery_log
from storage.dialogs import prune_stale_dialogs

log = logging.getLogger(__name__)
PENDING_IMPORT_TTL = timedelta(days=1)


@dataclass
class TickReport:
    """What one run of the due jobs did."""

    reminders: int = 0
    dunning: int = 0
    pool_warned: int = 0
    pool_reclaimed: int = 0
    digests: int = 0
    pruned: int = 0
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
        observe_dunning(count)
        if count:
            log.info("dunning for %s: %d messages queued", today, count)
        return count

    def pool(self, now: datetime) -> tuple[int, int]:
        """Warn owners of records about to go to the public pool, and move the neglected
        ones there; returns (warned, reclaimed)."""
        try:
            with self.app.uow() as uow:
                uow.action = "job:pool"
                uow.at = now
                done = sweep(uow, self.app.settings, now)
                queue_notifications(uow, self.app.settings, now)
                uow.commit()
        except IntegrityError:
            log.info("pool warnings already queued by another instance")
            return 0, 0
        if done.reclaimed:
            log.info("public pool: %d records taken back, %d owners' records warned",
                     done.reclaimed, done.warned)
        return done.warned, done.reclaimed

    def dunning_due(self, now: datetime) -> bool:
        """The daily chase is due once the company clock has passed `schedule.dunning_at`."""
        local = now.astimezone(ZoneInfo(self.app.settings.timezone))
        at = parse_time(self.app.runtime.dunning_at)
        return at is not None and local.time() >= at

    def digest_fired(self, now: datetime) -> datetime | None:
        """The latest time this ISO week (company time) `schedule.digest_cron` fired by `now`."""
        tz = ZoneInfo(self.app.settings.timezone)
        local = now.astimezone(tz)
        monday = datetime.combine(local.date() - timedelta(days=local.weekday()), time(0),
                                  tzinfo=tz)
        trigger = CronTrigger.from_crontab(self.app.runtime.digest_cron, timezone=tz)
        fired: datetime | None = None
        following = trigger.get_next_fire_time(None, monday)
        while following is not None and following <= now:
            fired = following
            following = trigger.get_next_fire_time(fired, fired + timedelta(seconds=1))
        return fired

    def digests(self, now: datetime) -> int:
        """Queue this week's digests once their time has passed; a reader who has this week's
        digest already gets nothing more (dedupe key per week and reader)."""
        fired = self.digest_fired(now)
        if fired is None:
            return 0
        with self.app.uow() as uow:
            uow.action = "job:digests"
            count = queue_digests(uow, self.app.settings, fired, now)
            uow.commit()
        return count

    def prune(self, now: datetime) -> int:
        """Forget delivery ids older than any platform's retry window (by the wall clock,
        as they were written: platforms retry in real time, whatever `tick --at` says), and
        dialogs gone stale by `now`."""
        removed = prune_delivery_log(self.app.engine, datetime.now(UTC))
        if removed:
            log.info("delivery log: %d ids older than the retry windows removed", removed)
        with self.app.uow() as uow:  # spreadsheets sent with /import and never answered
            forgotten = uow.imports.prune(now - PENDING_IMPORT_TTL)
            uow.commit()
        if forgotten:
            log.info("%d imports nobody confirmed forgotten", forgotten)
        stale = prune_stale_dialogs(self.app.engine, now - DIALOG_TTL)
        if stale:
            log.info("%d unanswered dialogs forgotten", stale)
        return removed

    def deliver(self) -> Stats:
        return self.deliverer.run_once()

    def tick(self, now: datetime) -> TickReport:
        """Every job that is due at `now`, once, then one delivery pass."""
        report = TickReport()
        report.reminders = self.reminders(now)
        if self.dunning_due(now):
            report.dunning = self.dunning(now)
            report.pool_warned, report.pool_reclaimed = self.pool(now)
        report.digests = self.digests(now)
        report.pruned = self.prune(now)
        report.delivered = self.deliver()
        return report
