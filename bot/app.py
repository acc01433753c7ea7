"""The composition root: settings -> engine -> unit of work -> dispatcher.

The company's business settings go to the dispatcher (and through it to the domain); the
runtime settings stay here, with the parts that run the machinery: the engine, the doors,
the scheduler and the deliverer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.delivery import Deliverer, Sender
from bot.metrics import observe_command
from bot.runtime import Runtime
from domain.settings import Settings
from handlers.dispatch import Clock, Dispatcher, utc_now
from storage.database import make_engine, migrate
from storage.failures import translated
from storage.unit_of_work import SqlUnitOfWork, session_factory


@dataclass
class App:
    settings: Settings
    runtime: Runtime
    engine: Engine
    dispatcher: Dispatcher

    def uow(self) -> SqlUnitOfWork:
        return self.dispatcher.uow_factory()  # type: ignore[return-value]

    def deliverer(self, senders: Sequence[Sender]) -> Deliverer:
        """Sends the outbox through `senders`, each shared channel to its configured chats."""
        return Deliverer(self.engine, self.settings, list(senders), self.dispatcher.clock,
                         chats=self.runtime.channel_chats)

    def close(self) -> None:
        self.engine.dispose()


def build_app(settings: Settings, runtime: Runtime, clock: Clock = utc_now, *,
              run_migrations: bool = True) -> App:
    """Everything wired for one process; the schema is brought up to date first."""
    engine = make_engine(runtime.database_url)
    if run_migrations:
        migrate(engine)
    factory = session_factory(engine)
    dispatcher = Dispatcher(lambda: SqlUnitOfWork(factory), settings, clock,
                            translate=translated, observers=[observe_command])
    return App(settings=settings, runtime=runtime, engine=engine, dispatcher=dispatcher)
