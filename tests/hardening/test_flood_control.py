"""Flood control ahead of the limit: the outbox's sends to a Telegram group are paced by the
library's rate limiter before Telegram has to refuse any."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from telegram.ext import AIORateLimiter

from bot.app import App
from bot.config import load_config
from bot.delivery import Deliverer
from bot.telegram_door import flood_control
from domain.outbox import OutboxMessage
from tests.doors.conftest import TelegramHarness
from tests.support import FakeClock
from tests.unit.test_config import error_for, write

GROUP = "-1001234567891"
PER_SECOND = 3  # a group's pace in this test (Telegram's is 20 a minute)
MESSAGES = 7


@pytest.fixture
def paced(app: App) -> Iterator[TelegramHarness]:
    app.settings = dataclasses.replace(app.settings, channels=frozenset({"managers"}))
    app.runtime = dataclasses.replace(app.runtime, channel_chats={"managers": {"telegram": GROUP}})
    harness = TelegramHarness(app, rate_limiter=AIORateLimiter(
        overall_max_rate=1000, overall_time_period=1, group_max_rate=PER_SECOND,
        group_time_period=1))
    harness.door.start()
    try:
        yield harness
    finally:
        harness.door.stop()


def test_the_production_pace_is_telegrams_published_limits() -> None:
    limiter = flood_control()
    assert limiter._base_limiter is not None
    assert (limiter._base_limiter.max_rate, limiter._base_limiter.time_period) == (30, 1)
    assert (limiter._group_max_rate, limiter._group_time_period) == (20, 60)


def test_the_overall_pace_follows_config_toml(tmp_path: Path, app: App) -> None:
    runtime = load_config(write(tmp_path, "[telegram]\nmessages_per_second = 0\n"),
                          env={}).runtime
    assert runtime.telegram_messages_per_second == 0
    unpaced = TelegramHarness(dataclasses.replace(app, runtime=runtime)).door.application.bot
    assert isinstance(unpaced.rate_limiter, AIORateLimiter)
    assert unpaced.rate_limiter._base_limiter is None  # not paced overall...
    assert unpaced.rate_limiter._group_max_rate == 20  # ...but a group still is
    faster = load_config(write(tmp_path, "[telegram]\nmessages_per_second = 1000\n"),
                         env={}).runtime
    limiter = TelegramHarness(dataclasses.replace(app, runtime=faster)).door.application.bot
    assert isinstance(limiter.rate_limiter, AIORateLimiter)
    assert limiter.rate_limiter._base_limiter is not None
    assert limiter.rate_limiter._base_limiter.max_rate == 1000
    default = load_config(write(tmp_path, '[company]\nname = "Acme"\n'), env={}).runtime
    assert default.telegram_messages_per_second == 30


@pytest.mark.parametrize("value", ["-1", "1001", '"fast"'])
def test_a_pace_out_of_range_is_refused(tmp_path: Path, value: str) -> None:
    error_for(tmp_path, f"[telegram]\nmessages_per_second = {value}\n",
              "telegram.messages_per_second")


def test_the_outbox_burst_to_a_group_is_paced_not_refused(paced: TelegramHarness, app: App,
                                                          clock: FakeClock) -> None:
    with app.uow() as uow:
        for n in range(MESSAGES):
            uow.outbox.add(OutboxMessage(
                recipient_kind="channel", recipient="managers", key="notify.send_failed",
                params={"what": f"m{n}", "to": "x", "error": "e", "attempts": 1},
                dedupe_key=f"burst:{n}", created_at=clock(), next_attempt_at=clock()))
        uow.commit()
    stats = Deliverer(app.engine, app.settings, [paced.door], clock,
                      chats=app.runtime.channel_chats).run_once()
    assert stats.sent == MESSAGES
    calls = [c for c in paced.api.calls if c.method == "sendMessage"]
    assert len(calls) == MESSAGES and {c.params["chat_id"] for c in calls} == {GROUP}
    # A leaky bucket of PER_SECOND a second: the last one went out well after the first.
    spread = timedelta(seconds=calls[-1].at - calls[0].at)
    assert spread >= timedelta(seconds=(MESSAGES - PER_SECOND - 1) / PER_SECOND)
