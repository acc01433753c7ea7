"""Payments: finance books one (`/pay`) to an invoice or to a customer, oldest due first with
the excess kept as credit; a rep reports one the customer announced (`/paid`) for finance to
confirm; `/apply` uses a customer's credit on its open invoices."""

from __future__ import annotations

from domain.customers import get_customer
from domain.invoices import get_invoice
from domain.model.payments import PaymentMethod, parse_method
from domain.money import Money
from domain.payments import (
    apply_customer_credit,
    claim_payment,
    invoice_to_pay,
    record_payment,
)
from domain.references import looks_like_ref, reference
from handlers.arguments import Args, need, read_args, usage_of
from handlers.commands import FINANCE, SALES, command
from handlers.context import Ctx
from handlers.references import by_name, customer_id, ref_of
from handlers.reply import Button, Reply


def _payment_target(ctx: Ctx, args: Args, usage: str, *,
                    recording: bool = False) -> tuple[str | None, int | None, Money]:
    """(invoice number, customer id, amount) from `<INV-...|A-5|name> <amount>`; `recording`:
    the payment is recorded next, so the invoice's ledger is held before it is read."""
    target = need(args.positional[0] if args.positional else None, "payment.which", usage)
    amount_text = need(" ".join(args.positional[1:]), "payment.need_amount", usage)
    invoice_number: str | None = None
    who: int | None = None
    if looks_like_ref(target):
        ref = ref_of(target, "invoice", "customer")
        if ref.kind == "invoice":
            invoice_number = ref.number
            read = invoice_to_pay if recording else get_invoice
            currency = read(ctx.uow, ctx.user, ref.number).currency
        else:
            who = ref.id
    else:
        who = by_name(ctx, "customer", target)
    if who is not None:
        currencies = ctx.uow.ledgers.currencies(who)
        currency = next(iter(currencies)) if len(currencies) == 1 else ctx.settings.currency
    return invoice_number, who, ctx.amount(amount_text, currency)


@command("paid", roles=SALES, group="cash", samples=("INV-2026-0001 10", "INV-2026-0002 10"))
def paid(ctx: Ctx, text: str) -> Reply:
    """A rep reports a payment the customer announced; finance confirms it with a button."""
    usage = usage_of(ctx, "paid")
    args = read_args(text, "date", "ref", "method", usage=usage)
    invoice_number, who, amount = _payment_target(ctx, args, usage)
    if who is not None:
        get_customer(ctx.uow, ctx.user, who)
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    method = parse_method(args.options["method"], ctx.settings) if "method" in args.options \
        else PaymentMethod.BANK
    claim = claim_payment(ctx.uow, ctx.user, amount, ctx.today, invoice_number=invoice_number,
                          customer_id=who, received_on=day, ref=args.option("ref"),
                          method=method)
    return Reply(ctx.t("payment.claimed", amount=ctx.t.money(claim.amount, claim.currency),
                       target=claim.invoice
                       or f"{reference('customer', claim.customer_id)} {claim.customer}",
                       date=ctx.t.date(claim.received_on)))


@command("apply", roles=FINANCE, group="cash", samples=("A-1", "A-3"))
def apply(ctx: Ctx, text: str) -> Reply:
    """Finance: use a customer's credit on its open invoices, oldest due first."""
    usage = usage_of(ctx, "apply")
    who = customer_id(ctx, need(text, "payment.which", usage))
    applied = apply_customer_credit(ctx.uow, ctx.user, who, ctx.now)
    lines = [ctx.t("credit.applied", customer=reference("customer", who))]
    for invoice, amount in applied:
        lines.append(ctx.t("credit.applied_row", invoice=invoice.number,
                           amount=ctx.t.money(amount, invoice.currency),
                           outstanding=ctx.t.money(invoice.outstanding, invoice.currency)))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_customer"),
                                           f"/customer {reference('customer', who)}")]])


@command("pay", roles=FINANCE, group="cash", samples=("INV-2026-0001 10", "A-3 10"))
def pay(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "pay")
    args = read_args(text, "date", "ref", "method", usage=usage)
    invoice_number, who, amount = _payment_target(ctx, args, usage, recording=True)
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    method = parse_method(args.options["method"], ctx.settings) if "method" in args.options \
        else PaymentMethod.BANK
    done = record_payment(ctx.uow, ctx.user, amount, ctx.now, ctx.today,
                          invoice_number=invoice_number, customer_id=who, received_on=day,
                          ref=args.option("ref"), method=method)
    payment = done.payment
    c = payment.currency
    name = f"{reference('customer', payment.customer_id)} {done.customer.name}".strip()
    lines = [ctx.t("payment.recorded", ref=payment.number, amount=ctx.t.money(payment.amount, c),
                   customer=name, date=ctx.t.date(payment.received_on),
                   method=ctx.t.term("method", payment.method),
                   bank_ref=ctx.t("payment.bank_ref", ref=payment.ref) if payment.ref else "")]
    for settled, applied in done.settled:
        lines.append(ctx.t("payment.settled", invoice=settled.number,
                           amount=ctx.t.money(applied, c),
                           outstanding=ctx.t.money(settled.outstanding, c),
                           status=ctx.t(f"invoice.status.{settled.status(ctx.today)}")))
    if done.credit > 0:
        lines.append(ctx.t("payment.credit", amount=ctx.t.money(done.credit, c), customer=name))
    if done.customer_credit > 0:
        lines.append(ctx.t("payment.customer_credit", customer=name,
                           amount=ctx.t.money(done.customer_credit, c)))
    return Reply("\n".join(lines),
                 [[Button(ctx.t("button.open_customer"),
                          f"/customer {reference('customer', payment.customer_id)}")]])
