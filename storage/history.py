"""Reading the audit trail back: the rows of some records, newest first, one page at a time."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from handlers.unit_of_work import Page
from storage import tables as t


def history(session: Session, entries: Sequence[tuple[str, int]], page: int,
            per_page: int) -> Page:
    """Audit rows of the (entity, id) pairs, with the actor's name."""
    a = t.audit_log
    page = max(page, 1)
    if not entries:
        return Page(rows=[], page=page, has_more=False)
    wanted = or_(*[and_(a.c.entity == entity, a.c.entity_id == id_) for entity, id_ in entries])
    query = (select(a.c.id, a.c.at, a.c.action, a.c.entity, a.c.entity_id, a.c.before, a.c.after,
                    t.users.c.display_name.label("actor"))
             .outerjoin(t.users, t.users.c.id == a.c.actor_id).where(wanted)
             .order_by(a.c.at.desc(), a.c.id.desc()))
    rows = [dict(r) for r in session.execute(
        query.limit(per_page + 1).offset((page - 1) * per_page)).mappings()]
    return Page(rows=rows[:per_page], page=page, has_more=len(rows) > per_page)
