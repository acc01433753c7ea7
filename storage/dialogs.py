"""What the chat doors keep between messages: open dialogs, link codes, long button payloads."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Engine, Select, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.model.users import LinkCode
from handlers.unit_of_work import DialogState
from storage.tables_doors import button_payloads, dialog_states


@cache
def _dialog_of() -> Select[Any]:
    """A person's dialog in a chat (read with every message: built once)."""
    t = dialog_states
    return select(t).where(t.c.platform == bindparam("platform"),
                           t.c.chat_id == bindparam("chat_id"),
                           t.c.user_id == bindparam("user_id"))


class SqlDialogs:
    """Dialog state rows, read and written with the unit of work's session (not audited:
    a half-typed answer is not a business record)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # What this transaction read or wrote, so a message looks its dialog up once.
        self.known: dict[tuple[str, str, int], DialogState | None] = {}

    def forget(self) -> None:
        """After a rollback: read again."""
        self.known.clear()

    def get(self, platform: str, chat_id: str, user_id: int) -> DialogState | None:
        key = (platform, chat_id, user_id)
        if key not in self.known:
            self.known[key] = self._read(platform, chat_id, user_id)
        state = self.known[key]
        return None if state is None else DialogState(
            platform=state.platform, chat_id=state.chat_id, user_id=state.user_id,
            name=state.name, step=state.step, answers=dict(state.answers),
            updated_at=state.updated_at, set_aside=state.set_aside)

    def _read(self, platform: str, chat_id: str, user_id: int) -> DialogState | None:
        row = self.session.execute(_dialog_of(), {
            "platform": platform, "chat_id": chat_id, "user_id": user_id}).mappings().first()
        if row is None:
            return None
        return DialogState(platform=row["platform"], chat_id=row["chat_id"],
                           user_id=row["user_id"], name=row["name"], step=row["step"],
                           answers=dict(row["answers"]), updated_at=row["updated_at"],
                           set_aside=bool(row["set_aside"]))

    def save(self, state: DialogState) -> None:
        t = dialog_states
        self.known.pop((state.platform, state.chat_id, state.user_id), None)
        values = {"name": state.name, "step": state.step, "answers": state.answers,
                  "updated_at": state.updated_at, "set_aside": state.set_aside}
        changed = self.session.connection().execute(update(t).where(
            t.c.platform == state.platform, t.c.chat_id == state.chat_id,
            t.c.user_id == state.user_id,
        ).values(**values)).rowcount
        if not changed:
            self.session.execute(insert(t).values(
                platform=state.platform, chat_id=state.chat_id, user_id=state.user_id, **values))

    def delete(self, platform: str, chat_id: str, user_id: int) -> None:
        t = dialog_states
        self.known[(platform, chat_id, user_id)] = None
        self.session.execute(delete(t).where(
            t.c.platform == platform, t.c.chat_id == chat_id, t.c.user_id == user_id))


class SqlLinkCodes:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, obj: LinkCode) -> None:
        self.session.add(obj)

    def by_code(self, code: str) -> LinkCode | None:
        return self.session.scalars(select(LinkCode).filter_by(code=code)).first()


def payload_token(command: str) -> str:
    """A short, stable token for a button command (the same command, the same token)."""
    digest = hashlib.sha256(command.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest[:15]).decode("ascii")


class ButtonPayloads:
    """Button commands too long for a platform's payload limit, kept under a short token."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def token_for(self, command: str) -> str:
        token = payload_token(command)
        with self.engine.connect() as conn:
            known = conn.execute(select(button_payloads.c.token)
                                 .where(button_payloads.c.token == token)).first()
            if known is not None:
                return token
            try:
                conn.execute(insert(button_payloads).values(
                    token=token, command=command, created_at=datetime.now(UTC)))
                conn.commit()
            except IntegrityError:
                conn.rollback()  # another process stored the same command at the same moment
        return token

    def command_of(self, token: str) -> str | None:
        with self.engine.connect() as conn:
            found: str | None = conn.execute(select(button_payloads.c.command)
                                             .where(button_payloads.c.token == token)).scalar()
        return found


def prune_stale_dialogs(engine: Engine, before: datetime) -> int:
    """Forget dialogs nobody answered since `before` (they would start afresh anyway)."""
    with engine.begin() as conn:
        done = conn.execute(delete(dialog_states).where(dialog_states.c.updated_at < before))
    return int(done.rowcount or 0)
