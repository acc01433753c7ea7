"""`/deliver`: a delivery against an order, in full or line by line ("4 x Server; #2 1"), never
more than was ordered; what is left, and whether an installment is now due."""

from __future__ import annotations

from domain.deliveries import record_delivery
from domain.orders import get_order
from handlers.arguments import read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.item_lines import parse_delivery_items
from handlers.orders import delivery_items, next_open, order_buttons, order_ref, quantity
from handlers.reply import Reply


@command("deliver", roles=READERS, group="cash", samples=("O-1 1 x Server", "O-2 all"))
def deliver(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "deliver")
    args = read_args(text, "date", usage=usage)
    first, _, rest = args.text.partition(" ")
    order_id = order_ref(ctx, first or None, usage)
    rest = rest.strip()
    wanted = None if rest.lower() in ("", "all", "全部") else parse_delivery_items(rest)
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    delivery = record_delivery(ctx.uow, ctx.user, order_id, wanted, ctx.now, ctx.today,
                               delivered_on=day,
                               allow_backorder=ctx.settings.allow_backorders)
    order = get_order(ctx.uow, ctx.user, order_id)
    invoices = ctx.uow.invoices.of_order(order_id)
    lines = [ctx.t("delivery.recorded", ref=order.number,
                   date=ctx.t.date(delivery.delivered_on),
                   items=delivery_items(ctx, order, [(d.position, d.quantity)
                                                      for d in delivery.lines]))]
    for line in order.lines:
        lines.append(ctx.t("delivery.progress", pos=line.position, item=line.item,
                           delivered=quantity(ctx, order.delivered(line)),
                           ordered=quantity(ctx, line.quantity)))
    if order.fully_delivered:
        lines.append(ctx.t("delivery.complete", ref=order.number))
    lines.append(ctx.t("order.status_now",
                       status=ctx.t(f"order.status.{order.position(invoices).status}")))
    part = next_open(order, invoices)
    if part is not None and order.waits_for(part, ctx.today) is None:
        lines.append(ctx.t("delivery.installment_ready", seq=part.seq, ref=order.number))
    return Reply("\n".join(lines), order_buttons(ctx, order, invoices))
