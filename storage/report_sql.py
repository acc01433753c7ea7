"""The pieces the report queries are made of: exact money sums and weighted sums, counts,
seconds between instants, windows and buckets of days, the scope filters, references.

They read the same on SQLite and PostgreSQL; money sums are exact on both (NUMERIC on
PostgreSQL, scaled integers on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from domain.references import PREFIX
from domain.reports import Scope, Window
from storage import tables as t
from storage.queries_cash import _money
from storage.types import SCALE


class PercentOfAmount(TypeDecorator[Decimal]):
    """SUM(amount x percent) read back as the exact amount it stands for (the sum / 100)."""

    impl = BigInteger()
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":  # amounts are integers scaled by 10^SCALE there
            return Decimal(int(value)).scaleb(-SCALE - 2)
        return Decimal(value).scaleb(-2)


class epoch_seconds(FunctionElement[int]):  # noqa: N801  (an SQL function's name)
    """Whole seconds since 1970 of a stored (naive UTC) instant."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def sum_money(expr: Any) -> ColumnElement[Decimal]:
    return _money(func.coalesce(func.sum(expr), 0))


def weighted_sum(amount: Any, probability: Any) -> ColumnElement[Decimal]:
    return type_coerce(func.coalesce(func.sum(amount * probability), 0), PercentOfAmount())


def count_if(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def within(column: Any, window: Window, *, instants: bool) -> ColumnElement[bool]:
    low, high = (window.since, window.until) if instants else (window.start, window.end)
    return and_(column >= low, column < high)


def bucket(column: Any, windows: Sequence[Window], *, instants: bool) -> ColumnElement[str]:
    """The key of the window the value falls in (NULL when none)."""
    return case(*[(within(column, w, instants=instants), literal(w.key, String()))
                  for w in windows], else_=null())


def span_of(windows: Sequence[Window]) -> Window:
    return Window("span", windows[0].start, windows[-1].end, windows[0].since,
                  windows[-1].until)


def owned_by(query: Select[Any], scope: Scope, owner: Any, team: Any) -> Select[Any]:
    if scope.owner_id is not None:
        query = query.where(owner == scope.owner_id)
    if scope.team is not None:
        query = query.where(team == scope.team)
    return query


def cash_owned_by(query: Select[Any], scope: Scope, f: Any) -> Select[Any]:
    """As the invoice lists: a rep sees invoices of their orders and of their customers."""
    if scope.owner_id is not None:
        query = query.where(_cash_owner(f, scope.owner_id))
    if scope.team is not None:
        query = query.where(f.c.team == scope.team)
    return query


def _cash_owner(f: Any, owner_id: Any) -> ColumnElement[bool]:
    # The owner's customers as a list read once, not an EXISTS per row: PostgreSQL runs both
    # as one hashed lookup, but costs the EXISTS under an OR as if it ran for every invoice
    # (millions for 200k invoices), which sets its JIT compiling each rep's report for longer
    # than the report takes. An alias of its own: the outer query often joins customers, and
    # the subquery must not correlate to that join.
    owned = t.customers.alias("owned")
    theirs = f.c.customer_id.in_(select(owned.c.id).where(owned.c.owner_id == owner_id))
    return or_(f.c.owner_id == owner_id, theirs)


# Statements built once for each shape of scope (see storage.prebuilt) read the owner and the
# team as parameters: `scope_params`.
OWNER = bindparam("owner_id", type_=Integer)
TEAM = bindparam("team", type_=String)


def scope_params(scope: Scope) -> dict[str, Any]:
    return {"owner_id": scope.owner_id, "team": scope.team}


def scoped(query: Select[Any], by_owner: bool, by_team: bool, owner: Any,
           team: Any) -> Select[Any]:
    """`owned_by` for a statement built once: the owner and the team as parameters."""
    if by_owner:
        query = query.where(owner == OWNER)
    if by_team:
        query = query.where(team == TEAM)
    return query


def cash_scoped(query: Select[Any], by_owner: bool, by_team: bool, f: Any) -> Select[Any]:
    """`cash_owned_by` for a statement built once: the owner and the team as parameters."""
    if by_owner:
        query = query.where(_cash_owner(f, OWNER))
    if by_team:
        query = query.where(f.c.team == TEAM)
    return query


# Digits kept when sums read from the database are added up again in Python: enough for any
# sum of NUMERIC(20, 4) amounts (or of their products by a percent), so the addition is exact.
EXACT_DIGITS = 60


def ref_sql(kind: str, column: Any) -> ColumnElement[str]:
    """The record's reference (D-7) computed in SQL."""
    return literal(f"{PREFIX[kind]}-", String()) + cast(column, String())


def fetch_rows(session: Session, query: Select[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(query).mappings()]
