"""The chat doors as the benchmarks drive them, and the floors they are measured against.

ltcbot's Telegram door is the real python-telegram-bot Application, fed updates with
`Application.process_update` and answering into a recording Bot API (the `BaseRequest` of
tests/doors); its floor is the same library with one echo handler. ltcbot's Slack door is the
real Bolt app, fed signed `/ltc` requests through `App.dispatch`, its Web API a local HTTP
server; its floor is Bolt acknowledging the same request with `process_before_response=True`.
Nothing here reaches the internet.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

from slack_bolt import Ack, BoltRequest
from slack_bolt import App as BoltApp
from slack_sdk import WebClient
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import App
from bot.slack_door import SlackDoor
from bot.telegram_door import TelegramDoor
from tests.doors.slack_fake import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackApi,
    TrackedExecutor,
    sign,
    slash,
)
from tests.doors.telegram_fake import TOKEN, RecordingRequest, message, user

Between = Callable[[], None]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The floor's handler: answer with the text received."""
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


class TelegramDrive:
    """ltcbot's Telegram door (or, with no app, the echo floor) processing updates in one
    event loop of its own."""

    def __init__(self, app: App | None) -> None:
        self.api = RecordingRequest()
        if app is not None:
            self.door: TelegramDoor | None = TelegramDoor(
                app, TOKEN, request=self.api, updates_request=RecordingRequest(),
                host="127.0.0.1")
            self.application = self.door.application
        else:
            self.door = None
            self.application = (Application.builder().token(TOKEN).request(self.api)
                                .get_updates_request(RecordingRequest()).build())
            self.application.add_handler(MessageHandler(filters.TEXT, echo))
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.application.initialize())

    def run(self, updates: Sequence[dict[str, Any]], before: Between | None = None,
            after: Between | None = None) -> list[float]:
        """Process the updates one after another; seconds each took (JSON to answer sent)."""
        return self.loop.run_until_complete(self._run(updates, before, after))

    async def _run(self, updates: Sequence[dict[str, Any]], before: Between | None,
                   after: Between | None) -> list[float]:
        bot = self.application.bot
        spent: list[float] = []
        for data in updates:
            if before is not None:
                before()
            started = time.perf_counter()
            await self.application.process_update(Update.de_json(data, bot))
            spent.append(time.perf_counter() - started)
            if after is not None:
                after()
        return spent

    def answers(self) -> int:
        return len(self.api.of("sendMessage"))

    def last_answer(self) -> str:
        sent = self.api.of("sendMessage")
        return str(sent[-1].get("text", "")) if sent else ""

    def close(self) -> None:
        self.loop.run_until_complete(self.application.shutdown())
        self.loop.close()


def text_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    """A private message from a Telegram user, as Telegram sends it."""
    return message(update_id, user(user_id), text)


class SlackDrive:
    """ltcbot's Slack door (or, with no app, the ack floor) answering signed `/ltc` requests."""

    def __init__(self, app: App | None, api: SlackApi) -> None:
        client = WebClient(token=BOT_TOKEN, base_url=api.url)
        self.work: TrackedExecutor | None = None
        if app is not None:
            self.work = TrackedExecutor()
            self.door: SlackDoor | None = SlackDoor(
                app, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, client=client,
                host="127.0.0.1", executor=self.work)
            self.bolt = self.door.bolt
        else:
            self.door = None
            self.bolt = BoltApp(signing_secret=SIGNING_SECRET, client=client,
                                process_before_response=True)
            self.bolt.command("/ltc")(self._ack)

    @staticmethod
    def _ack(ack: Ack) -> None:
        ack()

    def command(self, text: str, slack_user: str, trigger: str) -> tuple[float, float]:
        """One signed `/ltc` request: seconds to the ack, and to the work done after it."""
        body = slash(text, user=slack_user, trigger=trigger)
        headers: dict[str, Any] = dict(sign(body))
        request = BoltRequest(body=body, headers=headers)
        started = time.perf_counter()
        response = self.bolt.dispatch(request)
        acked = time.perf_counter()
        if response.status != 200:
            raise RuntimeError(f"Slack answered {response.status}: {response.body}")
        if self.work is not None:
            self.work.settle()
        return acked - started, time.perf_counter() - started

    def close(self) -> None:
        if self.work is not None:
            self.work.shutdown(wait=True)
