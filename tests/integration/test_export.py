"""CSV exports: UTF-8 with a byte order mark, headers in the reader's language, rows in scope."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from bot.app import App
from handlers.reply import Reply
from tests.support import FakeClock, say


def _rows(reply: Reply) -> list[list[str]]:
    assert reply.ok, reply.text
    (attachment,) = reply.files
    assert attachment.mime == "text/csv" and attachment.name.endswith(".csv")
    assert attachment.data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig"))))


def _week(app: App, clock: FakeClock) -> None:
    """Two deals of rep (one a Chinese company, won at its 10,000 order), one of other; an
    invoice paid in part."""
    for user, text in [("rep", "/lead 华为技术 source=website"), ("rep", "/qualify L-1 amount=50k"),
                       ("rep", "/lead Acme"), ("rep", "/qualify L-2 amount=1234.5"),
                       ("other", "/lead Globex"), ("other", "/qualify L-3 amount=10k")]:
        assert say(app, user, text).ok, text
    clock.advance(hours=1)
    for user, text in [("rep", "/log D-1 call 谈了价格"),
                       ("rep", "/quote D-1 1 x Server @ 10,000 tax=0"),
                       ("rep", "/accept Q-1 plan=net30"), ("fin", "/deliver O-1 all"),
                       ("fin", "/invoice O-1"), ("fin", "/pay INV-2026-0001 4,000 ref=B-1")]:
        assert say(app, user, text).ok, text


def test_deals_export_is_a_bom_csv_with_the_readers_columns(app: App, clock: FakeClock) -> None:
    _week(app, clock)
    rows = _rows(say(app, "mgr", "/export deals period=2026-11"))
    assert rows[0][:9] == ["Deal", "Title", "Customer", "Owner", "Team", "Stage", "Status",
                           "Currency", "Amount"]
    assert [r[:9] for r in rows[1:]] == [
        ["D-1", "华为技术", "华为技术", "rep", "east", "won", "won", "CNY", "10000"],
        ["D-2", "Acme", "Acme", "rep", "east", "Qualification", "open", "CNY", "1234.5"]]
    created = rows[0].index("Created")
    assert rows[1][created] == "2026-11-23 10:00:00"  # in the reader's zone, not UTC


def test_a_chinese_reader_gets_chinese_headers(app: App, clock: FakeClock) -> None:
    _week(app, clock)
    assert say(app, "rep", "/lang zh").ok
    rows = _rows(say(app, "rep", "/export activities"))
    assert rows[0] == ["跟进记录", "时间", "记录人", "类型", "关联", "客户", "内容"]
    assert rows[1][2:] == ["rep", "电话", "D-1", "华为技术", "谈了价格"]


def test_invoices_and_payments_exports_carry_derived_amounts(app: App, clock: FakeClock) -> None:
    _week(app, clock)
    invoices = _rows(say(app, "fin", "/export invoices"))
    header = invoices[0]
    row = dict(zip(header, invoices[1], strict=True))
    assert (row["Invoice"], row["Customer"], row["Order"], row["Total"], row["Paid"],
            row["Outstanding"], row["Status"], row["Due"]) == (
        "INV-2026-0001", "华为技术", "O-1", "10000", "4000", "6000", "partly paid",
        "2026-12-23")
    payments = _rows(say(app, "fin", "/export payments period=2026"))
    row = dict(zip(payments[0], payments[1], strict=True))
    assert (row["Payment"], row["Amount"], row["Allocated"], row["Credit"], row["Reference"],
            row["Invoice"]) == ("P-1", "4000", "4000", "0", "B-1", "INV-2026-0001")


def test_exports_keep_to_the_askers_scope(app: App, clock: FakeClock) -> None:
    _week(app, clock)
    assert [r[0] for r in _rows(say(app, "other", "/export deals"))[1:]] == ["D-3"]
    assert [r[0] for r in _rows(say(app, "fin", "/export deals all"))[1:]] == [
        "D-1", "D-2", "D-3"]
    assert not say(app, "rep", "/export deals all").ok
    clock.advance(days=40)
    assert _rows(say(app, "rep", "/export deals period=this-month")) == [
        _rows(say(app, "rep", "/export deals"))[0]]  # nothing made this month: the header only


def test_export_is_sent_to_the_asker_only(app: App, clock: FakeClock) -> None:
    _week(app, clock)
    reply = say(app, "rep", "/export deals")
    assert reply.private
    assert reply.text == (f"Export of deals (mine, all time) is in "
                          f"deals-all-{(clock.now + timedelta(hours=8)).date()}.csv (rows: 2).")


@pytest.mark.parametrize("text, problem", [
    ("/export", "What shall I export?"),
    ("/export contacts", "“contacts” cannot be exported; choose deals|invoices|payments|"
                         "activities."),
    ("/export deals period=soon", "“soon” is not a period."),
])
def test_an_export_that_cannot_be_made_says_why(app: App, text: str, problem: str) -> None:
    refused = say(app, "fin", text)
    assert not refused.ok and refused.text.startswith(problem) and not refused.files
