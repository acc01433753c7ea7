"""Database fixtures: every storage test runs on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.app import App, build_app
from bot.runtime import Runtime
from domain.model.users import Role
from domain.settings import Settings
from domain.users import add_user
from storage.database import make_engine, migrate
from storage.tables import metadata
from tests.doors.slack_fake import SlackApi
from tests.support import FakeClock

PG_SERVER = os.environ.get("LTC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [b for b in os.environ.get("LTC_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


@pytest.fixture(autouse=True, scope="session")
def charts_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Files the console saves (charts, exports) go to a temporary directory, not ./charts."""
    path = tmp_path_factory.mktemp("charts")
    before = os.environ.get("LTC_CHARTS_DIR")
    os.environ["LTC_CHARTS_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("LTC_CHARTS_DIR", None)
    else:
        os.environ["LTC_CHARTS_DIR"] = before


@pytest.fixture(autouse=True, scope="session")
def metrics_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Processes started by tests keep their metric files in a temporary directory; this
    process keeps its counters in memory whatever `main()` it calls."""
    import prometheus_client  # noqa: F401  (imported first: the in-memory mode is fixed)

    path = tmp_path_factory.mktemp("metrics")
    before = os.environ.get("LTC_METRICS_DIR")
    os.environ["LTC_METRICS_DIR"] = str(path)
    yield path
    if before is None:
        os.environ.pop("LTC_METRICS_DIR", None)
    else:
        os.environ["LTC_METRICS_DIR"] = before


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "ltc.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test session, dropped at the end."""
    name = f"ltc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: a SQLite file or the PostgreSQL test database."""
    if request.param == "sqlite":
        path = tmp_path / "ltc.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database")
    _truncate(url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings() -> Settings:
    return Settings(company_name="Test Co")


@pytest.fixture
def runtime(database_url: str) -> Runtime:
    return Runtime(database_url=database_url)


@pytest.fixture
def app(settings: Settings, runtime: Runtime, clock: FakeClock) -> Iterator[App]:
    """The wired application with users: boss (admin), mgr (manager, team east),
    rep and rep2 (reps, team east), other (rep, team west), fin (finance); English."""
    application = build_app(settings, runtime, clock, run_migrations=False)
    with application.uow() as uow:
        uow.action = "test setup"
        for username, role, team in [
            ("boss", Role.ADMIN, None), ("mgr", Role.MANAGER, "east"),
            ("rep", Role.REP, "east"), ("rep2", Role.REP, "east"),
            ("other", Role.REP, "west"), ("fin", Role.FINANCE, None),
        ]:
            add_user(uow, username, role, clock(), team=team, locale="en",
                     timezone="Asia/Shanghai")
        uow.commit()
    yield application
    application.close()


@pytest.fixture
def slack_api() -> Iterator[SlackApi]:
    """A local stand-in for Slack's Web API, for the Slack door to talk to."""
    server = SlackApi()
    server.start()
    yield server
    server.stop()
