"""The customer role: bound to one account, reading its own documents and nothing else."""

from __future__ import annotations

import pytest

from domain.documents import SHOWN_TO_CUSTOMERS, invoice_document, order_document, quote_document
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from domain.invoices import issue_invoice
from domain.model.customers import Contact
from domain.model.quotes import QuoteStatus
from domain.model.users import Role, User
from domain.records import readable
from domain.reports import report_scope
from domain.users import add_user, create_invite, invite_customer_contact, redeem_invite, set_role
from tests.unit.fakes import NOW, TODAY, FakeUnitOfWork, add_person, given_order


@pytest.fixture
def rep(uow: FakeUnitOfWork) -> User:
    return add_person(uow, "rep", Role.REP)


def _customer_user(uow: FakeUnitOfWork, customer_id: int, name: str = "li") -> User:
    user = add_user(uow, name, Role.CUSTOMER, NOW, locale="en", timezone="UTC",
                    customer_id=customer_id)
    uow.flush()
    return user


def test_a_customer_user_needs_its_account_and_only_it_has_one(uow: FakeUnitOfWork) -> None:
    with pytest.raises(InvalidInput):
        add_user(uow, "li", Role.CUSTOMER, NOW, locale="en", timezone="UTC")
    with pytest.raises(InvalidInput):
        add_user(uow, "wang", Role.REP, NOW, locale="en", timezone="UTC", customer_id=1)
    with pytest.raises(NotFound):
        add_user(uow, "zhao", Role.CUSTOMER, NOW, locale="en", timezone="UTC", customer_id=42)


def test_a_customer_reads_no_internal_record(uow: FakeUnitOfWork, rep: User) -> None:
    order = given_order(uow, rep)
    li = _customer_user(uow, order.customer_id)
    for kind, id_ in (("customer", order.customer_id), ("deal", order.deal_id),
                      ("order", order.id or 0), ("quote", order.quote_id)):
        with pytest.raises(Forbidden):
            readable(uow, li, kind, id_)
    with pytest.raises(Forbidden):
        report_scope(li)


def test_a_customer_gets_its_own_documents_and_not_another_customers(
        uow: FakeUnitOfWork, rep: User) -> None:
    fin = add_person(uow, "fin", Role.FINANCE, None)
    mine, theirs = given_order(uow, rep), given_order(uow, rep)
    li = _customer_user(uow, mine.customer_id)
    issue_invoice(uow, fin, mine.id or 0, NOW, TODAY)
    other_invoice = issue_invoice(uow, fin, theirs.id or 0, NOW, TODAY).invoice
    assert order_document(uow, li, mine.id or 0) is mine
    assert quote_document(uow, li, mine.quote_id)[1] == mine.customer_id
    assert invoice_document(uow, li, "INV-2026-0001").order_id == mine.id
    for fetch in (lambda: order_document(uow, li, theirs.id or 0),
                  lambda: quote_document(uow, li, theirs.quote_id),
                  lambda: invoice_document(uow, li, other_invoice.number),
                  lambda: order_document(uow, li, 999)):
        with pytest.raises(NotFound):
            fetch()


@pytest.mark.parametrize("status", [s for s in QuoteStatus if s not in SHOWN_TO_CUSTOMERS])
def test_a_quote_still_decided_inside_is_not_the_customers_to_see(
        uow: FakeUnitOfWork, rep: User, status: QuoteStatus) -> None:
    order = given_order(uow, rep)
    li = _customer_user(uow, order.customer_id)
    quote = uow.quotes.get(order.quote_id)
    assert quote is not None
    quote.status = status
    with pytest.raises(NotFound):
        quote_document(uow, li, order.quote_id)


def test_an_invited_contact_becomes_a_customer_user_of_its_account(
        uow: FakeUnitOfWork, rep: User) -> None:
    order = given_order(uow, rep)
    contact = Contact(customer_id=order.customer_id, name="Li Lei", created_at=NOW)
    uow.contacts.add(contact)
    uow.flush()
    invite = invite_customer_contact(uow, rep, contact.id or 0, NOW)
    user = redeem_invite(uow, invite.code, "telegram", "777", NOW, locale="zh_Hans_CN",
                         timezone="Asia/Shanghai")
    assert (user.role, user.customer_id, user.contact_id, user.team) == (
        Role.CUSTOMER, order.customer_id, contact.id, None)


def test_only_who_may_change_the_customer_invites_its_people(
        uow: FakeUnitOfWork, rep: User) -> None:
    order = given_order(uow, rep)
    contact = Contact(customer_id=order.customer_id, name="Li Lei", created_at=NOW)
    uow.contacts.add(contact)
    uow.flush()
    other = add_person(uow, "other", Role.REP, "west")
    with pytest.raises(Forbidden):
        invite_customer_contact(uow, other, contact.id or 0, NOW)


def test_a_customer_role_is_neither_given_nor_taken_away(uow: FakeUnitOfWork, rep: User) -> None:
    boss = add_person(uow, "boss", Role.ADMIN, None)
    order = given_order(uow, rep)
    _customer_user(uow, order.customer_id)
    with pytest.raises(Conflict):
        set_role(uow, boss, "li", Role.REP)
    with pytest.raises(Conflict):
        set_role(uow, boss, "rep", Role.CUSTOMER)
    with pytest.raises(InvalidInput):
        create_invite(uow, boss, "Li", Role.CUSTOMER, None, NOW)
