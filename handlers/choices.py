"""A word that fits several configured values is answered with one button per value."""

from __future__ import annotations

from domain.errors import DomainError
from domain.vocabulary import Ambiguous
from handlers.i18n import Translator
from handlers.reply import Button

PER_ROW = 3


def choice_buttons(error: DomainError, text: str, t: Translator) -> list[list[Button]]:
    """For an `Ambiguous` word: the same command with the word replaced by each value's key."""
    if not isinstance(error, Ambiguous) or not text.startswith("/"):
        return []
    at = text.rfind(error.value)
    if not error.value or at < 0:
        return []
    buttons = [Button(t.term(error.choices.kind, key),
                      text[:at] + key + text[at + len(error.value):])
               for key in error.choices.keys]
    return [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
