"""Statements built once and run with their values as parameters.

Building a SQLAlchemy statement and working out its cache key can cost more than running it, so
the statements of the commonest messages are built once (a `functools.cache` function per
statement, after the domain is mapped) with `bindparam`s; a statement kept keeps its key. Pages
of a list are read with the row limit and offset as parameters too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Integer, Select, Table, bindparam, text
from sqlalchemy.orm import Session

from handlers.unit_of_work import Page

LIMIT = bindparam("limit", type_=Integer)
OFFSET = bindparam("offset", type_=Integer)


def paged(query: Select[Any]) -> Select[Any]:
    """The query limited to one page (of `page_of`)."""
    return query.limit(LIMIT).offset(OFFSET)


def page_of(session: Session, query: Select[Any], params: dict[str, Any], page: int,
            per_page: int) -> Page:
    """One page of a `paged` query: the rows, and whether more follow."""
    page = max(page, 1)
    rows = session.execute(query, {**params, "limit": per_page + 1,
                                   "offset": (page - 1) * per_page}).mappings()
    found = [dict(r) for r in rows]
    return Page(rows=found[:per_page], page=page, has_more=len(found) > per_page)


def insert_or_skip(table: Table, names: Sequence[str], *, conflict: Sequence[str] = (),
                   returning: Column[Any] | None = None) -> Any:
    """INSERT a row of `names` (each a parameter of that name) into `table` unless it clashes
    with a row there already (`conflict`: the unique columns; none: any), RETURNING a column of
    the row inserted, if asked.

    Written as text that SQLite and PostgreSQL both read, with the columns' types on its
    parameters: SQLAlchemy's dialect INSERTs with ON CONFLICT are compiled anew on every run
    (they do not use its compilation cache), and these run with every message."""
    columns = ", ".join(f'"{name}"' for name in names)
    values = ", ".join(f":{name}" for name in names)
    target = f" ({', '.join(conflict)})" if conflict else ""
    sql = (f'INSERT INTO "{table.name}" ({columns}) VALUES ({values}) '
           f"ON CONFLICT{target} DO NOTHING")
    if returning is not None:
        sql += f' RETURNING "{returning.name}"'
    statement = text(sql).bindparams(
        *[bindparam(name, type_=table.c[name].type) for name in names])
    return statement if returning is None else statement.columns(returning)
