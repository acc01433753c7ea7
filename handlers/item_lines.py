"""Lines of items as people type them, one per ";" or line break: a quote's
"10 x Cloud Server @ 5,000; 2 x Install @ 1k" and a delivery's "4 x Server; 2 x Install"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import InvalidInput
from domain.model.deliveries import DeliveryInput
from handlers.amounts import parse_quantity
from handlers.arguments import unquote

# One line per ";" (also the full-width one) or line break.
_LINE_SPLIT_RE = re.compile(r"[;；\r\n]")
# "10 x Server @ 5,000", "10x服务器@5000", "2 × “Rack” @ 800": an x joined to the item only
# where it cannot be the item's first letter.
_QUOTE_LINE_RE = re.compile(
    r"^(?P<qty>\S+?)\s*(?:[xXｘＸ](?:\s+|(?=[^A-Za-z0-9\s]))|[×*＊✕]\s*)(?P<item>.+)"
    r"\s*[@＠]\s*(?P<price>[^@＠]+)$"
)


# "10 x SRV-1": a line of the price list by its SKU, at its list price.
_SKU_LINE_RE = re.compile(
    r"^(?P<qty>\S+?)\s*(?:[xXｘＸ]\s+|[×*＊✕]\s*)(?P<item>[^\s@＠]+)$")


@dataclass(frozen=True)
class QuoteLineText:
    """One quote line as written: quantity read, item as text, price still unparsed ("" for
    a SKU at its list price)."""

    quantity: Decimal
    item: str
    price: str


def parse_quote_lines(text: str, *, list_prices: bool = False) -> list[QuoteLineText]:
    """Read "10 x Cloud Server @ 5,000; 2 x Install @ 1k" into lines, one per ";" or newline.

    With `list_prices`, a line may also name one word without a price ("10 x SRV-1"): a SKU
    whose list price the caller looks up.
    """
    lines: list[QuoteLineText] = []
    for raw in _LINE_SPLIT_RE.split(text):
        line = raw.strip()
        if not line:
            continue
        match = _QUOTE_LINE_RE.match(line)
        if match is None and list_prices:
            match = _SKU_LINE_RE.match(line)
        if match is None:
            raise InvalidInput("parse.quote_line", value=line)
        item = unquote(match.group("item"))
        written = match.groupdict().get("price")  # None: a SKU line, at the list price
        price = written.strip() if written is not None else None
        try:
            quantity = parse_quantity(match.group("qty"))
        except InvalidInput:
            if re.match(r"^[-+−]?[\d.,]+$", match.group("qty")):
                raise  # a number, but zero or negative: say so about the quantity
            raise InvalidInput("parse.quote_line", value=line) from None
        if not item or price == "":
            raise InvalidInput("parse.quote_line", value=line)
        lines.append(QuoteLineText(quantity=quantity, item=item, price=price or ""))
    if not lines:
        raise InvalidInput("parse.quote_line", value=text)
    return lines


_DELIVERY_ITEM = re.compile(r"^(?P<qty>[\d.,]+)\s*(?:[xX×*＊ｘＸ]\s*)?(?P<item>\S.*)$")


def parse_delivery_items(text: str) -> list[DeliveryInput]:
    """Read "4 x Server; 2 x Install" (or "#1" for a line's position) into delivery inputs."""
    items: list[DeliveryInput] = []
    for raw in _LINE_SPLIT_RE.split(text):
        piece = raw.strip()
        if not piece:
            continue
        match = _DELIVERY_ITEM.match(piece)
        if match is None:
            raise InvalidInput("delivery.bad_line", value=piece)
        items.append(DeliveryInput(item=unquote(match.group("item")),
                                   quantity=parse_quantity(match.group("qty"))))
    return items
