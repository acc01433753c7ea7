"""The outbox sender's crash window: kill it at random moments, count lost and doubled sends.

Each run queues a batch of messages (every third one to a channel of three readers), forks a
sender that delivers them to a recording Slack Web API on 127.0.0.1, kills it (SIGKILL) at a
random moment of its batch, and lets a new sender finish after the dead one's lease. Lost must
be 0; a double is a message the platform had accepted when the sender died before marking it
sent, so at most one per kill.

    .venv/bin/python bench/crash_window.py                      # SQLite, 100 kills
    .venv/bin/python bench/crash_window.py --runs 300 --rows 20
    .venv/bin/python bench/crash_window.py --url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seeding import reset  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from domain.model.users import Role  # noqa: E402
from domain.settings import Settings  # noqa: E402
from domain.users import add_user
from storage.database import make_engine  # noqa: E402
from tests.doors.slack_fake import SlackApi  # noqa: E402
from tests.hardening.crash_window import run  # noqa: E402

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Mon 10:00 in Shanghai: no quiet hours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--rows", type=int, default=12, help="messages per batch")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/crash.db"
    if args.url:
        engine = make_engine(url)
        reset(engine)
        engine.dispose()
    app = build_app(Settings(), Runtime(database_url=url), lambda: NOW)
    with app.uow() as uow:
        if uow.users.count() == 0:
            add_user(uow, "boss", Role.ADMIN, NOW, locale="en", timezone="Asia/Shanghai")
            uow.commit()
    api = SlackApi()
    api.start()
    try:
        figures = run(app, api, NOW, runs=args.runs, rows=args.rows, seed=args.seed)
    finally:
        api.stop()
        app.close()
    print(f"{app.engine.dialect.name}: {figures.runs} kills, {figures.pairs} deliveries due, "
          f"lost {figures.lost}, doubled {figures.doubled} "
          f"({figures.doubled / max(figures.runs, 1):.2f} per kill, worst run "
          f"{figures.worst_run})")


if __name__ == "__main__":
    main()
