"""/payments: the payments (回款) received in a period, in total per currency and the latest
ones, for the asker's scope (a rep: their customers and orders; finance: everyone)."""

from __future__ import annotations

from domain.digests import report_scope
from domain.errors import InvalidInput
from domain.references import reference
from domain.users import Role
from handlers.arguments import read_args
from handlers.commands import command
from handlers.context import Ctx
from handlers.periods import parse_period
from handlers.reply import Button, Reply

READERS = (Role.REP, Role.MANAGER, Role.FINANCE)
SCOPE_WORDS = {"mine": "mine", "my": "mine", "我的": "mine", "team": "team", "团队": "team",
               "all": "all", "全部": "all", "所有": "all"}
LATEST = 10


@command("payments", roles=READERS, group="cash")
def payments(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.payments.usage")
    args = read_args(text, "period", usage=usage)
    words = list(args.positional)
    word = SCOPE_WORDS.get(words.pop(0).lower()) if words and words[0].lower() in SCOPE_WORDS \
        else None
    if words:
        raise InvalidInput("report.extra_words", value=" ".join(words), usage=usage)
    scope = report_scope(ctx.user, word)
    period = parse_period(args.option("period") or "this-month", ctx.today)
    window = period.window(ctx.user.timezone)
    t = ctx.t
    who = t(f"report.scope.{scope.word}", team=scope.team or "")
    totals = ctx.uow.reports.received_totals(scope, window)
    if not totals:
        return Reply(t("payments.none", scope=who, period=period.key))
    lines = [t("payments.title", scope=who, period=period.key)]
    lines += [t("payments.total", count=row["payments"],
                amount=t.money(row["amount"], row["currency"])) for row in totals]
    latest = ctx.uow.reports.received_latest(scope, window, LATEST)
    lines.append(t("payments.latest"))
    lines += [t("payments.row", ref=reference("payment", row["id"]), customer=row["customer"],
                amount=t.money(row["amount"], row["currency"]), date=t.date(row["received_on"]),
                method=t.term("method", row["method"])) for row in latest]
    return Reply("\n".join(lines), [[Button(t("button.open_invoices"), "/invoices open")]])
