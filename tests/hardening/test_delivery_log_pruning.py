"""The delivery log forgets ids once no platform can repeat them, and the scheduler's pass
does it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from storage.delivery_log import RETENTION, prune_delivery_log
from storage.tables import processed_deliveries
from tests.support import say


def _log(app: App, **ages: timedelta) -> None:
    now = datetime.now(UTC)
    with app.engine.begin() as conn:
        for delivery_id, age in ages.items():
            conn.execute(insert(processed_deliveries).values(
                platform="telegram", delivery_id=delivery_id, at=now - age))


def _kept(app: App) -> list[str]:
    with app.engine.connect() as conn:
        return sorted(conn.execute(select(processed_deliveries.c.delivery_id)).scalars())


def test_the_retention_covers_every_platforms_retry_window() -> None:
    telegram_keeps_updates, slack_retries_events = timedelta(hours=24), timedelta(hours=1)
    assert max(telegram_keeps_updates, slack_retries_events) < RETENTION


def test_ids_older_than_the_retention_are_removed(app: App) -> None:
    _log(app, old=RETENTION + timedelta(minutes=1), recent=timedelta(hours=25),
         fresh=timedelta(seconds=1))
    assert prune_delivery_log(app.engine, datetime.now(UTC)) == 1
    assert _kept(app) == ["fresh", "recent"]


def test_the_scheduled_pass_prunes_and_a_kept_id_still_stops_a_repeat(app: App) -> None:
    _log(app, **{"ancient": RETENTION * 2})
    assert say(app, "rep", "/lead Acme", delivery_id="tg-1").ok
    report = Jobs(app, Deliverer(app.engine, app.settings, [], app.dispatcher.clock)).tick(
        app.dispatcher.clock())
    assert report.pruned == 1
    assert _kept(app) == ["tg-1"]
    assert say(app, "rep", "/lead Acme", delivery_id="tg-1").silent
