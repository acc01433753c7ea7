"""Cash commands: orders, deliveries, invoices, payments, voids and the customer card."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from domain.credit_notes import void_invoice
from domain.customers import get_customer
from domain.deliveries import record_delivery
from domain.errors import InvalidInput
from domain.invoices import get_invoice, issue_invoice
from domain.model.deliveries import DeliveryInput
from domain.model.invoices import Invoice
from domain.model.orders import Installment, Order, OrderPosition
from domain.model.payments import PaymentMethod, parse_method
from domain.model.users import Role
from domain.money import Money
from domain.orders import get_order
from domain.payments import apply_customer_credit, claim_payment, record_payment
from domain.references import looks_like_ref, reference
from handlers.arguments import PER_PAGE, need, page_of, read_args
from handlers.commands import command
from handlers.contacts import contact_line
from handlers.context import Ctx
from handlers.installments import terms_text, trigger_text
from handlers.parsing import Args, parse_quantity, unquote
from handlers.references import by_name, customer_id, ref_of
from handlers.reply import Button, Reply

READERS = (Role.REP, Role.MANAGER, Role.FINANCE)
DELIVERERS = (Role.REP, Role.MANAGER, Role.FINANCE)
FINANCE = (Role.FINANCE,)
SALES = (Role.REP, Role.MANAGER)
SCOPES = ("open", "overdue", "all")
_SCOPE_WORDS = {"未回款": "open", "未结": "open", "逾期": "overdue", "全部": "all", "所有": "all"}
CARD_ROWS = 5

_ITEM_SPLIT = re.compile(r"[;；\r\n]")
_DELIVERY_ITEM = re.compile(r"^(?P<qty>[\d.,]+)\s*(?:[xX×*＊ｘＸ]\s*)?(?P<item>\S.*)$")


def _usage(ctx: Ctx, name: str) -> str:
    return ctx.t(f"help.{name}.usage")


def _qty(ctx: Ctx, value: Decimal) -> str:
    return ctx.t.number(value.normalize())


def _money(ctx: Ctx, amount: Decimal | None, currency: str) -> str:
    return ctx.t.money(amount, currency)


def _order_ref(ctx: Ctx, text: str | None, usage: str) -> int:
    return ref_of(need(text, "order.need_ref", usage), "order").id


# --------------------------------------------------------------------------- order card

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


def _delivery_items(ctx: Ctx, order: Order, positions: Sequence[tuple[int, Decimal]]) -> str:
    names = {line.position: line.item for line in order.lines}
    return ctx.t("delivery.sep").join(
        ctx.t("delivery.item", qty=_qty(ctx, q), item=names.get(p, "?")) for p, q in positions)


def _next_open(order: Order, invoices: Sequence[Invoice]) -> Installment | None:
    taken = {i.installment_seq for i in invoices if not i.is_void}
    return next((p for p in order.installments if p.seq not in taken and p.amount > 0), None)


def order_text(ctx: Ctx, order: Order, invoices: Sequence[Invoice]) -> str:
    position = order.position(invoices)
    c = order.currency
    customer = ctx.uow.customers.get(order.customer_id)
    owner = ctx.uow.users.get(order.owner_id)
    lines = [
        ctx.t("order.card.title", ref=order.number,
              customer=f"{reference('customer', order.customer_id)} "
                       f"{customer.name if customer else ''}".strip(),
              total=_money(ctx, order.total, c),
              status=ctx.t(f"order.status.{position.status}")),
        ctx.t("order.card.signed", date=ctx.t.date(order.signed_on),
              owner=owner.display_name if owner else "—", plan=order.plan,
              deal=reference("deal", order.deal_id)),
        ctx.t("order.card.lines"),
    ]
    for line in order.lines:
        lines.append(ctx.t("order.card.line", pos=line.position, item=line.item,
                           ordered=_qty(ctx, line.quantity),
                           delivered=_qty(ctx, order.delivered(line)),
                           left=_qty(ctx, order.to_deliver(line))))
    lines.append(_money_line(ctx, position, c))
    lines.append(ctx.t("order.card.plan"))
    for part in order.installments:
        lines.append(ctx.t("order.card.installment", seq=part.seq,
                           pct=ctx.t.percent(part.percent), amount=_money(ctx, part.amount, c),
                           trigger=trigger_text(ctx, part), terms=terms_text(ctx, part),
                           state=_installment_state(ctx, order, part, invoices)))
    if order.deliveries:
        lines.append(ctx.t("order.card.deliveries"))
        for delivery in order.deliveries[-CARD_ROWS:]:
            lines.append(ctx.t("order.card.delivery", date=ctx.t.date(delivery.delivered_on),
                               items=_delivery_items(ctx, order, [(d.position, d.quantity)
                                                                  for d in delivery.lines])))
    if invoices:
        lines.append(ctx.t("order.card.invoices"))
        lines += [_invoice_line(ctx, i) for i in invoices]
    return "\n".join(lines)


def _money_line(ctx: Ctx, position: OrderPosition, currency: str) -> str:
    return ctx.t("order.card.money", invoiced=_money(ctx, position.invoiced, currency),
                 paid=_money(ctx, position.paid, currency),
                 outstanding=_money(ctx, position.outstanding, currency),
                 uninvoiced=_money(ctx, position.uninvoiced, currency))


def _invoice_line(ctx: Ctx, invoice: Invoice) -> str:
    return ctx.t("order.card.invoice", number=invoice.number,
                 total=_money(ctx, invoice.total, invoice.currency),
                 outstanding=_money(ctx, invoice.outstanding, invoice.currency),
                 due=ctx.t.date(invoice.due_on),
                 status=ctx.t(f"invoice.status.{invoice.status(ctx.today)}"))


def _order_buttons(ctx: Ctx, order: Order, invoices: Sequence[Invoice]) -> list[list[Button]]:
    row: list[Button] = []
    if not order.fully_delivered and (ctx.user.has_role(Role.FINANCE)
                                      or ctx.user.can_write(order.owner_id, order.team)):
        row.append(Button(ctx.t("button.deliver_rest"), f"/deliver {order.number} all"))
    part = _next_open(order, invoices)
    if part is not None and ctx.user.has_role(Role.FINANCE) \
            and order.waits_for(part, ctx.today) is None \
            and order.position(invoices).uninvoiced >= part.amount:
        row.append(Button(ctx.t("button.invoice_installment", seq=part.seq),
                          f"/invoice {order.number} installment={part.seq}"))
    return [row] if row else []


@command("order", roles=READERS, group="cash")
def order_card(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "order")
    args = read_args(text, usage=usage)
    order = get_order(ctx.uow, ctx.user,
                      _order_ref(ctx, args.positional[0] if args.positional else None, usage))
    invoices = ctx.uow.invoices.of_order(order.id or 0)
    return Reply(order_text(ctx, order, invoices), _order_buttons(ctx, order, invoices))


# --------------------------------------------------------------------------- deliveries

def parse_delivery_items(text: str) -> list[DeliveryInput]:
    """Read "4 x Server; 2 x Install" (or "#1" for a line's position) into delivery inputs."""
    items: list[DeliveryInput] = []
    for raw in _ITEM_SPLIT.split(text):
        piece = raw.strip()
        if not piece:
            continue
        match = _DELIVERY_ITEM.match(piece)
        if match is None:
            raise InvalidInput("delivery.bad_line", value=piece)
        items.append(DeliveryInput(item=unquote(match.group("item")),
                                   quantity=parse_quantity(match.group("qty"))))
    return items


@command("deliver", roles=DELIVERERS, group="cash")
def deliver(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "deliver")
    args = read_args(text, "date", usage=usage)
    first, _, rest = args.text.partition(" ")
    order_id = _order_ref(ctx, first or None, usage)
    rest = rest.strip()
    wanted = None if rest.lower() in ("", "all", "全部") else parse_delivery_items(rest)
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    delivery = record_delivery(ctx.uow, ctx.user, order_id, wanted, ctx.now, ctx.today,
                               delivered_on=day)
    order = get_order(ctx.uow, ctx.user, order_id)
    invoices = ctx.uow.invoices.of_order(order_id)
    lines = [ctx.t("delivery.recorded", ref=order.number,
                   date=ctx.t.date(delivery.delivered_on),
                   items=_delivery_items(ctx, order, [(d.position, d.quantity)
                                                      for d in delivery.lines]))]
    for line in order.lines:
        lines.append(ctx.t("delivery.progress", pos=line.position, item=line.item,
                           delivered=_qty(ctx, order.delivered(line)),
                           ordered=_qty(ctx, line.quantity)))
    if order.fully_delivered:
        lines.append(ctx.t("delivery.complete", ref=order.number))
    lines.append(ctx.t("order.status_now",
                       status=ctx.t(f"order.status.{order.position(invoices).status}")))
    part = _next_open(order, invoices)
    if part is not None and order.waits_for(part, ctx.today) is None:
        lines.append(ctx.t("delivery.installment_ready", seq=part.seq, ref=order.number))
    return Reply("\n".join(lines), _order_buttons(ctx, order, invoices))


# --------------------------------------------------------------------------- invoices

def _installment_number(text: str) -> int:
    cleaned = text.strip().lstrip("#")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 99:
        raise InvalidInput("invoice.bad_installment", value=text)
    return int(cleaned)


@command("invoice", roles=FINANCE, group="cash")
def invoice(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "invoice")
    args = read_args(text, "installment", "amount", "date", "due", usage=usage)
    order = get_order(ctx.uow, ctx.user,
                      _order_ref(ctx, args.positional[0] if args.positional else None, usage))
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
                   total=_money(ctx, bill.total, c), date=ctx.t.date(bill.issued_on),
                   due=ctx.t.date(bill.due_on))]
    if bill.installment_seq is not None:
        part = order.installment(bill.installment_seq)
        lines.append(ctx.t("invoice.for_installment", seq=bill.installment_seq,
                           pct=ctx.t.percent(part.percent) if part else "—"))
    if issued.credit_applied > 0:
        lines.append(ctx.t("invoice.credit_applied", amount=_money(ctx, issued.credit_applied, c),
                           outstanding=_money(ctx, bill.outstanding, c),
                           status=ctx.t(f"invoice.status.{bill.status(ctx.today)}")))
    position = order.position(ctx.uow.invoices.of_order(order.id or 0))
    lines.append(ctx.t("invoice.rest", ref=order.number,
                       rest=_money(ctx, position.uninvoiced, c)))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_order"), f"/order {order.number}")]])


def _invoice_row(ctx: Ctx, row: dict[str, Any], key: str = "invoices.row") -> str:
    c = row["currency"]
    return ctx.t(key, number=row["number"], customer=row["customer"],
                 order=reference("order", row["order_id"]), total=_money(ctx, row["total"], c),
                 outstanding=_money(ctx, row["outstanding"], c), due=ctx.t.date(row["due_on"]),
                 status=ctx.t(f"invoice.status.{row['status']}"))


@command("invoices", roles=READERS, group="cash")
def invoices_list(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "invoices")
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
    lines += [_invoice_row(ctx, row) for row in found.rows]
    for total in ctx.uow.cash_queries.invoice_totals(owner_id=owner_id, team=team,
                                                     customer_id=who, scope=scope,
                                                     today=ctx.today):
        c = total["currency"]
        lines.append(ctx.t("invoices.total", count=total["count"],
                           outstanding=_money(ctx, total["outstanding"], c),
                           overdue=_money(ctx, total["overdue"], c)))
    if found.has_more:
        command_text = " ".join(["/invoices", scope]
                                + ([reference("customer", who)] if who else []))
        lines.append(ctx.t("list.more", command=f"{command_text} page={page + 1}"))
    return Reply("\n".join(lines))


# --------------------------------------------------------------------------- payments

def _payment_target(ctx: Ctx, args: Args, usage: str) -> tuple[str | None, int | None, Money]:
    """(invoice number, customer id, amount) from `<INV-...|A-5|name> <amount>`."""
    target = need(args.positional[0] if args.positional else None, "payment.which", usage)
    amount_text = need(" ".join(args.positional[1:]), "payment.need_amount", usage)
    invoice_number: str | None = None
    who: int | None = None
    if looks_like_ref(target):
        ref = ref_of(target, "invoice", "customer")
        if ref.kind == "invoice":
            invoice_number = ref.number
            currency = get_invoice(ctx.uow, ctx.user, ref.number).currency
        else:
            who = ref.id
    else:
        who = by_name(ctx, "customer", target)
    if who is not None:
        currencies = ctx.uow.ledgers.currencies(who)
        currency = next(iter(currencies)) if len(currencies) == 1 else ctx.settings.currency
    return invoice_number, who, ctx.amount(amount_text, currency)


@command("paid", roles=SALES, group="cash")
def paid(ctx: Ctx, text: str) -> Reply:
    """A rep reports a payment the customer announced; finance confirms it with a button."""
    usage = _usage(ctx, "paid")
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
    return Reply(ctx.t("payment.claimed", amount=_money(ctx, claim.amount, claim.currency),
                       target=claim.invoice
                       or f"{reference('customer', claim.customer_id)} {claim.customer}",
                       date=ctx.t.date(claim.received_on)))


@command("apply", roles=FINANCE, group="cash")
def apply(ctx: Ctx, text: str) -> Reply:
    """Finance: use a customer's credit on its open invoices, oldest due first."""
    usage = _usage(ctx, "apply")
    who = customer_id(ctx, need(text, "payment.which", usage))
    applied = apply_customer_credit(ctx.uow, ctx.user, who, ctx.now)
    lines = [ctx.t("credit.applied", customer=reference("customer", who))]
    for invoice, amount in applied:
        lines.append(ctx.t("credit.applied_row", invoice=invoice.number,
                           amount=_money(ctx, amount, invoice.currency),
                           outstanding=_money(ctx, invoice.outstanding, invoice.currency)))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_customer"),
                                           f"/customer {reference('customer', who)}")]])


@command("pay", roles=FINANCE, group="cash")
def pay(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "pay")
    args = read_args(text, "date", "ref", "method", usage=usage)
    invoice_number, who, amount = _payment_target(ctx, args, usage)
    day = ctx.date(args.options["date"]) if "date" in args.options else None
    method = parse_method(args.options["method"], ctx.settings) if "method" in args.options \
        else PaymentMethod.BANK
    done = record_payment(ctx.uow, ctx.user, amount, ctx.now, ctx.today,
                          invoice_number=invoice_number, customer_id=who, received_on=day,
                          ref=args.option("ref"), method=method)
    payment = done.payment
    c = payment.currency
    customer = ctx.uow.customers.get(payment.customer_id)
    name = f"{reference('customer', payment.customer_id)} " \
           f"{customer.name if customer else ''}".strip()
    lines = [ctx.t("payment.recorded", ref=payment.number, amount=_money(ctx, payment.amount, c),
                   customer=name, date=ctx.t.date(payment.received_on),
                   method=ctx.t.term("method", payment.method),
                   bank_ref=ctx.t("payment.bank_ref", ref=payment.ref) if payment.ref else "")]
    for settled, applied in done.settled:
        lines.append(ctx.t("payment.settled", invoice=settled.number,
                           amount=_money(ctx, applied, c),
                           outstanding=_money(ctx, settled.outstanding, c),
                           status=ctx.t(f"invoice.status.{settled.status(ctx.today)}")))
    if done.credit > 0:
        lines.append(ctx.t("payment.credit", amount=_money(ctx, done.credit, c), customer=name))
    if done.customer_credit > 0:
        lines.append(ctx.t("payment.customer_credit", customer=name,
                           amount=_money(ctx, done.customer_credit, c)))
    return Reply("\n".join(lines),
                 [[Button(ctx.t("button.open_customer"),
                          f"/customer {reference('customer', payment.customer_id)}")]])


@command("void", roles=FINANCE, group="cash")
def void(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "void")
    args = read_args(text, "reason", usage=usage)
    ref = ref_of(need(args.positional[0] if args.positional else None, "invoice.need_ref",
                      usage), "invoice")
    reason = need(args.option("reason") or " ".join(args.positional[1:]),
                  "void.need_reason", usage)
    done = void_invoice(ctx.uow, ctx.user, ref.number, reason, ctx.now, ctx.today)
    bill, note = done.invoice, done.credit_note
    c = bill.currency
    lines = [ctx.t("void.done", invoice=bill.number, credit_note=note.number,
                   amount=_money(ctx, note.amount, c), reason=note.reason)]
    if done.released > 0:
        lines.append(ctx.t("void.released", amount=_money(ctx, done.released, c),
                           customer=reference("customer", bill.customer_id)))
    buttons = [[Button(ctx.t("button.open_order"), f"/order {reference('order', bill.order_id)}")]]
    if bill.installment_seq is not None:
        buttons[0].append(Button(ctx.t("button.invoice_installment", seq=bill.installment_seq),
                                 f"/invoice {reference('order', bill.order_id)} "
                                 f"installment={bill.installment_seq}"))
    return Reply("\n".join(lines), buttons)


# --------------------------------------------------------------------------- customer card

def _stage(ctx: Ctx, key: str) -> str:
    return ctx.t.stage(key)


def _section(ctx: Ctx, key: str, rows: list[str]) -> list[str]:
    return [ctx.t(key)] + (rows or [ctx.t("customer.card.none")])


def _deliveries(ctx: Ctx, rows: list[dict[str, Any]]) -> list[str]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["id"], []).append(row)
    out = []
    for lines in grouped.values():
        first = lines[0]
        items = ctx.t("delivery.sep").join(ctx.t("delivery.item", qty=_qty(ctx, r["quantity"]),
                                             item=r["item"]) for r in lines)
        out.append(ctx.t("customer.card.delivery", date=ctx.t.date(first["delivered_on"]),
                         order=reference("order", first["order_id"]), items=items))
    return out


@command("customer", roles=READERS, group="cash")
def customer_card(ctx: Ctx, text: str) -> Reply:
    usage = _usage(ctx, "customer")
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
              stage=_stage(ctx, d["stage"]), amount=_money(ctx, d["amount"], d["currency"]))
        for d in q.customer_deals(cid, CARD_ROWS)])
    lines += _section(ctx, "customer.card.orders", [
        ctx.t("customer.card.order", ref=reference("order", o["id"]), total=_money(ctx, o["total"],
                                                                      o["currency"]),
              status=ctx.t(f"order.status.{o['status']}"), delivered=_qty(ctx, o["delivered"]),
              ordered=_qty(ctx, o["ordered"]),
              invoiced=_money(ctx, o["invoiced"], o["currency"]),
              paid=_money(ctx, o["paid"], o["currency"]))
        for o in q.customer_orders(cid, CARD_ROWS)])
    lines += _section(ctx, "customer.card.deliveries",
                      _deliveries(ctx, q.customer_deliveries(cid, CARD_ROWS)))
    invoices = q.invoices(owner_id=None, team=None, customer_id=cid, scope="all",
                          today=ctx.today, page=1, per_page=CARD_ROWS * 2)
    lines += _section(ctx, "customer.card.invoices",
                      [_invoice_row(ctx, row, "customer.card.invoice") for row in invoices.rows])
    balances = q.customer_balances(cid, ctx.today)
    lines += _section(ctx, "customer.card.balances", [
        ctx.t("customer.card.balance", currency=b["currency"],
              outstanding=_money(ctx, b["outstanding"], b["currency"]),
              overdue=_money(ctx, b["overdue"], b["currency"]),
              credit=_money(ctx, b["credit"], b["currency"]),
              received=_money(ctx, b["received"], b["currency"]))
        for b in balances])
    lines += _section(ctx, "customer.card.payments", [
        ctx.t("customer.card.payment", ref=reference("payment", p["id"]),
              date=ctx.t.date(p["received_on"]),
              amount=_money(ctx, p["amount"], p["currency"]),
              method=ctx.t.term("method", p["method"]),
              bank_ref=ctx.t("payment.bank_ref", ref=p["ref"]) if p["ref"] else "")
        for p in q.customer_payments(cid, CARD_ROWS)])
    last = ctx.uow.queries.last_activity(cid)
    lines.append(ctx.t("customer.card.last_contact", when=ctx.t.when(last)) if last
                 else ctx.t("customer.card.no_contact"))
    return Reply("\n".join(lines), [[Button(ctx.t("button.open_invoices"),
                                            f"/invoices all {found.number}"),
                                     Button(ctx.t("button.contacts"),
                                            f"/contacts {found.number}"),
                                     Button(ctx.t("button.history"),
                                            f"/history {found.number}")]])

