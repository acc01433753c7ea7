"""The public pool (公海) and round-robin turns in SQL: the claim is one conditional UPDATE,
so of two reps claiming one record at once exactly one gets it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session

from domain.model.customers import Customer
from domain.model.leads import Lead, LeadStatus
from handlers.unit_of_work import PendingImport
from storage import tables as t
from storage.tables_cash import invoices


class SqlPool:
    """Implements domain.unit_of_work.PoolStore."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def take(self, kind: str, id_: int, owner_id: int, team: str | None,
             now: datetime) -> bool:
        table = t.leads if kind == "lead" else t.customers
        done = self.session.execute(
            update(table).where(table.c.id == id_, table.c.in_pool.is_(True))
            .values(in_pool=False, owner_id=owner_id, team=team, touched_at=now)
            .execution_options(synchronize_session=False))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def owned(self, user_id: int) -> int:
        leads = select(func.count()).select_from(t.leads).where(
            t.leads.c.owner_id == user_id, t.leads.c.status == LeadStatus.NEW,
            t.leads.c.in_pool.is_(False))
        customers = select(func.count()).select_from(t.customers).where(
            t.customers.c.owner_id == user_id, t.customers.c.in_pool.is_(False))
        return int(self.session.scalar(leads) or 0) + int(self.session.scalar(customers) or 0)

    def neglected_leads(self, before: datetime, limit: int) -> list[Lead]:
        c = t.leads.c
        touched = func.coalesce(c.touched_at, c.created_at)
        return list(self.session.scalars(
            select(Lead).where(c.status == LeadStatus.NEW, c.in_pool.is_(False),
                               or_(c.touched_at < before,
                                   and_(c.touched_at.is_(None), c.created_at < before)))
            .order_by(touched, c.id).limit(limit)))

    def neglected_customers(self, before: datetime, limit: int) -> list[Customer]:
        c = t.customers.c
        touched = func.coalesce(c.touched_at, c.created_at)
        has_order = exists().where(t.orders.c.customer_id == c.id)
        has_invoice = exists().where(invoices.c.customer_id == c.id)
        return list(self.session.scalars(
            select(Customer).where(c.in_pool.is_(False), ~has_order, ~has_invoice,
                                   or_(c.touched_at < before,
                                       and_(c.touched_at.is_(None), c.created_at < before)))
            .order_by(touched, c.id).limit(limit)))

    def last_turn(self, scope: str) -> int | None:
        turns = t.assignment_turns
        return self.session.scalar(select(turns.c.last_user_id).where(turns.c.scope == scope)
                                   .with_for_update())

    def set_turn(self, scope: str, user_id: int) -> None:
        turns = t.assignment_turns
        done = self.session.execute(update(turns).where(turns.c.scope == scope)
                                    .values(last_user_id=user_id))
        if not done.rowcount:  # type: ignore[attr-defined]
            self.session.execute(turns.insert().values(scope=scope, last_user_id=user_id))

    def by_external_id(self, external_id: str) -> Lead | None:
        return self.session.scalars(select(Lead).where(t.leads.c.external_id == external_id)
                                    ).first()


class SqlPendingImports:
    """Implements handlers.unit_of_work.PendingImports."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: int, kind: str, name: str, data: bytes, duplicates: str,
            now: datetime) -> int:
        done = self.session.execute(t.pending_imports.insert().values(
            user_id=user_id, kind=kind, name=name[:200], data=data, duplicates=duplicates,
            created_at=now).returning(t.pending_imports.c.id))
        return int(done.scalar_one())

    def get(self, id_: int) -> PendingImport | None:
        if not 0 < id_ < 2**31:
            return None
        row = self.session.execute(select(t.pending_imports)
                                   .where(t.pending_imports.c.id == id_)).mappings().first()
        return None if row is None else PendingImport(
            id=row["id"], user_id=row["user_id"], kind=row["kind"], name=row["name"],
            data=bytes(row["data"]), duplicates=row["duplicates"])

    def delete(self, id_: int) -> None:
        self.session.execute(delete(t.pending_imports).where(t.pending_imports.c.id == id_))

    def prune(self, before: datetime) -> int:
        done = self.session.execute(delete(t.pending_imports)
                                    .where(t.pending_imports.c.created_at < before))
        return int(done.rowcount)  # type: ignore[attr-defined]
