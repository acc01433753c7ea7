"""The outbox sender killed at random moments: how many messages are lost, how many doubled.

A forked child process sends a batch of outbox rows to a recording Slack Web API that runs
in this process, and is killed (SIGKILL) at a random moment of its work; then a new sender
takes over once the dead one's lease has run out. Every (message, reader) pair is counted by
what the platform accepted: none is lost, and a pair accepted twice is a double.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import delete, select

from bot.app import App
from bot.delivery import Deliverer
from bot.slack_door import SlackSender
from domain.model.users import Identity, Role
from domain.outbox import LEASE, OutboxMessage, OutboxStatus
from domain.users import add_user
from storage.database import make_engine
from storage.tables import outbox
from tests.doors.slack_fake import BOT_TOKEN, SlackApi

FINISH = 10.0  # seconds new senders get to deliver what a killed one left

MANAGERS = ("m1", "m2", "m3")  # a message to the managers' channel reaches all three
REP = "rep"


@dataclass
class Figures:
    """What the runs counted."""

    runs: int = 0
    pairs: int = 0  # (message, reader) pairs that had to arrive
    lost: int = 0
    doubled: int = 0
    worst_run: int = 0  # the most doubles in one run
    killed_ms: list[float] = field(default_factory=list)


def prepare(app: App, now: datetime) -> dict[str, str]:
    """Three managers and a rep, each with a Slack account; returns username -> Slack id."""
    ids: dict[str, str] = {}
    with app.uow() as uow:
        uow.action = "crash window setup"
        for number, name in enumerate((*MANAGERS, REP)):
            user = uow.users.by_username(name) or add_user(
                uow, name, Role.MANAGER if name in MANAGERS else Role.REP, now, team="east",
                locale="en", timezone="Asia/Shanghai")
            uow.flush()
            ids[name] = f"U{number}CRASH"
            uow.identities.add(Identity("slack", ids[name], user.id or 0, now))
        uow.commit()
    return ids


def _queue(app: App, run: int, rows: int, now: datetime) -> dict[str, int]:
    """`rows` messages, every third one to the managers' channel; returns tag -> readers."""
    readers: dict[str, int] = {}
    with app.uow() as uow:
        manager_ids = [u.id for u in uow.users.with_role(Role.MANAGER, None)
                       if u.username in MANAGERS]
        rep = uow.users.by_username(REP)
        assert rep is not None
        for n in range(rows):
            tag = f"r{run}m{n}"
            channel = n % 3 == 0
            uow.outbox.add(OutboxMessage(
                recipient_kind="channel" if channel else "user",
                recipient="managers" if channel else str(rep.id), key="notify.send_failed",
                params={"what": tag, "to": "x", "error": "e", "attempts": 1},
                dedupe_key=f"crash:{tag}", created_at=now, next_attempt_at=now))
            readers[tag] = len(manager_ids) if channel else 1
        uow.commit()
    return readers


def _sender(app: App, api: SlackApi, at: datetime) -> Deliverer:
    client = WebClient(token=BOT_TOKEN, base_url=api.url)
    return Deliverer(make_engine(app.runtime.database_url), app.settings,
                     [SlackSender(client)], lambda: at)


def _child(app: App, api: SlackApi, at: datetime) -> int:
    pid = os.fork()
    if pid == 0:  # the sender that will be killed
        code = 0
        try:
            _sender(app, api, at).run_once()
        except BaseException:
            code = 1
        os._exit(code)
    return pid


def _accepted(api: SlackApi) -> Counter[tuple[str, str]]:
    """(tag, channel) -> how many times the platform accepted it."""
    found: Counter[tuple[str, str]] = Counter()
    for params in api.of("chat.postMessage"):
        tag = str(params.get("text", "")).split(": ", 1)[-1].split(" to ", 1)[0]
        found[(tag, str(params["channel"]))] += 1
    return found


def calibrate(app: App, api: SlackApi, now: datetime, rows: int) -> float:
    """Seconds one uninterrupted sender takes for `rows` messages (from the fork)."""
    _queue(app, -1, rows, now)
    started = time.monotonic()
    pid = _child(app, api, now)
    os.waitpid(pid, 0)
    took = time.monotonic() - started
    _reset(app, api)
    return took


def _reset(app: App, api: SlackApi) -> None:
    with app.engine.begin() as conn:
        conn.execute(delete(outbox))
    with api._changed:
        api.calls.clear()


def _pending(app: App) -> list[Any]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.id).where(
            outbox.c.status != OutboxStatus.SENT)).all())


def _finish(app: App, api: SlackApi, later: datetime) -> list[Any]:
    """Let new senders deliver what is left; what is still not sent after FINISH seconds is
    lost. (The killed sender's database session may hold its rows locked for a moment after
    the kill, until the server notices the dead connection; a sender skips locked rows.)"""
    deadline = time.monotonic() + FINISH
    while True:
        sent = _sender(app, api, later).run_once().sent
        pending = _pending(app)
        if not pending or time.monotonic() > deadline:
            return pending
        if not sent:
            time.sleep(0.05)


def run(app: App, api: SlackApi, now: datetime, *, runs: int, rows: int,
        seed: int) -> Figures:
    """`runs` sender processes, each killed at a random moment of its batch."""
    prepare(app, now)
    span = calibrate(app, api, now, rows)
    rng = random.Random(seed)
    figures = Figures()
    for number in range(runs):
        readers = _queue(app, number, rows, now)
        pid = _child(app, api, now)
        delay = rng.uniform(0, span)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        figures.killed_ms.append(round(delay * 1000, 1))
        later = now + LEASE + timedelta(seconds=1)  # the dead sender's lease has run out
        pending = _finish(app, api, later)
        accepted = _accepted(api)
        per_tag: Counter[str] = Counter()
        doubles = 0
        for (tag, _channel), times in accepted.items():
            per_tag[tag] += 1
            doubles += times - 1
        figures.pairs += sum(readers.values())
        figures.lost += sum(max(0, count - per_tag[tag]) for tag, count in readers.items())
        figures.lost += len(pending)
        figures.doubled += doubles
        figures.worst_run = max(figures.worst_run, doubles)
        figures.runs += 1
        _reset(app, api)
    return figures
