"""The command table: name, handler, who may use it, its help keys and sample arguments.

A module of commands registers them with `@command` when it is imported, and `load_all()`
imports every module of the `handlers` package: a new module of commands is found without
being added to any list. The table keeps one order, the order of `/help` within each group
and of the Telegram menu, whatever order the modules happen to load in.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from domain.model.users import Role
from handlers.context import Ctx
from handlers.reply import Reply

CommandFn = Callable[[Ctx, str], Reply]
ALL_ROLES = (Role.REP, Role.MANAGER, Role.FINANCE, Role.ADMIN)
# Who may use a command (admins may use every one).
READERS = (Role.REP, Role.MANAGER, Role.FINANCE)
SALES = (Role.REP, Role.MANAGER)
FINANCE = (Role.FINANCE,)
MANAGERS = (Role.MANAGER,)
# Staff and a customer's contacts: the few commands a customer may use too.
EVERYONE = (*ALL_ROLES, Role.CUSTOMER)

# The commands in the order they are listed; a command not named here follows them, in the
# order it was registered.
LIST_ORDER = (
    "contact", "contacts", "order", "deliver", "invoice", "invoices", "paid", "apply", "pay",
    "void", "customer", "cancel", "resume", "lead", "leads", "qualify", "disqualify", "deal",
    "deals", "stage", "won", "lost", "log", "remind", "todo", "done", "snooze", "quote",
    "approve", "reject", "withdraw", "accept", "history", "edit", "rename", "assign",
    "handover", "find", "pipeline", "forecast", "funnel", "kpi", "aging", "leaderboard",
    "stale", "digest", "export", "spend", "product", "products", "stock", "status", "pdf",
    "nps", "invite_customer", "start", "linkcode", "lang", "tz", "quiet", "invite",
    "users", "help",
)
_RANK = {name: rank for rank, name in enumerate(LIST_ORDER)}


@dataclass(frozen=True)
class Command:
    """One command. `samples` are arguments to run it with on the example company of the
    authorization matrix and the fuzz suite (`tests/hardening/world.py`: records of the asker,
    of a colleague and of another team), so that both suites cover it from the day it is added;
    "" is the command alone."""

    name: str
    fn: CommandFn
    roles: tuple[Role, ...]
    group: str
    samples: tuple[str, ...] = ()

    @property
    def summary_key(self) -> str:
        return f"help.{self.name}.summary"

    @property
    def usage_key(self) -> str:
        return f"help.{self.name}.usage"


COMMANDS: dict[str, Command] = {}
ALIASES: dict[str, str] = {}


def command(
    name: str, *, roles: tuple[Role, ...] = ALL_ROLES, group: str, aliases: tuple[str, ...] = (),
    samples: tuple[str, ...] = (),
) -> Callable[[CommandFn], CommandFn]:
    """Register a handler under `name`; `roles` may use it (admins may use all); `samples`
    are its arguments for the authorization matrix and the fuzz suite."""

    def register(fn: CommandFn) -> CommandFn:
        taken = [word for word in (name, *aliases) if word in COMMANDS or word in ALIASES]
        if taken:  # a second command of one name would silently replace the first
            raise ValueError(f"/{taken[0]} is registered twice")
        COMMANDS[name] = Command(name, fn, roles, group, samples)
        for alias in aliases:
            ALIASES[alias] = name
        ordered = sorted(COMMANDS.values(), key=lambda c: _RANK.get(c.name, len(LIST_ORDER)))
        COMMANDS.clear()
        COMMANDS.update((c.name, c) for c in ordered)
        return fn

    return register


def find(name: str) -> Command | None:
    return COMMANDS.get(ALIASES.get(name, name))


def load_all(package: ModuleType | None = None) -> None:
    """Import every module of `package` (the `handlers` package), so each registers its
    commands. Sub-packages (the sentence reader) register nothing and load when first used."""
    found = package or importlib.import_module("handlers")
    for module in pkgutil.iter_modules(found.__path__):
        if module.ispkg:
            continue
        importlib.import_module(f"{found.__name__}.{module.name}")
