"""What a sentence means, on the fake unit of work with a stand-in for the `/find` index: which
record it names (only the reader's), which deal an activity goes to, choices between look-alikes,
the reader's words for configured values, and the command for each role."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

from domain.customers import Contact
from domain.leads import NewLead, create_lead, qualify_lead
from domain.money import Money
from domain.search import Token, record_terms
from domain.settings import Settings
from domain.users import Role, User
from handlers.context import Ctx
from handlers.i18n import Translator
from handlers.incoming import Incoming
from handlers.sentences import interpret
from handlers.sentences.writing import Choice, Draft, Problem
from handlers.unit_of_work import Page
from tests.unit.fakes import NOW, FakeQueries, FakeUnitOfWork, add_person

SETTINGS = Settings()


class IndexedQueries(FakeQueries):
    """`find` as the search index answers it: names whose terms start with every token."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def find(self, tokens: Sequence[Token], *, owner_id: int | None, team: str | None,
             page: int, per_page: int) -> Page:
        rows = []
        customers = {c.id: c for c in self.uow.customers.all()}
        records: list[tuple[Any, ...]] = [
            ("customer", c.id, c.name, c.owner_id, c.team, c.id, None, None)
            for c in customers.values()]
        records += [("contact", p.id, p.name, customers[p.customer_id].owner_id,
                     customers[p.customer_id].team, p.customer_id, None, None)
                    for p in self.uow.stored(Contact)]
        records += [("deal", d.id, d.title, d.owner_id, d.team, d.customer_id, str(d.status),
                     None) for d in self.uow.deals.all()]
        records += [("lead", lead.id, lead.company, lead.owner_id, lead.team, None, None,
                     str(lead.status)) for lead in self.uow.leads.all()]
        for kind, id_, name, owner, its_team, customer_id, deal_status, lead_status in records:
            if owner_id is not None and owner != owner_id or team is not None and its_team != team:
                continue
            terms = [term for _, term in record_terms(names=[name])]
            if all(any(term.startswith(t.prefix) for term in terms) for t in tokens):
                rows.append({"kind": kind, "id": id_, "name": name, "customer_id": customer_id,
                             "deal_status": deal_status, "lead_status": lead_status})
        return Page(rows[:per_page], page, len(rows) > per_page)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = FakeUnitOfWork()
    unit.queries = IndexedQueries(unit)
    return unit


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP, "east")


def _customer(uow: FakeUnitOfWork, owner: User, company: str, contact: str | None = None,
              deals: int = 1) -> None:
    for number in range(deals):
        lead, _ = create_lead(uow, owner, NewLead(company, contact=contact if not number
                                                  else None), SETTINGS, NOW)
        assert lead.id is not None
        qualify_lead(uow, owner, lead.id, SETTINGS, NOW, amount=Money(Decimal(1000), "CNY"),
                     title=f"{company} {number + 1}" if deals > 1 else None,
                     customer_id=None if not number else 1)


def _meaning(uow: FakeUnitOfWork, user: User, text: str, language: str = "en") -> object:
    ctx = Ctx(uow=uow, user=user, settings=SETTINGS, now=NOW,
              t=Translator(language, "Asia/Shanghai", SETTINGS),
              incoming=Incoming("console", user.username, "console", text))
    return interpret(ctx, text)


def test_an_activity_goes_to_the_named_customers_only_open_deal(uow: FakeUnitOfWork,
                                                               rep: User) -> None:
    _customer(uow, rep, "华为技术有限公司", contact="李经理")
    assert _meaning(uow, rep, "今天给华为打了电话，他们下周五要报价") == Draft(
        "/log D-1 call 今天给华为打了电话，他们下周五要报价 next=2026-12-04")


@pytest.mark.parametrize("company", ["北京星辰科技有限公司", "星辰（北京）信息技术有限公司",
                                     "深圳市星辰网络科技有限公司"])
def test_a_company_is_named_by_its_trade_name_without_its_city_or_trade(
        uow: FakeUnitOfWork, rep: User, company: str) -> None:
    _customer(uow, rep, company, contact="王五")
    assert _meaning(uow, rep, "今天拜访了星辰王总，聊了报价") == Draft(
        "/log D-1 visit 今天拜访了星辰王总，聊了报价")


def test_a_city_alone_names_no_company(uow: FakeUnitOfWork, rep: User) -> None:
    _customer(uow, rep, "北京星辰科技有限公司")
    _customer(uow, rep, "北京华为技术有限公司")
    assert not isinstance(_meaning(uow, rep, "今天去北京拜访了客户"), Draft)


def test_a_customer_with_two_open_deals_gets_the_activity_itself(uow: FakeUnitOfWork,
                                                                 rep: User) -> None:
    _customer(uow, rep, "阿里巴巴", contact="张总", deals=2)
    assert _meaning(uow, rep, "今天拜访了阿里张总，聊了报价") == Draft(
        "/log A-1 visit 今天拜访了阿里张总，聊了报价")
    won = _meaning(uow, rep, "阿里的单子赢了")
    assert isinstance(won, Choice)
    assert [command for _, command in won.options] == ["/won D-1", "/won D-2"]


def test_a_chinese_reader_gets_configured_values_in_chinese(uow: FakeUnitOfWork,
                                                            rep: User) -> None:
    _customer(uow, rep, "京东集团")
    assert _meaning(uow, rep, "京东推进到谈判", "zh") == Draft("/stage D-1 商务谈判")
    assert _meaning(uow, rep, "京东支付宝付了3千", "zh") == Draft("/paid A-1 3000 method=支付宝")


def test_another_reps_customer_is_never_named(uow: FakeUnitOfWork, rep: User) -> None:
    other = add_person(uow, "rep2", Role.REP, "east")
    _customer(uow, other, "华为终端有限公司")
    assert isinstance(_meaning(uow, rep, "华为付了5万"), Problem)
    _customer(uow, rep, "华为技术有限公司")
    assert _meaning(uow, rep, "华为付了5万") == Draft("/paid A-2 50000")


def test_look_alike_customers_are_a_choice_and_a_contact_decides(uow: FakeUnitOfWork,
                                                                 rep: User) -> None:
    _customer(uow, rep, "中信银行", contact="周行长")
    _customer(uow, rep, "中信证券")
    found = _meaning(uow, rep, "中信付了10万")
    assert isinstance(found, Choice)
    assert [c for _, c in found.options] == ["/paid A-1 100000", "/paid A-2 100000"]
    assert _meaning(uow, rep, "中信周行长说付了10万") == Draft("/paid A-1 100000")


def test_a_typo_in_an_english_name_still_finds_it(uow: FakeUnitOfWork, rep: User) -> None:
    _customer(uow, rep, "Globex Corporation")
    assert _meaning(uow, rep, "Globx paid 20k") == Draft("/paid A-1 20000")


def test_finance_records_the_payment_itself(uow: FakeUnitOfWork, rep: User) -> None:
    _customer(uow, rep, "Initech")
    finance = add_person(uow, "fin", Role.FINANCE, None)
    assert _meaning(uow, finance, "initech paid 2.5k by check") == Draft(
        "/pay A-1 2500 method=cheque")


def test_a_reason_for_a_lost_deal_and_words_without_a_record(uow: FakeUnitOfWork,
                                                            rep: User) -> None:
    _customer(uow, rep, "Initech")
    assert _meaning(uow, rep, "lost the initech deal, no budget") == Draft(
        '/lost D-1 reason="no budget"')
    assert _meaning(uow, rep, "remind me tomorrow 9am to prepare the slides") == Draft(
        "/remind 2026-11-24 09:00 prepare the slides")
    assert _meaning(uow, rep, "hello there") == Problem("sentence.unknown")
