"""Payment plans: "30/60/10", "30@signing/60@delivery/10@2027-03-31", "net30", "net45 eom".

A plan is a list of installments, each a share of the order total, with what makes it
invoiceable (its trigger: signing, delivery, acceptance or a fixed date) and the payment
terms that give an invoice its due date. The amounts always add up exactly to the total.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import InvalidInput
from domain.money import Money, quantize

MAX_PARTS = 12
MAX_SPEC = 60
MAX_NET_DAYS = 365

_NET = re.compile(r"^net\s*(\d{1,3})(\s*eom)?$", re.IGNORECASE)
# Terms written after the installments: "30/60/10 net30", "50/50, net45 eom".
_TRAILING_NET = re.compile(r"^(?P<parts>.*?)[\s,;，；]+(?P<net>net\s*\d{1,3}(?:\s*eom)?)$",
                           re.IGNORECASE)
_PART = re.compile(
    r"^(?P<pct>\d+(?:\.\d+)?)\s*[%％]?\s*"
    r"(?:[@:：]?\s*(?P<trigger>[^\d\s@:：]\S*|\d{4}-\d{1,2}-\d{1,2}))?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class Trigger(StrEnum):
    """What makes an installment due for invoicing."""

    SIGNING = "signing"
    DELIVERY = "delivery"
    ACCEPTANCE = "acceptance"
    DATE = "date"


_TRIGGER_WORDS = {
    "signing": Trigger.SIGNING, "sign": Trigger.SIGNING, "signed": Trigger.SIGNING,
    "签约": Trigger.SIGNING, "签订": Trigger.SIGNING,
    "delivery": Trigger.DELIVERY, "deliver": Trigger.DELIVERY, "delivered": Trigger.DELIVERY,
    "交付": Trigger.DELIVERY, "发货": Trigger.DELIVERY, "交货": Trigger.DELIVERY,
    "acceptance": Trigger.ACCEPTANCE, "accept": Trigger.ACCEPTANCE,
    "accepted": Trigger.ACCEPTANCE, "验收": Trigger.ACCEPTANCE,
}


@dataclass(frozen=True)
class PlanPart:
    """One installment of a plan: a share of the total, its trigger and payment terms."""

    percent: Decimal
    trigger: Trigger
    net_days: int = 0
    end_of_month: bool = False
    on_date: date | None = None


def _positional_triggers(count: int) -> list[Trigger]:
    if count == 1:
        return [Trigger.SIGNING]
    if count == 2:
        return [Trigger.SIGNING, Trigger.DELIVERY]
    return [Trigger.SIGNING] + [Trigger.DELIVERY] * (count - 2) + [Trigger.ACCEPTANCE]


def _terms(text: str, spec: str) -> tuple[int, bool]:
    match = _NET.match(text.strip())
    if match is None:
        raise InvalidInput("plan.bad", value=spec)
    days = int(match.group(1))
    if days > MAX_NET_DAYS:
        raise InvalidInput("plan.bad", value=spec)
    return days, bool(match.group(2))


def _trigger(word: str | None, spec: str) -> tuple[Trigger | None, date | None]:
    """An explicit trigger word or ISO date; (None, None) when the part names none."""
    if word is None:
        return None, None
    found = _TRIGGER_WORDS.get(word.lower())
    if found is not None:
        return found, None
    match = _ISO_DATE.match(word)
    if match:
        try:
            return Trigger.DATE, date(*(int(g) for g in match.groups()))
        except ValueError:
            raise InvalidInput("plan.bad", value=spec) from None
    raise InvalidInput("plan.bad", value=spec)


def _canonical(parts: list[PlanPart], explicit: bool) -> str:
    def share(part: PlanPart) -> str:
        pct = format(part.percent.normalize(), "f")
        if not explicit:
            return pct
        when = part.on_date.isoformat() if part.on_date else part.trigger.value
        return f"{pct}@{when}"

    text = "/".join(share(p) for p in parts)
    first = parts[0]
    if first.net_days or first.end_of_month:
        text += f" net{first.net_days}" + (" eom" if first.end_of_month else "")
    return text


def parse_plan(spec: str, named: dict[str, str]) -> tuple[str, list[PlanPart]]:
    """Read a plan name from config or an inline spec; returns (spec to store, parts).

    Inline: shares separated by "/" that add up to 100, each optionally followed by its
    trigger (`@signing`, `@delivery`, `@acceptance`, `@2027-03-31`, or 签约/交付/验收);
    shares without one are due on signing, delivery(s) and acceptance by position.
    Terms `netN` or `netN eom` may follow the shares and apply to every installment.
    A plan of only terms (`net30`) is one installment due on delivery.
    """
    text = " ".join(spec.split())
    text = named.get(text.lower(), text)
    net = _NET.match(text)
    if net:
        days, eom = _terms(text, spec)
        return text.lower(), [PlanPart(Decimal(100), Trigger.DELIVERY, days, eom)]
    net_days, eom = 0, False
    trailing = _TRAILING_NET.match(text)
    if trailing:
        net_days, eom = _terms(trailing.group("net"), spec)
        text = trailing.group("parts")
    pieces = [p.strip() for p in re.split(r"[/／]", text)]
    if not pieces or len(pieces) > MAX_PARTS:
        raise InvalidInput("plan.bad", value=spec)
    shares: list[Decimal] = []
    chosen: list[tuple[Trigger | None, date | None]] = []
    for piece in pieces:
        match = _PART.match(piece)
        if match is None:
            raise InvalidInput("plan.bad", value=spec)
        try:
            share = Decimal(match.group("pct"))
        except InvalidOperation:
            raise InvalidInput("plan.bad", value=spec) from None
        if share <= 0:
            raise InvalidInput("plan.bad", value=spec)
        shares.append(share)
        chosen.append(_trigger(match.group("trigger"), spec))
    total = sum(shares, Decimal(0))
    if total != 100:
        raise InvalidInput("plan.not_100", value=spec, total=str(total))
    positional = _positional_triggers(len(shares))
    parts = [
        PlanPart(share, trigger or default, net_days, eom, on_date)
        for share, (trigger, on_date), default in zip(shares, chosen, positional, strict=True)
    ]
    explicit = any(trigger is not None for trigger, _ in chosen)
    stored = _canonical(parts, explicit) if explicit or trailing else text
    if len(stored) > MAX_SPEC:
        raise InvalidInput("plan.too_long", value=spec, limit=MAX_SPEC)
    return stored, parts


def split_total(total: Money, parts: list[PlanPart]) -> list[Money]:
    """Each part's amount, rounded to the currency; the last takes the rounding."""
    amounts: list[Money] = []
    rest = total
    for p in parts[:-1]:
        share = Money(quantize(total.amount * p.percent / Decimal(100), total.currency),
                      total.currency)
        # Never more than is left: on a tiny total, parts rounded up could leave a negative last.
        amount = min(share, rest) if total.amount > 0 else share
        amounts.append(amount)
        rest = rest - amount
    return [*amounts, rest]


def due_date(issued_on: date, net_days: int, end_of_month: bool) -> date:
    """When an invoice dated `issued_on` is due under "netN" or "netN eom" terms."""
    start = issued_on
    if end_of_month:
        start = issued_on.replace(day=calendar.monthrange(issued_on.year, issued_on.month)[1])
    return start + timedelta(days=net_days)
