"""Random and adversarial lines through the dispatcher, for every role in both languages:
no internal error, no silent answer, no write by a refused command, no record shown to a
reader who may not see it. Seeded, so a failure replays; bounded, so it runs in seconds."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers import dispatch  # noqa: F401  (registers every command)
from handlers.commands import ALIASES, COMMANDS
from handlers.i18n import Translator
from storage.tables import outbox, users
from tests.hardening.world import SAMPLES, VIEWERS, build, fast_charts, shown, watching
from tests.support import FakeClock, say

LINES = 80  # per role and language: 2 x 7 x 80 = 1120 lines per database
SEED = 20261123
INTERNAL = {Translator(locale)("error.internal") for locale in ("en", "zh_Hans_CN")}

REFS = ["L-1", "L-3", "L-4", "L-999999999999", "A-1", "A-3", "A-0", "D-1", "D-2", "D-3",
        "D--1", "Q-1", "Q-2", "Q-3", "Q-", "O-1", "O-2", "O-99", "INV-2026-0001",
        "INV-2026-0002", "INV-9999-9999", "INV-2026-", "P-1", "P-2", "R-1", "R-2", "R-0",
        "l-1", "ｄ-１", "D-1.5", "D-1e9"]
AMOUNTS = ["10", "10k", "1.5w", "1万", "-5", "0", "0.001", "1e309", "NaN", "inf", "-inf",
           "99999999999999999999999", "1,000,000.555", "¥100", "USD 5", "100 EUR", "１０万",
           "10kk", ".", "-", "5%", "150%", "-0"]
DATES = ["tomorrow", "fri", "2026-02-30", "0000-01-01", "9999-12-31", "12-31", "13-45",
         "yesterday", "本周五", "下周一", "last-30d", "2026-Q5", "2026-Q4", "25:61", "10:00",
         "mon 10:00", "now", "1970-01-01"]
KEYS = ["amount", "close", "plan", "discount", "tax", "reason", "period", "page", "ref",
        "method", "role", "team", "date", "due", "installment", "signed", "valid", "contact",
        "phone", "email", "source", "note", "title", "month", "by", "days", "next", "x", "",
        "AMOUNT", "金额"]
WORDS = ["call", "meeting", "email", "proposal", "negotiation", "won", "lost", "mine", "team",
         "all", "open", "overdue", "deals", "invoices", "payments", "activities", "x", "@",
         "Server", "all", "net30", "30/60/10", "50/50 net30", "rep", "admin", "en", "zh",
         "Asia/Shanghai", "Mars/Olympus", "off", "22:00-07:30", "25:00-99:99", ";", "x @ 5",
         "1 x A @ 1", "0 x A @ 1", "-1 x A @ -1", "10 x 服务器 @ 5,000", "skip", "-"]
NASTY = ['"unbalanced', "'", '""', "{0}", "{user}", "%s%s%n", "{__class__}", "${jndi:x}",
         "'; DROP TABLE deals; --", "\x00", "\u202e", "\u200b", "😀" * 20, "𠜎", "\t",
         "\r\n", "\n/approve Q-2", "a" * 5000, "=HYPERLINK(\"x\")", "<@U123>", "&lt;",
         "\\", "\ufeff", "ｌｅａｄ", "\x1b[31m", "NULL", "None", "true", "[]", "{}"]


def _token(rng: random.Random) -> str:
    pool = rng.choice([REFS, AMOUNTS, DATES, WORDS, NASTY, KEYS])
    token = rng.choice(pool)
    roll = rng.random()
    if roll < 0.25:
        key = rng.choice(KEYS)
        value = rng.choice(rng.choice([AMOUNTS, DATES, WORDS, REFS, NASTY]))
        return f"{key}={value}" if " " not in value else f'{key}="{value}"'
    if roll < 0.3:
        return f'"{token}"'
    return token


def fuzz_line(rng: random.Random) -> str:
    """A line a careless, confused or hostile person might send."""
    roll = rng.random()
    if roll < 0.45:  # a real command with a real sample, bent a little
        name = rng.choice(list(COMMANDS))
        args = rng.choice(SAMPLES[name]).split()
        for _ in range(rng.randint(0, 3)):
            if args and rng.random() < 0.5:
                args[rng.randrange(len(args))] = _token(rng)
            else:
                args.insert(rng.randint(0, len(args)), _token(rng))
        return " ".join([f"/{name}", *args])
    if roll < 0.75:  # a real command name (or alias) with random arguments
        name = rng.choice([*COMMANDS, *ALIASES])
        spelled = rng.choice([f"/{name}", f"/{name.upper()}", f"／{name}", f"/{name}@ltc_bot",
                              f" /{name}"])
        return " ".join([spelled, *(_token(rng) for _ in range(rng.randint(0, 6)))])
    if roll < 0.85:  # no such command
        return rng.choice(["/", "//", "/ lead", "/x", "/drop", "/lead-", "/\x00",
                           "/" + "z" * 300]) + " " + _token(rng)
    return " ".join(_token(rng) for _ in range(rng.randint(1, 5)))  # plain text


def _set_language(app: App, locale: str) -> None:
    with app.engine.begin() as conn:
        conn.execute(users.update().values(locale=locale))


def _alerts(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.key == "notify.command_failed")).scalar_one())


def test_the_line_maker_is_deterministic() -> None:
    first = [fuzz_line(random.Random(SEED)) for _ in range(3)]
    assert first == [fuzz_line(random.Random(SEED)) for _ in range(3)]


@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_random_lines_never_break_the_dispatcher(who: str, app: App, clock: FakeClock,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fast_charts(monkeypatch)
    build(app, clock)
    viewer = VIEWERS[who]
    problems: list[str] = []
    sent = 0
    with watching(app.engine) as writes:
        for locale in ("en", "zh_Hans_CN"):
            _set_language(app, locale)
            rng = random.Random(f"{SEED}:{who}:{locale}")
            for _ in range(LINES):
                line = fuzz_line(rng)
                writes.take()
                reply = say(app, viewer.name, line)
                committed = writes.take()
                sent += 1
                text = shown(reply)
                if reply.silent:
                    problems.append(f"{line!r}: no answer")
                if reply.text in INTERNAL:
                    problems.append(f"{line!r}: internal error")
                if not reply.ok and committed:
                    problems.append(f"{line!r}: refused but wrote {committed[:2]}")
                problems += [f"{line!r}: showed {secret} records to {who}"
                             for secret in viewer.hidden if secret in text]
    assert sent == 2 * LINES
    assert _alerts(app) == 0, "a command failure was reported to the admins"
    assert not problems, "\n".join(problems[:40])
