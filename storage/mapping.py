"""Maps the plain domain classes onto the tables (imperative mapping: the domain stays pure)."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from domain.model.activities import Activity
from domain.model.credit_notes import CreditNote
from domain.model.customers import Contact, Customer
from domain.model.deals import Deal, StageChange
from domain.model.deliveries import Delivery, DeliveryLine
from domain.model.invoices import Allocation, Invoice
from domain.model.leads import Lead
from domain.model.orders import Installment, Order, OrderLine
from domain.model.payments import Payment
from domain.model.products import Product, StockMove
from domain.model.quotes import Quote, QuoteLine
from domain.model.reminders import Reminder
from domain.model.satisfaction import Survey
from domain.model.spend import Spend
from domain.model.users import Identity, Invite, LinkCode, User
from domain.outbox import OutboxMessage
from storage import tables, tables_cash, tables_doors, tables_products, tables_reports
from storage.repositories_cash import keep_posted_documents

mapper_registry = registry(metadata=tables.metadata)
_mapped = False


def map_domain() -> None:
    """Map every entity once per process."""
    global _mapped
    if _mapped:
        return
    reg = mapper_registry
    reg.map_imperatively(User, tables.users)
    reg.map_imperatively(LinkCode, tables_doors.link_codes)
    reg.map_imperatively(Identity, tables.identities)
    reg.map_imperatively(Invite, tables.invites)
    reg.map_imperatively(Customer, tables.customers)
    reg.map_imperatively(Contact, tables.contacts)
    reg.map_imperatively(Lead, tables.leads)
    reg.map_imperatively(Deal, tables.deals)
    reg.map_imperatively(StageChange, tables.stage_changes)
    reg.map_imperatively(Activity, tables.activities)
    reg.map_imperatively(Reminder, tables.reminders)
    reg.map_imperatively(QuoteLine, tables.quote_lines)
    reg.map_imperatively(
        Quote, tables.quotes,
        properties={"lines": relationship(QuoteLine, order_by=tables.quote_lines.c.position,
                                          cascade="all, delete-orphan", lazy="selectin")},
    )
    reg.map_imperatively(OrderLine, tables.order_lines)
    reg.map_imperatively(Installment, tables.installments)
    reg.map_imperatively(
        Order, tables.orders,
        properties={
            "lines": relationship(OrderLine, order_by=tables.order_lines.c.position,
                                  cascade="all, delete-orphan", lazy="selectin"),
            "installments": relationship(Installment, order_by=tables.installments.c.seq,
                                         cascade="all, delete-orphan", lazy="selectin"),
            "deliveries": relationship(Delivery, order_by=tables_cash.deliveries.c.id,
                                       cascade="all, delete-orphan", lazy="selectin"),
        },
    )
    reg.map_imperatively(DeliveryLine, tables_cash.delivery_lines)
    reg.map_imperatively(Delivery, tables_cash.deliveries, properties={
        "lines": relationship(DeliveryLine, order_by=tables_cash.delivery_lines.c.position,
                              cascade="all, delete-orphan", lazy="selectin")})
    reg.map_imperatively(Allocation, tables_cash.allocations)
    reg.map_imperatively(CreditNote, tables_cash.credit_notes)
    # `settled` is storage's own narrowing of the scans for money owed (storage/settled.py).
    reg.map_imperatively(Invoice, tables_cash.invoices, exclude_properties=["settled"], properties={
        "allocations": relationship(Allocation, order_by=tables_cash.allocations.c.id,
                                    lazy="selectin"),
        "credit_notes": relationship(CreditNote, order_by=tables_cash.credit_notes.c.id,
                                     lazy="selectin")})
    reg.map_imperatively(Payment, tables_cash.payments, properties={
        "allocations": relationship(Allocation, order_by=tables_cash.allocations.c.id,
                                    lazy="selectin")})
    keep_posted_documents(Invoice, CreditNote, Payment, Allocation)
    reg.map_imperatively(OutboxMessage, tables.outbox)
    reg.map_imperatively(Spend, tables_reports.spend)
    reg.map_imperatively(Product, tables_products.products)
    reg.map_imperatively(StockMove, tables_products.stock_moves)
    reg.map_imperatively(Survey, tables_products.surveys)
    _mapped = True
