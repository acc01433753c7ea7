"""The customer card (`/customer`): details, contacts, deals, orders, deliveries, invoices,
balances per currency, payments and the last contact, as far as the reader may see them."""

from __future__ import annotations

from typing import Any

from domain.customers import get_customer
from domain.references import reference
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, command
from handlers.contacts import contact_line
from handlers.context import Ctx
from handlers.invoices import invoice_row
from handlers.orders import CARD_ROWS, quantity
from handlers.references import customer_id
from handlers.reply import Button, Reply


def _section(ctx: Ctx, key: str, rows: list[str]) -> list[str]:
    return [ctx.t(key)] + (rows or [ctx.t("customer.card.none")])


def _deliveries(ctx: Ctx, rows: list[dict[str, Any]]) -> list[str]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    out = []
    for lines in grouped.values():
        first = lines[0]
        items = ctx.t("delivery.sep").join(ctx.t("delivery.item", qty=quantity(ctx, r["quantity"]),
                                             item=r["item"]) for r in lines)
        out.append(ctx.t("customer.card.delivery", date=ctx.t.date(first["delivered_on"]),
                         order=reference("order", first["order_id"]), items=items))
    return out


@command("customer", roles=READERS, group="cash", samples=("A-1", "A-3", "Beta"))
def customer_card(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "customer")
    args = read_args(text, usage=usage)
    found = get_customer(ctx.uow, ctx.user,
                         customer_id(ctx, need(args.text, "customer.need_ref", usage)))
    cid = found.id or 0
    q = ctx.uow.cash_queries
    owner = ctx.uow.users.get(found.owner_id)
    lines = [ctx.t("customer.card.title", ref=found.number, name=found.name,
                   owner=owner.display_name if owner else "—")]
    details = [ctx.t(f"customer.card.{f}", value=v) for f, v in (
        ("phone", found.phone), ("email", found.email), ("address", found.address),
        ("tax_id", found.tax_id)) if v]
    if details:
        lines.append(" · ".join(details))
    people = ctx.uow.contacts.of_customer(cid)
    lines += _section(ctx, "customer.card.contacts",
                      ["  " + contact_line(ctx, p) for p in people[:CARD_ROWS]]
                      + ([ctx.t("contacts.more", count=len(people) - CARD_ROWS)]
                         if len(people) > CARD_ROWS else []))
    lines += _section(ctx, "customer.card.deals", [
        ctx.t("customer.card.deal", ref=reference("deal", d["id"]), title=d["title"],
              stage=ctx.t.stage(d["stage"]), amount=ctx.t.money(d["amount"], d["currency"]))
        for d in q.customer_deals(cid, CARD_ROWS)])
    lines += _section(ctx, "customer.card.orders", [
        ctx.t("customer.card.order", ref=reference("order", o["id"]), total=ctx.t.money(o["total"],
                                                                      o["currency"]),
              status=ctx.t(f"order.status.{o['status']}"), delivered=quantity(ctx, o["delivered"]),
              ordered=quantity(ctx, o["ordered"]),
              invoiced=ctx.t.money(o["invoiced"], o["currency"]),
              paid=ctx.t.money(o["paid"], o["currency"]))
        for o in q.customer_orders(cid, CARD_ROWS)])
    lines += _section(ctx, "customer.card.deliveries",
                      _deliveries(ctx, q.customer_deliveries(cid, CARD_ROWS)))
    invoices = q.invoices(owner_id=None, team=None, customer_id=cid, scope="all",
                          today=ctx.today, page=1, per_page=CARD_ROWS * 2)
    lines += _section(ctx, "customer.card.invoices",
                      [invoice_row(ctx, row, "customer.card.invoice") for row in invoices.rows])
    balances = q.customer_balances(cid, ctx.today)
    lines += _section(ctx, "customer.card.balances", [
        ctx.t("customer.card.balance", currency=b["currency"],
              outstanding=ctx.t.money(b["outstanding"], b["currency"]),
              overdue=ctx.t.money(b["overdue"], b["currency"]),
              credit=ctx.t.money(b["credit"], b["currency"]),
              received=ctx.t.money(b["received"], b["currency"]))
        for b in balances])
    lines += _section(ctx, "customer.card.payments", [
        ctx.t("customer.card.payment", ref=reference("payment", p["id"]),
              date=ctx.t.date(p["received_on"]),
              amount=ctx.t.money(p["amount"], p["currency"]),
              method=ctx.t.term("method", p["method"]),
              bank_ref=ctx.t("payment.bank_ref", ref=p["ref"]) if p["ref"] else "")
        for p in q.customer_payments(cid, CARD_ROWS)])
    last = ctx.uow.queries.last_activity(cid)
    lines.append(ctx.t("customer.card.last_contact", when=ctx.t.when(last)) if last
                 else ctx.t("customer.card.no_contact"))
    buttons = [[Button(ctx.t("button.open_invoices"), f"/invoices all {found.number}"),
                Button(ctx.t("button.contacts"), f"/contacts {found.number}"),
                Button(ctx.t("button.history"), f"/history {found.number}")]]
    if found.in_pool:  # nobody works it: any rep of its team may take it
        lines.append(ctx.t("lead.card.in_pool", date=ctx.t.date(
            (found.pooled_at or ctx.now).astimezone(ctx.tz).date())))
        buttons.insert(0, [Button(ctx.t("button.claim"), f"/claim {found.number}")])
    return Reply("\n".join(lines), buttons)
