"""The Alembic migrations build exactly the schema storage/tables.py describes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, MetaData, String, func, select, text

from storage.database import alembic_config, migrate
from storage.tables import metadata, users


def _differences(engine: Engine, target: MetaData) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def _heads(engine: Engine) -> list[str]:
    return sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def test_migrated_schema_matches_the_tables(engine: Engine) -> None:
    migrate(engine)
    assert _differences(engine, metadata) == []


def test_schema_comparison_notices_a_column_without_migration(engine: Engine) -> None:
    migrate(engine)
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["deals"].append_column(Column("region", String(40)))
    found = _differences(engine, changed)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "deals", "region")]


def test_migrating_twice_keeps_schema_version_and_rows(engine: Engine) -> None:
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(users.insert().values(
            username="kept", display_name="Kept", role="rep", locale="en",
            timezone="UTC", active=True, created_at=datetime.now(UTC)))
    migrate(engine)
    migrate(engine)
    with engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        kept = conn.execute(select(func.count()).select_from(users)
                            .where(users.c.username == "kept")).scalar_one()
    assert sorted(versions) == _heads(engine)
    assert kept == 1
    assert _differences(engine, metadata) == []


def test_the_heads_read_from_the_files_are_alembics(engine: Engine) -> None:
    from storage.database import script_heads

    assert sorted(script_heads()) == _heads(engine)


def test_a_schema_at_head_is_known_without_alembic(engine: Engine,
                                                   database_url: str) -> None:
    import subprocess
    import sys

    from storage.database import at_head

    migrate(engine)
    assert at_head(engine)
    start = ("import sys; from storage.database import make_engine, migrate; "
             f"migrate(make_engine({database_url!r})); print('alembic' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", start], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "False"  # at head: nothing to run, Alembic not even imported
    try:
        with engine.begin() as conn:
            # One row a head (there may be several): the schema said to be at the first one.
            conn.execute(text("DELETE FROM alembic_version"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
        assert not at_head(engine)
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
        assert not at_head(engine)
    finally:  # the PostgreSQL test database is shared by the session: leave it at head
        from alembic import command

        command.stamp(alembic_config(engine), "heads", purge=True)
    assert at_head(engine)
