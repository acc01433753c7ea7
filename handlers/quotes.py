"""Quote commands: drafting a quote from typed lines (or showing one), a manager's approval or
rejection of a deep discount, withdrawing a quote, and the customer's acceptance that makes
the order and its payment plan."""

from __future__ import annotations

import re

from domain import deals, quotes
from domain.errors import InvalidInput
from domain.model.quotes import Quote, QuoteStatus
from domain.model.users import Role
from domain.orders import accept_quote
from domain.products import order_shortages
from domain.references import reference
from handlers.amounts import parse_percent
from handlers.arguments import need, read_args, usage_of
from handlers.commands import MANAGERS, READERS, SALES, command
from handlers.context import Ctx
from handlers.installments import terms_text, trigger_text
from handlers.item_lines import parse_quote_lines
from handlers.products import quote_lines, shortage_lines
from handlers.references import deal_id, ref_like, ref_of
from handlers.reply import Button, Reply


def quote_text(ctx: Ctx, quote: Quote) -> str:
    """The quote card's text: lines, discount, tax, total, validity, decision note."""
    money = ctx.t.money
    c = quote.currency
    lines = [ctx.t("quote.card.title", ref=quote.number, deal=reference("deal", quote.deal_id),
                   status=ctx.t(f"quote.status.{quote.status}"))]
    for line in quote.lines:
        lines.append(ctx.t("quote.card.line", qty=ctx.t.number(line.quantity.normalize()),
                           item=line.item, price=money(line.unit_price, c),
                           amount=money(line.amount(c).amount, c)))
    lines.append(ctx.t("quote.card.subtotal", amount=money(quote.subtotal.amount, c)))
    if quote.discount_pct:
        lines.append(ctx.t("quote.card.discount", pct=ctx.t.percent(quote.discount_pct),
                           amount=money(quote.discount.amount, c)))
    lines.append(ctx.t("quote.card.tax", pct=ctx.t.percent(quote.tax_pct),
                       amount=money(quote.tax.amount, c)))
    lines.append(ctx.t("quote.card.total", amount=money(quote.grand_total.amount, c)))
    lines.append(ctx.t("quote.card.valid", date=ctx.t.date(quote.valid_until)))
    if quote.decision_note:
        lines.append(ctx.t("quote.card.note", note=quote.decision_note))
    return "\n".join(lines)


def _quote_buttons(ctx: Ctx, quote: Quote) -> list[list[Button]]:
    if quote.status == QuoteStatus.PENDING and ctx.user.has_role(Role.MANAGER) \
            and quote.owner_id != ctx.user.id:
        return [[Button(ctx.t("button.approve"), f"/approve {quote.number}"),
                 Button(ctx.t("button.reject"), f"/reject {quote.number} reason=")]]
    if quote.status in (QuoteStatus.DRAFT, QuoteStatus.APPROVED):
        return [[Button(ctx.t("button.accept"), f"/accept {quote.number}")]]
    return []


@command("quote", roles=READERS, group="sales", samples=("D-2 1 x Thing @ 10", "Q-1", "Q-3"))
def quote(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "quote")
    # Lines typed one per line (a chat message) mean lines joined with ";"; the tokenizer
    # below would otherwise run them together. A deal alone on the first line stays the deal.
    text = re.sub(r"^(\S+);", r"\1", re.sub(r"[ \t]*\n\s*", "; ", text.strip()))
    args = read_args(text, "discount", "tax", "valid", usage=usage)
    head = need(args.text, "quote.need_parts", usage)
    first, _, rest = head.partition(" ")
    if ref_like(first) and first.upper().startswith("Q"):
        shown = quotes.get_quote(ctx.uow, ctx.user, ref_of(first, "quote").id)
        return Reply(quote_text(ctx, shown), _quote_buttons(ctx, shown))
    ctx.user.require(*SALES)
    the_deal = deals.get_deal(ctx.uow, ctx.user, deal_id(ctx, first))
    if not rest.strip():
        raise InvalidInput("quote.no_lines", usage=usage)
    lines, product_tax = quote_lines(ctx, parse_quote_lines(rest, list_prices=True),
                                     the_deal.currency)
    discount = parse_percent(args.options["discount"]) if "discount" in args.options else None
    tax = parse_percent(args.options["tax"]) if "tax" in args.options else product_tax
    valid = ctx.date(args.options["valid"]) if "valid" in args.options else None
    drafted = quotes.draft_quote(ctx.uow, ctx.user, the_deal.id or 0, lines, ctx.settings,
                                 ctx.now, ctx.today, discount=discount, tax=tax,
                                 valid_until=valid)
    note = ctx.t("quote.needs_approval", pct=ctx.t.percent(ctx.settings.approval_discount)) \
        if drafted.status == QuoteStatus.PENDING else ctx.t("quote.ready")
    return Reply(quote_text(ctx, drafted) + "\n" + note, _quote_buttons(ctx, drafted))


@command("approve", roles=MANAGERS, group="sales", samples=("Q-2",))
def approve(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "approve")
    ref = ref_of(need(text, "quote.need_ref", usage).split()[0], "quote")
    decided = quotes.approve_quote(ctx.uow, ctx.user, ref.id, ctx.now, ctx.today)
    return Reply(ctx.t("quote.approved", ref=decided.number))


@command("reject", roles=MANAGERS, group="sales", samples=('Q-2 reason="too deep"',))
def reject(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "reject")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "quote.reason_required", usage)
    decided = quotes.reject_quote(ctx.uow, ctx.user, ref.id, reason, ctx.now, ctx.today)
    return Reply(ctx.t("quote.rejected", ref=decided.number, reason=reason))


@command("withdraw", roles=SALES, group="sales", samples=("Q-2", "Q-3"))
def withdraw(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "withdraw")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    reason = args.option("reason") or " ".join(args.positional[1:])
    taken = quotes.withdraw_quote(ctx.uow, ctx.user, ref.id, reason, ctx.now)
    return Reply(ctx.t("quote.withdrawn", ref=taken.number))


@command("accept", roles=SALES, group="sales", samples=("Q-2 plan=net30", "Q-3"))
def accept(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "accept")
    args = read_args(text, "signed", "plan", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "quote.need_ref", usage),
                 "quote")
    signed = ctx.date(args.options["signed"]) if "signed" in args.options else None
    order = accept_quote(ctx.uow, ctx.user, ref.id, ctx.settings, ctx.now, ctx.today,
                         signed_on=signed, plan=args.option("plan"))
    lines = [ctx.t("order.created", ref=order.number, quote=ref.number,
                   deal=reference("deal", order.deal_id),
                   total=ctx.t.money(order.total, order.currency),
                   date=ctx.t.date(order.signed_on))]
    for part in order.installments:
        lines.append(ctx.t("order.installment", seq=part.seq, pct=ctx.t.percent(part.percent),
                           amount=ctx.t.money(part.amount, order.currency),
                           trigger=trigger_text(ctx, part), terms=terms_text(ctx, part)
                           ).rstrip())
    lines += shortage_lines(ctx, order_shortages(ctx.uow, order))
    return Reply("\n".join(lines))
