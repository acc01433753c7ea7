"""What people really type, on a phone and in two languages: each case here once went wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from bot.delivery import Deliverer
from bot.jobs import Jobs
from handlers.i18n import Translator
from storage.tables import deals, leads, order_lines, outbox, quote_lines, quotes, reminders
from storage.tables_cash import payments
from tests.e2e.session import ref_in
from tests.support import FakeClock, say

TZ = ZoneInfo("Asia/Shanghai")  # the time zone of the fixture's users


def _zh(app: App, *users: str) -> None:
    for user in users:
        assert say(app, user, "/lang zh").ok


def _deal(app: App, user: str = "rep", company: str = "Acme") -> str:
    lead = ref_in(say(app, user, f"/lead {company}").text, "L")
    return ref_in(say(app, user, f"/qualify {lead} amount=50k").text, "D")


def _order(app: App, lines: str) -> str:
    deal = _deal(app)
    reply = say(app, "rep", f"/quote {deal} {lines}")
    assert reply.ok, reply.text
    accepted = say(app, "rep", f"/accept {ref_in(reply.text, 'Q')}")
    assert accepted.ok, accepted.text
    return ref_in(accepted.text, "O")


def _invoice(app: App) -> str:
    order = _order(app, "10 x Server @ 10,000")
    reply = say(app, "fin", f"/invoice {order}")
    assert reply.ok, reply.text
    return reply.text.split()[1]


def _column(app: App, column: object) -> list[object]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(column)).scalars())  # type: ignore[call-overload]


def _reminder_due(app: App) -> datetime:
    with app.engine.connect() as conn:
        due = conn.execute(select(reminders.c.due_at).order_by(
            reminders.c.id.desc())).scalars().first()
    assert isinstance(due, datetime)
    return due.astimezone(TZ)


# --------------------------------------------------------------------------- punctuation


def test_a_chinese_comma_ends_the_company_name_before_options(app: App) -> None:
    reply = say(app, "rep", "/lead 上海腾讯科技有限公司，contact=王五")
    assert reply.ok, reply.text
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.company, leads.c.contact)).one() == (
            "上海腾讯科技有限公司", "王五")


def test_a_chinese_semicolon_separates_quote_lines_and_chinese_options_work(app: App) -> None:
    deal = _deal(app)
    reply = say(app, "rep", f"/quote {deal} 10 x 服务器 @ 5000；2 x 安装 @ 3千 折扣=5")
    assert reply.ok, reply.text
    with app.engine.connect() as conn:
        assert conn.execute(select(quote_lines.c.item, quote_lines.c.quantity)
                            .order_by(quote_lines.c.position)).all() == [
            ("服务器", Decimal(10)), ("安装", Decimal(2))]
        assert conn.execute(select(quotes.c.discount_pct)).scalar_one() == Decimal(5)


# --------------------------------------------------------------------------- configured values


def test_source_and_method_are_accepted_by_their_chinese_names(app: App) -> None:
    assert say(app, "rep", "/lead 星辰科技 source=展会").ok
    assert _column(app, leads.c.source) == ["event"]
    invoice = _invoice(app)
    reply = say(app, "fin", f"/pay {invoice} 1000 method=支付宝")
    assert reply.ok, reply.text
    assert _column(app, payments.c.method) == ["alipay"]


def test_a_wrong_source_is_explained_with_the_readers_names(app: App) -> None:
    _zh(app, "rep")
    reply = say(app, "rep", "/lead 星辰科技 source=报纸")
    assert not reply.ok
    assert "展会" in reply.text and "event" not in reply.text and "cold_call" not in reply.text


def test_a_stage_is_found_by_part_of_its_name(app: App) -> None:
    deal = _deal(app)
    reply = say(app, "rep", f"/stage {deal} 谈判")
    assert reply.ok, reply.text
    assert _column(app, deals.c.stage) == ["negotiation"]


# --------------------------------------------------------------------------- quoted items


def test_quoted_item_names_are_stored_without_their_quotes(app: App) -> None:
    deal = _deal(app)
    assert say(app, "rep", f'/quote {deal} 10 x "Server X1" @ 5,000').ok
    assert say(app, "rep", f"/quote {deal} 2 x “Rack Cabinet” @ 800").ok
    assert _column(app, quote_lines.c.item) == ["Server X1", "Rack Cabinet"]


def test_a_quoted_item_is_found_for_delivery_and_errors_quote_it_once(app: App) -> None:
    order = _order(app, '10 x "Server X1" @ 5,000; 4 x Rack Cabinet @ 800')
    assert _column(app, order_lines.c.item) == ["Server X1", "Rack Cabinet"]
    reply = say(app, "rep", f'/deliver {order} 2 x "Rack Cabinet"')
    assert reply.ok, reply.text
    refused = say(app, "rep", f'/deliver {order} 2 x "Blue Box"')
    assert not refused.ok
    assert "“Blue Box”" in refused.text and "““" not in refused.text


# --------------------------------------------------------------------------- leaks


def test_stage_and_status_are_named_in_chinese_in_errors(app: App) -> None:
    _zh(app, "rep")
    deal = _deal(app)
    assert say(app, "rep", f"/stage {deal} 商务谈判").ok
    again = say(app, "rep", f"/stage {deal} 商务谈判")
    assert not again.ok
    assert "商务谈判" in again.text and "negotiation" not in again.text
    lead = ref_in(say(app, "rep", "/lead 星辰科技").text, "L")
    assert say(app, "rep", f"/qualify {lead}").ok
    closed = say(app, "rep", f"/qualify {lead}")
    assert not closed.ok
    assert "qualified" not in closed.text and "已转化" in closed.text


def test_source_buttons_show_the_readers_names(app: App) -> None:
    _zh(app, "rep")
    say(app, "rep", "/lead")
    say(app, "rep", "星辰科技")
    asked = say(app, "rep", "王经理")
    labels = [b.label for row in asked.buttons for b in row]
    assert "展会" in labels and "官网" in labels
    assert not {"event", "website", "cold_call"} & set(labels)


# --------------------------------------------------------------------------- times


def test_a_quoted_date_with_a_time_keeps_its_time(app: App, clock: FakeClock) -> None:
    deal = _deal(app)
    assert say(app, "rep", f'/remind {deal} "tomorrow 15:00" call Li').ok
    assert _reminder_due(app) == datetime(2026, 11, 24, 15, 0, tzinfo=TZ)
    assert say(app, "rep", f'/log {deal} call talked next="fri 3pm"').ok
    assert _reminder_due(app) == datetime(2026, 11, 27, 15, 0, tzinfo=TZ)


def test_chinese_times_and_the_week_after_next_are_understood(app: App) -> None:
    deal = _deal(app)
    assert say(app, "rep", f"/remind {deal} 明天下午3点 给王总打电话").ok
    assert _reminder_due(app) == datetime(2026, 11, 24, 15, 0, tzinfo=TZ)
    assert say(app, "rep", f"/remind {deal} 下下周 回访").ok
    assert _reminder_due(app).date() == date(2026, 12, 7)


def test_an_unquoted_relative_date_option_is_read_whole(app: App) -> None:
    deal = _deal(app)
    reply = say(app, "rep", f"/log {deal} call talked to Li next=in 3 days")
    assert reply.ok, reply.text
    assert _reminder_due(app) == datetime(2026, 11, 26, 9, 0, tzinfo=TZ)
    with app.engine.connect() as conn:
        assert conn.execute(select(deals.c.next_step)).scalar_one() == "talked to Li"


# --------------------------------------------------------------------------- width and script


def test_full_width_phone_and_bank_ref_are_stored_plainly(app: App) -> None:
    assert say(app, "rep", "/lead 星辰科技 phone=１３９００００１１１１").ok
    assert _column(app, leads.c.phone) == ["13900001111"]
    invoice = _invoice(app)
    assert say(app, "fin", f"/pay {invoice} 100 ref=ＦＷ-1").ok
    assert _column(app, payments.c.ref) == ["FW-1"]


def test_the_same_bank_ref_in_another_case_or_width_is_refused(app: App) -> None:
    invoice = _invoice(app)
    assert say(app, "fin", f"/pay {invoice} 100 ref=BANK-9").ok
    for other in ("bank-9", "ＢＡＮＫ－９"):
        reply = say(app, "fin", f"/pay {invoice} 100 ref={other}")
        assert not reply.ok, other
    assert len(_column(app, payments.c.id)) == 1


def test_traditional_characters_match_a_simplified_lead(app: App) -> None:
    assert say(app, "rep", "/lead 华为技术").ok
    reply = say(app, "rep2", "/lead 華為技術有限公司")
    assert "L-1 华为技术" in reply.text


# --------------------------------------------------------------------------- weeks


def _jobs(app: App, clock: FakeClock) -> Jobs:
    return Jobs(app, Deliverer(app.engine, app.settings, [], clock))


def _digest_keys(app: App) -> list[str]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.dedupe_key).where(
            outbox.c.key.like("notify.digest%")).order_by(outbox.c.id)).scalars())


def test_digest_weeks_are_iso_weeks(app: App, clock: FakeClock) -> None:
    jobs = _jobs(app, clock)
    assert jobs.digests(datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == 2  # covers Nov 23-29
    assert {k.split(":")[1] for k in _digest_keys(app)} == {"2026-W48"}
    assert jobs.digests(datetime(2027, 1, 4, 1, 0, tzinfo=UTC)) == 2  # Dec 28 - Jan 3
    assert {k.split(":")[1] for k in _digest_keys(app)[2:]} == {"2026-W53"}


def test_a_fresh_install_sends_no_digest_of_a_week_before_it_existed(
        app: App, clock: FakeClock) -> None:
    # The fixture's users were added on Monday Nov 23 at 10:00; Monday Nov 23 09:00 has fired.
    jobs = _jobs(app, clock)
    assert jobs.digests(clock()) == 0
    assert _digest_keys(app) == []


# --------------------------------------------------------------------------- CLI and dialogs


def test_cli_answers_in_the_locale_asked_for_and_refuses_unknown_ones(tmp_path: Path) -> None:
    from tests.e2e.test_cli import run_bot

    added = run_bot(tmp_path, "users", "add", "alice", "--role", "rep", "--locale", "en")
    assert added.returncode == 0, added.stderr
    t = Translator("en")
    assert t("cli.user_added", username="alice", role=t("role.rep")) in added.stdout
    refused = run_bot(tmp_path, "users", "add", "bob", "--role", "rep", "--locale", "fr")
    assert refused.returncode == 2
    assert "fr" in refused.stderr and "en" in refused.stderr and "zh" in refused.stderr
    listed = run_bot(tmp_path, "users", "list")
    assert "bob" not in listed.stdout


def test_another_command_in_a_dialog_says_the_draft_was_set_aside(app: App) -> None:
    say(app, "rep", "/lead")
    say(app, "rep", "Harbour Foods")
    other = say(app, "rep", "/todo")
    assert "/lead" in other.text and "/resume" in other.text
    resumed = say(app, "rep", "/resume")
    assert resumed.asks and "Harbour Foods" in resumed.text
    assert say(app, "rep", "Ms Chen").asks
    assert say(app, "rep", "-").ok
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.company, leads.c.contact)).one() == (
            "Harbour Foods", "Ms Chen")
