"""A Chinese sales team typing on phones, through the console door: full-width punctuation and
digits, options written with `：` and `，`, no spaces where a phone keyboard leaves none."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.app import App
from storage.tables import (
    activities,
    deals,
    leads,
    order_lines,
    quote_lines,
    quotes,
    reminders,
)
from storage.tables_cash import delivery_lines, payments
from tests.e2e.session import chat, leaked_keys, ref_in
from tests.support import FakeClock

TZ = ZoneInfo("Asia/Shanghai")


def _say(app: App, user: str, *lines: str, refused: int = 0) -> str:
    text, count = chat(app, user, *lines)
    assert count == refused, text
    assert not leaked_keys(text), text
    return text


def test_a_rep_works_a_lead_to_a_delivery_on_a_phone(app: App, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    lead = "/lead 上海星辰科技有限公司，联系人：王五，电话：１３９００００１１１１，来源：展会"
    text = _say(app, "rep", "/lang 中文", lead)
    assert "已创建线索 L-1：上海星辰科技有限公司" in text
    text = _say(app, "rep", "/qualify L-1 金额＝５万 成交日期＝月底")
    assert "资格确认" in text
    deal = ref_in(text, "D")
    text = _say(app, "rep", f"/stage {deal} 谈判")
    assert "商务谈判" in text and "negotiation" not in text
    text = _say(app, "rep", f"/log {deal} 电话：沟通了价格，下次＝明天下午3点")
    assert "已记录电话" in text and "15:00" in text
    text = _say(app, "rep", f"/remind {deal} 周五上午10点给王总发合同")
    assert "10:00" in text
    text = _say(app, "rep", f"/quote {deal} 10x“云服务器X1”@5000；2x安装服务@3千 折扣＝5")
    quote = ref_in(text, "Q")
    assert "云服务器X1" in text and "“云服务器X1”" not in text
    text = _say(app, "rep", f"/accept {quote} 计划＝30/60/10")
    order = ref_in(text, "O")
    text = _say(app, "rep", f"/deliver {order} 2x“云服务器x1”")
    assert "云服务器X1" in text
    text = _say(app, "rep", "/snooze R-2 下周一")  # the contract reminder keeps its 10:00

    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.company, leads.c.contact, leads.c.phone,
                                   leads.c.source)).one() == (
            "上海星辰科技有限公司", "王五", "13900001111", "event")
        # Won at the signed order's total: (10 x 5,000 + 2 x 3,000) less 5%, plus 13% tax.
        assert conn.execute(select(deals.c.stage, deals.c.amount)).first() == (
            "won", Decimal("60116"))
        assert conn.execute(select(activities.c.kind, activities.c.text)).one() == (
            "call", "沟通了价格")
        due = conn.execute(select(reminders.c.text, reminders.c.due_at)
                           .order_by(reminders.c.id)).all()
        assert [(t, d.astimezone(TZ)) for t, d in due] == [
            ("沟通了价格", datetime(2026, 11, 24, 15, 0, tzinfo=TZ)),
            ("给王总发合同", datetime(2026, 11, 30, 10, 0, tzinfo=TZ)),
        ]
        assert conn.execute(select(quote_lines.c.item, quote_lines.c.quantity)
                            .order_by(quote_lines.c.position)).all() == [
            ("云服务器X1", Decimal(10)), ("安装服务", Decimal(2))]
        assert conn.execute(select(quotes.c.discount_pct)).scalar_one() == Decimal(5)
        assert conn.execute(select(order_lines.c.item).order_by(order_lines.c.position)
                            ).scalars().all() == ["云服务器X1", "安装服务"]
        assert conn.execute(select(delivery_lines.c.quantity)).scalar_one() == Decimal(2)


def test_finance_books_a_payment_on_a_phone_and_a_second_spelling_is_refused(
        app: App, clock: FakeClock) -> None:
    _say(app, "rep", "/lang 中文", "/lead 月光贸易，来源：官网", "/qualify L-1")
    text = _say(app, "rep", "/quote D-1 1x年度维保@10万 税率＝0")
    _say(app, "rep", f"/accept {ref_in(text, 'Q')} 计划＝net30", "/deliver O-1 全部")
    text = _say(app, "fin", "/lang 中文", "/invoice O-1")
    assert "INV-2026-0001" in text
    text = _say(app, "fin", "/pay INV-2026-0001 ５万 方式：支付宝 参考号：ＦＷ－１")
    assert "支付宝" in text and "FW-1" in text
    text = _say(app, "fin", "/pay INV-2026-0001 ５万 方式：微信 参考号：fw-1", refused=1)
    assert "FW-1" in text or "fw-1" in text
    text = _say(app, "fin", "/pay INV-2026-0001 １万 方式：比特币", refused=1)
    assert "支付宝、微信支付" in text
    with app.engine.connect() as conn:
        assert conn.execute(select(payments.c.amount, payments.c.method, payments.c.ref)
                            ).all() == [(Decimal(50000), "alipay", "FW-1")]


def test_a_question_and_answer_lead_with_an_interruption(app: App) -> None:
    text = _say(app, "rep", "/lang 中文", "/lead", "星辰科技")
    assert "星辰科技 的联系人是谁" in text
    text = _say(app, "rep", "/todo")
    assert "/lead 草稿已暂存" in text and "/resume" in text
    text = _say(app, "rep", "王五", refused=1)  # not taken as an answer while set aside
    assert "/resume" in text
    text = _say(app, "rep", "/resume")
    assert "星辰科技 的联系人是谁" in text
    text = _say(app, "rep", "王五")
    assert "展会" in text and "event" not in text  # the source buttons
    text = _say(app, "rep", "展")
    assert "已创建线索" in text
    with app.engine.connect() as conn:
        assert conn.execute(select(leads.c.company, leads.c.contact, leads.c.source)).one() == (
            "星辰科技", "王五", "event")
