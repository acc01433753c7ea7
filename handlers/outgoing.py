"""Getting a reply out: cut to a platform's length limit, and what goes only to the asker."""

from __future__ import annotations

from collections.abc import Callable

from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from handlers.command_line import split_command
from handlers.commands import find
from handlers.i18n import Translator
from handlers.reply import Reply

TELEGRAM_LIMIT = 4096  # characters of one message, counted in UTF-16 units
SLACK_LIMIT = 3000  # characters of one Block Kit section, the tightest Slack text limit

# Commands about the asker alone: asked in a group, they are answered by direct message.
PERSONAL = frozenset({"todo", "remind", "done", "snooze", "linkcode"})

Measure = Callable[[str], int]


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _hard_cut(word: str, limit: int, measure: Measure) -> list[str]:
    """A single word longer than a whole message: the one case where a word is cut."""
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and measure(current + ch) > limit:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def _pieces(line: str, limit: int, measure: Measure) -> list[str]:
    """A line cut at spaces into parts that fit."""
    if measure(line) <= limit:
        return [line]
    parts: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if measure(word) <= limit:
            current = word
        else:
            *whole, current = _hard_cut(word, limit, measure)
            parts += whole
    if current:
        parts.append(current)
    return parts


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Messages of at most `limit` (as `measure` counts), cut between lines where possible,
    otherwise between words; a list keeps its rows whole."""
    if measure(text) <= limit:
        return [text]
    chunks: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        for piece in _pieces(line, limit, measure):
            candidate = piece if current is None else f"{current}\n{piece}"
            if measure(candidate) <= limit:
                current = candidate
            else:
                if current is not None and current.strip():
                    chunks.append(current)
                current = piece
    if current is not None and current.strip():
        chunks.append(current)
    return chunks or [""]


def is_personal(text: str, reply: Reply) -> bool:
    """True when the reply is for the asker only: their reminders, their link code."""
    if reply.private:
        return True
    parsed = split_command(text)
    if parsed is None:
        return False
    found = find(parsed[0])
    return found is not None and found.name in PERSONAL


def translator_for(uow_factory: Callable[[], UnitOfWork], settings: Settings, platform: str,
                   external_id: str, hint: str | None = None) -> Translator:
    """The language and time zone of the person behind a chat account (for a door's own
    notes); a stranger gets the language their app reports, else the company's."""
    with uow_factory() as uow:
        identity = uow.identities.find(platform, external_id)
        user = uow.users.get(identity.user_id) if identity else None
        if user is not None:
            return Translator(user.locale, user.timezone, settings)
    return Translator(hint or settings.locale, settings.timezone, settings)
