"""The composition root: settings -> engine -> unit of work -> dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.assistant import chat_assistant
from bot.metrics import observe_command
from domain.settings import Settings
from handlers.dispatch import Clock, Dispatcher, utc_now
from storage.database import make_engine, migrate
from storage.failures import translated
from storage.unit_of_work import SqlUnitOfWork, session_factory


@dataclass
class App:
    settings: Settings
    engine: Engine
    dispatcher: Dispatcher

    def uow(self) -> SqlUnitOfWork:
        return self.dispatcher.uow_factory()  # type: ignore[return-value]

    def close(self) -> None:
        self.engine.dispose()


def build_app(settings: Settings, clock: Clock = utc_now, *, run_migrations: bool = True) -> App:
    """Everything wired for one process; the schema is brought up to date first."""
    engine = make_engine(settings.database_url)
    if run_migrations:
        migrate(engine)
    factory = session_factory(engine)
    dispatcher = Dispatcher(lambda: SqlUnitOfWork(factory), settings, clock,
                            translate=translated, observers=[observe_command],
                            assistant=chat_assistant(settings))
    return App(settings=settings, engine=engine, dispatcher=dispatcher)
