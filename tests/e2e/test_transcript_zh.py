"""Lead to signed order through the console door, in Chinese, as a Chinese sales team types it."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from bot.app import App
from domain.model.deals import DealStatus
from domain.model.quotes import QuoteStatus
from tests.e2e.expected import (
    FRIDAY,
    ZH_WEEKDAYS,
    amounts_in,
    at_nine,
    next_weekday,
    plan_amounts,
    quote_total,
    today_in,
    zh_date,
    zh_money,
)
from tests.e2e.session import chat, leaked_keys, ref_in
from tests.support import FakeClock

TZ = "Asia/Shanghai"  # the time zone of the fixture's users


def test_rep_takes_a_lead_to_a_signed_order_with_approval_in_chinese(
    app: App, clock: FakeClock
) -> None:
    # Friday 01:00 in Shanghai while it is still Thursday in UTC: "today", "周五" and the
    # signing date must all be read in the user's time zone.
    clock.now = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
    today = today_in(clock(), TZ)
    friday = next_weekday(clock(), TZ, FRIDAY)
    total = quote_total(10, Decimal(5000), Decimal(20), app.settings.default_tax)
    installments = plan_amounts(total, [30, 60, 10])
    transcript: list[str] = []

    def say_as(user: str, *lines: str) -> str:
        text, refused = chat(app, user, *lines)
        transcript.append(text)
        assert refused == 0, text
        return text

    text = say_as("rep", "/lang zh", "/lead 星辰科技 contact=王经理")
    assert "中文" in text
    lead = ref_in(text, "L")
    assert f"已创建线索 {lead}：星辰科技" in text

    text = say_as("rep", f"/qualify {lead} amount=5万")
    deal, customer = ref_in(text, "D"), ref_in(text, "A")
    assert f"客户 {customer} 星辰科技" in text and f"商机 {deal}" in text

    text = say_as("rep", f"/log {deal} 电话 沟通了价格 next=周五")
    reminder = ref_in(text, "R")
    assert f"已记录电话：{deal}" in text
    assert f"提醒 {reminder}：{zh_date(friday)} {ZH_WEEKDAYS[FRIDAY]} 09:00" in text

    text = say_as("rep", f"/quote {deal} 10 x 服务器 @ 5,000 discount=20")
    quote = ref_in(text, "Q")
    assert f"报价单 {quote}，商机 {deal}（待审批）" in text
    assert f"10 × 服务器 @ {zh_money(Decimal(5000))} = {zh_money(Decimal(50000))}" in text
    assert f"折扣 20%：−{zh_money(Decimal(10000))}" in text
    assert f"合计：{zh_money(total)}" in text
    assert "需要经理审批" in text

    text = say_as("mgr", "/lang zh", f"/approve {quote}")
    assert f"报价单 {quote} 已批准" in text

    text = say_as("rep", f"/quote {quote}")
    assert f"报价单 {quote}，商机 {deal}（已批准）" in text

    text = say_as("rep", f"/accept {quote} plan=30/60/10")
    order = ref_in(text, "O")
    head, *rest = text.strip().splitlines()
    plan_lines = [line for line in rest if "%" in line]
    assert f"合同订单 {order}" in head and f"商机 {deal} 赢单" in head
    assert f"{zh_money(total)}，签约日期 {zh_date(today)}" in head
    assert "回款计划" in head
    assert len(plan_lines) == 3, text
    printed = [amounts_in(line, "¥") for line in plan_lines]
    assert printed == [[amount] for amount in installments]
    assert sum(installments) == total
    for seq, (line, pct) in enumerate(zip(plan_lines, (30, 60, 10), strict=True), start=1):
        assert f"第{seq}期 {pct}%" in line

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    assert "CN¥" not in everything  # Chinese shows the yuan as plain ¥

    with app.uow() as uow:
        saved_quote = uow.quotes.get(int(quote[2:]))
        saved_deal = uow.deals.get(int(deal[2:]))
        saved_order = uow.orders.get(int(order[2:]))
        saved_reminder = uow.reminders.get(int(reminder[2:]))
        rep_user = uow.users.by_username("rep")
        assert rep_user is not None and rep_user.locale == "zh_Hans_CN"
        assert saved_quote is not None and saved_quote.status == QuoteStatus.ACCEPTED
        assert saved_quote.total == total
        assert saved_deal is not None and saved_deal.status == DealStatus.WON
        assert saved_deal.amount == total  # qualified at 5万, won at the signed order's total
        assert saved_order is not None
        assert saved_order.total == total and saved_order.signed_on == today
        assert [i.amount for i in saved_order.installments] == installments
        assert [i.percent for i in saved_order.installments] == [30, 60, 10]
        assert saved_reminder is not None
        assert saved_reminder.due_at == at_nine(friday, TZ)
        assert saved_reminder.ref_number == deal
