"""bank references compared width- and case-folded; dialogs that can be set aside;
company-name keys in simplified script

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 16:00:00

`payments.ref_key` holds each bank reference width- and case-folded, under a unique index, so
`BANK-9`, `bank-9` and `ＢＡＮＫ－９` are one reference. Payments already booked twice under
such spellings are not refused here: the oldest keeps the reference, each later one gets the
key `<ref>~dup~P-<id>` (so the index holds), and every clash is reported as a warning on the
`ltcbot.migrations` logger and on standard error, naming both payments, for finance to check.
"""

import logging
import sys
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.names import normalise_company

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("ltcbot.migrations")
CLASH = "{key}~dup~P-{id}"


def _ref_key(ref: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", ref).casefold().split())


def _report(message: str) -> None:
    log.warning(message)
    print(message, file=sys.stderr)


def _key_refs(conn: sa.Connection) -> None:
    payments = sa.table("payments", sa.column("id", sa.Integer), sa.column("ref", sa.String),
                        sa.column("ref_key", sa.String))
    first: dict[str, tuple[int, str]] = {}
    rows = conn.execute(sa.select(payments.c.id, payments.c.ref)
                        .where(payments.c.ref.is_not(None)).order_by(payments.c.id)).all()
    for payment_id, ref in rows:
        key = _ref_key(ref)
        if key in first:
            kept_id, kept_ref = first[key]
            _report(f"payment P-{payment_id} has the bank reference {ref!r}, which is the same "
                    f"as {kept_ref!r} of P-{kept_id}: the same money may be booked twice; "
                    f"P-{payment_id} keeps its reference, marked as a duplicate")
            key = CLASH.format(key=key, id=payment_id)
        else:
            first[key] = (payment_id, ref)
        conn.execute(payments.update().where(payments.c.id == payment_id).values(ref_key=key))


def _rekey_names(conn: sa.Connection) -> None:
    """Names written in traditional characters get the simplified key new names get."""
    for name in ("leads", "customers"):
        column = "company" if name == "leads" else "name"
        table = sa.table(name, sa.column("id", sa.Integer), sa.column(column, sa.String),
                         sa.column("name_key", sa.String))
        rows = conn.execute(sa.select(table.c.id, table.c[column], table.c.name_key)).all()
        for row_id, text, old_key in rows:
            key = normalise_company(text)
            if key != old_key:
                conn.execute(table.update().where(table.c.id == row_id).values(name_key=key))


def upgrade() -> None:
    op.add_column("payments", sa.Column("ref_key", sa.String(length=80), nullable=True))
    conn = op.get_bind()
    _key_refs(conn)
    op.create_index("ux_payments_ref_key", "payments", ["ref_key"], unique=True)
    op.add_column("dialog_states", sa.Column("set_aside", sa.Boolean(), nullable=False,
                                             server_default=sa.false()))
    _rekey_names(conn)


def downgrade() -> None:
    with op.batch_alter_table("dialog_states") as batch:
        batch.drop_column("set_aside")
    op.drop_index("ux_payments_ref_key", table_name="payments")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("ref_key")
