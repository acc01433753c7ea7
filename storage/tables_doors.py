"""Tables the chat doors need: open dialogs, link codes and long button payloads."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, false

from storage.tables import metadata, pk, user_fk
from storage.types import JSONText, UTCDateTime

# One open dialog per user per chat; any instance reads it to continue the dialog.
dialog_states = Table(
    "dialog_states", metadata,
    Column("platform", String(16), primary_key=True),
    Column("chat_id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("name", String(24), nullable=False),
    Column("step", Integer, nullable=False),
    Column("answers", JSONText, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Interrupted by another command: kept until the user resumes or cancels it.
    Column("set_aside", Boolean, nullable=False, server_default=false()),
)

link_codes = Table(
    "link_codes", metadata, pk(),
    Column("code", String(16), nullable=False, unique=True),
    user_fk("user_id"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Column("used_by", String(80)),
)
Index("ix_link_codes_user", link_codes.c.user_id)

# Telegram allows 64 bytes of callback data; a longer button command is kept here and
# the button carries its token.
button_payloads = Table(
    "button_payloads", metadata,
    Column("token", String(24), primary_key=True),
    Column("command", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
