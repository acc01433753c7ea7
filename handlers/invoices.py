"""Invoices: issuing one for an order's next installment (or an amount), the lists of
invoices with what is outstanding and overdue, and voiding one with a linked credit note."""

from __future__ import annotations

from typing import Any

from domain.credit_notes import void_invoice
from domain.customers import get_customer
from domain.errors import InvalidInput
from domain.invoices import issue_invoice
from domain.orders import get_order
from domain.references import reference
from handlers.arguments import PER_PAGE, need, next_page, page_of, read_args, usage_of
from handlers.commands import FINANCE, READERS, command
from handlers.context import Ctx
from handlers.orders import order_ref
from handlers.references import customer_id, ref_of
from handlers.reply import Button, Reply

SCOPES = ("open", "overdue", "all")
_SCOPE_WORDS = {"未回款": "open", "未结": "open", "逾期": "overdue", "全部": "all", "所有": "all"}


def _installment_number(text: str) -> int:
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 99:
        raise InvalidInput("invoice.bad_installment", value=text)
    return int(cleaned)


@command("invoice", roles=FINANCE, group="cash", samples=("O-1 amount=100", "O-2 amount=100"))
def invoice(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "invoice")
    args = read_args(text, "installment", "amount", "date", "due", usage=usage)
    order = get_order(ctx.uow, ctx.user,
                      order_ref(ctx, args.positional[0] if args.positional else None, usage))
    if len(args.positional) > 1:
        raise InvalidInput("invoice.extra_words", value=" ".join(args.positional[1:]), usage=usage)
    seq = _installment_number(args.options["installment"]) \
        if "installment" in args.options else None
    amount = ctx.amount(args.options["amount"], order.currency) \
        if "amount" in args.options else None
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    due = ctx.date(args.options["due"]) if "due" in args.options else None
    issued = issue_invoice(ctx.uow, ctx.user, order.id or 0, ctx.now, ctx.today,
                           installment=seq, amount=amount, issued_on=day, due_on=due)
    bill = issued.invoice
    customer = ctx.uow.customers.get(bill.customer_id)
    c = bill.currency
    lines = [ctx.t("invoice.issued", number=bill.number, ref=order.number,
                   customer=customer.name if customer else reference("customer", bill.customer_id),
                   total=ctx.t.money(bill.total, c), date=ctx.t.date(bill.issued_on),
                   due=ctx.t.date(bill.due_on))]
    if bill.installment_seq is not None:
        part = order.installment(bill.installment_seq)
        lines.append(ctx.t("invoice.for_installment", seq=bill.installment_seq,
                           pct=ctx.t.percent(part.percent) if part else "—"))
    if issued.credit_applied > 0:
        lines.append(ctx.t("invoice.credit_applied", amount=ctx.t.money(issued.credit_applied, c),
                           outstanding=ctx.t.money(bill.outstanding, c),
                           status=ctx.t(f"invoice.status.{bill.status(ctx.today)}")))
    position = order.position(ctx.uow.invoices.of_order(order.id or 0))
    lines.append(ctx.t("invoice.rest", ref=order.number,
                       rest=ctx.t.money(position.uninvoiced, c)))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_order"), f"/order {order.number}")]])


def invoice_row(ctx: Ctx, row: dict[str, Any], key: str = "invoices.row") -> str:
    """One invoice in a list (or on the customer card, with `key`)."""
    c = row["currency"]
    return ctx.t(key, number=row["number"], customer=row["customer"],
                 order=reference("order", row["order_id"]), total=ctx.t.money(row["total"], c),
                 outstanding=ctx.t.money(row["outstanding"], c), due=ctx.t.date(row["due_on"]),
                 status=ctx.t(f"invoice.status.{row['status']}"))


@command("invoices", roles=READERS, group="cash", samples=("", "all", "A-3", "overdue"))
def invoices_list(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "invoices")
    args = read_args(text, "page", usage=usage)
    scope = "open"
    who: int | None = None
    words = list(args.positional)
    if words and _SCOPE_WORDS.get(words[0].lower(), words[0].lower()) in SCOPES:
        first = words.pop(0).lower()
        scope = _SCOPE_WORDS.get(first, first)
    if words:
        who = customer_id(ctx, " ".join(words))
        get_customer(ctx.uow, ctx.user, who)
    owner_id, team = ctx.user.read_filters()
    page = page_of(args)
    found = ctx.uow.cash_queries.invoices(owner_id=owner_id, team=team, customer_id=who,
                                          scope=scope, today=ctx.today, page=page,
                                          per_page=PER_PAGE)
    if not found.rows:
        return Reply(ctx.t("invoices.none", scope=ctx.t(f"invoices.scope.{scope}")))
    lines = [ctx.t("invoices.title", scope=ctx.t(f"invoices.scope.{scope}"), page=page)]
    lines += [invoice_row(ctx, row) for row in found.rows]
    for total in ctx.uow.cash_queries.invoice_totals(owner_id=owner_id, team=team,
                                                     customer_id=who, scope=scope,
                                                     today=ctx.today):
        c = total["currency"]
        lines.append(ctx.t("invoices.total", count=total["count"],
                           outstanding=ctx.t.money(total["outstanding"], c),
                           overdue=ctx.t.money(total["overdue"], c)))
    command_text = " ".join(["/invoices", scope] + ([reference("customer", who)] if who else []))
    lines += next_page(ctx, found.has_more, command_text, page)
    return Reply("\n".join(lines))


@command("void", roles=FINANCE, group="cash", samples=('INV-2026-0002 reason="wrong address"',))
def void(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "void")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "invoice.need_ref",
                      usage), "invoice")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "void.need_reason", usage)
    done = void_invoice(ctx.uow, ctx.user, ref.number, reason, ctx.now, ctx.today)
    bill, note = done.invoice, done.credit_note
    c = bill.currency
    lines = [ctx.t("void.done", invoice=bill.number, credit_note=note.number,
                   amount=ctx.t.money(note.amount, c), reason=note.reason)]
    if done.released > 0:
        lines.append(ctx.t("void.released", amount=ctx.t.money(done.released, c),
                           customer=reference("customer", bill.customer_id)))
    buttons = [[Button(ctx.t("button.open_order"), f"/order {reference('order', bill.order_id)}")]]
    if bill.installment_seq is not None:
        buttons[0].append(Button(ctx.t("button.invoice_installment", seq=bill.installment_seq),
                                 f"/invoice {reference('order', bill.order_id)} "
                                 f"installment={bill.installment_seq}"))
    return Reply("\n".join(lines), buttons)
