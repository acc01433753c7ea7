"""Engines and schema migration for SQLite and PostgreSQL."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision(?:\s*:[^=]*)?\s*=\s*['\"](\w+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?:\s*:[^=]*)?\s*=\s*(.+)$", re.MULTILINE)
# A pooled SQLite connection whose commits do not wait for the disk (`synchronous=NORMAL`,
# set for a transaction that records a delivery and nothing else); undone when it comes back.
RELAXED = "ltc_relaxed"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "checkin")
        def _durable_again(dbapi_connection: Any, record: Any) -> None:
            if record.info.pop(RELAXED, False) and dbapi_connection is not None:
                dbapi_connection.execute("PRAGMA synchronous=FULL")

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@cache
def script_heads() -> frozenset[str]:
    """The newest revisions, read from the migration files without loading Alembic (which
    takes longer to import than the rest of a start); empty if a file cannot be read so."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return frozenset()
        revisions.add(revision.group(1))
        parents |= set(re.findall(r"['\"](\w+)['\"]", down.group(1)))
    return frozenset(revisions - parents)


def at_head(engine: Engine) -> bool:
    """Whether the database's schema is already at the newest revision (one small query)."""
    heads = script_heads()
    try:
        with engine.connect() as conn:
            found = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:  # no version table yet (or no database): Alembic will tell
        return False
    return bool(heads) and found == heads


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to `revision` (idempotent); a schema already at the newest
    revision is left without loading Alembic."""
    if revision == "heads" and at_head(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
