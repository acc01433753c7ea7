"""/pdf on both databases: each document read back from the PDF (golden text), in the
customer's language, Chinese through the embedded font; who may have which document."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from bot.app import App, build_app
from bot.runtime import Runtime
from domain.model.users import Role
from domain.settings import DocumentDetails, Settings
from domain.users import add_user
from handlers.reply import Reply
from tests.support import FakeClock, say

DETAILS = DocumentDetails(address="88 Century Ave, Shanghai", phone="021-5555", tax_id="91310X",
                          bank="China Merchants Bank", account="6225 8801",
                          account_name="Test Trading Co., Ltd.")


@pytest.fixture
def docs(runtime: Runtime, clock: FakeClock) -> Iterator[App]:
    """The company with bank details; rep and fin; an order of 10 servers at 10% off, half
    delivered and invoiced; a customer contact `li` of A-1 who reads Chinese."""
    app = build_app(Settings(company_name="Test Trading", locale="en", documents=DETAILS),
                    runtime, clock,
                    run_migrations=False)
    with app.uow() as uow:
        for name, role in (("rep", Role.REP), ("fin", Role.FINANCE), ("mgr", Role.MANAGER)):
            add_user(uow, name, role, clock(), team="east" if role != Role.FINANCE else None,
                     locale="en", timezone="Asia/Shanghai")
        uow.commit()
    steps = [("mgr", "/product add SRV-1 Cloud Server 4,800 unit=pc stock=20"),
             ("rep", "/lead 华为技术 contact=Li"), ("rep", "/qualify L-1"),
             ("rep", "/quote D-1 10 x SRV-1; 1 x Install @ 2,000 discount=10"),
             ("rep", "/accept Q-1 plan=30/70"), ("fin", "/invoice O-1")]
    for user, text in steps:
        assert say(app, user, text).ok, text
    yield app
    app.close()


def _text(reply: Reply) -> list[str]:
    assert reply.ok, reply.text
    [pdf] = reply.files
    assert pdf.mime == "application/pdf" and pdf.data.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    return [line for page in pages for line in page.extract_text().splitlines()]


HEADER = ["Test Trading", "88 Century Ave, Shanghai", "Tel. 021-5555", "Tax ID: 91310X"]


def test_an_invoice_in_english(docs: App) -> None:
    assert _text(say(docs, "fin", "/pdf INV-2026-0001")) == [
        *HEADER,
        "Invoice INV-2026-0001",
        "Date Nov 23, 2026", "Due date Nov 23, 2026", "Order O-1", "Order discount 10%",
        "Customer: 华为技术",
        "# Item Qty Unit price Amount",
        "1 Order O-1, installment 1 of 2 (30%) 1 CNY 15,255.00 CNY 15,255.00",
        "Net CNY 13,500.00", "Tax 13% CNY 1,755.00", "Total CNY 15,255.00",
        "Outstanding CNY 15,255.00",
        "Bank details", "Bank: China Merchants Bank", "Account name: Test Trading Co., Ltd.",
        "Account number: 6225 8801", "Please quote INV-2026-0001 with your payment.",
    ]


def test_an_order_in_the_chinese_of_its_contact(docs: App, clock: FakeClock) -> None:
    with docs.uow() as uow:
        add_user(uow, "li", Role.CUSTOMER, clock(), locale="zh_Hans_CN",
                 timezone="Asia/Shanghai", customer_id=1)
        uow.commit()
    lines = _text(say(docs, "rep", "/pdf O-1"))
    assert lines[:7] == [*HEADER[:2], "电话 021-5555", "税号：91310X", "订单确认书 O-1",
                         "签约日期 2026年11月23日", "报价单 Q-1"]
    assert lines[7:] == [
        "客户：华为技术",
        "# 项目 数量 单价 金额",
        "1 SRV-1 Cloud Server 10 ￥4,800.00 ￥48,000.00",
        "2 Install 1 ￥2,000.00 ￥2,000.00",
        "小计 ￥50,000.00", "折扣 10% -￥5,000.00", "税额 13% ￥5,850.00", "合计 ￥50,850.00",
        "付款计划", "1. 30% · ￥15,255.00 · 签约时", "2. 70% · ￥35,595.00 · 交付时",
        "收款账户", "开户行：China Merchants Bank", "户名：Test Trading Co., Ltd.",
        "账号：6225 8801", "付款时请注明 O-1。",
    ]
    # The asker is answered in their own language; the file is in the customer's.
    assert say(docs, "rep", "/pdf O-1").text == "Order confirmation O-1 (PDF)"


def test_a_quote_and_a_credit_note(docs: App) -> None:
    quote = _text(say(docs, "rep", "/pdf Q-1 lang=en"))
    assert quote[4:6] == ["Quotation Q-1", "Date Nov 23, 2026"]
    assert quote[6:] == [
        "Valid until Dec 23, 2026", "Customer: 华为技术", "# Item Qty Unit price Amount",
        "1 SRV-1 Cloud Server 10 CNY 4,800.00 CNY 48,000.00",
        "2 Install 1 CNY 2,000.00 CNY 2,000.00", "Subtotal CNY 50,000.00",
        "Discount 10% -CNY 5,000.00", "Tax 13% CNY 5,850.00", "Total CNY 50,850.00"]
    assert say(docs, "fin", '/void INV-2026-0001 reason="wrong address"').ok
    note = _text(say(docs, "fin", "/pdf cn-2026-1"))
    assert note[4:] == [
        "Credit note CN-2026-0001", "Date Nov 23, 2026", "Cancels invoice INV-2026-0001",
        "Reason wrong address", "Customer: 华为技术", "# Item Qty Unit price Amount",
        "1 Cancellation of invoice INV-2026-0001 1 -CNY 15,255.00 -CNY 15,255.00",
        "Total -CNY 15,255.00",
    ]
    void = _text(say(docs, "fin", "/pdf INV-2026-0001"))
    assert "Void cancelled by CN-2026-0001" in void and "Bank details" not in void


def test_who_may_have_which_document(docs: App, clock: FakeClock) -> None:
    assert say(docs, "rep", "/lead Globex").ok and say(docs, "rep", "/qualify L-2").ok
    assert say(docs, "rep", "/quote D-2 1 x Desk @ 100").ok
    with docs.uow() as uow:
        add_user(uow, "li", Role.CUSTOMER, clock(), locale="en", timezone="UTC", customer_id=1)
        add_user(uow, "other", Role.REP, clock(), team="west", locale="en", timezone="UTC")
        uow.commit()
    assert say(docs, "li", "/pdf INV-2026-0001").ok
    for text in ("/pdf Q-2", "/pdf O-9", "/pdf INV-2026-0009"):
        refused = say(docs, "li", text)
        assert not refused.ok and not refused.files and "does not exist" in refused.text
    other = say(docs, "other", "/pdf O-1")
    assert not other.ok and not other.files
    wrong = say(docs, "rep", "/pdf D-1")
    assert not wrong.ok and "no document" in wrong.text


def test_a_missing_font_is_a_clear_refusal(docs: App, tmp_path: object) -> None:
    docs.dispatcher.settings = Settings(company_name="Test Trading",
                                        documents=DocumentDetails(font="/nowhere/font.ttf"))
    reply = say(docs, "fin", "/pdf INV-2026-0001")
    assert not reply.ok and "/nowhere/font.ttf" in reply.text and "[documents] font" in reply.text
