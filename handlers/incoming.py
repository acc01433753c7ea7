"""A message or button press from any door, in one shape."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Upload:
    """A file the person sent with the message (a spreadsheet to import)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Incoming:
    """`platform` is "console", "telegram" or "slack"; `delivery_id` drops repeats."""

    platform: str
    user_id: str
    chat_id: str
    text: str
    delivery_id: str | None = None
    language_hint: str | None = None
    display_name: str | None = None
    file: Upload | None = None
