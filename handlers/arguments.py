"""Checking a command's options and reading the shared ones (page=)."""

from __future__ import annotations

from domain.errors import InvalidInput
from handlers.context import Ctx
from handlers.option_names import OptionNames
from handlers.parsing import Args, tokenize

PER_PAGE = 20


def read_args(text: str, *allowed: str, usage: str) -> Args:
    """Tokenize and refuse options the command does not know (listed in the reader's words).

    Options may be named in English or Chinese (`discount=5`, `折扣=5`, `折扣：5`).
    """
    args = tokenize(text, allowed)
    for key in args.options:
        if key not in allowed:
            raise InvalidInput("parse.unknown_option", option=args.typed.get(key, key),
                               allowed=OptionNames(allowed), usage=usage)
    return args


def page_of(args: Args) -> int:
    raw = args.option("page")
    if raw is None:
        return 1
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        raise InvalidInput("parse.page", value=raw)
    return int(raw)


def need(value: str | None, key: str, usage: str) -> str:
    """A required part of the command; missing means: show how to write it."""
    if value is None or not value.strip():
        raise InvalidInput(key, usage=usage)
    return value.strip()


def usage_of(ctx: Ctx, command: str) -> str:
    """How to write `command`, in the reader's language: what a refusal shows."""
    return ctx.t(f"help.{command}.usage")


def next_page(ctx: Ctx, has_more: bool, command_text: str, page: int) -> list[str]:
    """The line that says how to see the next page of a list, when there is one."""
    return [ctx.t("list.more", command=f"{command_text} page={page + 1}")] if has_more else []
