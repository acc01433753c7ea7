"""签约到回款 through the console door, in Chinese, as a Chinese finance team types it:
分批交付、按期开票、部分回款、多付转预收款、红字冲销，最后全部回款。"""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from domain.model.invoices import InvoiceStatus
from domain.model.orders import OrderStatus
from domain.payments import credit_of
from tests.e2e.expected import amounts_in, plan_amounts, quote_total, today_in, zh_date, zh_money
from tests.e2e.session import assert_in_order, chat, leaked_keys, ref_in
from tests.support import FakeClock

TZ = "Asia/Shanghai"


def test_order_is_delivered_invoiced_and_paid_in_chinese(app: App, clock: FakeClock) -> None:
    today = today_in(clock(), TZ)
    total = quote_total(10, Decimal(10000), Decimal(0), app.settings.default_tax)
    first, second, third = plan_amounts(total, [30, 60, 10])
    partial = Decimal(20000)  # 2万
    lump = Decimal(100000)  # 10万
    transcript: list[str] = []

    def say_as(user: str, *lines: str, refusals: int = 0) -> str:
        text, refused = chat(app, user, *lines)
        transcript.append(text)
        assert refused == refusals, text
        return text

    say_as("fin", "/lang zh")
    text = say_as("rep", "/lang zh", "/lead 星辰科技 contact=王经理")
    text = say_as("rep", f"/qualify {ref_in(text, 'L')} amount=10万")
    customer = ref_in(text, "A")
    text = say_as("rep", f"/quote {ref_in(text, 'D')} 10 x 服务器 @ 1万")
    text = say_as("rep", f"/accept {ref_in(text, 'Q')} plan=standard")  # 30/60/10
    order = ref_in(text, "O")

    text = say_as("fin", f"/invoice {order}")
    assert f"已为 {order}（星辰科技）开具发票 INV-2026-0001：{zh_money(first)}，" \
           f"开票日期 {zh_date(today)}，到期 {zh_date(today)}。" in text
    assert "对应回款计划第1期（30%）" in text

    text = say_as("fin", "/pay INV-2026-0001 2万 ref=流水001 method=银行转账")
    assert f"INV-2026-0001：冲抵 {zh_money(partial)}，" \
           f"未回款 {zh_money(first - partial)}（部分回款）" in text
    text = say_as("fin", "/pay INV-2026-0001 2万 ref=流水001", refusals=1)
    assert "银行流水号“流水001”的回款已登记（P-1），同一笔钱不能登记两次。" in text
    text = say_as("fin", "/pay INV-2026-0001 100美元", refusals=1)
    assert "INV-2026-0001 的币种是 CNY，USD 回款不能冲抵。" in text

    text = say_as("rep", f"/deliver {order} 4 x 服务器")
    assert "#1 服务器：已交付 4 / 10" in text and f"{order} 第2期现在可以开票了。" in text
    text = say_as("fin", f"/invoice {order}")
    assert f"开具发票 INV-2026-0002：{zh_money(second)}" in text

    text = say_as("rep", f"/deliver {order} 全部")
    assert "#1 服务器：已交付 10 / 10" in text and f"{order} 已全部交付。" in text
    text = say_as("fin", f"/invoice {order} installment=3")
    assert f"开具发票 INV-2026-0003：{zh_money(third)}" in text

    text = say_as("fin", "/void INV-2026-0003 reason=发票抬头有误")
    assert f"发票 INV-2026-0003 已冲销：红字发票 CN-2026-0001，金额 {zh_money(third)}。" \
           "原因：发票抬头有误" in text

    text = say_as("fin", f"/pay {customer} 10万 ref=流水002 method=支付宝")
    overpaid = lump - (first - partial) - second
    assert_in_order(text, [
        f"INV-2026-0001：冲抵 {zh_money(first - partial)}，未回款 ¥0.00（已回款）",
        f"INV-2026-0002：冲抵 {zh_money(second)}，未回款 ¥0.00（已回款）",
        f"多付的 {zh_money(overpaid)} 转为 {customer} 星辰科技 的预收款",
    ])

    text = say_as("fin", f"/invoice {order} installment=3")
    assert "开具发票 INV-2026-0004" in text
    assert f"已用客户预收款抵扣 {zh_money(third)}：未回款 ¥0.00（已回款）。" in text

    text = say_as("fin", "/invoices", "/invoices all", f"/order {order}", "/customer 星辰科技")
    assert "没有发票（未结清）。" in text
    assert_in_order(text, [
        "INV-2026-0004 · 星辰科技 · O-1", "已回款",
        "INV-2026-0003 · 星辰科技 · O-1", "已冲销",
        "合计：4 张发票未回款 ¥0.00",
        f"合同订单 {order} · {customer} 星辰科技 · {zh_money(total)} · 已完成",
        f"已开票 {zh_money(total)} · 已回款 {zh_money(total)} · 未回款 ¥0.00",
        f"预收款 {zh_money(overpaid - third)} · 累计回款 {zh_money(partial + lump)}",
        "P-2", "支付宝", "流水号 流水002",
    ])
    assert sum(amounts_in(text.split("回款计划：")[1].split("交付记录：")[0], "¥")) == total

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    assert "CN¥" not in everything
    with app.uow() as uow:
        saved = uow.orders.get(int(order[2:]))
        assert saved is not None
        invoices = uow.invoices.of_order(saved.id or 0)
        assert [i.status(today) for i in invoices] == [
            InvoiceStatus.PAID, InvoiceStatus.PAID, InvoiceStatus.VOID, InvoiceStatus.PAID]
        assert saved.position(invoices).status == OrderStatus.COMPLETED
        assert credit_of(uow, saved.customer_id, "CNY") == overpaid - third
