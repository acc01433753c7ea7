"""Payment plans: "30/60/10", "net30", "net45 eom"; installments that add up exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import InvalidInput
from domain.money import Money, quantize

_NET = re.compile(r"^net\s*(\d{1,3})(\s*eom)?$", re.IGNORECASE)


class Trigger(StrEnum):
    """What makes an installment due for invoicing."""

    SIGNING = "signing"
    DELIVERY = "delivery"
    ACCEPTANCE = "acceptance"


@dataclass(frozen=True)
class PlanPart:
    """One installment of a plan: a share of the total, its trigger and payment terms."""

    percent: Decimal
    trigger: Trigger
    net_days: int = 0
    end_of_month: bool = False


def _positional_triggers(count: int) -> list[Trigger]:
    if count == 1:
        return [Trigger.SIGNING]
    if count == 2:
        return [Trigger.SIGNING, Trigger.DELIVERY]
    return [Trigger.SIGNING] + [Trigger.DELIVERY] * (count - 2) + [Trigger.ACCEPTANCE]


def parse_plan(spec: str, named: dict[str, str]) -> tuple[str, list[PlanPart]]:
    """Read a plan name from config or an inline spec; returns (spec, parts)."""
    text = spec.strip()
    text = named.get(text.lower(), text)
    net = _NET.match(text)
    if net:
        days = int(net.group(1))
        eom = bool(net.group(2))
        return text.lower(), [PlanPart(Decimal(100), Trigger.DELIVERY, days, eom)]
    pieces = [p.strip().rstrip("%") for p in re.split(r"[/／]", text)]
    try:
        shares = [Decimal(p) for p in pieces]
    except InvalidOperation:
        raise InvalidInput("plan.bad", value=spec) from None
    if not shares or any(s <= 0 for s in shares) or len(shares) > 12:
        raise InvalidInput("plan.bad", value=spec)
    if sum(shares) != 100:
        raise InvalidInput("plan.not_100", value=spec, total=str(sum(shares)))
    triggers = _positional_triggers(len(shares))
    return text, [PlanPart(s, t) for s, t in zip(shares, triggers, strict=True)]


def split_total(total: Money, parts: list[PlanPart]) -> list[Money]:
    """Each part's amount, rounded to the currency; the last takes the rounding."""
    amounts = [
        Money(quantize(total.amount * p.percent / Decimal(100), total.currency), total.currency)
        for p in parts[:-1]
    ]
    rest = total
    for amount in amounts:
        rest = rest - amount
    return [*amounts, rest]
