"""With the database out of reach: a friendly message in the reader's language, no traceback,
and a non-zero exit code from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from domain.settings import Settings
from handlers.dispatch import Dispatcher, Handled
from handlers.i18n import Translator
from handlers.incoming import Incoming
from storage.database import make_engine
from storage.failures import translated
from storage.unit_of_work import SqlUnitOfWork, session_factory

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def _bot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LTC_DATABASE_URL": NOWHERE, "LTC_CONFIG": str(ROOT / "config.toml"),
           "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize("args", [("console", "--as", "alice"), ("tick",), ("users", "list")])
def test_the_command_line_says_the_database_is_unreachable_and_exits_non_zero(
        args: tuple[str, ...]) -> None:
    done = _bot(*args, stdin="/help\n")
    assert done.returncode == 3
    assert Translator("zh_Hans_CN")("ops.database_unavailable") in done.stderr
    assert "127.0.0.1:1/nowhere" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize("hint, locale", [("zh", "zh_Hans_CN"), ("en", "en"), (None, "en")])
def test_a_message_while_the_database_is_down_gets_a_friendly_answer(hint: str | None,
                                                                    locale: str) -> None:
    engine = make_engine(NOWHERE)
    seen: list[Handled] = []
    dispatcher = Dispatcher(lambda: SqlUnitOfWork(session_factory(engine)),
                            Settings(locale="en"), translate=translated,
                            observers=[seen.append])
    reply = dispatcher.handle(Incoming(platform="telegram", user_id="42", chat_id="42",
                                       text="/lead Acme", delivery_id="1:7",
                                       language_hint=hint))
    engine.dispose()
    assert not reply.ok
    assert reply.text == Translator(locale)("ops.database_unavailable")
    assert [h.outcome for h in seen] == ["unavailable"]
