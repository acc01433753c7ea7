"""The outbox is sent once, late rather than never: leases, retries, parking, quiet hours."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from bot.app import App
from bot.delivery import Deliverer, SendFailed
from bot.jobs import Jobs
from domain.model.users import Identity
from domain.outbox import LEASE, MAX_ATTEMPTS, OutboxStatus
from handlers.reply import Reply
from storage.tables import outbox
from tests.support import FakeClock, say

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """A door that records what it was asked to send; fails the first `fail` sends."""

    def __init__(self, platform: str = "telegram", fail: int = 0,
                 retry_after: float | None = None) -> None:
        self.platform = platform
        self.fail = fail
        self.retry_after = retry_after
        self.sent: list[tuple[str, Reply]] = []
        self.lock = threading.Lock()

    def send(self, chat_id: str, reply: Reply, *, label: str = "") -> None:
        with self.lock:
            if self.fail > 0:
                self.fail -= 1
                raise SendFailed("HTTP 502 from the chat API", self.retry_after)
            self.sent.append((chat_id, reply))


def link(app: App, clock: FakeClock, username: str, platform: str, external_id: str) -> None:
    with app.uow() as uow:
        user = uow.users.by_username(username)
        assert user is not None and user.id is not None
        uow.identities.add(Identity(platform, external_id, user.id, clock()))
        uow.commit()


def row_states(app: App) -> list[tuple[str, OutboxStatus, int]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.key, outbox.c.status, outbox.c.attempts)
                            .order_by(outbox.c.id)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_due_reminder_reaches_its_owner_once_with_buttons(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    assert say(app, "rep", "/remind tomorrow 10:00 call Li back").ok
    door = Recorder()
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [door], clock))
    assert jobs.tick(clock()).reminders == 0
    clock.advance(days=1)  # Tue 10:00 Shanghai: due now
    first = jobs.tick(clock())
    second = jobs.tick(clock())
    assert (first.reminders, first.delivered.sent) == (1, 1)
    assert (second.reminders, second.delivered.sent) == (0, 0)
    chat_id, reply = door.sent[0]
    assert chat_id == "1001"
    assert "call Li back" in reply.text and "R-1" in reply.text
    assert [b.command for b in reply.buttons[0]] == [
        "/done R-1", "/snooze R-1 tomorrow", "/snooze R-1 next week"]


def test_reminder_is_rendered_in_the_owners_language(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    assert say(app, "rep", "/lang zh").ok
    assert say(app, "rep", "/remind tomorrow 10:00 回电话").ok
    door = Recorder()
    clock.advance(days=1)
    Jobs(app, Deliverer(app.engine, app.settings, [door], clock)).tick(clock())
    assert door.sent[0][1].text.startswith("⏰ 提醒 R-1")


def test_quiet_hours_hold_a_message_until_morning(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    assert say(app, "rep", "/remind tomorrow 22:30 late thought").ok
    door = Recorder()
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [door], clock))
    clock.now = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # 22:30 Shanghai
    assert jobs.tick(clock()).delivered.deferred == 1
    clock.now = datetime(2026, 11, 24, 23, 59, tzinfo=UTC)  # 07:59
    assert jobs.tick(clock()).delivered.sent == 0
    clock.now = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # 08:00
    assert jobs.tick(clock()).delivered.sent == 1
    assert len(door.sent) == 1


def test_a_send_that_fails_twice_then_succeeds_is_sent_once(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    say(app, "rep", "/remind tomorrow 10:00 flaky")
    door = Recorder(fail=2)
    deliverer = Deliverer(app.engine, app.settings, [door], clock)
    clock.advance(days=1)
    Jobs(app, deliverer).reminders(clock())
    assert deliverer.run_once().failed == 1
    assert deliverer.run_once().sent == 0  # not due again until the backoff has passed
    clock.advance(seconds=30)
    assert deliverer.run_once().failed == 1
    clock.advance(minutes=2)
    assert deliverer.run_once().sent == 1
    clock.advance(hours=3)
    assert deliverer.run_once().sent == 0
    assert len(door.sent) == 1
    assert row_states(app) == [("notify.reminder_due", OutboxStatus.SENT, 2)]


def test_rate_limit_retry_after_is_respected(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    say(app, "rep", "/remind tomorrow 10:00 slow down")
    door = Recorder(fail=1, retry_after=600)
    deliverer = Deliverer(app.engine, app.settings, [door], clock)
    clock.advance(days=1)
    Jobs(app, deliverer).reminders(clock())
    deliverer.run_once()
    clock.advance(seconds=599)
    assert deliverer.run_once().sent == 0
    clock.advance(seconds=1)
    assert deliverer.run_once().sent == 1


def test_after_the_last_try_a_message_is_parked_and_admins_told(
    app: App, clock: FakeClock
) -> None:
    link(app, clock, "rep", "telegram", "1001")
    link(app, clock, "boss", "slack", "U0BOSS")
    say(app, "rep", "/remind tomorrow 10:00 never arrives")
    broken = Recorder("telegram", fail=10**6)
    admin_door = Recorder("slack")
    deliverer = Deliverer(app.engine, app.settings, [broken, admin_door], clock)
    clock.advance(days=1)
    Jobs(app, deliverer).reminders(clock())
    for _ in range(MAX_ATTEMPTS + 2):
        deliverer.run_once()
        clock.advance(hours=2)  # past every backoff, still daytime in Shanghai
    assert row_states(app)[0] == ("notify.reminder_due", OutboxStatus.PARKED, MAX_ATTEMPTS)
    clock.now = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # the admin's quiet hours are over
    deliverer.run_once()
    assert len(admin_door.sent) == 1
    assert "notify.reminder_due" in admin_door.sent[0][1].text
    assert "HTTP 502" in admin_door.sent[0][1].text


def test_running_the_reminder_job_twice_queues_one_row(app: App, clock: FakeClock) -> None:
    say(app, "rep", "/remind tomorrow 10:00 once")
    clock.advance(days=1)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert jobs.reminders(clock()) == 1
    assert jobs.reminders(clock()) == 0
    with app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(outbox)) == 1


def _due_rows(app: App, count: int, now: datetime) -> None:
    with app.engine.begin() as conn:
        conn.execute(insert(outbox), [
            {"recipient_kind": "channel", "recipient": "finance", "key": "notify.order_created",
             "params": {"order": f"O-{i}", "deal": "D-1", "total": None},
             "dedupe_key": f"load:{i}", "status": OutboxStatus.PENDING, "attempts": 0,
             "next_attempt_at": now, "created_at": now}
            for i in range(count)
        ])


def test_a_sender_killed_between_claim_and_send_leaves_the_row_to_be_sent_once(
    app: App, clock: FakeClock, database_url: str
) -> None:
    link(app, clock, "fin", "telegram", "2002")
    _due_rows(app, 1, clock())
    script = (
        "import os, sys\n"
        "from datetime import datetime, timedelta\n"
        "from storage.database import make_engine\n"
        "from storage.outbox import OutboxStore\n"
        "now = datetime.fromisoformat(sys.argv[2])\n"
        "claimed = OutboxStore(make_engine(sys.argv[1])).claim(now, timedelta(minutes=5), 10)\n"
        "print(len(claimed), flush=True)\n"
        "os._exit(9)  # dies before sending\n"
    )
    done = subprocess.run([sys.executable, "-c", script, database_url, clock().isoformat()],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 9, done.stderr
    assert done.stdout.strip() == "1"
    door = Recorder()
    deliverer = Deliverer(app.engine, app.settings, [door], clock)
    assert deliverer.run_once().sent == 0  # still leased to the dead sender
    clock.advance(seconds=LEASE.total_seconds())
    assert deliverer.run_once().sent == 1
    clock.advance(hours=1)
    assert deliverer.run_once().sent == 0
    assert len(door.sent) == 1


def test_two_dispatchers_on_one_database_send_each_row_exactly_once(
    app: App, clock: FakeClock, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several dispatcher processes share one database only on PostgreSQL")
    link(app, clock, "fin", "telegram", "2002")
    _due_rows(app, 1000, clock())
    door = Recorder()
    workers = [Deliverer(app.engine, app.settings, [door], clock) for _ in range(2)]
    totals = [0, 0]

    def work(index: int) -> None:
        while True:
            sent = workers[index].run_once(limit=50).sent
            if sent == 0:
                return
            totals[index] += sent

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    orders = [reply.text for _chat, reply in door.sent]
    assert len(orders) == 1000
    assert len(set(orders)) == 1000
    assert sum(totals) == 1000 and min(totals) > 0
    with app.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(outbox)
                           .where(outbox.c.status == OutboxStatus.SENT)) == 1000


def test_claims_do_not_overlap(app: App, clock: FakeClock) -> None:
    _due_rows(app, 10, clock())
    from storage.outbox import OutboxStore
    store = OutboxStore(app.engine)
    first = store.claim(clock(), timedelta(minutes=5), 6)
    second = store.claim(clock(), timedelta(minutes=5), 6)
    assert len(first) == 6 and len(second) == 4
    assert not {m.id for m in first} & {m.id for m in second}


def test_a_user_who_turns_quiet_hours_off_gets_messages_at_night(
    app: App, clock: FakeClock
) -> None:
    link(app, clock, "rep", "telegram", "1001")
    assert say(app, "rep", "/quiet off").text.startswith("Quiet hours off")
    assert say(app, "rep", "/remind tomorrow 22:30 late thought").ok
    door = Recorder()
    clock.now = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # 22:30 Shanghai
    assert Jobs(app, Deliverer(app.engine, app.settings, [door], clock)).tick(
        clock()).delivered.sent == 1


def test_own_quiet_hours_replace_the_company_default(app: App, clock: FakeClock) -> None:
    link(app, clock, "rep", "telegram", "1001")
    assert say(app, "rep", "/quiet 12:00-14:00").ok
    assert say(app, "rep", "/quiet").text == "Your quiet hours: 12:00-14:00."
    assert say(app, "rep", "/remind tomorrow 12:30 lunch call").ok
    door = Recorder()
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [door], clock))
    clock.now = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)  # 12:30 Shanghai
    assert jobs.tick(clock()).delivered.deferred == 1
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 14:00
    assert jobs.tick(clock()).delivered.sent == 1


def test_bad_quiet_hours_are_refused(app: App) -> None:
    reply = say(app, "rep", "/quiet late")
    assert not reply.ok
    assert "21:00-08:00" in reply.text


def test_an_unexpected_failure_is_reported_to_the_admins(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers import commands

    def broken(ctx: object, text: str) -> Reply:
        raise RuntimeError("disk on fire")

    original = commands.COMMANDS["todo"]
    monkeypatch.setitem(commands.COMMANDS, "todo", commands.Command(
        "todo", broken, original.roles, original.group))
    reply = say(app, "rep", "/todo")
    assert not reply.ok and "nothing was changed" in reply.text
    link(app, clock, "boss", "slack", "U0BOSS")
    door = Recorder("slack")
    Deliverer(app.engine, app.settings, [door], clock).run_once()
    assert len(door.sent) == 1
    assert "rep" in door.sent[0][1].text and "disk on fire" in door.sent[0][1].text


def test_a_channel_with_no_chat_and_nobody_in_its_role_reaches_the_admins(
    app: App, clock: FakeClock
) -> None:
    with app.uow() as uow:
        fin = uow.users.by_username("fin")
        assert fin is not None
        fin.active = False
        uow.commit()
    link(app, clock, "boss", "slack", "U0BOSS")
    _due_rows(app, 1, clock())
    door = Recorder("slack")
    assert Deliverer(app.engine, app.settings, [door], clock).run_once().sent == 1
    assert [chat for chat, _reply in door.sent] == ["U0BOSS"]
