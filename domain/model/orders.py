"""Orders (contracts): a signed quote with its lines, payment plan and deliveries, and what
of it may be delivered or invoiced when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.errors import Conflict, InvalidInput
from domain.model.deals import Deal
from domain.model.deliveries import Delivery, DeliveryInput, DeliveryLine
from domain.model.invoices import Invoice
from domain.model.quotes import Quote
from domain.money import Money
from domain.plans import Trigger, due_date, parse_plan, split_total
from domain.references import reference
from domain.vocabulary import fold


@dataclass(eq=False)
class OrderLine:
    position: int
    item: str
    quantity: Decimal
    unit_price: Decimal
    product_id: int | None = None
    order_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Installment:
    """One part of the payment plan: its share, amount, trigger and terms."""

    seq: int
    percent: Decimal
    amount: Decimal
    trigger: Trigger
    net_days: int = 0
    end_of_month: bool = False
    on_date: date | None = None
    order_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Billing:
    """What the next invoice of an order bills: the amount, the installment it is for (None
    for an amount asked for), and when it falls due."""

    amount: Decimal
    installment: Installment | None
    due_on: date


@dataclass(eq=False)
class Order:
    """A signed contract (O-n); its total is the accepted quote's total."""

    quote_id: int
    deal_id: int
    customer_id: int
    owner_id: int
    team: str | None
    currency: str
    total: Decimal
    discount_pct: Decimal
    tax_pct: Decimal
    signed_on: date
    plan: str
    created_at: datetime
    lines: list[OrderLine] = field(default_factory=list)
    installments: list[Installment] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    id: int | None = None

    @classmethod
    def from_quote(cls, quote: Quote, deal: Deal, plan: str, plans: dict[str, str],
                   signed_on: date, today: date, now: datetime) -> Order:
        """The contract the customer signed on `signed_on` (never later than today): the
        quote's lines and total, split into installments by the plan (a name or a spec)."""
        if signed_on > today:
            raise InvalidInput("order.signed_in_future", date=signed_on.isoformat())
        spec, parts = parse_plan(plan, plans)
        total = quote.grand_total
        amounts = split_total(total, parts)
        return cls(
            quote_id=quote.id or 0, deal_id=deal.id or 0, customer_id=deal.customer_id,
            owner_id=deal.owner_id, team=deal.team, currency=quote.currency,
            total=total.amount, discount_pct=quote.discount_pct, tax_pct=quote.tax_pct,
            signed_on=signed_on, plan=spec, created_at=now,
            lines=[OrderLine(position=line.position, item=line.item, quantity=line.quantity,
                             unit_price=line.unit_price, product_id=line.product_id)
                   for line in quote.lines],
            installments=[
                Installment(seq=i, percent=part.percent, amount=amount.amount,
                            trigger=part.trigger, net_days=part.net_days,
                            end_of_month=part.end_of_month, on_date=part.on_date)
                for i, (part, amount) in enumerate(zip(parts, amounts, strict=True), start=1)
            ],
        )

    @property
    def number(self) -> str:
        return reference("order", self.id)

    @property
    def value(self) -> Money:
        return Money(self.total, self.currency)

    def delivered(self, line: OrderLine) -> Decimal:
        """How much of the line has been delivered so far."""
        return sum((d.quantity for delivery in self.deliveries for d in delivery.lines
                    if d.position == line.position), Decimal(0))

    def to_deliver(self, line: OrderLine) -> Decimal:
        return line.quantity - self.delivered(line)

    def reserved(self) -> dict[int, Decimal]:
        """What the order still holds of each product: ordered and not yet delivered."""
        held: dict[int, Decimal] = {}
        for line in self.lines:
            if line.product_id is not None and self.to_deliver(line) > 0:
                held[line.product_id] = held.get(line.product_id, Decimal(0)) \
                    + self.to_deliver(line)
        return held

    @property
    def has_delivery(self) -> bool:
        return bool(self.deliveries)

    @property
    def fully_delivered(self) -> bool:
        return all(self.to_deliver(line) <= 0 for line in self.lines)

    def installment(self, seq: int) -> Installment | None:
        return next((i for i in self.installments if i.seq == seq), None)

    def waits_for(self, installment: Installment, on: date) -> str | None:
        """Why the installment cannot be invoiced on `on` yet (a message key), or None."""
        if installment.trigger == Trigger.DELIVERY and not self.has_delivery:
            return "invoice.waits_for_delivery"
        if installment.trigger == Trigger.ACCEPTANCE and not self.fully_delivered:
            return "invoice.waits_for_acceptance"
        if installment.trigger == Trigger.DATE and installment.on_date and on < installment.on_date:
            return "invoice.waits_for_date"
        return None

    def position(self, invoices: Sequence[Invoice]) -> OrderPosition:
        """Where the order stands: delivered, invoiced, paid, outstanding and its status."""
        money = [i for i in invoices if i.order_id == self.id]
        invoiced = sum((i.total - i.credited for i in money), Decimal(0))
        paid = sum((i.paid for i in money), Decimal(0))
        return OrderPosition(
            total=self.total, invoiced=invoiced, paid=paid,
            fully_delivered=self.fully_delivered, has_delivery=self.has_delivery,
        )

    def check_document_date(self, on: date, today: date, document: str) -> None:
        """A delivery or invoice of the order is dated between its signing and today;
        `document` ("delivery", "invoice") names the messages."""
        if on > today:
            raise InvalidInput(f"{document}.date_in_future", date=on.isoformat())
        if on < self.signed_on:
            raise InvalidInput(f"{document}.before_signing", date=on.isoformat(),
                               signed=self.signed_on.isoformat(), ref=self.number)

    def find_line(self, text: str) -> OrderLine:
        """The line meant by `text`: "#2" or "2" (position), the item name, or a unique part;
        names compare without quotes, case, width or traditional/simplified script."""
        wanted = text.strip().lstrip("#").strip()
        if wanted.isdigit():
            for line in self.lines:
                if line.position == int(wanted):
                    return line
        folded = fold(wanted)
        exact = [line for line in self.lines if fold(line.item) == folded]
        if len(exact) == 1:
            return exact[0]
        # A product line reads "SRV-1 Cloud Server": its SKU alone names it.
        by_sku = [line for line in self.lines if line.product_id is not None
                  and fold(line.item.split(" ", 1)[0]) == folded]
        if len(by_sku) == 1:
            return by_sku[0]
        partial = [line for line in self.lines if folded and folded in fold(line.item)]
        if len(partial) == 1:
            return partial[0]
        items = "; ".join(f"#{line.position} {line.item}" for line in self.lines)
        if partial:
            raise InvalidInput("delivery.ambiguous_item", value=text, items=items)
        raise InvalidInput("delivery.unknown_item", value=text, ref=self.number, items=items)

    def deliver(self, wanted: Sequence[DeliveryInput] | None, on: date, by: int,
                now: datetime) -> Delivery:
        """Hand over part of the order (`wanted`) or all that is left (None); a line is never
        delivered beyond what was ordered. The date is checked by `check_document_date`."""
        amounts: dict[int, Decimal] = {}
        if wanted is None:
            for line in self.lines:
                if self.to_deliver(line) > 0:
                    amounts[line.position] = self.to_deliver(line)
            if not amounts:
                raise Conflict("delivery.nothing_left", ref=self.number)
        else:
            if not wanted:
                raise InvalidInput("delivery.no_lines")
            for item in wanted:
                if item.quantity <= 0:
                    raise InvalidInput("parse.quantity", value=str(item.quantity))
                line = self.find_line(item.item)
                amounts[line.position] = amounts.get(line.position, Decimal(0)) + item.quantity
        by_position = {line.position: line for line in self.lines}
        for position, quantity in amounts.items():
            line = by_position[position]
            left = self.to_deliver(line)
            if quantity > left:
                raise Conflict("delivery.too_much", ref=self.number, item=line.item,
                               qty=_plain(quantity), ordered=_plain(line.quantity),
                               delivered=_plain(self.delivered(line)), left=_plain(left))
        delivery = Delivery(
            order_id=self.id or 0, delivered_on=on, recorded_by=by, created_at=now,
            lines=[DeliveryLine(position=p, quantity=q, order_line_id=by_position[p].id)
                   for p, q in sorted(amounts.items())],
        )
        self.deliveries.append(delivery)
        return delivery

    def bill(self, invoices: Sequence[Invoice], on: date, *, installment: int | None = None,
             amount: Money | None = None, due_on: date | None = None) -> Billing:
        """What an invoice dated `on` may bill: an installment (the next one by default) or
        an amount, never more than the rest not yet invoiced (`invoices`: the order's).

        An installment waits for its trigger (delivery, acceptance = everything delivered,
        or its date). The due date follows the plan's terms unless given.
        """
        active = [i for i in invoices if not i.is_void]
        rest = self.total - sum((i.total for i in active), Decimal(0))
        if rest <= 0:
            raise Conflict("invoice.fully_invoiced", ref=self.number)
        taken = {i.installment_seq for i in active if i.installment_seq is not None}
        part: Installment | None = None
        if amount is None:
            part = self._installment_to_bill(installment, taken, active, rest, on)
            value = part.amount
        else:
            if amount.currency != self.currency:
                raise InvalidInput("invoice.currency_mismatch", ref=self.number,
                                   currency=amount.currency, expected=self.currency)
            if amount.amount <= 0:
                raise InvalidInput("invoice.not_positive", amount=str(amount))
            value = amount.amount
        if value > rest:
            raise Conflict("invoice.over_rest", ref=self.number,
                           amount=_money(value, self.currency), rest=_money(rest, self.currency))
        terms = part or self._next_open(taken) or self.installments[-1]
        due_on = due_on or due_date(on, terms.net_days, terms.end_of_month)
        if due_on < on:
            raise InvalidInput("invoice.due_before_date", due=due_on.isoformat(),
                               date=on.isoformat())
        return Billing(value, part, due_on)

    def _installment_to_bill(self, seq: int | None, taken: set[int], active: list[Invoice],
                             rest: Decimal, on: date) -> Installment:
        if seq is None:
            part = self._next_open(taken)
            if part is None:
                raise Conflict("invoice.all_installments_invoiced", ref=self.number,
                               rest=_money(rest, self.currency))
        else:
            part = self.installment(seq)
            if part is None:
                raise InvalidInput("invoice.no_such_installment", ref=self.number,
                                   seq=seq, count=len(self.installments))
            if part.seq in taken:
                done = next(i for i in active if i.installment_seq == part.seq)
                raise Conflict("invoice.installment_invoiced", ref=self.number, seq=part.seq,
                               invoice=done.number)
        waiting = self.waits_for(part, on)
        if waiting is not None:
            raise Conflict(waiting, ref=self.number, seq=part.seq,
                           date=part.on_date.isoformat() if part.on_date else "")
        if part.amount <= 0:
            raise Conflict("invoice.zero_installment", ref=self.number, seq=part.seq)
        return part

    def _next_open(self, taken: set[int]) -> Installment | None:
        """The first installment not invoiced yet (one rounded to zero has nothing to bill)."""
        return next((i for i in self.installments if i.seq not in taken and i.amount > 0), None)


class OrderStatus(StrEnum):
    """Derived from deliveries, invoices and payments; never typed in."""

    TO_DELIVER_AND_BILL = "to_deliver_and_bill"
    TO_DELIVER = "to_deliver"
    TO_BILL = "to_bill"
    TO_COLLECT = "to_collect"
    COMPLETED = "completed"


@dataclass(frozen=True)
class OrderPosition:
    """An order's amounts in its currency: invoiced net of credit notes, paid, outstanding."""

    total: Decimal
    invoiced: Decimal
    paid: Decimal
    fully_delivered: bool
    has_delivery: bool

    @property
    def uninvoiced(self) -> Decimal:
        return self.total - self.invoiced

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid

    @property
    def status(self) -> OrderStatus:
        billed = self.uninvoiced <= 0
        if not self.fully_delivered:
            return OrderStatus.TO_DELIVER if billed else OrderStatus.TO_DELIVER_AND_BILL
        if not billed:
            return OrderStatus.TO_BILL
        return OrderStatus.TO_COLLECT if self.outstanding > 0 else OrderStatus.COMPLETED


def _money(amount: Decimal, currency: str) -> str:
    return str(Money(amount, currency))


def _plain(quantity: Decimal) -> str:
    """A quantity without trailing zeros: 4, 1.5."""
    return format(quantity.normalize(), "f")
