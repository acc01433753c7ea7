"""`/spend`: marketing spend per lead source and month, the cost side of customer
acquisition cost in `/kpi`."""

from __future__ import annotations

from datetime import date

from domain.dates import add_months
from domain.errors import InvalidInput
from domain.model.users import Role
from domain.spend import record_spend
from handlers.arguments import Args, need, read_args, usage_of
from handlers.commands import command
from handlers.context import Ctx
from handlers.periods import parse_period
from handlers.reply import Reply

SPENDERS = (Role.FINANCE, Role.MANAGER)


def _spend_month(ctx: Ctx, args: Args) -> date:
    text = args.option("month")
    if text is None:
        return ctx.today.replace(day=1)
    period = parse_period(text, ctx.today)
    if period.start.day != 1 or period.end != add_months(period.start, 1):
        raise InvalidInput("spend.bad_month", value=text)
    return period.start


@command("spend", roles=SPENDERS, group="reports", samples=("ads 1000",))
def spend(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "spend")
    args = read_args(text, "month", "note", usage=usage)
    source = need(args.positional[0] if args.positional else None, "spend.need_source", usage)
    amount = ctx.amount(need(" ".join(args.positional[1:]), "spend.need_amount", usage))
    month = _spend_month(ctx, args)
    booked = record_spend(ctx.uow, ctx.user, source, amount, month, ctx.settings, ctx.now,
                          note=args.option("note"))
    t = ctx.t
    lines = [t("spend.booked", source=t.term("source", booked.source), amount=t.money(booked.amount,
                                                                     booked.currency),
               month=f"{booked.month:%Y-%m}")]
    for row in ctx.uow.reports.spend_of(booked.source, booked.month):
        lines.append(t("spend.month_total", source=t.term("source", booked.source),
                       month=f"{booked.month:%Y-%m}",
                       amount=t.money(row["amount"], row["currency"]), entries=row["entries"]))
    return Reply("\n".join(lines))
