"""A word that fits several configured values is answered with one button per value."""

from __future__ import annotations

import re

from domain.errors import DomainError
from domain.vocabulary import Ambiguous
from handlers.i18n import Translator
from handlers.reply import Button

PER_ROW = 3


def typed_name(t: Translator, kind: str, key: str) -> str:
    """A value as the reader would type it: its name in their language, quoted if it has a
    space (a button's command shows the reader's words, not the key)."""
    name = t.term(kind, key)
    return f'"{name}"' if any(ch.isspace() for ch in name) else name


def choice_buttons(error: DomainError, text: str, t: Translator) -> list[list[Button]]:
    """For an `Ambiguous` word: the same command with the word replaced by each value's name."""
    if not isinstance(error, Ambiguous) or not text.startswith("/"):
        return []
    # The word as a whole value: after a space, "=", ":" or a quote; the last one written.
    found = list(re.finditer(r"(?<=[\s=:\"“「])" + re.escape(error.value)
                             + r"(?=$|[\s\"”」,;、])", text))
    if not error.value or not found:
        return []
    start, end = found[-1].span()
    kind = error.choices.kind
    buttons = [Button(t.term(kind, key), text[:start] + typed_name(t, kind, key) + text[end:])
               for key in error.choices.keys]
    return [buttons[i:i + PER_ROW] for i in range(0, len(buttons), PER_ROW)]
