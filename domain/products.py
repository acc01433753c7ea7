"""The price list and the stock: products added, corrected and imported, goods received,
free stock checked when an order is signed and taken out when it is delivered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.errors import Conflict, DomainError, InvalidInput, NotFound
from domain.events import StockShort
from domain.model.deliveries import Delivery
from domain.model.orders import Order
from domain.model.products import (
    Product,
    Shortage,
    StockMove,
    StockMoveKind,
    check_tax,
    checked_note,
    clean_sku,
)
from domain.model.users import Role, User
from domain.money import Money
from domain.unit_of_work import UnitOfWork

# Who keeps the price list and the stock (admins may too).
KEEPERS = (Role.MANAGER, Role.FINANCE)
EDITABLE = ("name", "price", "unit", "tax", "min", "active", "stocked")


def find_product(uow: UnitOfWork, sku: str) -> Product:
    product = uow.products.by_sku(clean_sku(sku))
    if product is None:
        raise NotFound("product.unknown", sku=sku.strip().upper()[:40])
    return product


def add_product(uow: UnitOfWork, actor: User | None, sku: str, name: str, price: Money,
                now: datetime, *, unit: str | None = None, tax: Decimal | None = None,
                stock: Decimal | None = None, min_stock: Decimal | None = None,
                stocked: bool = True) -> Product:
    """A new line of the price list, with its opening stock if given (a product whose stock
    is not kept, a service, has none)."""
    if actor is not None:
        actor.require(*KEEPERS)
    product = Product.new(sku, name, price.amount, price.currency, now, unit=unit, tax=tax,
                          min_stock=min_stock, stocked=stocked)
    if uow.products.by_sku(product.sku) is not None:
        raise Conflict("product.exists", sku=product.sku)
    uow.products.add(product)
    uow.flush()
    if stock:
        _move(uow, product, stock, StockMoveKind.RECEIPT, actor, now, None)
    return product


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


def edit_product(uow: UnitOfWork, actor: User, sku: str, values: dict[str, Any]
                 ) -> tuple[Product, list[Change]]:
    """Correct a product: name, price (Money), unit, tax (percent or None), min, active."""
    actor.require(*KEEPERS)
    product = find_product(uow, sku)
    changes: list[Change] = []
    for name, value in values.items():
        before = _field(product, name)
        if name == "name":
            product.rename(value)
        elif name == "price":
            if value.currency != product.currency:
                raise InvalidInput("product.currency_mismatch", sku=product.sku,
                                   currency=value.currency, expected=product.currency)
            product.set_price(value.amount)
        elif name == "unit":
            product.set_unit(value)
        elif name == "tax":
            product.tax_pct = check_tax(value)
        elif name == "min":
            product.set_min_stock(value)
        elif name == "active":
            product.active = bool(value)
        elif name == "stocked":
            product.stocked = bool(value)
        else:
            raise InvalidInput("edit.unknown_field", field=name)
        after = _field(product, name)
        if before != after:
            changes.append(Change(name, before, after))
    return product, changes


def _field(product: Product, name: str) -> Any:
    return {"name": product.name, "price": product.price, "unit": product.unit,
            "tax": product.tax_pct, "min": product.min_stock, "active": product.active,
            "stocked": product.stocked}[name]


def _move(uow: UnitOfWork, product: Product, quantity: Decimal, kind: str, actor: User | None,
          now: datetime, note: str | None, order_id: int | None = None) -> StockMove:
    if kind != StockMoveKind.DELIVERY:
        product.receive(quantity)
    move = StockMove(product_id=product.id or 0, quantity=quantity, kind=kind,
                     user_id=actor.id or 0 if actor else 0, created_at=now, note=note,
                     order_id=order_id)
    uow.products.add_move(move)
    return move


def receive_stock(uow: UnitOfWork, actor: User, sku: str, quantity: Decimal,
                  now: datetime, note: str | None = None) -> Product:
    """Goods received (+) or the count corrected (-); never below zero."""
    actor.require(*KEEPERS)
    product = find_product(uow, sku)
    (product,) = uow.products.locked([product.id or 0])
    kind = StockMoveKind.RECEIPT if quantity > 0 else StockMoveKind.CORRECTION
    _move(uow, product, quantity, kind, actor, now, checked_note(note))
    return product


def free_stock(uow: UnitOfWork, products: Sequence[Product],
               excluding_order: int | None = None) -> dict[int, Decimal]:
    """On hand less what open orders hold, per product id."""
    held = uow.products.reserved([p.id or 0 for p in products], excluding_order)
    return {p.id or 0: p.on_hand - held.get(p.id or 0, Decimal(0)) for p in products}


def order_shortages(uow: UnitOfWork, order: Order) -> list[Shortage]:
    """The order's product lines that the free stock (held by the other orders aside) does
    not cover."""
    wanted = order.reserved()
    if not wanted:
        return []
    products = [p for p in (uow.products.get(i) for i in sorted(wanted))
                if p is not None and p.stocked]
    free = free_stock(uow, products, excluding_order=order.id)
    return [Shortage(p.sku, p.name, wanted[p.id or 0], free[p.id or 0]) for p in products
            if wanted[p.id or 0] > free[p.id or 0]]


def check_order_stock(uow: UnitOfWork, order: Order, customer: str) -> list[Shortage]:
    """Say what a newly signed order lacks; finance and the stock channel are told."""
    short = order_shortages(uow, order)
    if short:
        uow.events.append(StockShort(order.id or 0, customer, order.owner_id, tuple(
            (s.sku, s.name, s.wanted, s.free) for s in short)))
    return short


def take_out(uow: UnitOfWork, actor: User, order: Order, delivery: Delivery,
             now: datetime, *, allow_backorder: bool) -> None:
    """A delivery's product lines leave the stock; refused below zero without backorders.
    The products are locked first, so two deliveries at once never sell one piece twice."""
    lines = {line.position: line for line in order.lines}
    wanted: dict[int, Decimal] = {}
    for handed in delivery.lines:
        product_id = lines[handed.position].product_id
        if product_id is not None:
            wanted[product_id] = wanted.get(product_id, Decimal(0)) + handed.quantity
    if not wanted:
        return
    for product in uow.products.locked(sorted(wanted)):
        if not product.stocked:
            continue
        product.take_out(wanted[product.id or 0], allow_backorder=allow_backorder)
        _move(uow, product, -wanted[product.id or 0], StockMoveKind.DELIVERY, actor, now,
              None, order.id)


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[tuple[int, DomainError]] = field(default_factory=list)


@dataclass(frozen=True)
class ProductRow:
    """One row of a price-list file as read: its line number and its values as text."""

    line: int
    sku: str
    name: str
    price: Money | None
    unit: str | None = None
    tax: Decimal | None = None
    stock: Decimal | None = None
    min_stock: Decimal | None = None
    stocked: bool = True


def import_products(uow: UnitOfWork, rows: Sequence[ProductRow], now: datetime) -> ImportResult:
    """Add new SKUs and update the name, price, unit, tax and minimum of known ones; the
    stock column opens the stock of a new product only (receipts go through /stock). The
    caller commits only when there are no errors."""
    result = ImportResult()
    seen: set[str] = set()
    for row in rows:
        try:
            sku = clean_sku(row.sku)
            if sku in seen:
                raise Conflict("product.import_twice", sku=sku)
            seen.add(sku)
            known = uow.products.by_sku(sku)
            if known is None:
                if row.price is None:
                    raise InvalidInput("product.import_no_price", sku=sku)
                add_product(uow, None, sku, row.name, row.price, now, unit=row.unit,
                            tax=row.tax, stock=row.stock if row.stocked else None,
                            min_stock=row.min_stock, stocked=row.stocked)
                result.added.append(sku)
                continue
            known.rename(row.name)
            if row.price is not None:
                if row.price.currency != known.currency:
                    raise InvalidInput("product.currency_mismatch", sku=sku,
                                       currency=row.price.currency, expected=known.currency)
                known.set_price(row.price.amount)
            if row.unit is not None:
                known.set_unit(row.unit)
            if row.tax is not None:
                known.tax_pct = check_tax(row.tax)
            if row.min_stock is not None:
                known.set_min_stock(row.min_stock)
            result.updated.append(sku)
        except DomainError as error:
            result.errors.append((row.line, error))
    return result
