"""The tables of the price list, the stock and the satisfaction surveys."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, Numeric, String, Table, Text

from storage.tables import metadata, pk
from storage.types import Amount, UTCDateTime

products = Table(
    "products", metadata, pk(),
    Column("sku", String(40), nullable=False, unique=True),  # upper case, as clean_sku writes
    Column("name", String(200), nullable=False),
    Column("unit", String(20)),
    Column("price", Amount, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("tax_pct", Numeric(7, 4)),
    # Quantities as the order and delivery lines keep them, so SQL can subtract them.
    Column("on_hand", Numeric(18, 4), nullable=False),
    Column("min_stock", Numeric(18, 4), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("stocked", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

stock_moves = Table(
    "stock_moves", metadata, pk(),
    Column("product_id", Integer, ForeignKey("products.id"), nullable=False),
    Column("quantity", Numeric(18, 4), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("note", Text),
    Column("order_id", Integer, ForeignKey("orders.id")),
    Column("user_id", Integer, nullable=False),  # 0: the command line (an import)
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_stock_moves_product", stock_moves.c.product_id, stock_moves.c.id)

surveys = Table(
    "surveys", metadata, pk(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id")),
    Column("user_id", Integer, ForeignKey("users.id")),
    Column("source", String(8), nullable=False),
    Column("score", Integer),
    Column("comment", Text),
    Column("asked_at", UTCDateTime, nullable=False),
    Column("answered_at", UTCDateTime),
    Column("recorded_by", Integer, ForeignKey("users.id")),
)
Index("ix_surveys_customer", surveys.c.customer_id)
Index("ix_surveys_asked", surveys.c.asked_at)
Index("ix_surveys_answered", surveys.c.answered_at)
Index("ix_surveys_order_user", surveys.c.order_id, surveys.c.user_id, unique=True)
Index("ix_surveys_user", surveys.c.user_id, surveys.c.asked_at)
