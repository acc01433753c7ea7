"""Statements built once and run with their values as parameters.

Building a SQLAlchemy statement and working out its cache key can cost more than running it, so
the statements of the commonest messages are built once (a `functools.cache` function per
statement, after the domain is mapped) with `bindparam`s; a statement kept keeps its key. Pages
of a list are read with the row limit and offset as parameters too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, bindparam
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
