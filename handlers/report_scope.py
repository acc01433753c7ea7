"""What a report counts and over which days: the scope word among the positional words (or
the asker's default) and the `period=` option, as every report command reads them."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.reports import Scope, report_scope
from handlers.arguments import Args
from handlers.context import Ctx
from handlers.periods import Period, parse_period
from handlers.report_text import scope_name

SCOPE_WORDS = {"mine": "mine", "my": "mine", "我的": "mine", "team": "team", "团队": "team",
               "all": "all", "全部": "all", "所有": "all"}


def read_scope(ctx: Ctx, args: Args, usage: str, *, first: int = 0) -> Scope:
    """The scope word among the positional words (or the role's default); nothing else."""
    words = args.positional[first:]
    word: str | None = None
    if words and words[0].lower() in SCOPE_WORDS:
        word = SCOPE_WORDS[words.pop(0).lower()]
    if words:
        raise InvalidInput("report.extra_words", value=" ".join(words), usage=usage)
    return report_scope(ctx.user, word)


def read_period(ctx: Ctx, args: Args, default: str | None) -> Period | None:
    """The `period=` option in the asker's calendar, else `default` (None: no period)."""
    text = args.option("period")
    if text is None:
        return parse_period(default, ctx.today) if default else None
    return parse_period(text, ctx.today)


def who(ctx: Ctx, scope: Scope) -> str:
    """Whose figures these are, in the asker's words."""
    return scope_name(ctx.t, scope.word, scope.team)
