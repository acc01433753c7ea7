"""The outbox sender killed at random moments, 30 times: nothing is lost, and no run sends
more than the one message that was in flight twice."""

from __future__ import annotations

import pytest

from bot.app import App
from tests.doors.slack_fake import SlackApi
from tests.hardening.crash_window import run
from tests.support import FakeClock

RUNS = 30
ROWS = 12


@pytest.fixture
def platform(slack_api: SlackApi) -> SlackApi:
    return slack_api


def test_killing_the_sender_loses_nothing_and_doubles_at_most_the_one_in_flight(
        app: App, platform: SlackApi, clock: FakeClock) -> None:
    figures = run(app, platform, clock(), runs=RUNS, rows=ROWS, seed=20261123)
    print(f"\n{app.engine.dialect.name}: {figures.runs} kills, {figures.pairs} deliveries due, "
          f"lost {figures.lost}, doubled {figures.doubled} (worst run {figures.worst_run})")
    assert figures.runs == RUNS
    assert figures.lost == 0
    assert figures.worst_run <= 1
