"""The command table: name, handler, who may use it, and its help keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.model.users import Role
from handlers.context import Ctx
from handlers.reply import Reply

CommandFn = Callable[[Ctx, str], Reply]
ALL_ROLES = (Role.REP, Role.MANAGER, Role.FINANCE, Role.ADMIN)


@dataclass(frozen=True)
class Command:
    name: str
    fn: CommandFn
    roles: tuple[Role, ...]
    group: str

    @property
    def summary_key(self) -> str:
        return f"help.{self.name}.summary"

    @property
    def usage_key(self) -> str:
        return f"help.{self.name}.usage"


COMMANDS: dict[str, Command] = {}
ALIASES: dict[str, str] = {}


def command(
    name: str, *, roles: tuple[Role, ...] = ALL_ROLES, group: str, aliases: tuple[str, ...] = ()
) -> Callable[[CommandFn], CommandFn]:
    """Register a handler under `name`; `roles` may use it (admins may use all)."""

    def register(fn: CommandFn) -> CommandFn:
        COMMANDS[name] = Command(name, fn, roles, group)
        for alias in aliases:
            ALIASES[alias] = name
        return fn

    return register


def find(name: str) -> Command | None:
    return COMMANDS.get(ALIASES.get(name, name))
