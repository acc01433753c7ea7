"""The order card (`/order`): lines ordered and delivered, invoiced, paid and outstanding, the
payment plan with each installment's state, deliveries and invoices; and the buttons for what
can be done next (deliver the rest, invoice the next installment)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from domain.model.invoices import Invoice
from domain.model.orders import Installment, Order, OrderPosition
from domain.model.users import Role
from domain.orders import get_order
from domain.references import reference
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.context import Ctx
from handlers.installments import terms_text, trigger_text
from handlers.references import ref_of
from handlers.reply import Button, Reply

CARD_ROWS = 5


def quantity(ctx: Ctx, value: Decimal) -> str:
    """A quantity as the reader writes numbers, without trailing zeros."""
    return ctx.t.number(value.normalize())


def order_ref(ctx: Ctx, text: str | None, usage: str) -> int:
    """The order an `O-n` names; missing: show how to write the command."""
    return ref_of(need(text, "order.need_ref", usage), "order").id


def _installment_state(ctx: Ctx, order: Order, part: Installment,
                       invoices: Sequence[Invoice]) -> str:
    billed = [i for i in invoices if i.installment_seq == part.seq and not i.is_void]
    if billed:
        return ctx.t("installment.invoiced", invoice=billed[0].number,
                     status=ctx.t(f"invoice.status.{billed[0].status(ctx.today)}"))
    if part.amount <= 0:
        return ctx.t("installment.nothing_to_bill")
    waiting = order.waits_for(part, ctx.today)
    if waiting is None:
        return ctx.t("installment.ready")
    return ctx.t(f"installment.{waiting.split('.')[-1]}",
                 date=ctx.t.date(part.on_date) if part.on_date else "")


def delivery_items(ctx: Ctx, order: Order, positions: Sequence[tuple[int, Decimal]]) -> str:
    """Delivered quantities by order line, written in the reader's words."""
    names = {line.position: line.item for line in order.lines}
    return ctx.t("delivery.sep").join(
        ctx.t("delivery.item", qty=quantity(ctx, q), item=names.get(p, "?")) for p, q in positions)


def next_open(order: Order, invoices: Sequence[Invoice]) -> Installment | None:
    """The first installment with something to bill and no live invoice yet."""
    taken = {i.installment_seq for i in invoices if not i.is_void}
    return next((p for p in order.installments if p.seq not in taken and p.amount > 0), None)


def order_text(ctx: Ctx, order: Order, invoices: Sequence[Invoice]) -> str:
    """The order card's text: lines, money, plan, deliveries and invoices."""
    position = order.position(invoices)
    c = order.currency
    customer = ctx.uow.customers.get(order.customer_id)
    owner = ctx.uow.users.get(order.owner_id)
    lines = [
        ctx.t("order.card.title", ref=order.number,
              customer=f"{reference('customer', order.customer_id)} "
                       f"{customer.name if customer else ''}".strip(),
              total=ctx.t.money(order.total, c),
              status=ctx.t(f"order.status.{position.status}")),
        ctx.t("order.card.signed", date=ctx.t.date(order.signed_on),
              owner=owner.display_name if owner else "—", plan=order.plan,
              deal=reference("deal", order.deal_id)),
        ctx.t("order.card.lines"),
    ]
    for line in order.lines:
        lines.append(ctx.t("order.card.line", pos=line.position, item=line.item,
                           ordered=quantity(ctx, line.quantity),
                           delivered=quantity(ctx, order.delivered(line)),
                           left=quantity(ctx, order.to_deliver(line))))
    lines.append(_money_line(ctx, position, c))
    lines.append(ctx.t("order.card.plan"))
    for part in order.installments:
        lines.append(ctx.t("order.card.installment", seq=part.seq,
                           pct=ctx.t.percent(part.percent), amount=ctx.t.money(part.amount, c),
                           trigger=trigger_text(ctx, part), terms=terms_text(ctx, part),
                           state=_installment_state(ctx, order, part, invoices)))
    if order.deliveries:
        lines.append(ctx.t("order.card.deliveries"))
        for delivery in order.deliveries[-CARD_ROWS:]:
            lines.append(ctx.t("order.card.delivery", date=ctx.t.date(delivery.delivered_on),
                               items=delivery_items(ctx, order, [(d.position, d.quantity)
                                                                  for d in delivery.lines])))
    if invoices:
        lines.append(ctx.t("order.card.invoices"))
        lines += [_invoice_line(ctx, i) for i in invoices]
    return "\n".join(lines)


def _money_line(ctx: Ctx, position: OrderPosition, currency: str) -> str:
    return ctx.t("order.card.money", invoiced=ctx.t.money(position.invoiced, currency),
                 paid=ctx.t.money(position.paid, currency),
                 outstanding=ctx.t.money(position.outstanding, currency),
                 uninvoiced=ctx.t.money(position.uninvoiced, currency))


def _invoice_line(ctx: Ctx, invoice: Invoice) -> str:
    return ctx.t("order.card.invoice", number=invoice.number,
                 total=ctx.t.money(invoice.total, invoice.currency),
                 outstanding=ctx.t.money(invoice.outstanding, invoice.currency),
                 due=ctx.t.date(invoice.due_on),
                 status=ctx.t(f"invoice.status.{invoice.status(ctx.today)}"))


def order_buttons(ctx: Ctx, order: Order, invoices: Sequence[Invoice]) -> list[list[Button]]:
    """What the reader may do next: deliver the rest, invoice the next installment."""
    row: list[Button] = []
    if not order.fully_delivered and (ctx.user.has_role(Role.FINANCE)
                                      or ctx.user.can_write(order.owner_id, order.team)):
        row.append(Button(ctx.t("button.deliver_rest"), f"/deliver {order.number} all"))
    part = next_open(order, invoices)
    if part is not None and ctx.user.has_role(Role.FINANCE) \
            and order.waits_for(part, ctx.today) is None \
            and order.position(invoices).uninvoiced >= part.amount:
        row.append(Button(ctx.t("button.invoice_installment", seq=part.seq),
                          f"/invoice {order.number} installment={part.seq}"))
    return [row] if row else []


@command("order", roles=READERS, group="cash", samples=("O-1", "O-2"))
def order_card(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "order")
    args = read_args(text, usage=usage)
    order = get_order(ctx.uow, ctx.user,
                      order_ref(ctx, args.positional[0] if args.positional else None, usage))
    invoices = ctx.uow.invoices.of_order(order.id or 0)
    return Reply(order_text(ctx, order, invoices), order_buttons(ctx, order, invoices))
