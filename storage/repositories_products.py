"""Repositories of the price list, the stock and the satisfaction surveys."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import and_, func, or_, select, update

from domain.model.products import Product, StockMove
from domain.model.satisfaction import Survey
from storage import tables
from storage import tables_cash as c
from storage.repositories import SqlRepository
from storage.tables_products import products, stock_moves, surveys


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlProducts(SqlRepository[Product]):
    def by_sku(self, sku: str) -> Product | None:
        return self.session.scalars(select(Product).filter_by(sku=sku)).first()

    def search(self, text: str, limit: int) -> list[Product]:
        query = select(Product)
        if text.strip():
            pattern = f"%{_escaped(text.strip().lower())}%"
            query = query.where(or_(func.lower(products.c.sku).like(pattern, escape="\\"),
                                    func.lower(products.c.name).like(pattern, escape="\\")))
        return list(self.session.scalars(query.order_by(products.c.sku).limit(limit)))

    def locked(self, ids: Sequence[int]) -> list[Product]:
        wanted = sorted(set(ids))
        if not wanted:
            return []
        self.session.flush()
        if self.session.get_bind().dialect.name == "sqlite":
            # SQLite has no row locks: a write takes the database's write lock until commit,
            # so nobody changes the stock between this read and the commit.
            self.session.execute(update(products).where(products.c.id.in_(wanted))
                                 .values(on_hand=products.c.on_hand))
            query = select(Product).where(products.c.id.in_(wanted))
        else:
            query = select(Product).where(products.c.id.in_(wanted)).with_for_update()
        # Re-read what was loaded before the lock was granted: another delivery may have
        # taken stock meanwhile.
        found = self.session.scalars(query.order_by(products.c.id)
                                     .execution_options(populate_existing=True))
        return list(found)

    def reserved(self, ids: Sequence[int], excluding_order: int | None = None
                 ) -> dict[int, Decimal]:
        if not ids:
            return {}
        ol = tables.order_lines
        delivered = select(func.coalesce(func.sum(c.delivery_lines.c.quantity), 0)).where(
            c.delivery_lines.c.order_line_id == ol.c.id).scalar_subquery()
        query = select(ol.c.product_id, func.sum(ol.c.quantity - delivered)).where(
            ol.c.product_id.in_(list(ids))).group_by(ol.c.product_id)
        if excluding_order is not None:
            query = query.where(ol.c.order_id != excluding_order)
        return {row[0]: Decimal(str(row[1] or 0)).quantize(Decimal("0.0001"))
                for row in self.session.execute(query)}

    def low(self, limit: int) -> list[tuple[Product, Decimal]]:
        ol = tables.order_lines
        delivered = select(func.coalesce(func.sum(c.delivery_lines.c.quantity), 0)).where(
            c.delivery_lines.c.order_line_id == ol.c.id).scalar_subquery()
        held = (select(ol.c.product_id.label("product_id"),
                       func.sum(ol.c.quantity - delivered).label("held"))
                .where(ol.c.product_id.is_not(None)).group_by(ol.c.product_id).subquery())
        free = (products.c.on_hand - func.coalesce(held.c.held, 0)).label("free")
        rows = self.session.execute(
            select(Product, free).outerjoin(held, held.c.product_id == products.c.id)
            .where(products.c.active.is_(True), products.c.stocked.is_(True),
                   free <= products.c.min_stock)
            .order_by(free - products.c.min_stock, products.c.sku).limit(limit)).all()
        return [(row[0], Decimal(str(row[1])).quantize(Decimal("0.0001"))) for row in rows]

    def add_move(self, move: StockMove) -> None:
        self.session.add(move)

    def moves(self, product_id: int, limit: int) -> list[StockMove]:
        return list(self.session.scalars(
            select(StockMove).where(stock_moves.c.product_id == product_id)
            .order_by(stock_moves.c.id.desc()).limit(limit)))


class SqlSurveys(SqlRepository[Survey]):
    def of_order(self, order_id: int, user_id: int) -> Survey | None:
        return self.session.scalars(select(Survey).where(
            and_(surveys.c.order_id == order_id, surveys.c.user_id == user_id))).first()

    def latest_of_user(self, user_id: int) -> Survey | None:
        return self.session.scalars(
            select(Survey).where(surveys.c.user_id == user_id)
            .order_by(surveys.c.answered_at.desc().nulls_last(), surveys.c.id.desc())).first()
