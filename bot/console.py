"""The console door: one command per line on stdin, replies on stdout."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.app import App
from domain.model.users import Role
from domain.users import add_user
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.reply import Attachment, Reply

PROMPT = "> "


class ConsoleSender:
    """Notifications for people who use the console: printed with whom they are for."""

    platform = "console"

    def __init__(self, out: TextIO, directory: Path | None = None) -> None:
        self.out = out
        self.directory = directory

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        text = render(reply, self.directory)
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


def files_dir() -> Path:
    """Where the console puts charts and exports: $LTC_CHARTS_DIR, else ./charts."""
    return Path(os.environ.get("LTC_CHARTS_DIR") or "charts")


def save_file(attachment: Attachment, directory: Path) -> Path:
    """Write an attachment into `directory` under a name not taken yet."""
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(attachment.name).name or "file"
    path, stem, suffix, number = directory / name, Path(name).stem, Path(name).suffix, 1
    while path.exists():
        number += 1
        path = directory / f"{stem}-{number}{suffix}"
    path.write_bytes(attachment.data)
    return path


def render(reply: Reply, directory: Path | None = None) -> str:
    """Reply text with its buttons written as the commands they stand for; files are saved
    into `directory` (default: files_dir()) and their paths printed."""
    lines = [reply.text] if reply.text else []
    for row in reply.buttons:
        lines.append("  " + "  ".join(f"[{b.label}: {b.command}]" for b in row))
    for attachment in reply.files:
        lines.append(f"  📎 {save_file(attachment, directory or files_dir())}")
    return "\n".join(lines)


def run_console(app: App, username: str, lines: Iterable[str], out: TextIO,
                interactive: bool = False, directory: Path | None = None) -> int:
    """Answer each line; returns how many commands were refused. Files go to `directory`."""
    if bootstrap_admin(app, username):
        t = Translator(app.settings.locale, app.settings.timezone, app.settings)
        out.write(t("console.bootstrapped", username=username) + "\n")
    elif interactive:
        t = Translator(app.settings.locale, app.settings.timezone, app.settings)
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
            text = render(reply, directory)
            if text:
                out.write(text + "\n")
        if interactive:
            out.write(PROMPT)
        out.flush()
    return refused
