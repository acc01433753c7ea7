"""维护记录 through the console door, in Chinese: 商机金额随报价单和合同订单走，更正、联系人、
查找、变更记录，销售离职时停用账号并移交客户。"""

from __future__ import annotations

from decimal import Decimal

from bot.app import App
from domain.model.customers import Customer
from tests.e2e.expected import zh_money
from tests.e2e.session import assert_in_order, chat, leaked_keys, ref_in
from tests.support import FakeClock


def test_a_team_keeps_its_records_true_in_chinese(app: App, clock: FakeClock) -> None:
    transcript: list[str] = []

    def say_as(user: str, *lines: str, refusals: int = 0) -> str:
        text, refused = chat(app, user, *lines)
        transcript.append(text)
        assert refused == refusals, text
        return text

    for user in ("rep", "rep2", "mgr", "boss"):
        say_as(user, "/lang zh")
    text = say_as("rep", '/lead 北京华为技术有限公司 contact=李明 phone="+86 138 0013 8000"')
    text = say_as("rep", f"/qualify {ref_in(text, 'L')} amount=12万")
    customer, deal = ref_in(text, "A"), ref_in(text, "D")

    text = say_as("rep", "/lead 华为技术 contact=王工")
    lead = ref_in(text, "L")
    text = say_as("rep", f"/qualify {lead} amount=5万")
    assert f"线索 {lead} 华为技术 与已有客户相似：" in text
    use = f"/qualify {lead} customer={customer} amount=5万"
    assert f"[归入 {customer} 北京华为技术有限公司: {use}]" in text
    assert f"[新建客户: /qualify {lead} customer=new amount=5万]" in text
    text = say_as("rep", f"/qualify {lead} customer={customer} amount=5万")
    assert f"{customer} 已是现有客户" in text
    second_deal = ref_in(text, "D")

    text = say_as("rep", f"/quote {deal} 3 x 服务器 @ 2千; 1 x 安装 @ 750 tax=6")
    quote = ref_in(text, "Q")
    assert f"金额：{zh_money(Decimal(7155))}（来自 {quote}）" in say_as("rep", f"/deal {deal}")
    text = say_as("rep", f"/edit {deal} amount=8千")
    assert f"{deal} 已更正：" in text
    assert f"金额 {zh_money(Decimal(7155))} → {zh_money(Decimal(8000))}" in text
    text = say_as("rep", f"/accept {quote} signed=2026-10-15")
    order = ref_in(text, "O")
    text = say_as("rep", f"/deal {deal}")
    assert f"金额：{zh_money(Decimal(7155))}（合同订单 {order}）" in text
    assert "赢单日期：2026年10月15日" in text
    text = say_as("rep", "/edit INV-2026-0009 total=1", f"/edit {order} total=1", refusals=2)
    assert "INV-2026-0009 不存在" in text
    assert f"合同订单 {order} 已签署，不能修改。" in text

    text = say_as("rep", f'/contact {customer} name=赵敏 title=财务总监 phone="010-6288 1234"')
    contact = ref_in(text, "C")
    text = say_as("rep", f"/contacts {customer}")
    assert_in_order(text, [f"{customer} 北京华为技术有限公司 的联系人（3 位）：", "李明", "王工",
                           f"{contact} 赵敏（财务总监） · 010-6288 1234"])
    text = say_as("rep", "/find 华为")
    assert_in_order(text, ["“华为”的查找结果（第 1 页）：",
                           f"{customer} 北京华为技术有限公司 · 客户"])
    text = say_as("rep", "/find 6288 1234")
    assert text.splitlines()[1].startswith(f"{contact} 赵敏（财务总监） · 联系人，{customer}")

    text = say_as("rep", f"/history {deal}")
    assert_in_order(text, [f"{deal} 的变更记录", "/accept：金额", "金额来源 手动设定 → 合同订单",
                           "/edit：金额", "/qualify：创建"])

    text = say_as("boss", "/users deactivate rep")
    assert "rep（rep）已停用，此后无法再使用。" in text
    assert "[移交给 mgr: /handover rep mgr]" in text
    text = say_as("rep", "/todo", refusals=1)
    assert "你的账号已停用" in text
    text = say_as("mgr", "/handover rep rep2")
    assert f"rep 的未结记录已交给 rep2：共 2 条（{customer}, {second_deal}）。" in text

    everything = "\n".join(transcript)
    assert not leaked_keys(everything), everything
    assert "CN¥" not in everything
    with app.uow() as uow:
        rep2 = uow.users.by_username("rep2")
        assert rep2 is not None
        assert [c.owner_id for c in uow.customers.of_owner(rep2.id or 0)] == [rep2.id]
        assert isinstance(uow.customers.get(int(customer[2:])), Customer)
