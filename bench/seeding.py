"""Bulk seeding for the benchmarks: Core executemany in batches, sequences kept in step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text

from storage import tables as t

BATCH = 10_000


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk_insert(engine: Engine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    """Insert every row in one transaction; returns how many."""
    count = 0
    with engine.begin() as conn:
        for batch in batches(rows):
            keys = set().union(*batch)  # executemany wants every row to name the same columns
            conn.execute(insert(table), [{k: row.get(k) for k in keys} for row in batch])
            count += len(batch)
    if engine.dialect.name == "postgresql" and "id" in table.c:
        with engine.begin() as conn:  # explicit ids leave the sequence behind
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table.name}))"))
    return count


def is_empty(engine: Engine) -> bool:
    """No user yet: nothing seeded."""
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(t.users)).scalar_one()


def reset(engine: Engine) -> None:
    """Drop every ltcbot table, so the next migration starts from nothing."""
    with engine.begin() as conn:
        t.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
