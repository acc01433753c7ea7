"""The customer's side of the chat: inviting a customer's contact (/invite-customer), what
that contact sees of its own account (/status), and its answer to the satisfaction question
(/nps); a rep writes down an answer given by phone with /nps too."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain import satisfaction
from domain.errors import InvalidInput
from domain.model.products import plain
from domain.model.satisfaction import checked_score
from domain.model.users import Role
from domain.records import readable
from domain.references import reference
from domain.users import invite_customer_contact
from handlers.arguments import need, read_args, usage_of
from handlers.commands import READERS, SALES, command
from handlers.context import Ctx
from handlers.references import ref_of
from handlers.reply import Button, Reply

ORDERS_SHOWN = 10
INVOICES_SHOWN = 20


@command("invite_customer", roles=SALES, group="team", samples=("C-1", "C-2"))
def invite_customer(ctx: Ctx, text: str) -> Reply:
    usage = usage_of(ctx, "invite_customer")
    args = read_args(text, usage=usage)
    if len(args.positional) != 1:
        raise InvalidInput("customer.need_contact", usage=usage)
    contact = ref_of(args.positional[0], "contact")
    invite = invite_customer_contact(ctx.uow, ctx.user, contact.id, ctx.now)
    return Reply(ctx.t("customer.invited", name=invite.display_name,
                       customer=reference("customer", invite.customer_id), code=invite.code),
                 private=True)


def _order_line(ctx: Ctx, row: dict[str, Any]) -> str:
    c = row["currency"]
    ordered, delivered = Decimal(row["ordered"] or 0), Decimal(row["delivered"] or 0)
    return ctx.t("customer.status.order", ref=reference("order", row["id"]),
                 date=ctx.t.date(row["signed_on"]), total=ctx.t.money(row["total"], c),
                 delivered=plain(delivered), ordered=plain(ordered),
                 invoiced=ctx.t.money(row["invoiced"], c), paid=ctx.t.money(row["paid"], c),
                 status=ctx.t(f"order.status.{row['status']}"))


def _invoice_line(ctx: Ctx, row: dict[str, Any]) -> str:
    c = row["currency"]
    key = "customer.status.invoice_overdue" if row["due_on"] < ctx.today \
        else "customer.status.invoice"
    return ctx.t(key, number=row["number"], order=reference("order", row["order_id"]),
                 total=ctx.t.money(row["total"], c), due=ctx.t.date(row["due_on"]),
                 outstanding=ctx.t.money(row["outstanding"], c))


@command("status", roles=(*READERS, Role.CUSTOMER), group="cash", samples=("", "A-1", "A-3"))
def status(ctx: Ctx, text: str) -> Reply:
    """A customer's own orders and open invoices; staff see what a customer sees with A-n."""
    usage = usage_of(ctx, "status")
    args = read_args(text, usage=usage)
    if ctx.user.is_customer:
        if args.positional:  # never another account, whatever is written
            raise InvalidInput("customer.status_own", usage=usage)
        customer_id = ctx.user.customer_id or 0
    else:
        first = need(args.positional[0] if args.positional else None,
                     "customer.need_customer", usage)
        customer_id = ref_of(first, "customer").id
        readable(ctx.uow, ctx.user, "customer", customer_id)
    customer = ctx.uow.customers.get(customer_id)
    name = customer.name if customer else reference("customer", customer_id)
    orders = ctx.uow.cash_queries.customer_orders(customer_id, ORDERS_SHOWN)
    invoices = ctx.uow.cash_queries.invoices(owner_id=None, team=None, customer_id=customer_id,
                                             scope="open", today=ctx.today, page=1,
                                             per_page=INVOICES_SHOWN).rows
    lines = [ctx.t("customer.status.title", name=name)]
    if not orders:
        lines.append(ctx.t("customer.status.no_orders"))
    lines += [_order_line(ctx, row) for row in orders]
    if invoices:
        lines.append(ctx.t("customer.status.open_title", count=len(invoices)))
        lines += [_invoice_line(ctx, row) for row in invoices]
        owed: dict[str, Decimal] = {}
        for row in invoices:
            owed[row["currency"]] = owed.get(row["currency"], Decimal(0)) + row["outstanding"]
        lines.append(ctx.t("customer.status.owed", amount=" + ".join(
            ctx.t.money(amount, currency) for currency, amount in sorted(owed.items()))))
    else:
        lines.append(ctx.t("customer.status.nothing_owed"))
    buttons = [Button(row["number"], f"/pdf {row['number']}") for row in invoices[:3]]
    buttons += [Button(reference("order", row["id"]), f"/pdf {reference('order', row['id'])}")
                for row in orders[:3 if not buttons else 1]]
    return Reply("\n".join(lines), [buttons] if buttons else [])


@command("nps", roles=(*SALES, Role.CUSTOMER), group="sales",
         samples=("O-1 9", "A-1 3 comment=slow delivery", "A-3 9"))
def nps(ctx: Ctx, text: str) -> Reply:
    """A customer answers about its order (`/nps O-5 9 great`); a rep writes down an answer
    given by phone (`/nps A-5 9 comment=...`)."""
    usage = usage_of(ctx, "nps")
    args = read_args(text, "comment", usage=usage)
    if len(args.positional) < 2:
        raise InvalidInput("nps.need_parts", usage=usage)
    target, score_text, *words = args.positional
    score = checked_score(score_text)
    comment = args.option("comment") or " ".join(words) or None
    if ctx.user.is_customer:
        order = ref_of(target, "order")
        survey = satisfaction.answer_survey(ctx.uow, ctx.user, order.id, score, comment,
                                            ctx.now)
        key = "nps.thanks" if survey.comment else "nps.thanks_ask_comment"
        return Reply(ctx.t(key, score=score))
    customer = ref_of(target, "customer")
    satisfaction.record_answer(ctx.uow, ctx.user, customer.id, score, comment, ctx.now)
    return Reply(ctx.t("nps.recorded", customer=customer.number, score=score))


def customer_words(ctx: Ctx, text: str) -> Reply:
    """What a customer types without a command: the comment on the score just given, or
    how to ask for what a customer may see."""
    survey = satisfaction.comment_latest(ctx.uow, ctx.user, text, ctx.now)
    if survey is not None:
        return Reply(ctx.t("nps.comment_saved"))
    return Reply(ctx.t("customer.only_commands"),
                 [[Button(ctx.t("button.my_status"), "/status")]], ok=False)
