"""Which doors open: every chat platform whose secrets are in the environment, run together
with the scheduler in one process; with no secrets at all, the console."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.app import App
from bot.console import ConsoleSender
from bot.delivery import Sender
from bot.jobs import Jobs
from bot.scheduler import build_scheduler

log = logging.getLogger(__name__)


class DoorError(Exception):
    """A door cannot open (a secret missing or refused); the message says why."""


@dataclass(frozen=True)
class Secrets:
    """Tokens from the environment; they never live in config.toml."""

    telegram_token: str = ""
    telegram_webhook_secret: str = ""
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""

    @property
    def any_door(self) -> bool:
        """Whether a chat door is asked for (else `run` is the console)."""
        return bool(self.telegram_token or self.slack_bot_token)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Secrets:
        values = os.environ if env is None else env
        return cls(
            telegram_token=values.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_webhook_secret=values.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
            slack_bot_token=values.get("SLACK_BOT_TOKEN", "").strip(),
            slack_signing_secret=values.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_app_token=values.get("SLACK_APP_TOKEN", "").strip(),
        )


class Door(Sender, Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def check(app: App, secrets: Secrets) -> None:
    """Refuse half-configured doors before anything starts."""
    if secrets.telegram_token and app.runtime.telegram_webhook_url \
            and not secrets.telegram_webhook_secret:
        raise DoorError("telegram.webhook_url is set in config.toml, so "
                              "TELEGRAM_WEBHOOK_SECRET must be set too (any long random text)")
    if secrets.slack_bot_token and not secrets.slack_app_token \
            and not secrets.slack_signing_secret:
        raise DoorError("SLACK_BOT_TOKEN is set: also set SLACK_SIGNING_SECRET (HTTP "
                              "mode) or SLACK_APP_TOKEN (Socket Mode)")
    if (secrets.slack_signing_secret or secrets.slack_app_token) and not secrets.slack_bot_token:
        raise DoorError("Slack secrets are set but SLACK_BOT_TOKEN is missing")


def build_doors(app: App, secrets: Secrets) -> list[Door]:
    """The doors whose secrets are set (the Slack app checks its token with Slack here)."""
    check(app, secrets)
    doors: list[Door] = []
    if secrets.telegram_token:
        from bot.telegram_door import TelegramDoor  # each chat library loads when used

        doors.append(TelegramDoor(app, secrets.telegram_token,
                                  webhook_secret=secrets.telegram_webhook_secret or None))
    if secrets.slack_bot_token:
        from bot.slack_door import SlackDoor

        try:
            doors.append(SlackDoor(app, bot_token=secrets.slack_bot_token,
                                   signing_secret=secrets.slack_signing_secret,
                                   app_token=secrets.slack_app_token or None))
        except Exception as error:  # Bolt checks the token with Slack (auth.test) right here
            raise DoorError(f"Slack did not accept SLACK_BOT_TOKEN: {error}") from error
    return doors


def senders(app: App, secrets: Secrets) -> list[Sender]:
    """Ways to push notifications without opening the doors (`python -m bot tick`)."""
    check(app, secrets)
    found: list[Sender] = []
    if secrets.telegram_token:
        from bot.telegram_door import TelegramDoor  # each chat library loads when used

        found.append(TelegramDoor(app, secrets.telegram_token))
    if secrets.slack_bot_token:
        from slack_sdk import WebClient

        from bot.slack_door import SlackSender, with_retries

        found.append(SlackSender(with_retries(WebClient(
            token=secrets.slack_bot_token, base_url=app.runtime.slack_api_base_url))))
    return found


def serve(doors: Sequence[Door], stop: threading.Event | None = None) -> None:
    """Start the doors, wait until `stop` is set (or SIGINT/SIGTERM), then close them."""
    stopping = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    started: list[Door] = []
    try:
        for door in doors:
            try:
                door.start()
            except Exception as error:
                raise DoorError(f"the {door.platform} door did not open: {error}") from error
            started.append(door)
            log.warning("%s door open", door.platform)
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for door in reversed(started):
            door.stop()


def run_doors(app: App, secrets: Secrets, console: Callable[[], None]) -> None:
    """`python -m bot run`: the doors with secrets and the scheduler; else the console."""
    from handlers.sentences.words import warm_up  # the reader loads when the doors start

    threading.Thread(target=warm_up, name="dictionary", daemon=True).start()
    doors = build_doors(app, secrets)
    if not doors:
        log.warning("no TELEGRAM_BOT_TOKEN or SLACK_BOT_TOKEN set: starting the console")
        # Reminders and alerts for console users appear in the terminal while they type.
        printer = app.deliverer([ConsoleSender(sys.stdout)])
        background = build_scheduler(Jobs(app, printer))
        background.start()
        try:
            console()
        finally:
            background.shutdown(wait=False)
        return
    deliverer = app.deliverer(doors)
    scheduler = build_scheduler(Jobs(app, deliverer))
    scheduler.start()
    try:
        serve(doors)
    finally:
        scheduler.shutdown(wait=False)
