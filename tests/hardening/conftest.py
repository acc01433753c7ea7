"""Fixtures of the hardening tests: the Slack door on a local Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import App
from tests.doors.conftest import link
from tests.doors.slack_fake import SlackApi
from tests.doors.test_slack import MGR, REP, SlackHarness, _harness


@pytest.fixture
def slack(app: App, slack_api: SlackApi) -> Iterator[SlackHarness]:
    link(app, "rep", "slack", REP)
    link(app, "mgr", "slack", MGR)
    harness = _harness(app, slack_api)
    yield harness
    harness.work.shutdown(wait=True)
    harness.door.stop()
