"""products and stock, customer-role users and their invites, satisfaction surveys

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import Amount, UTCDateTime

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("price", Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tax_pct", sa.Numeric(7, 4), nullable=True),
        sa.Column("on_hand", sa.Numeric(18, 4), nullable=False),
        sa.Column("min_stock", sa.Numeric(18, 4), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("stocked", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("sku", name=op.f("uq_products_sku")),
    )
    op.create_table(
        "stock_moves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(18, 4), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"],
                                name=op.f("fk_stock_moves_product_id_products")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_stock_moves_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_moves")),
    )
    op.create_index("ix_stock_moves_product", "stock_moves", ["product_id", "id"])
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_surveys_customer_id_customers")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_surveys_order_id_orders")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_surveys_user_id_users")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"],
                                name=op.f("fk_surveys_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    op.create_index("ix_surveys_customer", "surveys", ["customer_id"])
    op.create_index("ix_surveys_asked", "surveys", ["asked_at"])
    op.create_index("ix_surveys_answered", "surveys", ["answered_at"])
    op.create_index("ix_surveys_order_user", "surveys", ["order_id", "user_id"], unique=True)
    op.create_index("ix_surveys_user", "surveys", ["user_id", "asked_at"])
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("customer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch.create_index("ix_users_customer_id", ["customer_id"])
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("customer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_invites_customer_id_customers"), "customers",
                                 ["customer_id"], ["id"])
        batch.create_foreign_key(op.f("fk_invites_contact_id_contacts"), "contacts",
                                 ["contact_id"], ["id"])
    with op.batch_alter_table("quote_lines") as batch:
        batch.add_column(sa.Column("product_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_quote_lines_product_id_products"), "products",
                                 ["product_id"], ["id"])
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(sa.Column("product_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_order_lines_product_id_products"), "products",
                                 ["product_id"], ["id"])
        batch.create_index("ix_order_lines_product_id", ["product_id"])


def downgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_index("ix_order_lines_product_id")
        batch.drop_constraint(op.f("fk_order_lines_product_id_products"), type_="foreignkey")
        batch.drop_column("product_id")
    with op.batch_alter_table("quote_lines") as batch:
        batch.drop_constraint(op.f("fk_quote_lines_product_id_products"), type_="foreignkey")
        batch.drop_column("product_id")
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint(op.f("fk_invites_contact_id_contacts"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_invites_customer_id_customers"), type_="foreignkey")
        batch.drop_column("contact_id")
        batch.drop_column("customer_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_customer_id")
        batch.drop_column("contact_id")
        batch.drop_column("customer_id")
    op.drop_table("surveys")
    op.drop_index("ix_stock_moves_product", table_name="stock_moves")
    op.drop_table("stock_moves")
    op.drop_table("products")
