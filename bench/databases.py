"""Where the benchmark databases live: one per benchmark, size and schema revision, seeded once.

A seeded database is kept (SQLite files under data/bench/, PostgreSQL databases named
ltc_bench_...) and reused by the next run with the same key and schema head; a run works on a
copy (`scratch`), so what it writes never changes the figures of the next run. Seeding goes
into a scratch name first and is renamed when complete, so an interrupted seed is never reused.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.database import make_engine, migrate

ROOT = Path(__file__).resolve().parents[1]
SQLITE_DIR = Path(os.environ.get("LTC_BENCH_DIR", ROOT / "data" / "bench"))
# The server's maintenance database: used only to create, copy and drop ltc_bench_* ones.
PG_SERVER = os.environ.get("LTC_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")

Seed = Callable[[Engine], None]


def schema_head() -> str:
    """The newest migration's revision: a seeded database is kept per schema."""
    from alembic.script import ScriptDirectory

    from storage.database import MIGRATIONS

    script = ScriptDirectory(str(MIGRATIONS))
    return "-".join(sorted(script.get_heads()))


def _name(key: str) -> str:
    safe = re.sub(r"[^a-z0-9]+", "_", f"{key}_r{schema_head()}".lower()).strip("_")
    return f"ltc_bench_{safe}"[:63]


def _pg_url(database: str, server: str = PG_SERVER) -> str:
    return make_url(server).set(database=database).render_as_string(hide_password=False)


def _admin(server: str) -> Engine:
    return create_engine(server, isolation_level="AUTOCOMMIT")


def _pg_exists(admin: Engine, name: str) -> bool:
    with admin.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                            {"n": name}).first() is not None


def _pg_drop(admin: Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def seeded(backend: str, key: str, seed: Seed, *, fresh: bool = False,
           server: str = PG_SERVER, say: Callable[[str], None] = print) -> str:
    """The URL of the kept database for `key` on `backend`, seeding it first if needed."""
    name = _name(key)
    if backend == "sqlite":
        path = SQLITE_DIR / f"{name}.db"
        if path.exists() and not fresh:
            return f"sqlite:///{path}"
        partial = path.with_suffix(".partial")
        for leftover in (path, partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        _seed_into(f"sqlite:///{partial}", seed, say)
        partial.rename(path)
        return f"sqlite:///{path}"
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}")
    admin = _admin(server)
    try:
        if _pg_exists(admin, name) and not fresh:
            return _pg_url(name, server)
        scratch_name = f"{name[:55]}_partial"
        _pg_drop(admin, name)
        _pg_drop(admin, scratch_name)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{scratch_name}"'))
        _seed_into(_pg_url(scratch_name, server), seed, say)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{scratch_name}" RENAME TO "{name}"'))
        return _pg_url(name, server)
    finally:
        admin.dispose()


def _seed_into(url: str, seed: Seed, say: Callable[[str], None]) -> None:
    engine = make_engine(url)
    try:
        migrate(engine)
        started = time.perf_counter()
        say(f"seeding {make_url(url).database} ...")
        seed(engine)
        say(f"  seeded in {time.perf_counter() - started:.0f} s")
    finally:
        engine.dispose()


@contextmanager
def scratch(url: str, server: str = PG_SERVER) -> Iterator[str]:
    """A throw-away copy of a kept database, dropped afterwards."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database
        folder = Path(tempfile.mkdtemp(prefix="ltc_bench_"))
        copy = folder / "run.db"
        shutil.copyfile(parsed.database, copy)
        try:
            yield f"sqlite:///{copy}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"{parsed.database}"[:40] + f"_run_{uuid.uuid4().hex[:8]}"
    admin = _admin(server)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
        try:
            yield _pg_url(name, server)
        finally:
            _pg_drop(admin, name)
    finally:
        admin.dispose()


def settle(engine: Engine) -> None:
    """After a bulk load: PostgreSQL's planner statistics, as autovacuum would soon have them.
    SQLite is left without statistics, as ltcbot never runs ANALYZE on it."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
