"""One message in, one reply out: user, repeat check, parse, role check, use case, commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from domain.errors import ConcurrentChange, DomainError, StorageUnavailable
from domain.model.users import Role, User
from domain.notifications import queue_notifications
from domain.outbox import OutboxMessage
from domain.settings import Settings
from domain.users import link_chat_account
from handlers import dialogs
from handlers.choices import choice_buttons
from handlers.command_line import check_length, normalise, split_command
from handlers.commands import find, load_all
from handlers.context import Ctx
from handlers.customer_door import customer_words
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.reply import Button, Reply
from handlers.unit_of_work import ChatUnitOfWork

if TYPE_CHECKING:
    from handlers.sentences.assistant import Assistant

log = logging.getLogger(__name__)

load_all()  # every module of commands in handlers/ registers its own

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


# A command that lost a race runs again this many times in all; the last run sees the winner.
TRIES = 3


@dataclass(frozen=True)
class Handled:
    """What one message did, for the log line and the metrics; never the message's text.

    `command` is a registered command's name (or "-"); `outcome` is ok, refused, error,
    repeat (a delivery seen before), stranger (an unknown or deactivated account) or
    unavailable (the database could not be reached).
    """

    platform: str
    delivery_id: str | None
    user_id: str
    command: str
    outcome: str
    ms: float


@dataclass
class _Trace:
    command: str = "-"
    outcome: str = "error"
    said: str = ""  # the command a sentence was read as, shown above its refusal too


def _no_translation(error: BaseException) -> Exception | None:
    return None


class Dispatcher:
    """Serves every door; each message runs in its own unit of work."""

    def __init__(self, uow_factory: Callable[[], ChatUnitOfWork], settings: Settings,
                 clock: Clock = utc_now, *,
                 translate: Callable[[BaseException], Exception | None] = _no_translation,
                 observers: Sequence[Callable[[Handled], None]] = (),
                 assistant: Assistant | None = None) -> None:
        self.uow_factory = uow_factory
        self.settings = settings
        self.clock = clock
        # Storage failures in the domain's words (ConcurrentChange, StorageUnavailable).
        self.translate = translate
        self.observers = list(observers)
        self.assistant = assistant  # proposes the command a sentence means (optional)

    def _find_user(self, uow: ChatUnitOfWork, incoming: Incoming) -> User | None:
        if incoming.platform == "console":
            return uow.users.by_username(incoming.user_id)
        return uow.identities.user_of(incoming.platform, incoming.user_id)

    def _stranger_translator(self, incoming: Incoming) -> Translator:
        return Translator(incoming.language_hint or self.settings.locale, self.settings.timezone,
                          self.settings)

    def handle(self, incoming: Incoming) -> Reply:
        """Answer one incoming message or button press."""
        started = time.perf_counter()
        trace = _Trace()
        try:
            reply = self._handle_with_retries(incoming, trace)
        except StorageUnavailable:
            trace.outcome = "unavailable"
            log.warning("database unreachable while handling a %s message", incoming.platform)
            t = self._stranger_translator(incoming)
            reply = Reply(t("ops.database_unavailable"), ok=False)
        handled = Handled(platform=incoming.platform, delivery_id=incoming.delivery_id,
                          user_id=incoming.user_id, command=trace.command,
                          outcome=trace.outcome,
                          ms=round((time.perf_counter() - started) * 1000, 1))
        log.info("command platform=%s delivery=%s user=%s command=%s outcome=%s ms=%.1f",
                 handled.platform, handled.delivery_id or "-", handled.user_id,
                 handled.command, handled.outcome, handled.ms)
        for observe in self.observers:
            observe(handled)
        return reply

    def _handle_with_retries(self, incoming: Incoming, trace: _Trace) -> Reply:
        for attempt in range(1, TRIES + 1):
            try:
                return self._handle_once(incoming, trace)
            except Exception as failure:
                known = failure if isinstance(failure, ConcurrentChange | StorageUnavailable) \
                    else self.translate(failure)
                if isinstance(known, StorageUnavailable):
                    raise known from failure
                if isinstance(known, ConcurrentChange):
                    if attempt < TRIES:
                        log.info("command %s met a concurrent change; running it again",
                                 trace.command)
                        continue
                    trace.outcome = "conflict"
                    t = self._stranger_translator(incoming)
                    return Reply(t("ops.try_again"), ok=False)
                log.exception("handling a %s message failed", incoming.platform)
                trace.outcome = "error"
                t = self._stranger_translator(incoming)
                return Reply(t("error.internal"), ok=False)
        raise AssertionError("unreachable")

    def _handle_once(self, incoming: Incoming, trace: _Trace) -> Reply:
        now = self.clock()
        incoming = replace(incoming, text=normalise(incoming.text))
        with self.uow_factory() as uow:
            user = self._find_user(uow, incoming)
            if user is None:
                trace.outcome = "stranger"
                return self._stranger(uow, incoming, now)
            t = Translator(user.locale, user.timezone, self.settings)
            if not user.active:  # a person who left: refused, nothing written but the delivery
                trace.outcome = "refused"
                if self._repeated(uow, incoming) or not self._commit(uow, incoming):
                    return Reply("")
                return Reply(t("error.deactivated"), ok=False)
            if self._repeated(uow, incoming):
                trace.outcome = "repeat"
                return Reply("")
            try:
                reply = self._run(uow, user, incoming, now, t, trace)
            except DomainError as error:
                uow.rollback()
                if not self._remember(uow, incoming):
                    trace.outcome = "repeat"
                    return Reply("")
                trace.outcome = "refused"
                return Reply(trace.said + t(error.key, **_plain(error.params, t)),
                             choice_buttons(error, incoming.text, t), ok=False)
            except Exception as failure:
                uow.rollback()
                if isinstance(self.translate(failure), ConcurrentChange | StorageUnavailable):
                    raise
                log.exception("command %s failed", trace.command)
                self._tell_admins(uow, user, incoming, failure, now)
                if not self._remember(uow, incoming):
                    return Reply("")
                return Reply(t("error.internal"), ok=False)
            if not reply.ok:  # a refusal changes nothing, not even an open dialog
                uow.rollback()
                trace.outcome = "refused" if self._remember(uow, incoming) else "repeat"
                return reply if trace.outcome == "refused" else Reply("")
            queue_notifications(uow, self.settings, now)
            uow.flush()
            if not self._commit(uow, incoming):  # another process answered it meanwhile
                trace.outcome = "repeat"
                return Reply("")
            trace.outcome = "ok"
            return reply

    def first_sighting(self, platform: str, delivery_id: str) -> bool:
        """Record a delivery that a door answers by itself (e.g. by opening a form); False
        when it was handled before."""
        with self.uow_factory() as uow:
            seen = uow.deliveries.seen(platform, delivery_id)
            uow.commit()
        return not seen

    @staticmethod
    def _repeated(uow: ChatUnitOfWork, incoming: Incoming) -> bool:
        """True when this delivery was handled before (a look-up: the delivery is recorded
        by `_commit`, in the answer's own transaction)."""
        delivery_id = incoming.delivery_id
        return delivery_id is not None and uow.deliveries.handled(incoming.platform, delivery_id)

    @staticmethod
    def _commit(uow: ChatUnitOfWork, incoming: Incoming) -> bool:
        """Record the delivery and commit it with the answer's work: one commit a message.
        False (and nothing kept) when another process recorded it first, which the primary
        key decides, so a delivery is answered once however the processes race."""
        if incoming.delivery_id and uow.deliveries.seen(incoming.platform,
                                                        incoming.delivery_id):
            uow.rollback()
            return False
        uow.commit()
        return True

    @classmethod
    def _remember(cls, uow: ChatUnitOfWork, incoming: Incoming) -> bool:
        """After a rollback: record the delivery (with what was written since), so a replay
        is not answered twice; False when another process answered it first."""
        try:
            return cls._commit(uow, incoming)
        except Exception:
            log.exception("could not record delivery %s", incoming.delivery_id)
            uow.rollback()
            return True

    def _tell_admins(self, uow: ChatUnitOfWork, user: User, incoming: Incoming,
                     failure: Exception, now: datetime) -> None:
        """An unexpected failure is reported to the admins (once per user and minute)."""
        try:
            for admin in uow.users.with_role(Role.ADMIN, None):
                uow.outbox.add(OutboxMessage(
                    recipient_kind="user", recipient=str(admin.id), key="notify.command_failed",
                    params={"user": user.username, "command": incoming.text[:80],
                            "error": f"{type(failure).__name__}: {failure}"[:200]},
                    dedupe_key=f"failed:{user.id}:{now:%Y%m%dT%H%M}:u{admin.id}",
                    created_at=now, next_attempt_at=now,
                ))
            uow.flush()
        except Exception:
            log.exception("could not report the failure to the admins")
            uow.rollback()

    def _run(self, uow: ChatUnitOfWork, user: User, incoming: Incoming, now: datetime,
             t: Translator, trace: _Trace) -> Reply:
        check_length(incoming.text)
        ctx = Ctx(uow=uow, user=user, settings=self.settings, now=now, t=t, incoming=incoming)
        if user.is_customer and split_command(incoming.text) is None:
            # A customer's words are never read as a command: at most a survey's comment.
            trace.command = "customer words"
            uow.actor_id, uow.action, uow.at = user.id, "nps comment", now
            return customer_words(ctx, incoming.text)
        # A plain answer continues an open dialog; its last answer yields the whole command.
        parsed = dialogs.take_turn(ctx, split_command(incoming.text))
        if isinstance(parsed, Reply):
            return parsed
        sentence = parsed is None  # no slash: a sentence, answered by the command it means
        if parsed is None:
            trace.command = "sentence"
            from handlers import sentences  # the reader loads with the first sentence

            parsed = sentences.understand(ctx, self.assistant)
            if isinstance(parsed, Reply):
                return parsed
        name, rest = parsed
        if sentence:
            from handlers import sentences

            trace.said = sentences.shown(name, rest) + "\n"
        command = find(name)
        if command is None:
            return Reply(t("error.unknown_command", command=name[:30]), ok=False)
        trace.command = command.name
        if user.is_customer and not user.has_role(*command.roles):
            return Reply(t("customer.only_commands"),
                         [[Button(t("button.my_status"), "/status")]], ok=False)
        user.require(*command.roles)
        uow.actor_id = user.id
        uow.action = command.name
        uow.at = now
        reply = dialogs.start_if_incomplete(ctx, command.name, rest) or command.fn(ctx, rest)
        if sentence:
            from handlers import sentences

            reply = sentences.answered(ctx, command.name, reply, trace.said)
        return dialogs.set_aside_note(ctx, reply)

    def _stranger(self, uow: ChatUnitOfWork, incoming: Incoming, now: datetime) -> Reply:
        """Unknown chat accounts may only link themselves with an invite code."""
        t = self._stranger_translator(incoming)
        if self._repeated(uow, incoming):
            return Reply("")
        parsed = split_command(incoming.text[:200])
        linking = parsed is not None and parsed[0] in ("start", "link") and bool(parsed[1])
        if parsed and linking and incoming.platform != "console":
            try:
                user = link_chat_account(
                    uow, parsed[1].split()[0], incoming.platform, incoming.user_id, now,
                    locale=incoming.language_hint or self.settings.locale,
                    timezone=self.settings.timezone,
                )
            except DomainError as error:
                uow.rollback()
                if not self._remember(uow, incoming):
                    return Reply("")
                return Reply(t(error.key, **_plain(error.params, t)), ok=False)
            if not self._commit(uow, incoming):
                return Reply("")
            t = Translator(user.locale, user.timezone, self.settings)
            return Reply(t("team.linked", name=user.display_name, role=t(f"role.{user.role}")))
        # Slack has one slash command, so linking there is written /ltc link <code>.
        key = "error.not_registered_slack" if incoming.platform == "slack" \
            else "error.not_registered"
        if not self._commit(uow, incoming):  # the delivery id: a replay is not answered again
            return Reply("")
        return Reply(t(key), ok=False)


def _plain(params: dict[str, object], t: Translator) -> dict[str, object]:
    """Error parameters as the reader should see them: role names in their language."""
    shown: dict[str, object] = {}
    for key, value in params.items():
        # "allowed" also lists options (parse.unknown_option); only role lists are translated.
        if key in ("role", "allowed") and isinstance(value, str) \
                and set(value.split("/")) <= {r.value for r in Role}:
            value = " / ".join(t(f"role.{part}") for part in value.split("/"))
        shown[key] = "" if value is None else value
    return shown
