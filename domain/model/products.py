"""Products of the price list (by SKU) and their stock: what is on hand, what each receipt,
delivery or correction moved, and the rule that stock never goes below zero unless the
company sells on backorder."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.errors import Conflict, InvalidInput
from domain.references import looks_like_ref

MAX_SKU = 40
MAX_NAME = 200
MAX_UNIT = 20
MAX_NOTE = 300
_SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")


def clean_sku(text: str) -> str:
    """A SKU as stored: width-folded, upper case, letters, digits and . _ / - only; never one
    that reads as a record's reference (D-7, INV-2026-0001), so /edit can tell them apart."""
    sku = unicodedata.normalize("NFKC", text).strip().upper()
    if not sku or len(sku) > MAX_SKU or not _SKU_RE.match(sku):
        raise InvalidInput("product.bad_sku", value=text.strip()[:40])
    if looks_like_ref(sku):
        raise InvalidInput("product.sku_is_ref", value=sku)
    return sku


def _quantity(value: Decimal, *, allow_zero: bool = True) -> Decimal:
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero) \
            or value >= Decimal("1e12"):
        raise InvalidInput("parse.quantity", value=str(value))
    return value


def check_tax(value: Decimal | None) -> Decimal | None:
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        raise InvalidInput("parse.percent", value=str(value))
    return value


class StockMoveKind:
    RECEIPT = "receipt"
    DELIVERY = "delivery"
    CORRECTION = "correction"
    IMPORT = "import"


@dataclass(eq=False)
class Product:
    """A line of the price list (its SKU is the key people type) with the stock on hand."""

    sku: str
    name: str
    price: Decimal
    currency: str
    created_at: datetime
    unit: str | None = None
    tax_pct: Decimal | None = None  # None: the quote's tax (config default) applies
    on_hand: Decimal = Decimal(0)
    min_stock: Decimal = Decimal(0)  # at or below this much free stock it is "low"
    active: bool = True
    stocked: bool = True  # False: a service, or anything whose stock nobody counts
    id: int | None = None

    @classmethod
    def new(cls, sku: str, name: str, price: Decimal, currency: str, now: datetime, *,
            unit: str | None = None, tax: Decimal | None = None,
            min_stock: Decimal | None = None, stocked: bool = True) -> Product:
        product = cls(sku=clean_sku(sku), name="", price=Decimal(0), currency=currency,
                      created_at=now, stocked=stocked)
        product.rename(name)
        product.set_price(price)
        product.set_unit(unit)
        product.tax_pct = check_tax(tax)
        if min_stock is not None:
            product.min_stock = _quantity(min_stock)
        return product

    def rename(self, name: str) -> None:
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > MAX_NAME:
            raise InvalidInput("product.bad_name", value=cleaned[:40])
        self.name = cleaned

    def set_price(self, price: Decimal) -> None:
        if price < 0:
            raise InvalidInput("parse.amount", value=str(price))
        self.price = price

    def set_unit(self, unit: str | None) -> None:
        cleaned = " ".join((unit or "").split()) or None
        if cleaned and len(cleaned) > MAX_UNIT:
            raise InvalidInput("field.too_long", field="unit", limit=MAX_UNIT)
        self.unit = cleaned

    def set_min_stock(self, value: Decimal) -> None:
        self.min_stock = _quantity(value)

    def receive(self, quantity: Decimal) -> None:
        """A receipt (positive) or a correction (negative) of the stock on hand; a
        correction never takes it below zero."""
        if not self.stocked:
            raise Conflict("product.not_stocked", sku=self.sku)
        if quantity == 0:
            raise InvalidInput("parse.quantity", value="0")
        _quantity(abs(quantity))
        if self.on_hand + quantity < 0:
            raise Conflict("stock.below_zero", sku=self.sku, on_hand=plain(self.on_hand),
                           qty=plain(-quantity))
        self.on_hand += quantity

    def take_out(self, quantity: Decimal, *, allow_backorder: bool) -> None:
        """A delivery takes the goods out; below zero only when backorders are allowed."""
        if self.on_hand - quantity < 0 and not allow_backorder:
            raise Conflict("stock.not_enough", sku=self.sku, name=self.name,
                           qty=plain(quantity), on_hand=plain(self.on_hand))
        self.on_hand -= quantity


@dataclass(eq=False)
class StockMove:
    """One change of a product's stock: + received, - delivered, either way corrected."""

    product_id: int
    quantity: Decimal
    kind: str
    user_id: int
    created_at: datetime
    note: str | None = None
    order_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class Shortage:
    """A product line of an order that free stock does not cover."""

    sku: str
    name: str
    wanted: Decimal
    free: Decimal


def plain(quantity: Decimal) -> str:
    """A quantity without trailing zeros: 4, 1.5."""
    return format(quantity.normalize(), "f") if quantity else "0"


def checked_note(note: str | None) -> str | None:
    cleaned = " ".join((note or "").split()) or None
    if cleaned and len(cleaned) > MAX_NOTE:
        raise InvalidInput("field.too_long", field="note", limit=MAX_NOTE)
    return cleaned
