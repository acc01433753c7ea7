"""records a team keeps true: customer and contact details, where a deal's amount comes from,
search terms; existing deals brought in line with their quotes and signed orders

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00

Data brought in line:
- a deal with an order is worth the (latest) order's total, and a won one counts as won on
  the order's signing day (noon in its owner's time zone) unless it was won that same day;
- any other deal with quotes is worth its latest quote still open, else its latest quote;
- any other amount on file was typed by a person;
- every lead, customer, contact and deal is filed under its search terms.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import storage.types
from domain.search import record_terms

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
TERM = sa.String(64).with_variant(sa.String(64, collation="C"), "postgresql")
# Which columns a record is searched by: names, phones, e-mail addresses.
SEARCHED = {
    "lead": ("leads", ("company", "contact"), ("phone",), ("email",)),
    "customer": ("customers", ("name",), ("phone",), ("email",)),
    "contact": ("contacts", ("name",), ("phone",), ("email",)),
    "deal": ("deals", ("title",), (), ()),
}


def upgrade() -> None:
    op.add_column("customers", sa.Column("phone", sa.String(length=40), nullable=True))
    op.add_column("customers", sa.Column("email", sa.String(length=200), nullable=True))
    op.add_column("customers", sa.Column("address", sa.String(length=400), nullable=True))
    op.add_column("customers", sa.Column("tax_id", sa.String(length=40), nullable=True))
    op.add_column("contacts", sa.Column("title", sa.String(length=100), nullable=True))
    op.add_column("contacts", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("deals", sa.Column(
        "amount_source", sa.Enum("typed", "quote", "order", name="amountsource",
                                 native_enum=False, length=24), nullable=True))
    op.add_column("deals", sa.Column("amount_ref", sa.Integer(), nullable=True))
    op.create_table(
        "search_terms",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("term", TERM, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("kind", "record_id", "field", "term",
                                name=op.f("pk_search_terms")),
    )
    op.create_index("ix_search_terms_term", "search_terms", ["term"], unique=False)
    op.create_index("ix_search_terms_owner_term", "search_terms", ["owner_id", "term"],
                    unique=False)
    op.create_index("ix_search_terms_team_term", "search_terms", ["team", "term"], unique=False)
    _deal_figures()
    _search_terms()


def _deal_figures() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE deals SET amount_source = 'typed' WHERE amount IS NOT NULL"))
    latest_quote = (
        "SELECT q.{col} FROM quotes q WHERE q.deal_id = deals.id ORDER BY "
        "CASE WHEN q.status IN ('rejected', 'withdrawn') THEN 1 ELSE 0 END, q.id DESC LIMIT 1")
    conn.execute(sa.text(
        f"UPDATE deals SET amount = ({latest_quote.format(col='total')}), "
        f"amount_source = 'quote', amount_ref = ({latest_quote.format(col='id')}) "
        "WHERE EXISTS (SELECT 1 FROM quotes WHERE quotes.deal_id = deals.id) "
        "AND NOT EXISTS (SELECT 1 FROM orders WHERE orders.deal_id = deals.id)"))
    latest_order = "SELECT o.{col} FROM orders o WHERE o.deal_id = deals.id ORDER BY o.id DESC LIMIT 1"
    conn.execute(sa.text(
        f"UPDATE deals SET amount = ({latest_order.format(col='total')}), "
        f"amount_source = 'order', amount_ref = ({latest_order.format(col='id')}) "
        "WHERE EXISTS (SELECT 1 FROM orders WHERE orders.deal_id = deals.id)"))
    deals = sa.table("deals", sa.column("id", sa.Integer()),
                     sa.column("closed_at", storage.types.UTCDateTime()),
                     sa.column("owner_id", sa.Integer()), sa.column("status", sa.String()))
    orders = sa.table("orders", sa.column("id", sa.Integer()), sa.column("deal_id", sa.Integer()),
                      sa.column("signed_on", sa.Date()))
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("timezone", sa.String()))
    later = orders.alias("later")
    latest = sa.select(sa.func.max(later.c.id)).where(later.c.deal_id == deals.c.id)
    rows = conn.execute(
        sa.select(deals.c.id, deals.c.closed_at, orders.c.signed_on, users.c.timezone)
        .join(orders, orders.c.deal_id == deals.c.id).join(users, users.c.id == deals.c.owner_id)
        .where(deals.c.status == "won", deals.c.closed_at.is_not(None),
               orders.c.id == latest.scalar_subquery())).all()
    moved: list[dict[str, Any]] = []
    for deal_id, closed_at, signed_on, timezone in rows:
        zone = ZoneInfo(timezone)
        if signed_on < closed_at.astimezone(zone).date():
            won_at = datetime.combine(signed_on, time(12), tzinfo=zone)
            moved.append({"deal_id": deal_id, "won_at": won_at})
    if moved:
        conn.execute(sa.update(deals).where(deals.c.id == sa.bindparam("deal_id"))
                     .values(closed_at=sa.bindparam("won_at", type_=storage.types.UTCDateTime())),
                     moved)


def _rows(kind: str) -> Iterator[dict[str, Any]]:
    conn = op.get_bind()
    table_name, names, phones, emails = SEARCHED[kind]
    columns = ["id", *names, *phones, *emails]
    table = sa.table(table_name, *[sa.column(c) for c in columns], sa.column("customer_id"),
                     sa.column("owner_id"), sa.column("team"))
    owner = sa.table("customers", sa.column("id"), sa.column("owner_id"), sa.column("team"))
    # A contact is read by its customer's owner and team.
    reader = owner if kind == "contact" else table
    query = sa.select(*[table.c[c] for c in columns], reader.c.owner_id, reader.c.team)
    if kind == "contact":
        query = query.join(owner, owner.c.id == table.c.customer_id)
    last = 0
    while True:
        batch = conn.execute(query.where(table.c.id > last).order_by(table.c.id).limit(BATCH)
                             ).mappings().all()
        if not batch:
            return
        for row in batch:
            terms = record_terms(names=[row[c] for c in names], phones=[row[c] for c in phones],
                                 emails=[row[c] for c in emails])
            for field, term in terms:
                yield {"kind": kind, "record_id": row["id"], "field": field, "term": term,
                       "owner_id": row["owner_id"], "team": row["team"]}
        last = batch[-1]["id"]


def _search_terms() -> None:
    conn = op.get_bind()
    table = sa.table("search_terms", sa.column("kind"), sa.column("record_id"),
                     sa.column("field"), sa.column("term"), sa.column("owner_id"),
                     sa.column("team"))
    for kind in SEARCHED:
        pending: list[dict[str, Any]] = []
        for row in _rows(kind):
            pending.append(row)
            if len(pending) >= BATCH:
                conn.execute(sa.insert(table), pending)
                pending = []
        if pending:
            conn.execute(sa.insert(table), pending)


def downgrade() -> None:
    op.drop_index("ix_search_terms_team_term", table_name="search_terms")
    op.drop_index("ix_search_terms_owner_term", table_name="search_terms")
    op.drop_index("ix_search_terms_term", table_name="search_terms")
    op.drop_table("search_terms")
    with op.batch_alter_table("deals") as batch:
        batch.drop_column("amount_ref")
        batch.drop_column("amount_source")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("note")
        batch.drop_column("title")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("tax_id")
        batch.drop_column("address")
        batch.drop_column("email")
        batch.drop_column("phone")
