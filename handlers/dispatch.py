"""One message in, one reply out: user, repeat check, parse, role check, use case, commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from domain.errors import DomainError
from domain.notifications import OutboxMessage, queue_notifications
from domain.settings import Settings
from domain.unit_of_work import UnitOfWork
from domain.users import Role, User, link_chat_account
from handlers import (  # noqa: F401  (registers the commands)
    cash,
    contacts,
    dialogs,
    history,
    records,
    reports,
    sales,
    team,
)
from handlers.commands import find
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.parsing import check_length, split_command
from handlers.reply import Reply

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    """Serves every door; each message runs in its own unit of work."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], settings: Settings,
                 clock: Clock = utc_now) -> None:
        self.uow_factory = uow_factory
        self.settings = settings
        self.clock = clock

    def _find_user(self, uow: UnitOfWork, incoming: Incoming) -> User | None:
        if incoming.platform == "console":
            return uow.users.by_username(incoming.user_id)
        identity = uow.identities.find(incoming.platform, incoming.user_id)
        return uow.users.get(identity.user_id) if identity else None

    def _stranger_translator(self, incoming: Incoming) -> Translator:
        return Translator(incoming.language_hint or self.settings.locale, self.settings.timezone)

    def handle(self, incoming: Incoming) -> Reply:
        """Answer one incoming message or button press."""
        now = self.clock()
        with self.uow_factory() as uow:
            user = self._find_user(uow, incoming)
            if user is None:
                return self._stranger(uow, incoming, now)
            t = Translator(user.locale, user.timezone)
            if not user.active:  # a person who left: refused, nothing written
                return Reply(t("error.deactivated"), ok=False)
            if incoming.delivery_id and uow.deliveries.seen(incoming.platform,
                                                             incoming.delivery_id):
                uow.commit()
                return Reply("")
            try:
                reply = self._run(uow, user, incoming, now, t)
            except DomainError as error:
                uow.rollback()
                return Reply(t(error.key, **_plain(error.params, t)), ok=False)
            except Exception as failure:
                log.exception("command failed: %.200s", incoming.text)
                uow.rollback()
                self._tell_admins(uow, user, incoming, failure, now)
                return Reply(t("error.internal"), ok=False)
            queue_notifications(uow, self.settings, now)
            uow.commit()
            return reply

    def _tell_admins(self, uow: UnitOfWork, user: User, incoming: Incoming,
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
            uow.commit()
        except Exception:
            log.exception("could not report the failure to the admins")
            uow.rollback()

    def _run(self, uow: UnitOfWork, user: User, incoming: Incoming, now: datetime,
             t: Translator) -> Reply:
        check_length(incoming.text)
        ctx = Ctx(uow=uow, user=user, settings=self.settings, now=now, t=t, incoming=incoming)
        # A plain answer continues an open dialog; its last answer yields the whole command.
        parsed = dialogs.take_turn(ctx, split_command(incoming.text))
        if isinstance(parsed, Reply):
            return parsed
        if parsed is None:
            return Reply(t("error.not_a_command"), ok=False)
        name, rest = parsed
        command = find(name)
        if command is None:
            return Reply(t("error.unknown_command", command=name[:30]), ok=False)
        user.require(*command.roles)
        uow.actor_id = user.id
        uow.action = command.name
        uow.at = now
        return dialogs.start_if_incomplete(ctx, command.name, rest) or command.fn(ctx, rest)

    def _stranger(self, uow: UnitOfWork, incoming: Incoming, now: datetime) -> Reply:
        """Unknown chat accounts may only link themselves with an invite code."""
        t = self._stranger_translator(incoming)
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
                return Reply(t(error.key, **_plain(error.params, t)), ok=False)
            if incoming.delivery_id:  # a repeat of this delivery must not answer "already linked"
                uow.deliveries.seen(incoming.platform, incoming.delivery_id)
            uow.commit()
            t = Translator(user.locale, user.timezone)
            return Reply(t("team.linked", name=user.display_name, role=t(f"role.{user.role}")))
        # Slack has one slash command, so linking there is written /ltc link <code>.
        key = "error.not_registered_slack" if incoming.platform == "slack" \
            else "error.not_registered"
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
