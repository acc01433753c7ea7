"""How an installment of a payment plan reads: its trigger and its payment terms."""

from __future__ import annotations

from domain.model.orders import Installment
from domain.plans import Trigger
from handlers.context import Ctx


def trigger_text(ctx: Ctx, part: Installment) -> str:
    """"on signing", "on delivery", "on 2027年3月31日"..."""
    if part.trigger == Trigger.DATE and part.on_date is not None:
        return ctx.t("plan.trigger.on_date", date=ctx.t.date(part.on_date))
    return ctx.t(f"plan.trigger.{part.trigger}")


def terms_text(ctx: Ctx, part: Installment) -> str:
    """"net 30 days", "45 days after month end", or nothing for payment on invoice."""
    if part.end_of_month:
        return ctx.t("plan.terms.eom", days=part.net_days)
    if part.net_days:
        return ctx.t("plan.terms.net", days=part.net_days)
    return ""
