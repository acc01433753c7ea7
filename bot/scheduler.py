"""APScheduler wiring: the jobs on their schedules, in the company's time zone."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import Jobs
from domain.dates import parse_interval, parse_time
from domain.errors import StorageUnavailable
from storage.failures import translated

log = logging.getLogger(__name__)
DELIVER_EVERY = timedelta(seconds=5)


def every(text: str) -> timedelta:
    """"30s", "1m", "5m", "1h" -> a timedelta."""
    step = parse_interval(text)
    if step is None:
        raise ValueError(f"not an interval: {text!r}")
    return step


def guarded(name: str, job: Callable[[], object]) -> Callable[[], None]:
    """A job whose failure is logged: one line when the database is out of reach (the next
    run tries again), the traceback for anything else."""

    def run() -> None:
        try:
            job()
        except Exception as error:
            if isinstance(translated(error), StorageUnavailable):
                log.warning("job %s skipped: the database cannot be reached (%s)", name,
                            str(getattr(error, "orig", error)).splitlines()[0][:200])
            else:
                log.exception("job %s failed", name)

    return run


def build_scheduler(jobs: Jobs) -> BackgroundScheduler:
    """A scheduler with every job; missed runs after downtime are caught up once (coalesced)."""
    settings, runtime = jobs.app.settings, jobs.app.runtime
    scheduler = BackgroundScheduler(
        timezone=settings.timezone,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    clock = jobs.app.dispatcher.clock
    scheduler.add_job(guarded("reminders", lambda: jobs.reminders(clock())), IntervalTrigger(
        seconds=every(runtime.reminders_every).total_seconds()), id="reminders")
    scheduler.add_job(guarded("deliver", jobs.deliver),
                      IntervalTrigger(seconds=DELIVER_EVERY.total_seconds()), id="deliver")
    # A full pass at start-up and then hourly catches up whatever a downtime made the timed
    # jobs miss; every job is idempotent, so the extra passes send nothing twice.
    scheduler.add_job(guarded("catch-up", lambda: jobs.tick(clock())), IntervalTrigger(hours=1),
                      id="catch-up", next_run_time=datetime.now(ZoneInfo(settings.timezone)))
    at = parse_time(runtime.dunning_at)
    if at is None:
        raise ValueError(f"not a time of day: {runtime.dunning_at!r}")
    scheduler.add_job(guarded("dunning", lambda: jobs.dunning(clock())), CronTrigger(
        hour=at.hour, minute=at.minute, timezone=settings.timezone), id="dunning")
    scheduler.add_job(guarded("digests", lambda: jobs.digests(clock())), CronTrigger.from_crontab(
        runtime.digest_cron, timezone=settings.timezone), id="digests")
    return scheduler
