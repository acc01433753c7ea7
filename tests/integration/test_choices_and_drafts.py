"""Choosing among configured values, drafts set aside and resumed, reminders that keep their
time, quiet hours in Chinese: through the dispatcher and a real database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from storage.tables import activities, deals, leads, quotes, reminders, users
from tests.e2e.session import ref_in
from tests.support import FakeClock, say

TZ = ZoneInfo("Asia/Shanghai")


def _deal(app: App) -> str:
    return ref_in(say(app, "rep", "/qualify " + ref_in(say(app, "rep", "/lead 星辰科技").text,
                                                        "L")).text, "D")


def test_a_word_fitting_two_kinds_is_answered_with_a_button_each(app: App) -> None:
    deal = _deal(app)
    assert say(app, "rep", "/lang zh").ok
    asked = say(app, "rep", f"/log {deal} 电 聊了聊价格")
    assert not asked.ok and "“电”可以是电话、邮件" in asked.text
    choices = {b.label: b.command for row in asked.buttons for b in row}
    assert choices == {"电话": f"/log {deal} 电话 聊了聊价格",
                       "邮件": f"/log {deal} 邮件 聊了聊价格"}
    assert say(app, "rep", choices["邮件"]).ok
    with app.engine.connect() as conn:
        assert conn.execute(select(activities.c.kind, activities.c.text)).one() == (
            "email", "聊了聊价格")


def test_an_ambiguous_option_value_keeps_the_rest_of_the_command(app: App) -> None:
    asked = say(app, "rep", "/lead Harbour Foods source=c contact=Li")
    assert not asked.ok
    commands = sorted(b.command for row in asked.buttons for b in row)
    assert commands == ['/lead Harbour Foods source="cold call" contact=Li',
                        "/lead Harbour Foods source=partner contact=Li"]
    assert say(app, "rep", commands[0]).ok
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.source, leads.c.contact)).one() == ("cold_call", "Li")


def test_stage_buttons_and_typed_names_move_the_deal(app: App) -> None:
    deal = _deal(app)
    card = say(app, "rep", f"/deal {deal}")
    offered = [b.command for row in card.buttons for b in row]
    assert f"/stage {deal} Negotiation" in offered
    for typed, stage in [("方案", "proposal"), ("NEGOT", "negotiation"),
                         ("資格確認", "qualification")]:
        assert say(app, "rep", f"/stage {deal} {typed}").ok, typed
        with app.engine.connect() as conn:
            assert conn.execute(select(deals.c.stage)).scalar_one() == stage


def test_deals_can_be_listed_by_a_stage_name(app: App) -> None:
    deal = _deal(app)
    assert say(app, "rep", f"/stage {deal} 谈判").ok
    assert deal in say(app, "rep", "/deals 谈判").text
    assert "No deals" in say(app, "rep", "/deals 方案").text or \
        deal not in say(app, "rep", "/deals 方案").text
    refused = say(app, "rep", "/deals 飞机")
    assert not refused.ok and "Negotiation" in refused.text and "negotiation" not in refused.text


def test_resume_without_a_draft_says_so(app: App) -> None:
    reply = say(app, "rep", "/resume")
    assert reply.ok and reply.text == "There is no draft to resume."


def test_a_new_question_and_answer_replaces_a_draft_set_aside_and_says_so(app: App) -> None:
    say(app, "rep", "/lead")
    assert "set aside" in say(app, "rep", "/todo").text
    deal = _deal(app)
    replaced = say(app, "rep", f"/lost {deal}")
    assert replaced.asks and "/lead draft you set aside was dropped" in replaced.text
    assert say(app, "rep", "too expensive").ok
    with app.engine.connect() as conn:
        assert conn.execute(select(deals.c.lost_reason)).scalar_one() == "too expensive"


def test_a_draft_set_aside_is_kept_as_long_as_any_open_question(
        app: App, clock: FakeClock) -> None:
    say(app, "rep", "/lead")
    say(app, "rep", "Harbour Foods")
    say(app, "rep", "/todo")
    clock.advance(minutes=50)
    assert "Harbour Foods" in say(app, "rep", "/resume").text
    say(app, "rep", "/todo")
    clock.advance(minutes=61)
    assert say(app, "rep", "/resume").text == "There is no draft to resume."


def test_cancel_drops_a_draft_set_aside(app: App) -> None:
    say(app, "rep", "/quote")
    say(app, "rep", "/todo")
    assert say(app, "rep", "/cancel").ok
    assert say(app, "rep", "/resume").text == "There is no draft to resume."


def test_a_snoozed_reminder_keeps_its_time_of_day(app: App, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    deal = _deal(app)
    assert say(app, "rep", f"/remind {deal} 明天下午3点 给王总打电话").ok
    assert say(app, "rep", "/snooze R-1 tomorrow").ok  # the button's command
    assert say(app, "rep", "/snooze R-1 周五").ok
    with app.engine.connect() as conn:
        due = conn.execute(select(reminders.c.due_at)).scalar_one()
    assert due.astimezone(TZ) == datetime(2026, 11, 27, 15, 0, tzinfo=TZ)
    assert say(app, "rep", "/snooze R-1 下周一上午9点").ok
    with app.engine.connect() as conn:
        due = conn.execute(select(reminders.c.due_at)).scalar_one()
    assert due.astimezone(TZ) == datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


def test_a_time_alone_means_the_next_time_it_comes(app: App, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 16:00 in Shanghai
    assert say(app, "rep", "/remind 15:00 call the bank").ok
    with app.engine.connect() as conn:
        due = conn.execute(select(reminders.c.due_at)).scalar_one()
    assert due.astimezone(TZ) == datetime(2026, 11, 24, 15, 0, tzinfo=TZ)


def test_quiet_hours_may_be_written_in_chinese(app: App) -> None:
    assert say(app, "rep", "/quiet 晚上10点到早上7点半").ok
    with app.engine.connect() as conn:
        assert conn.execute(select(users.c.quiet_hours).where(users.c.username == "rep")
                            ).scalar_one() == "22:00-07:30"


def test_a_discount_in_chinese_in_the_quote_dialog(app: App) -> None:
    deal = _deal(app)
    say(app, "rep", f"/quote {deal}")
    done = say(app, "rep", "10x服务器@5000；2x安装@3千 折扣：5")
    assert done.ok, done.text
    with app.engine.connect() as conn:
        assert str(conn.execute(select(quotes.c.discount_pct)).scalar_one()) in ("5", "5.0000")


def test_a_customer_written_in_traditional_characters_is_found(app: App) -> None:
    assert say(app, "rep", "/lead 华为技术有限公司").ok
    assert say(app, "rep", "/qualify L-1").ok
    for typed in ("華為技術", "华为", "華為技術（中國）有限公司"):
        card = say(app, "rep", f"/customer {typed}")
        assert card.ok, typed
        assert "A-1" in card.text.splitlines()[0]
