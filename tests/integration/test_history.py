"""/history reads the audit trail back: field, before, after, who and when, in the reader's
language and time zone, for every kind of record, to those who may read it."""

from __future__ import annotations

from bot.app import App
from tests.support import FakeClock, say


def _ok(app: App, user: str, text: str) -> str:
    reply = say(app, user, text)
    assert reply.ok, f"{text}: {reply.text}"
    return reply.text


def _deal_with_changes(app: App, clock: FakeClock) -> None:
    _ok(app, "rep", "/lead Acme contact=Li")
    _ok(app, "rep", "/qualify L-1 amount=50k")
    clock.advance(hours=1)
    _ok(app, "rep", "/stage D-1 proposal")
    clock.advance(hours=1)
    _ok(app, "mgr", "/edit D-1 amount=60k close=2026-12-31")


def test_each_change_shows_field_before_and_after_newest_first(
        app: App, clock: FakeClock) -> None:
    _deal_with_changes(app, clock)
    lines = _ok(app, "rep", "/history D-1").splitlines()
    assert lines[0] == "History of D-1 (page 1), newest first:"
    assert lines[1] == ("  Mon, Nov 23, 2026 12:00 · mgr · /edit: amount CN¥50,000.00 → "
                        "CN¥60,000.00; close date — → Dec 31, 2026")
    assert lines[2].startswith("  Mon, Nov 23, 2026 11:00 · rep · /stage: ")
    assert "stage Qualification → Proposal" in lines[2] and "probability 10% → 50%" in lines[2]
    assert lines[3] == "  Mon, Nov 23, 2026 10:00 · rep · /qualify: created"


def test_history_is_written_in_the_readers_language_and_time_zone(
        app: App, clock: FakeClock) -> None:
    _deal_with_changes(app, clock)
    _ok(app, "mgr", "/lang zh")
    _ok(app, "mgr", "/tz Europe/Berlin")
    lines = _ok(app, "mgr", "/history D-1").splitlines()
    assert lines[0] == "D-1 的变更记录（第 1 页，最新在前）："
    assert lines[1] == ("  2026年11月23日 周一 05:00 · mgr · /edit：金额 ¥50,000.00 → ¥60,000.00；"
                        "预计成交日期 — → 2026年12月31日")
    assert "阶段 资格确认 → 方案报价" in lines[2]


def test_only_who_may_read_the_record_reads_its_history(app: App, clock: FakeClock) -> None:
    _deal_with_changes(app, clock)
    for user in ("rep", "mgr", "fin", "boss"):
        assert say(app, user, "/history D-1").ok, user
    for user in ("rep2", "other"):
        refused = say(app, user, "/history D-1")
        assert not refused.ok and "D-1 is not yours" in refused.text


def test_documents_show_their_lines_deliveries_and_payments(app: App) -> None:
    _ok(app, "rep", "/lead Acme")
    _ok(app, "rep", "/qualify L-1")
    _ok(app, "rep", "/quote D-1 10 x Server @ 1,000 tax=0")
    _ok(app, "rep", "/accept Q-1 plan=net30")
    _ok(app, "fin", "/deliver O-1 4 x Server")
    _ok(app, "fin", "/invoice O-1 amount=4000")
    _ok(app, "fin", "/pay INV-2026-0001 1,500 ref=B-1")
    quote = _ok(app, "rep", "/history Q-1")
    assert "/quote: created" in quote and "/quote: quote line added" in quote
    assert "status draft → accepted" in quote and "/accept: decided" in quote
    order = _ok(app, "fin", "/history O-1")
    assert "/deliver: delivery added" in order and "/accept: installment added" in order
    invoice = _ok(app, "fin", "/history INV-2026-0001")
    assert "/invoice: created" in invoice and "/pay: payment applied added" in invoice
    payment = _ok(app, "fin", "/history P-1")
    assert "/pay: created" in payment
    lead = _ok(app, "rep", "/history L-1")
    assert "status new → qualified" in lead and "deal — → D-1" in lead
    assert "/lead: created" in lead


def test_a_customers_history_shows_its_contacts_coming_and_changing(app: App) -> None:
    _ok(app, "rep", "/lead Acme contact=Li")
    _ok(app, "rep", "/qualify L-1")
    _ok(app, "rep", "/contact A-1 name=Wang")
    _ok(app, "rep", "/edit C-2 title=CFO")
    lines = _ok(app, "rep", "/history A-1").splitlines()
    assert [line.split(" · ", 2)[-1] for line in lines[1:]] == [
        "/edit: contact: title — → CFO", "/contact: contact added", "/qualify: contact added",
        "/qualify: created"]
