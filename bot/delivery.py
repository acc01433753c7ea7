"""The outbox dispatcher: claim due rows, render each for its reader, send, settle."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, select

from bot.metrics import observe_delivery
from domain.model.users import Role
from domain.outbox import LEASE, OutboxMessage, QuietHours, retry_delay
from domain.settings import Settings
from handlers.i18n import Translator
from handlers.notifications import render
from handlers.reply import Reply
from storage.outbox import Claimed, OutboxStore
from storage.repositories import SqlOutbox
from storage.tables import identities, users
from storage.unit_of_work import session_factory

log = logging.getLogger(__name__)


class SendFailed(Exception):
    """A send did not go through; `retry_after` seconds if the platform said when to retry."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Sender(Protocol):
    """A door's way of pushing a message to a chat (a user's DM or a channel)."""

    platform: str

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None: ...


@dataclass(frozen=True)
class Target:
    platform: str
    chat_id: str
    locale: str
    timezone: str
    label: str


@dataclass
class Stats:
    sent: int = 0
    failed: int = 0
    parked: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)


_CHANNEL_ROLES = {"managers": Role.MANAGER, "wins": Role.MANAGER, "finance": Role.FINANCE,
                  "admins": Role.ADMIN}


class Deliverer:
    """Sends what the outbox holds through the doors that are running.

    `chats` says where each shared channel is on each platform (`Runtime.channel_chats`); a
    channel without a chat there goes to its people by role.
    """

    def __init__(self, engine: Engine, settings: Settings, senders: list[Sender],
                 clock: Callable[[], datetime], *,
                 chats: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.chats = chats or {}
        self.senders = {s.platform: s for s in senders}
        self.clock = clock
        self.store = OutboxStore(engine)
        self.sessions = session_factory(engine)

    def run_once(self, limit: int = 200) -> Stats:
        """One pass over the due rows."""
        stats = Stats()
        now = self.clock()
        for message in self.store.claim(now, LEASE, limit):
            self._deliver(message, now, stats)
        observe_delivery(stats.sent, stats.failed, stats.parked, stats.deferred)
        if stats.sent or stats.failed or stats.parked:
            log.info("outbox pass: sent=%d retried=%d parked=%d deferred=%d", stats.sent,
                     stats.failed, stats.parked, stats.deferred)
        return stats

    def _user_targets(self, user_id: int) -> tuple[list[Target], str | None]:
        with self.engine.connect() as conn:
            user = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
            if user is None:
                return [], None
            links = conn.execute(select(identities.c.platform, identities.c.external_id)
                                 .where(identities.c.user_id == user_id)
                                 .order_by(identities.c.id)).all()
        quiet = user["quiet_hours"] or self.settings.quiet_hours
        found = [Target(p, ext, user["locale"], user["timezone"], user["username"])
                 for p, ext in links if p in self.senders]
        if not found and "console" in self.senders:
            found = [Target("console", user["username"], user["locale"], user["timezone"],
                            user["username"])]
        # One door is enough for a person: the first one they linked.
        return found[:1], quiet

    def _channel_targets(self, name: str) -> list[Target]:
        chats = self.chats.get(name, {})
        found = [Target(p, chat, self.settings.locale, self.settings.timezone, f"#{name}")
                 for p, chat in chats.items() if p in self.senders]
        if found:
            return found
        # No chat set for the channel: its people by role, and the admins when there are none.
        for role in (_CHANNEL_ROLES.get(name), Role.ADMIN):
            if role is None:
                continue
            with self.engine.connect() as conn:
                ids = conn.execute(select(users.c.id).where(
                    users.c.role == role, users.c.active.is_(True))).scalars().all()
            targets: list[Target] = []
            for user_id in ids:
                targets += self._user_targets(user_id)[0]
            if targets:
                return targets
        return []

    def _deliver(self, message: Claimed, now: datetime, stats: Stats) -> None:
        if message.recipient_kind == "user":
            targets, quiet = self._user_targets(int(message.recipient))
            if quiet and targets:
                allowed = QuietHours.parse(quiet).next_allowed(now, targets[0].timezone)
                if allowed > now:
                    self.store.defer(message.id, allowed)
                    stats.deferred += 1
                    return
        else:
            targets = self._channel_targets(message.recipient)
        done = set(message.params.get("_done", []))
        error = "" if targets else "no route to recipient"
        retry_after: float | None = None
        waiting = [t for t in targets if f"{t.platform}:{t.chat_id}" not in done]
        for number, target in enumerate(waiting):
            key = f"{target.platform}:{target.chat_id}"
            reply = render(message.key, message.params,
                           Translator(target.locale, target.timezone, self.settings))
            try:
                self.senders[target.platform].send(target.chat_id, reply, label=target.label)
                done.add(key)
                if number < len(waiting) - 1:
                    # Saved at once: if this process dies now, only the readers still
                    # waiting get the message after the lease, not those who have it.
                    self.store.progress(message.id, {**message.params, "_done": sorted(done)})
            except SendFailed as failure:
                error = str(failure)
                retry_after = max(retry_after or 0, failure.retry_after or 0) or None
            except Exception as failure:  # a door's bug must not stop the other messages
                log.exception("sending outbox row %s failed", message.id)
                error = f"{type(failure).__name__}: {failure}"
        if not error:
            self.store.sent(message.id, now)
            stats.sent += 1
            return
        attempts = message.attempts + 1
        delay = retry_delay(attempts)
        if retry_after is not None and delay is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        params = {**message.params, "_done": sorted(done)} if done else None
        self.store.failed(message.id, error, now + delay if delay else None, params)
        stats.errors.append(error)
        if delay is None:
            stats.parked += 1
            self._tell_admins(message, error, now)
        else:
            stats.failed += 1

    def _tell_admins(self, message: Claimed, error: str, now: datetime) -> None:
        """A parked row is reported to the admins, except reports about reports."""
        if message.key == "notify.send_failed":
            return
        with self.sessions() as session:
            outbox = SqlOutbox(session)
            admins = session.execute(select(users.c.id).where(users.c.role == Role.ADMIN,
                                                              users.c.active.is_(True))).scalars()
            for admin_id in admins:
                outbox.add(OutboxMessage(
                    recipient_kind="user", recipient=str(admin_id), key="notify.send_failed",
                    params={"what": message.key, "to": f"{message.recipient_kind}:"
                            f"{message.recipient}", "error": error[:200],
                            "attempts": message.attempts + 1},
                    dedupe_key=f"parked:{message.id}:u{admin_id}", created_at=now,
                    next_attempt_at=now,
                ))
            session.commit()
