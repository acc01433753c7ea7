"""Fixtures for the chat doors: a running Telegram door on a recording Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from bot.app import App
from bot.telegram_door import TelegramDoor
from domain.model.users import Identity
from tests.doors.telegram_fake import TOKEN, RecordingRequest


def link(app: App, username: str, platform: str, external_id: str) -> None:
    """Give a test user a chat account on a platform."""
    with app.uow() as uow:
        found = uow.users.by_username(username)
        assert found is not None and found.id is not None
        uow.identities.add(Identity(platform=platform, external_id=external_id,
                                    user_id=found.id, created_at=app.dispatcher.clock()))
        uow.commit()


class TelegramHarness:
    """The real door (python-telegram-bot Application) serving on its own thread, talking to
    a recording Bot API; `feed` hands it an update the way the webhook does."""

    def __init__(self, app: App, **door: Any) -> None:
        self.api = RecordingRequest()
        self.polls = RecordingRequest()
        self.door = TelegramDoor(app, TOKEN, request=self.api, updates_request=self.polls,
                                 **door)

    def feed(self, update: dict[str, Any]) -> None:
        loop = self.door._loop
        assert loop is not None
        asyncio.run_coroutine_threadsafe(self.door.process(update), loop).result(20)

    def sent(self) -> list[dict[str, Any]]:
        return self.api.of("sendMessage")


@pytest.fixture
def telegram(app: App) -> Iterator[TelegramHarness]:
    harness = TelegramHarness(app)
    harness.door.start()
    try:
        yield harness
    finally:
        harness.door.stop()
