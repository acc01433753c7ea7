"""Shared channels: the domain knows their names, the runtime settings where each one is."""

from __future__ import annotations

import dataclasses

from bot.app import App
from domain.outbox import OutboxMessage
from tests.integration.test_outbox_delivery import Recorder, link
from tests.support import FakeClock


def _to_finance(app: App, clock: FakeClock) -> None:
    with app.uow() as uow:
        uow.outbox.add(OutboxMessage(
            recipient_kind="channel", recipient="finance", key="notify.send_failed",
            params={"what": "m", "to": "x", "error": "e", "attempts": 1},
            dedupe_key="finance:1", created_at=clock(), next_attempt_at=clock()))
        uow.commit()


def test_a_channel_message_goes_to_the_chat_the_runtime_settings_name(
        app: App, clock: FakeClock) -> None:
    app.settings = dataclasses.replace(app.settings, channels=frozenset({"finance"}))
    app.runtime = dataclasses.replace(
        app.runtime, channel_chats={"finance": {"telegram": "-100777", "slack": "C0FIN"}})
    _to_finance(app, clock)
    telegram = Recorder("telegram")
    assert app.deliverer([telegram]).run_once().sent == 1
    assert [chat for chat, _ in telegram.sent] == ["-100777"]


def test_a_channel_without_a_chat_goes_to_its_people(app: App, clock: FakeClock) -> None:
    link(app, clock, "fin", "telegram", "2002")
    _to_finance(app, clock)
    telegram = Recorder("telegram")
    assert app.deliverer([telegram]).run_once().sent == 1
    assert [chat for chat, _ in telegram.sent] == ["2002"]
