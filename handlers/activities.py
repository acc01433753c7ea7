"""`/log`: an activity with a customer (a call, a visit, a WeChat message...) on a lead,
customer or deal, written as people type it, and the follow-up it sets with `next=`."""

from __future__ import annotations

from domain import activities
from domain.errors import InvalidInput
from domain.model.activities import ActivityKind, parse_kind
from domain.vocabulary import Ambiguous
from handlers.arguments import read_args, unquote, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.references import subject
from handlers.reply import Button, Reply

_GLUE = " ,:;、"


def _kind_and_text(ctx: Ctx, text: str, usage: str) -> tuple[ActivityKind, str]:
    """"call talked to Li", and as phones type it: "电话：沟通了价格", "电话沟通了价格"."""
    first, _, rest = text.partition(" ")
    try:
        kind = parse_kind(first, ctx.settings)
    except Ambiguous:
        raise
    except InvalidInput as refused:
        said = text.casefold()
        glued = sorted(((word, term.key) for term in ctx.settings.terms("kind")
                        for word in term.words
                        if said.startswith(word.casefold()) and len(said) > len(word)
                        and (not word.isascii() or said[len(word)] in _GLUE)),
                       key=lambda found: -len(found[0]))
        if not glued:
            raise refused from None
        word, key = glued[0]
        kind, rest = ActivityKind(key), text[len(word):]
    rest = rest.strip(_GLUE)
    if not rest:
        raise InvalidInput("activity.need_parts", usage=usage)
    return kind, rest


@command("log", roles=READERS, group="sales", samples=("D-2 call hello", "D-3 call hello"))
def log(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "log")
    args = read_args(text, "next", usage=usage)
    parts = args.text.split(None, 1)
    if len(parts) < 2:
        raise InvalidInput("activity.need_parts", usage=usage)
    about = subject(ctx, args.positional[0])
    kind, body = _kind_and_text(ctx, parts[1], usage)
    next_at = ctx.instant(args.options["next"]) if "next" in args.options else None
    activity, reminder = activities.log_activity(ctx.uow, ctx.user, about, kind, unquote(body),
                                                 ctx.now, next_at, settings=ctx.settings)
    lines = [ctx.t("activity.logged", kind=ctx.t.term("kind", activity.kind),
                   ref=about.number, title=about.title)]
    buttons: list[list[Button]] = []
    if reminder is not None:
        lines.append(ctx.t("reminder.set", ref=reminder.number, when=ctx.t.when(reminder.due_at)))
        buttons = [[Button(ctx.t("button.todo"), "/todo")]]
    return Reply("\n".join(lines), buttons)
