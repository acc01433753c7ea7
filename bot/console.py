"""The console door: one command per line on stdin, replies on stdout."""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from typing import TextIO

from bot.app import App
from domain.users import Role, add_user
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.reply import Reply

PROMPT = "> "


class ConsoleSender:
    """Notifications for people who use the console: printed with whom they are for."""

    platform = "console"

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        text = render(reply)
        self.out.write(f"🔔 @{label or chat_id}: {text}\n")
        self.out.flush()


def default_username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "admin"


def bootstrap_admin(app: App, username: str) -> bool:
    """On an empty database the person at the console becomes the first admin."""
    with app.uow() as uow:
        if uow.users.count() > 0:
            return False
        uow.action = "bootstrap"
        add_user(uow, username, Role.ADMIN, app.dispatcher.clock(),
                 locale=app.settings.locale, timezone=app.settings.timezone)
        uow.commit()
    return True


def render(reply: Reply) -> str:
    """Reply text with its buttons written as the commands they stand for."""
    lines = [reply.text] if reply.text else []
    for row in reply.buttons:
        lines.append("  " + "  ".join(f"[{b.label}: {b.command}]" for b in row))
    return "\n".join(lines)


def run_console(app: App, username: str, lines: Iterable[str], out: TextIO,
                interactive: bool = False) -> int:
    """Answer each line; returns how many commands were refused."""
    if bootstrap_admin(app, username):
        t = Translator(app.settings.locale, app.settings.timezone)
        out.write(t("console.bootstrapped", username=username) + "\n")
    elif interactive:
        t = Translator(app.settings.locale, app.settings.timezone)
        out.write(t("console.hello", username=username) + "\n")
    refused = 0
    number = 0
    if interactive:
        out.write(PROMPT)
        out.flush()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if line.strip() in ("exit", "quit", "/exit", "/quit"):
            break
        if line.strip() and not line.lstrip().startswith("#"):
            number += 1
            reply = app.dispatcher.handle(Incoming(
                platform="console", user_id=username, chat_id="console", text=line.strip(),
            ))
            refused += 0 if reply.ok else 1
            text = render(reply)
            if text:
                out.write(text + "\n")
        if interactive:
            out.write(PROMPT)
        out.flush()
    return refused
