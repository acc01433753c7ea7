"""/payments: the payments (回款) received in a period, in total per currency and the latest
ones, for the asker's scope (a rep: their customers and orders; finance: everyone)."""

from __future__ import annotations

from domain.references import reference
from handlers.arguments import read_args
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.reply import Button, Reply
from handlers.report_scope import read_period, read_scope, who

LATEST = 10


@command("payments", roles=READERS, group="cash", samples=("", "all", "team period=last-30d"))
def payments(ctx: Ctx, text: str) -> Reply:
    usage = ctx.t("help.payments.usage")
    args = read_args(text, "period", usage=usage)
    scope = read_scope(ctx, args, usage)
    period = read_period(ctx, args, "this-month")
    assert period is not None
    window = period.window(ctx.user.timezone)
    t = ctx.t
    totals = ctx.uow.reports.received_totals(scope, window)
    if not totals:
        return Reply(t("payments.none", scope=who(ctx, scope), period=period.key))
    lines = [t("payments.title", scope=who(ctx, scope), period=period.key)]
    lines += [t("payments.total", count=row["payments"],
                amount=t.money(row["amount"], row["currency"])) for row in totals]
    latest = ctx.uow.reports.received_latest(scope, window, LATEST)
    lines.append(t("payments.latest"))
    lines += [t("payments.row", ref=reference("payment", row["id"]), customer=row["customer"],
                amount=t.money(row["amount"], row["currency"]), date=t.date(row["received_on"]),
                method=t.term("method", row["method"])) for row in latest]
    return Reply("\n".join(lines), [[Button(t("button.open_invoices"), "/invoices open")]])
