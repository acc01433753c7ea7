"""Overdue chasing: level by level, once each, one message per customer, stopped by payment."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from storage.tables import outbox
from storage.tables_cash import invoices
from tests.support import FakeClock, say


def _invoice(app: App, company: str = "Acme", plan: str = "net30") -> str:
    """A signed order of the rep invoiced by finance; net30 from Mon 2026-11-23: due Dec 23."""
    lead = say(app, "rep", f"/lead {company}").text.split()[1]
    deal = next(w for w in say(app, "rep", f"/qualify {lead}").text.split() if w.startswith("D-"))
    quote = say(app, "rep", f"/quote {deal} 1 x Server @ 10,000").text.split()[1]
    order = say(app, "rep", f"/accept {quote} plan={plan}").text.split()[1]
    if plan == "net30":
        say(app, "fin", f"/deliver {order} all")
    reply = say(app, "fin", f"/invoice {order}")
    assert reply.ok, reply.text
    return reply.text.split()[1]


def _at(clock: FakeClock, day: str) -> datetime:
    """09:30 in Shanghai on `day`."""
    clock.now = datetime.fromisoformat(f"{day}T01:30:00+00:00").astimezone(UTC)
    return clock.now


def _queued(app: App) -> list[tuple[str, str, list[tuple[str, int]]]]:
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.recipient_kind, outbox.c.recipient, outbox.c.params)
                            .where(outbox.c.key == "notify.dunning").order_by(outbox.c.id)).all()
    return [(kind, who, [(i["invoice"], i["level"]) for i in params["items"]])
            for kind, who, params in rows]


def _user_id(app: App, username: str) -> str:
    with app.uow() as uow:
        user = uow.users.by_username(username)
        assert user is not None
        return str(user.id)


def test_each_level_reaches_its_readers_once(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    rep, mgr = _user_id(app, "rep"), _user_id(app, "mgr")
    assert jobs.dunning(_at(clock, "2026-12-19")) == 0  # 4 days before due: nothing yet
    assert jobs.dunning(_at(clock, "2026-12-20")) == 1  # 3 days before due: the owner
    assert jobs.dunning(_at(clock, "2026-12-20")) == 0  # the same day again: nothing
    assert jobs.dunning(_at(clock, "2026-12-24")) == 1  # 1 day overdue
    assert jobs.dunning(_at(clock, "2026-12-30")) == 2  # 7 days: owner + finance
    assert jobs.dunning(_at(clock, "2027-01-21")) == 0
    assert jobs.dunning(_at(clock, "2027-01-22")) == 2  # 30 days: manager + finance
    assert sorted(_queued(app)) == sorted([
        ("user", rep, [(invoice, 1)]), ("user", rep, [(invoice, 2)]),
        ("user", rep, [(invoice, 3)]), ("channel", "finance", [(invoice, 3)]),
        ("user", mgr, [(invoice, 4)]), ("channel", "finance", [(invoice, 4)]),
    ])


def test_one_message_per_customer_lists_all_its_invoices(app: App, clock: FakeClock) -> None:
    first = _invoice(app, "Acme")
    second = _invoice(app, "Acme Ltd")  # the same customer: the lead is qualified into A-1
    _invoice(app, "Globex")
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert jobs.dunning(_at(clock, "2026-12-24")) == 2
    queued = _queued(app)
    assert sorted(items for _kind, _who, items in queued) == sorted(
        [[(first, 2), (second, 2)], [("INV-2026-0003", 2)]])


def test_a_payment_in_full_stops_the_chase(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert jobs.dunning(_at(clock, "2026-12-20")) == 1
    assert say(app, "fin", f"/pay {invoice} 11300 ref=BANK-1").ok
    assert jobs.dunning(_at(clock, "2026-12-24")) == 0
    assert jobs.dunning(_at(clock, "2027-01-30")) == 0


def test_a_partial_payment_does_not_stop_the_chase(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert say(app, "fin", f"/pay {invoice} 1000").ok
    assert jobs.dunning(_at(clock, "2026-12-24")) == 1
    with app.engine.connect() as conn:
        params = conn.execute(select(outbox.c.params).where(
            outbox.c.key == "notify.dunning")).scalar_one()
    assert params["items"][0]["outstanding"] == {"amount": "10300.00", "currency": "CNY"}


def test_after_downtime_only_the_highest_level_is_sent(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert jobs.dunning(_at(clock, "2027-01-25")) == 2
    assert [items for _k, _w, items in _queued(app)] == [[(invoice, 4)], [(invoice, 4)]]
    assert jobs.dunning(_at(clock, "2027-02-25")) == 0


def test_tick_chases_only_after_the_daily_hour(app: App, clock: FakeClock) -> None:
    _invoice(app)
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    clock.now = datetime(2026, 12, 24, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    assert jobs.tick(clock()).dunning == 0
    clock.now = datetime(2026, 12, 24, 1, 0, tzinfo=UTC)  # 09:00
    assert jobs.tick(clock()).dunning == 1


def test_chase_message_is_rendered_for_its_reader(app: App, clock: FakeClock) -> None:
    invoice = _invoice(app)
    from tests.integration.test_outbox_delivery import Recorder, link
    link(app, clock, "rep", "telegram", "1001")
    door = Recorder()
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [door], clock))
    jobs.tick(_at(clock, "2026-12-30"))
    text = door.sent[0][1].text
    assert text.splitlines()[0] == "Chasing Acme (A-1):"
    assert f"{invoice}: CN¥11,300.00 overdue by 7 days (due Dec 23, 2026), level 3" in text
    assert [b.command for b in door.sent[0][1].buttons[0]] == [
        "/customer A-1", "/invoices overdue A-1"]


def test_two_instances_chasing_at_once_send_each_level_once(
    app: App, clock: FakeClock, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances share one database only on PostgreSQL")
    for name in ("Acme", "Globex", "Initech"):
        _invoice(app, name)
    now = _at(clock, "2026-12-24")
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def chase() -> None:
        jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
        barrier.wait()
        counts.append(jobs.dunning(now))

    threads = [threading.Thread(target=chase) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) in ([0, 3], [3, 0])
    assert len(_queued(app)) == 3


def _settled(app: App) -> dict[str, bool]:
    with app.engine.connect() as conn:
        return {number: bool(flag) for number, flag in
                conn.execute(select(invoices.c.number, invoices.c.settled))}


def test_the_settled_flag_follows_payments_and_voids(app: App, clock: FakeClock) -> None:
    from storage import settled

    paid, partly, voided, untouched = (_invoice(app, name) for name in
                                       ("Acme", "Globex", "Initech", "Hooli"))
    assert not any(_settled(app).values())
    assert say(app, "fin", f"/pay {paid} 11300 ref=BANK-1").ok
    assert say(app, "fin", f"/pay {partly} 1000").ok
    assert say(app, "fin", f"/void {voided} reason=typo").ok
    kept = _settled(app)
    assert kept == {paid: True, partly: False, voided: True, untouched: False}
    with app.engine.begin() as conn:  # computed again from nothing: the same
        conn.execute(invoices.update().values(settled=False))
        settled.refresh(conn)
    assert _settled(app) == kept
    # the scan still sums what is owed: the partly paid invoice is chased, the others not
    jobs = Jobs(app, Deliverer(app.engine, app.settings, [], clock))
    assert jobs.dunning(_at(clock, "2026-12-24")) == 2  # Globex and Hooli, one each
    chased = {number for _, _, items in _queued(app) for number, _ in items}
    assert chased == {partly, untouched}
