"""Test helpers shared by the integration and end-to-end suites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import App
from handlers.incoming import Incoming
from handlers.reply import Reply


@dataclass
class FakeClock:
    """A clock the test moves by hand."""

    now: datetime = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def say(app: App, username: str, text: str, **extra: Any) -> Reply:
    """Send one console line as `username` and return the reply."""
    return app.dispatcher.handle(Incoming(platform="console", user_id=username,
                                          chat_id="console", text=text, **extra))
