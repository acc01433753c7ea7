"""Weekly digests: due at the cron time of the ISO week, queued once per reader, figures worked
out by hand, written at send time in the reader's language with a chart."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from bot.scheduler import build_scheduler
from domain.digests import FINANCE_DIGEST, MANAGER_DIGEST, finance_digest, manager_digest
from domain.reports import Scope
from storage.tables import outbox
from tests.integration.test_outbox_delivery import Recorder, link
from tests.integration.test_reports import TARGETS, seed
from tests.support import FakeClock, say

FIRED = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Mon 09:00 in Shanghai


def _money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "CNY"}


def _jobs(app: App, clock: FakeClock, *senders: Recorder) -> Jobs:
    return Jobs(app, Deliverer(app.engine, app.settings, list(senders), clock))


def _digests(app: App) -> list[tuple[str, str, str]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.recipient, outbox.c.key, outbox.c.dedupe_key)
                            .where(outbox.c.key.like("notify.digest%")).order_by(outbox.c.id))
        return [(r[0], r[1], r[2]) for r in rows]


@pytest.mark.parametrize("local, fired", [
    ("2026-11-30T08:59", None),  # Monday before 09:00: last week's digest is not this week's
    ("2026-11-30T09:00", "2026-11-30T09:00"),
    ("2026-12-02T17:00", "2026-11-30T09:00"),  # late in the week: still this week's
    ("2026-12-06T23:59", "2026-11-30T09:00"),
    ("2026-12-07T09:30", "2026-12-07T09:00"),
])
def test_a_digest_is_due_once_this_weeks_cron_time_has_passed(
        app: App, clock: FakeClock, local: str, fired: str | None) -> None:
    tz = app.settings.timezone
    now = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    found = _jobs(app, clock).digest_fired(now)
    expected = datetime.fromisoformat(fired).replace(tzinfo=ZoneInfo(tz)) if fired else None
    assert found == expected


def test_digests_go_to_each_manager_and_finance_once_a_week(app: App, clock: FakeClock) -> None:
    jobs = _jobs(app, clock)
    mgr, fin = (str(_id(app, name)) for name in ("mgr", "fin"))
    assert jobs.digests(datetime(2026, 11, 30, 0, 59, tzinfo=UTC)) == 0  # 08:59
    assert jobs.digests(FIRED) == 2
    assert jobs.digests(FIRED) == 0  # run twice
    assert jobs.digests(datetime(2026, 12, 3, 6, 0, tzinfo=UTC)) == 0  # run late in the week
    assert _digests(app) == [(mgr, MANAGER_DIGEST, f"digest:2026-W48:u{mgr}"),
                             (fin, FINANCE_DIGEST, f"digest:2026-W48:u{fin}")]
    assert jobs.digests(datetime(2026, 12, 7, 1, 0, tzinfo=UTC)) == 2  # the next Monday
    assert [d[2] for d in _digests(app)][2:] == [f"digest:2026-W49:u{mgr}",
                                                 f"digest:2026-W49:u{fin}"]


def test_tick_queues_the_digests_when_due(app: App, clock: FakeClock) -> None:
    jobs = _jobs(app, clock)
    assert jobs.tick(FIRED).digests == 2
    assert jobs.tick(FIRED).digests == 0


def _id(app: App, username: str) -> int:
    with app.uow() as uow:
        user = uow.users.by_username(username)
        assert user is not None and user.id is not None
        return user.id


def test_the_managers_digest_holds_the_teams_week(app: App, clock: FakeClock) -> None:
    app.settings = dataclasses.replace(app.settings, targets=TARGETS)
    seed(app, clock)
    with app.uow() as uow:
        params = manager_digest(uow, app.settings, Scope("team", team="east"), FIRED)
    assert params["week"] == "2026-W48"
    assert (params["from"], params["to"]) == ("2026-11-23", "2026-11-29")
    # D-1 counts at its order's 113,000 now it is won; D-5 (signed in August) is not this week's.
    assert params["new_deals"] == [{"deals": 7, "amount": _money("326333.33")}]
    assert [(m["stage"], m["name_en"], m["name_zh"], m["moves"]) for m in params["moves"]] == [
        ("negotiation", "Negotiation", "商务谈判", 2), ("proposal", "Proposal", "方案报价", 1)]
    assert params["won"] == [{"deals": 2, "amount": _money("193000.00")}]
    assert (params["won_deals"], params["lost_deals"]) == (2, 0)
    assert [(f["month"], Decimal(f["won"]["amount"]), Decimal(f["weighted"]["amount"]),
             f["target"]) for f in params["forecast"]] == [
        ("2026-11", Decimal(193000), Decimal("50000.00"), _money("300000.00")),
        ("2026-12", Decimal(0), Decimal(3000), _money("500000.00"))]
    assert params["stale_count"] == 0 and params["stale"] == []
    assert [(r["name"], r["won"], Decimal(r["amount"]["amount"]), r["activities"])
            for r in params["leaders"]] == [("rep", 1, Decimal(113000), 2),
                                            ("rep2", 1, Decimal(80000), 1), ("mgr", 0, 0, 0)]


def test_the_finance_digest_holds_aging_cash_to_come_and_the_most_overdue(
        app: App, clock: FakeClock) -> None:
    seed(app, clock)
    with app.uow() as uow:
        params = finance_digest(uow, app.settings, FIRED)
    (aging,) = params["aging"]
    assert {k: Decimal(v["amount"]) for k, v in aging.items() if k != "customers"} == {
        "current": 100000, "days_1_30": 0, "days_31_60": 0, "days_61_90": 0,
        "days_90_plus": 15000, "total": 115000}
    assert params["weeks"] == ["2026-11-30", "2026-12-07", "2026-12-14", "2026-12-21"]
    (cash,) = params["cash"]
    assert Decimal(cash["overdue"]["amount"]) == 15000
    assert [Decimal(w["amount"]) for w in cash["weeks"]] == [0, 0, 0, 100000]
    assert params["overdue"] == [{"invoice": "INV-2026-0002", "customer": "Stark",
                                  "outstanding": _money("15000.00"), "days": 107}]


def test_digests_are_written_at_send_time_in_each_readers_language(
        app: App, clock: FakeClock) -> None:
    app.settings = dataclasses.replace(app.settings, targets=TARGETS)
    seed(app, clock)
    link(app, clock, "mgr", "telegram", "2002")
    link(app, clock, "fin", "telegram", "6006")
    assert say(app, "fin", "/lang zh").ok
    door = Recorder()
    clock.now = FIRED
    report = _jobs(app, clock, door).tick(FIRED)
    assert report.digests == 2
    # The week's other news (wins, payments, chasing) reaches them too; pick the digests.
    sent = {chat: reply for chat, reply in door.sent if reply.text.startswith(("📊", "💰"))}
    manager, finance = sent["2002"], sent["6006"]
    assert manager.text.splitlines()[0] == (
        "📊 Weekly digest 2026-W48 (Nov 23, 2026 – Nov 29, 2026), team east")
    assert "Stage moves: Negotiation 2 · Proposal 1" in manager.text
    assert ("  2026-11: won CN¥193,000.00 + weighted CN¥50,000.00 · target CN¥300,000.00 "
            "(81%)") in manager.text
    assert [f.name for f in manager.files] == ["forecast.png"]
    assert finance.text.splitlines()[0] == "💰 回款周报 2026-W48，截至 2026年11月30日"
    assert "  1. INV-2026-0002 Stark · ¥15,000.00 · 逾期 107 天" in finance.text
    assert [f.name for f in finance.files] == ["aging.png"]
    assert finance.files[0].data.startswith(b"\x89PNG")


def test_digest_previews_the_askers_digest_now(app: App, clock: FakeClock) -> None:
    seed(app, clock)
    clock.now = FIRED
    preview = say(app, "mgr", "/digest")
    assert preview.text.startswith("📊 Weekly digest 2026-W48 (Nov 23, 2026 – Nov 29, 2026)")
    assert [f.name for f in preview.files] == ["forecast.png"]
    both = say(app, "boss", "/digest")
    assert "📊 Weekly digest 2026-W48" in both.text and "💰 Weekly cash digest" in both.text
    assert [f.name for f in both.files] == ["forecast.png", "aging.png"]
    refused = say(app, "rep", "/digest")
    assert not refused.ok
    assert _digests(app) == []  # a preview queues nothing


def test_the_scheduler_runs_the_digests_on_the_configured_cron(app: App, clock: FakeClock) -> None:
    scheduler = build_scheduler(_jobs(app, clock))
    job = scheduler.get_job("digests")
    assert job is not None
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "9", "0")
    assert str(job.trigger.timezone) == "Asia/Shanghai"
